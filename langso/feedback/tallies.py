"""The feedback tallies: per hamlet, category and month, how many reports were received and
what became of them (models.Tally), so that the figures of a province are a few thousand
rows to add up, not every report of the province.

The actions keep them in their own transaction: `counted(report)` reads the report's row
(locked) before the change and again after it, and adds the difference to the tally of
its hamlet, category and month. `rebuild` counts them again from the reports — after a
bulk load (the demo, the benchmark) or by `manage.py feedback_recount`.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

COUNTERS = ("received", "answered", "on_time", "days", "rated", "satisfied", "open", "published")
OPEN = ("received", "assigned", "in_progress")
ANSWERED = ("answered", "closed")
_ROW = (
    "commune_id",
    "hamlet_id",
    "unit_path",
    "category_id",
    "received_at",
    "state",
    "answered_at",
    "answered_on_time",
    "days_to_answer",
    "rating",
    "is_public",
    "answer",
)


def contribution(row: Mapping[str, Any]) -> dict[str, int]:
    """What one report (a row of `_ROW`) adds to its tally."""
    return {
        "received": 1,
        "answered": int(row["answered_at"] is not None),
        "on_time": int(row["answered_on_time"] is True),
        "days": row["days_to_answer"] or 0,
        "rated": int(bool(row["rating"])),
        "satisfied": int(row["rating"] == "satisfied"),
        "open": int(row["state"] in OPEN),
        "published": int(row["state"] in ANSWERED and row["is_public"] and bool(row["answer"])),
    }


def month_of(received_at) -> date:
    return timezone.localdate(received_at).replace(day=1)


def _key(row: Mapping[str, Any]) -> tuple:
    return (row["hamlet_id"], row["category_id"], month_of(row["received_at"]))


def _add(row: Mapping[str, Any], delta: Mapping[str, int]) -> None:
    from langso.feedback.models import Tally

    changes = {name: F(name) + value for name, value in delta.items() if value}
    if not changes:
        return
    hamlet_id, category_id, month = _key(row)
    tally, _created = Tally.objects.get_or_create(
        hamlet_id=hamlet_id,
        category_id=category_id,
        month=month,
        defaults={"commune_id": row["commune_id"], "unit_path": row["unit_path"]},
    )
    Tally.objects.filter(pk=tally.pk).update(**changes)


def _row(pk: int, *, lock: bool = False) -> dict[str, Any]:
    from langso.feedback.models import Report

    reports = Report.objects.select_for_update() if lock else Report.objects
    return reports.filter(pk=pk).values(*_ROW).get()


def count_new(report_pk: int) -> None:
    """A report just received: add it to its tally."""
    row = _row(report_pk)
    _add(row, contribution(row))


@contextmanager
def counted(report) -> Iterator[None]:
    """Around a change of `report` inside an action's transaction: lock its row, and add
    to the tallies what the change made of it."""
    before = _row(report.pk, lock=True)
    yield
    after = _row(report.pk)
    old, new = contribution(before), contribution(after)
    if _key(before) == _key(after):
        _add(after, {name: new[name] - old[name] for name in COUNTERS})
    else:
        _add(before, {name: -value for name, value in old.items()})
        _add(after, new)


def counted_from_reports(reports) -> dict[tuple, dict[str, Any]]:
    """The tallies as the reports of `reports` make them, counted directly:
    {(hamlet id, category id, month): {commune_id, unit_path, and the counters}}."""
    rows = (
        reports.annotate(tally_month=TruncMonth("received_at"))
        .values("hamlet_id", "category_id", "tally_month", "commune_id", "unit_path")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            on_time=Count("pk", filter=Q(answered_on_time=True)),
            days=Coalesce(Sum("days_to_answer"), 0),
            rated=Count("pk", filter=~Q(rating="")),
            satisfied=Count("pk", filter=Q(rating="satisfied")),
            open=Count("pk", filter=Q(state__in=OPEN)),
            published=Count("pk", filter=Q(state__in=ANSWERED, is_public=True) & ~Q(answer="")),
        )
        .order_by()
    )
    counted = {}
    for row in rows:
        month = row.pop("tally_month")
        if hasattr(month, "date"):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        counted[(row["hamlet_id"], row["category_id"], month.replace(day=1))] = row
    return counted


def rebuild(unit=None, *, report_model=None, tally_model=None) -> int:
    """Count the tallies of `unit` (all when None) again from the reports; how many rows.
    (The models may be a migration's.)"""
    if report_model is None or tally_model is None:
        from langso.feedback.models import Report, Tally

        report_model, tally_model = Report, Tally
    reports = report_model.objects.all()
    tallies = tally_model.objects.all()
    if unit is not None:
        reports = reports.filter(unit_path__within=unit.path)
        tallies = tallies.filter(unit_path__within=unit.path)
    counted = counted_from_reports(reports)
    with transaction.atomic():
        tallies.delete()
        tally_model.objects.bulk_create(
            [
                tally_model(month=month, **row)
                for (_hamlet, _category, month), row in counted.items()
            ],
            batch_size=2000,
        )
    return len(counted)
