from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from langso.accounts.access import can
from langso.accounts.models import AuditEntry
from langso.accounts.roles import Capability
from langso.places.views import breadcrumbs
from langso.registry.access import get_household_for_user


@login_required
def household_detail(request, pk):
    household = get_household_for_user(request.user, pk)
    members = household.members_in_order()
    show_ids = can(request.user, Capability.VIEW_ID_NUMBERS, household.unit)
    if show_ids:
        # ID numbers are sensitive (Decree 13/2023, domain.md §8): log who saw them.
        AuditEntry.objects.record(
            request.user, "household.view_id_numbers", target=household, unit=household.unit
        )
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "members": members,
            "show_ids": show_ids,
            "breadcrumbs": breadcrumbs(request.user, household.unit),
        },
    )
