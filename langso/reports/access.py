"""Access to polling areas and exports, through the scope rules of langso.accounts.access."""

from django.http import Http404

from langso.accounts.access import AnyUser, can
from langso.accounts.models import User
from langso.accounts.roles import Capability
from langso.reports.models import ExportJob, PollingArea


def get_area_for_user(
    user: AnyUser, pk: int | str, capability: Capability = Capability.VIEW_RESIDENTS
) -> PollingArea:
    try:
        area = PollingArea.objects.select_related("election", "commune").get(pk=pk)
    except (PollingArea.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(user, capability, area.commune):
        raise Http404
    return area


def get_export_for_user(user: User, pk: int | str) -> ExportJob:
    """The user's own export, while they may still see the unit's residents; else 404."""
    try:
        job = ExportJob.objects.select_related("unit").get(pk=pk, created_by=user)
    except (ExportJob.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(user, Capability.VIEW_RESIDENTS, job.unit):
        raise Http404  # the role that made the export has been revoked since
    return job
