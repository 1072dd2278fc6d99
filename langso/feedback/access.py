"""Who sees and handles which report (design.md principle 2; issue 14, item 7).

- Whoever holds HANDLE_FEEDBACK at a unit handles the reports of the hamlets inside it:
  a hamlet head only their own hamlet's, a commune official the whole commune's.
- A resident with an account sees the reports they made, and nothing else but the
  public answers (which need no account).
- Anyone holding a report's tracking code sees its status page (the code is the key).

Everything else is a 404, exactly like a missing report.
"""

from django.db.models import QuerySet
from django.http import Http404

from langso.accounts.access import AnyUser, can, paths_with, scope_q
from langso.accounts.roles import Capability
from langso.feedback.models import Photo, Report, normal_code
from langso.places.models import Unit


def handled_reports(user: AnyUser) -> QuerySet[Report]:
    """Reports the user handles (HANDLE_FEEDBACK over their hamlet)."""
    if not user.is_authenticated:
        return Report.objects.none()
    if user.is_superuser:
        return Report.objects.all()
    # The usual scopes, a commune's or a hamlet's, by the unit itself: the indexes by
    # commune (or hamlet) and date then give a page of the list without sorting it all.
    tops = list(
        Unit.objects.filter(path__in=paths_with(user, Capability.HANDLE_FEEDBACK)).values_list(
            "pk", "kind"
        )
    )
    kinds = {kind for _pk, kind in tops}
    if kinds == {Unit.Kind.COMMUNE}:
        return Report.objects.filter(commune__in=[pk for pk, _kind in tops])
    if kinds == {Unit.Kind.HAMLET}:
        return Report.objects.filter(hamlet__in=[pk for pk, _kind in tops])
    return Report.objects.filter(scope_q(user, Capability.HANDLE_FEEDBACK, field="unit_path"))


def own_reports(user: AnyUser) -> QuerySet[Report]:
    if not user.is_authenticated:
        return Report.objects.none()
    return Report.objects.filter(reporter_user=user)


def may_handle(user: AnyUser, report: Report) -> bool:
    return can(user, Capability.HANDLE_FEEDBACK, report.hamlet)


def get_report_for_user(user: AnyUser, pk: int | str, *, write: bool = False) -> Report:
    """A report the user handles (or, to read, one they made); 404 otherwise."""
    try:
        report = Report.objects.select_related(
            "commune", "hamlet", "category", "assigned_unit", "assigned_user", "duplicate_of"
        ).get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if may_handle(user, report):
        return report
    if not write and user.is_authenticated and report.reporter_user_id == user.pk:
        return report
    raise Http404


def get_report_by_code(commune: Unit, code: str) -> Report:
    """The report of this commune with this tracking code; 404 for any other."""
    found = (
        Report.objects.select_related("commune", "hamlet", "category", "duplicate_of")
        .filter(commune=commune, code=normal_code(code))
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_photo_for_user(user: AnyUser, pk: int | str) -> Photo:
    """A photo of a report the user handles or made; 404 otherwise."""
    try:
        photo = Photo.objects.select_related("report__hamlet").get(pk=pk)
    except (Photo.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    get_report_for_user(user, photo.report_id)
    return photo


def get_public_photo(commune: Unit, pk: int | str) -> Photo:
    """A photo shown on the public list: of an answered report that may be published."""
    try:
        photo = Photo.objects.select_related("report").get(pk=pk)
    except (Photo.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    public = Report.objects.answered_publicly().filter(pk=photo.report_id, commune=commune)
    if not public.exists():
        raise Http404
    return photo


def get_tracked_photo(report: Report, pk: int | str) -> Photo:
    """A photo of the report whose tracking code the visitor holds."""
    photo = report.photos.filter(pk=pk).first() if str(pk).isdigit() else None
    if photo is None:
        raise Http404
    return photo
