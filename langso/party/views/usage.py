"""Figures: meeting statistics and the monthly usage report."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from langso.lib.dates import add_months
from langso.party import access
from langso.party.models import Organisation
from langso.party.statistics import meeting_statistics, usage_report
from langso.party.views.common import month_param


@login_required
def statistics(request, pk):
    """Meetings held on time and attendance, per cell, for a month."""
    organisation = access.get_organisation_for_user(request.user, pk)
    month = month_param(request)
    cells = (
        [organisation]
        if organisation.kind == Organisation.Kind.CELL
        else list(Organisation.objects.within(organisation).cells().order_by("name"))
    )
    rows = meeting_statistics(cells, month)
    held_on_time = sum(1 for row in rows if row["on_time"])
    invited = sum(row["invited"] for row in rows)
    present = sum(row["present"] for row in rows)
    return render(
        request,
        "party/statistics.html",
        {
            "organisation": organisation,
            "month": month,
            "previous": add_months(month, -1),
            "next": add_months(month, 1),
            "rows": rows,
            "on_time": held_on_time,
            "rate": round(100 * present / invited) if invited else None,
        },
    )


@login_required
def usage(request, pk):
    """The monthly usage report of an organisation's unit (Regulation 339-QĐ/TW figures)."""
    organisation = access.get_organisation_for_user(request.user, pk)
    month = month_param(request)
    return render(
        request,
        "party/usage.html",
        {
            "organisation": organisation,
            "month": month,
            "previous": add_months(month, -1),
            "next": add_months(month, 1),
            "rows": usage_report(organisation.unit, month, root=organisation),
        },
    )
