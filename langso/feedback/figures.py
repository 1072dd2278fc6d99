"""The feedback figures of a unit: the ONE function the public page, the commune and
province dashboards and the monthly summary read (house style: a figure and the list it
comes from agree).

One grouped query over the unit's reports (by commune, hamlet and category) gives, per
group: received, answered, answered on time, the sum of working days to answer, rated,
satisfied, open and overdue. Rows per hamlet, per commune and per category, and the total,
are sums of those groups.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone

from langso.feedback.models import Category, Report
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
    overdue: int = 0

    def add(self, other: "Figure") -> None:
        for name in (
            "received",
            "answered",
            "on_time",
            "days",
            "rated",
            "satisfied",
            "open",
            "overdue",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

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


def feedback_figures(
    unit: Unit,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    today: date | None = None,
) -> Figures:
    """Figures of the reports received inside `unit` (a province, commune or hamlet)."""
    today = today or timezone.localdate()
    reports = (
        Report.objects.within(unit)
        if unit.kind != Unit.Kind.COMMUNE
        else (Report.objects.filter(commune=unit))
    )
    if since is not None:
        reports = reports.filter(received_at__gte=since)
    if until is not None:
        reports = reports.filter(received_at__lt=until)
    rows = (
        reports.values("commune_id", "hamlet_id", "category_id")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            on_time=Count("pk", filter=Q(answered_on_time=True)),
            days=Sum("days_to_answer"),
            rated=Count("pk", filter=~Q(rating="")),
            satisfied=Count("pk", filter=Q(rating=Report.Rating.SATISFIED)),
            open=Count("pk", filter=Q(state__in=Report.OPEN)),
            overdue=Count("pk", filter=Q(state__in=Report.OPEN, due_on__lt=today)),
        )
        .order_by()
    )
    total = Figure(label=str(unit))
    hamlets: dict[int, Figure] = {}
    communes: dict[int, Figure] = {}
    categories: dict[int, Figure] = {}
    for row in rows:
        group = Figure(
            received=row["received"],
            answered=row["answered"],
            on_time=row["on_time"],
            days=row["days"] or 0,
            rated=row["rated"],
            satisfied=row["satisfied"],
            open=row["open"],
            overdue=row["overdue"],
        )
        total.add(group)
        for bucket, key in (
            (hamlets, row["hamlet_id"]),
            (communes, row["commune_id"]),
            (categories, row["category_id"]),
        ):
            bucket.setdefault(key, Figure(key=key)).add(group)
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
