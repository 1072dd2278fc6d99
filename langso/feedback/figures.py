"""The feedback figures of a unit: the ONE function the public page, the commune and
province dashboards and the monthly summary read (house style: a figure and the list it
comes from agree).

The tallies (tallies.py: per hamlet, category and month, kept by the actions) give, per
commune, hamlet and category: received, answered, answered on time, the sum of working
days to answer, rated, satisfied, open and published (the answers on the public list);
the overdue ones are counted from the open reports (`overdue_reports`, the list the
dashboard shows). Rows per hamlet, per commune and per category, and the total, are sums
of those groups.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, Sum
from django.utils import timezone

from langso.feedback.models import Category, Report, Tally
from langso.feedback.tallies import COUNTERS
from langso.lib.dates import add_months
from langso.places.models import Unit


@dataclass
class Figure:
    label: str = ""
    key: int = 0
    received: int = 0
    answered: int = 0
    on_time: int = 0
    days: int = 0
    rated: int = 0
    satisfied: int = 0
    open: int = 0
    published: int = 0
    overdue: int = 0

    def add(self, other: "Figure") -> None:
        self.received += other.received
        self.answered += other.answered
        self.on_time += other.on_time
        self.days += other.days
        self.rated += other.rated
        self.satisfied += other.satisfied
        self.open += other.open
        self.published += other.published
        self.overdue += other.overdue

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.on_time / self.answered, 1) if self.answered else None

    @property
    def average_days(self) -> float | None:
        return round(self.days / self.answered, 1) if self.answered else None

    @property
    def satisfied_percent(self) -> float | None:
        return round(100 * self.satisfied / self.rated, 1) if self.rated else None


@dataclass
class Figures:
    unit: Unit
    total: Figure
    by_hamlet: list[Figure] = field(default_factory=list)
    by_commune: list[Figure] = field(default_factory=list)
    by_category: list[Figure] = field(default_factory=list)


def overdue_reports(unit: Unit, today: date | None = None, *, month: date | None = None):
    """The open reports inside `unit` past their due day (of those received in `month`,
    when given): the list the overdue figures count (a partial index of open reports)."""
    reports = Report.objects.within(unit).overdue(today or timezone.localdate())
    if month is not None:
        since = timezone.make_aware(datetime.combine(month, time.min))
        until = timezone.make_aware(datetime.combine(add_months(month, 1), time.min))
        reports = reports.filter(received_at__gte=since, received_at__lt=until)
    return reports


def first_overdue(unit: Unit, count: int, today: date | None = None) -> list[Report]:
    """The `count` reports of `unit` longest overdue: found by due day in the open reports'
    index alone, then read (a province's are not all fetched to be sorted)."""
    ids = list(
        overdue_reports(unit, today).order_by("due_on", "pk").values_list("pk", flat=True)[:count]
    )
    found = Report.objects.filter(pk__in=ids).select_related(
        "category", "hamlet", "commune", "assigned_unit"
    )
    return sorted(found, key=lambda r: (r.due_on, r.pk))


def headline(unit: Unit) -> Figure:
    """The totals of `unit` from the same tallies as `feedback_figures` (without the
    overdue count, which needs the open reports): what the public home page shows."""
    sums = Tally.objects.within(unit).aggregate(*(Sum(name) for name in COUNTERS))
    return Figure(label=str(unit), **{name: sums[f"{name}__sum"] or 0 for name in COUNTERS})


def feedback_figures(
    unit: Unit, *, month: date | None = None, today: date | None = None
) -> Figures:
    """Figures of the reports received inside `unit` (a province, commune or hamlet), all
    of them or those received in `month` (its first day): from the tallies, and the
    overdue ones counted from the open reports. Per hamlet (none for a province), per
    commune, per category, and the total."""
    today = today or timezone.localdate()
    tallies = Tally.objects.within(unit)
    if month is not None:
        tallies = tallies.filter(month=month.replace(day=1))
    # A province's figures are shown per commune, not per hamlet: grouped by commune and
    # category, its hundreds of thousands of reports are a few hundred groups.
    by = (
        ("commune_id", "category_id")
        if unit.kind == Unit.Kind.PROVINCE
        else ("commune_id", "hamlet_id", "category_id")
    )
    groups: dict[tuple[int, int | None, int], Figure] = {}

    def group(key: tuple) -> Figure:
        full = (key[0], None, key[1]) if len(by) == 2 else key
        if full not in groups:
            groups[full] = Figure()
        return groups[full]

    rows = tallies.values_list(*by).annotate(*(Sum(name) for name in COUNTERS)).order_by()
    for row in rows:
        group(row[: len(by)]).add(
            Figure(**{n: c or 0 for n, c in zip(COUNTERS, row[len(by) :], strict=True)})
        )
    overdue = (
        overdue_reports(unit, today, month=month.replace(day=1) if month else None)
        .values_list(*by)
        .annotate(Count("pk"))
        .order_by()
    )
    for row in overdue:
        group(row[: len(by)]).overdue += row[-1]
    total = Figure(label=str(unit))
    hamlets: dict[int, Figure] = {}
    communes: dict[int, Figure] = {}
    categories: dict[int, Figure] = {}
    for (commune_id, hamlet_id, category_id), counted in groups.items():
        total.add(counted)
        for bucket, key in (
            (hamlets, hamlet_id),
            (communes, commune_id),
            (categories, category_id),
        ):
            if key is not None:
                bucket.setdefault(key, Figure(key=key)).add(counted)
    names = dict(Unit.objects.filter(pk__in=[*hamlets, *communes]).values_list("pk", "name"))
    category_names = dict(Category.objects.values_list("pk", "name"))
    order = dict(Category.objects.values_list("pk", "order"))
    for bucket in (hamlets, communes):
        for key, figure in bucket.items():
            figure.label = names.get(key, "")
    for key, figure in categories.items():
        figure.label = category_names.get(key, "")
    return Figures(
        unit=unit,
        total=total,
        by_hamlet=sorted(hamlets.values(), key=lambda f: f.label),
        by_commune=sorted(communes.values(), key=lambda f: f.label),
        by_category=sorted(categories.values(), key=lambda f: (order.get(f.key, 0), f.key)),
    )
