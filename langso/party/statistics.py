"""Figures over many party organisations: the monthly usage report, meeting statistics
and unpaid-fee warnings.

Grouped queries per cell, rolled up over the organisation tree in Python: loops go
over organisations (a province has some thousands), never over members.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from langso.lib.dates import add_months, month_start
from langso.lib.paths import roll_up
from langso.party.models import (
    UNPAID_MONTHS_WARNING,
    Activity,
    FeeMonth,
    Invitation,
    Meeting,
    Member,
    Organisation,
)
from langso.places.models import Unit

USAGE_FIGURES = ("members", "with_account", "active", "meetings", "documents_read", "points")


def _grouped(queryset: QuerySet, field: str, value: Any) -> dict[int, int]:
    return dict(queryset.values_list(field).annotate(n=value).order_by())


def usage_by_cell(unit: Unit, month: date) -> dict[int, dict[str, int]]:
    """{organisation id: {figure: n}} for each organisation attached inside `unit`."""
    start = month_start(month)
    end = add_months(start, 1)
    in_unit = Q(organisation__unit__path__within=unit.path)
    members = Member.objects.filter(in_unit, status__in=Member.CURRENT)
    activity = Activity.objects.filter(in_unit, month=start, member__status__in=Member.CURRENT)
    columns = {
        "members": _grouped(members, "organisation_id", Count("pk")),
        "with_account": _grouped(
            members.filter(user__isnull=False), "organisation_id", Count("pk")
        ),
        "meetings": _grouped(
            Meeting.objects.filter(
                in_unit, status=Meeting.Status.HELD, held_on__gte=start, held_on__lt=end
            ),
            "organisation_id",
            Count("pk"),
        ),
    }
    for organisation_id, active, read, points in (
        activity.values_list("organisation_id")
        .annotate(Count("pk"), Sum("documents_read"), Sum("points"))
        .order_by()
    ):
        columns.setdefault("active", {})[organisation_id] = active
        columns.setdefault("documents_read", {})[organisation_id] = read
        columns.setdefault("points", {})[organisation_id] = points
    figures: dict[int, dict[str, int]] = {}
    for name, values in columns.items():
        for organisation_id, value in values.items():
            figures.setdefault(organisation_id, dict.fromkeys(USAGE_FIGURES, 0))[name] = value or 0
    return figures


def usage_report(
    unit: Unit, month: date, root: Organisation | None = None
) -> list[tuple[Organisation, int, dict[str, int]]]:
    """The usage rows for the organisations inside `unit`: each top one, then its children.

    With `root`, only that organisation and those under it.

    Returns [(organisation, depth, figures)], figures covering the whole subtree,
    plus an `active_share` and `account_share` in per cent.
    """
    inside = Organisation.objects.filter(unit__path__within=unit.path)
    if root is not None:
        inside = inside.filter(path__within=root.path)
    organisations = list(inside.select_related("unit"))
    ids = {org.pk for org in organisations}
    tops = [org for org in organisations if org.parent_id not in ids]
    shown = []
    for top in sorted(tops, key=lambda org: org.path):
        shown.append((top, 0))
        children = [org for org in organisations if org.parent_id == top.pk]
        shown.extend((child, 1) for child in sorted(children, key=lambda org: org.name))
    by_cell = usage_by_cell(unit, month)
    paths = dict(Organisation.objects.filter(pk__in=list(by_cell)).values_list("pk", "path"))
    nodes = {org.pk: org.path for org, _depth in shown}
    totals = roll_up(nodes, paths, by_cell, names=USAGE_FIGURES)
    rows = []
    for org, depth in shown:
        figures = dict(totals[org.pk])
        members = figures["members"]
        figures["account_share"] = round(100 * figures["with_account"] / members) if members else 0
        figures["active_share"] = round(100 * figures["active"] / members) if members else 0
        rows.append((org, depth, figures))
    return rows


def meeting_statistics(organisations: Sequence[Organisation], month: date) -> list[dict[str, Any]]:
    """Per organisation: regular meetings due and held on time, attendance rate (%)."""
    start = month_start(month)
    ids = [org.pk for org in organisations]
    meetings = Meeting.objects.filter(organisation_id__in=ids, for_month=start)
    held = meetings.filter(status=Meeting.Status.HELD)
    on_time = dict(
        held.filter(kind=Meeting.Kind.REGULAR, held_on__gte=start, held_on__lt=add_months(start, 1))
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    held_count = _grouped(held, "organisation_id", Count("pk"))
    attendance = {
        org_id: (invited, present)
        for org_id, invited, present in Invitation.objects.filter(meeting__in=held)
        .values_list("meeting__organisation_id")
        .annotate(
            invited=Count("pk"),
            present=Count("pk", filter=Q(attendance=Invitation.Attendance.PRESENT)),
        )
        .order_by()
    }
    rows = []
    for org in organisations:
        invited, present = attendance.get(org.pk, (0, 0))
        rows.append(
            {
                "organisation": org,
                "held": held_count.get(org.pk, 0),
                "on_time": on_time.get(org.pk, 0) > 0,
                "invited": invited,
                "present": present,
                "rate": round(100 * present / invited) if invited else None,
            }
        )
    return rows


def unpaid_warnings(members: QuerySet[Member], year: int, today: date) -> dict[int, int]:
    """Members with three or more unpaid, unexcused months in `year` before this month."""
    before = month_start(today)
    counts = (
        FeeMonth.objects.filter(
            member__in=members,
            month__year=year,
            month__lt=before,
            excused=False,
            paid__lt=F("due"),
        )
        .values_list("member_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=UNPAID_MONTHS_WARNING)
        .order_by()
    )
    return dict(counts)


PROBATION_NOTICE_DAYS = 30  # the reminder and the first page's list look this far ahead
TO_DO_KEYS = ("probations", "fees")


def to_do_members(members: QuerySet[Member], key: str, today: date) -> QuerySet[Member]:
    """The members the handbook's "what needs doing" item `key` lists; the count on the
    first page and the full list it links to both come from here.

    `probations`: probation ending within 30 days or ended without a decision;
    `fees`: three or more months unpaid this year (Regulation 01-QĐ/TW)."""
    if key == "probations":
        soon = today + timedelta(days=PROBATION_NOTICE_DAYS)
        chosen = members.filter(
            status=Member.Status.PROBATIONARY, admitted_on__lte=add_months(soon, -12)
        )
    elif key == "fees":
        chosen = members.filter(pk__in=list(unpaid_warnings(members, today.year, today)))
    else:
        raise ValueError(key)
    return chosen.select_related("person", "organisation").order_by(
        "organisation__name", "person__sort_key"
    )
