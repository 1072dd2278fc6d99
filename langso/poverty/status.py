"""Reading classifications as of a day, and the figures built on them (grouped queries)."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.fields.json import KT

from langso.places.models import Unit
from langso.poverty.models import HouseholdCount, Result, Status
from langso.registry.models import Membership


def classification_lookup(household_ids: Iterable[int], on: date) -> dict[int, str]:
    """{household id: "poor" | "near_poor"} of these households on `on` (the registry's
    hook, `langso.registry.hooks.poverty_status`)."""
    ids = list(household_ids)
    found: dict[int, str] = {}
    for start in range(0, len(ids), 900):
        rows = Status.objects.on(on).filter(household_id__in=ids[start : start + 900])
        found.update(rows.values_list("household_id", "status"))
    return found


def status_on(household_id: int, on: date) -> str:
    """The household's classification on `on`: poor, near-poor or not poor."""
    row = Status.objects.on(on).filter(household_id=household_id).first()
    return row.status if row else Result.NOT_POOR


def statuses_within(unit: Unit, on: date):
    """The classification rows in force on `on` for households inside `unit`."""
    return Status.objects.on(on).filter(household__unit__path__within=unit.path)


def counts(unit: Unit, on: date) -> dict[str, int]:
    """Households, poor and near-poor households inside `unit` on `on`, and the rates."""
    households = Membership.objects.as_of(on, unit).values("household_id").distinct().count()
    grouped = statuses_within(unit, on).aggregate(
        poor=Count("id", filter=Q(status=Result.POOR)),
        near_poor=Count("id", filter=Q(status=Result.NEAR_POOR)),
    )
    return _with_rates(households, grouped["poor"], grouped["near_poor"])


def _with_rates(households: int, poor: int, near_poor: int) -> dict:
    def rate(n):
        return round(100 * n / households, 2) if households else 0.0

    return {
        "households": households,
        "poor": poor,
        "near_poor": near_poor,
        "poor_rate": rate(poor),
        "near_poor_rate": rate(near_poor),
    }


def counts_by_child(
    unit: Unit,
    on: date,
    children: list[Unit],
    households: dict | None = None,
    paths: dict[int, str] | None = None,
) -> dict[int, dict]:
    """`counts` for `unit` and each of `children` (hamlets of a commune, communes of a
    province) from two grouped queries rolled up the tree: households by the registry's
    own definition (`MembershipQuerySet.count_by_unit`), poor and near-poor by unit.
    `households` ({unit id: {"households": n}}) may be given instead of counted."""
    if households is None:
        households = Membership.objects.as_of(on).within(unit).count_by_unit()
    classified = classified_by_unit(unit, on)
    totals = _sum_up(unit, [unit, *children], paths, households, classified)
    return {
        pk: _with_rates(row.get("households", 0), row.get("poor", 0), row.get("near_poor", 0))
        for pk, row in totals.items()
    }


def classified_by_unit(unit: Unit, on: date) -> dict[int, dict]:
    """{unit id: {"poor": n, "near_poor": n}} of the households classified on `on` inside
    `unit`, one grouped query. Inside a commune by the household's own unit; above a
    commune by the commune whose review recognised them (the classification and review
    tables only: a province does not join its 330,000 households)."""
    aggregates = {
        "poor": Count("id", filter=Q(status=Result.POOR)),
        "near_poor": Count("id", filter=Q(status=Result.NEAR_POOR)),
    }
    if unit.kind == Unit.Kind.PROVINCE:
        rows = (
            Status.objects.on(on)
            .filter(review__commune__path__within=unit.path)
            .values("review__commune_id")
            .annotate(**aggregates)
            .order_by()
        )
        return {row.pop("review__commune_id"): row for row in rows}
    rows = statuses_within(unit, on).values("household__unit_id").annotate(**aggregates).order_by()
    return {row.pop("household__unit_id"): row for row in rows}


def figures(
    unit: Unit, on: date, children: list[Unit], paths: dict[int, str], *, today: date
) -> dict[int, dict]:
    """`counts` for `unit` and each of `children` on `on`, the households as of that day
    (`household_totals`): what the poverty pages show, today and for each past year. A
    past day's figures are kept (`HouseholdCount`) and read back on the next page."""
    targets = [unit, *children]
    if on < today:
        kept = {
            row.unit_id: row
            for row in HouseholdCount.objects.filter(
                unit_id__in=[t.pk for t in targets], day=on, poor__isnull=False
            )
        }
        if len(kept) == len(targets):
            return {
                pk: _with_rates(row.households, row.poor or 0, row.near_poor or 0)
                for pk, row in kept.items()
            }
    houses = household_totals(unit, on, children, paths, today=today)
    classified = _sum_up(unit, targets, paths, classified_by_unit(unit, on))
    result = {
        pk: _with_rates(houses.get(pk, 0), row.get("poor", 0), row.get("near_poor", 0))
        for pk, row in classified.items()
    }
    if on < today:
        HouseholdCount.objects.bulk_create(
            [
                HouseholdCount(
                    unit_id=pk,
                    day=on,
                    households=row["households"],
                    poor=row["poor"],
                    near_poor=row["near_poor"],
                )
                for pk, row in result.items()
            ],
            update_conflicts=True,
            unique_fields=["unit", "day"],
            update_fields=["households", "poor", "near_poor"],
        )
    return result


def forget_classified(commune: Unit, since: date) -> None:
    """Blank the kept poor and near-poor counts of `commune`, its hamlets and the units
    above it from `since` on: a recognition dated then changed them."""
    above = [ancestor.pk for ancestor in commune.ancestors()]
    HouseholdCount.objects.filter(day__gte=since).filter(
        Q(unit__path__within=commune.path) | Q(unit_id__in=above)
    ).update(poor=None, near_poor=None)


def household_totals(
    unit: Unit, on: date, children: list[Unit], paths: dict[int, str], *, today: date
) -> dict[int, int]:
    """{unit id: households} of `unit` and `children` on `on`.

    Today: a province from the indicators' stored summaries (or one grouped query over
    households when never refreshed), a commune or hamlet live from the registry. A past
    day: the registry's count as of that day (`MembershipQuerySet.count_by_unit`), kept
    in `HouseholdCount` once counted, so that the rate over past years uses each year's
    households rather than today's, and a province counts its million people's stays
    once per year rather than on every page."""
    targets = [unit, *children]
    if on >= today:
        stored = stored_households(unit) if unit.kind == Unit.Kind.PROVINCE else None
        if stored is not None:  # by commune: the paths given suffice
            totals = _sum_up(unit, targets, paths, stored)
            return {pk: row.get("households", 0) for pk, row in totals.items()}
        if unit.kind == Unit.Kind.PROVINCE:
            leaves = live_households(unit, on)
        else:
            leaves = Membership.objects.as_of(on).within(unit).count_by_unit()
        totals = _sum_up(unit, targets, _every_path(unit, paths), leaves)
        return {pk: row.get("households", 0) for pk, row in totals.items()}
    kept = dict(
        HouseholdCount.objects.filter(unit_id__in=[t.pk for t in targets], day=on).values_list(
            "unit_id", "households"
        )
    )
    if len(kept) == len(targets):
        return kept
    leaves = Membership.objects.as_of(on).within(unit).count_by_unit()
    counted: dict[int, int] = {
        pk: row.get("households", 0)
        for pk, row in _sum_up(unit, targets, _every_path(unit, paths), leaves).items()
    }
    HouseholdCount.objects.bulk_create(
        [HouseholdCount(unit_id=pk, day=on, households=n) for pk, n in counted.items()],
        ignore_conflicts=True,
    )
    return counted


def _every_path(unit: Unit, paths: dict[int, str]) -> dict[int, str]:
    """Paths of every unit under `unit`, for figures keyed by hamlet or group: `paths`
    when it holds them (a commune's page reads them all), else read now (a province's
    page reads only its communes' paths)."""
    return unit_paths(unit) if unit.kind == Unit.Kind.PROVINCE else paths


def unit_paths(unit: Unit) -> dict[int, str]:
    """{unit id: path} of everything under `unit`, read once for several `counts_by_child`."""
    return dict(Unit.objects.filter(path__within=unit.path).values_list("pk", "path"))


def _sum_up(
    unit: Unit, targets: list[Unit], paths: dict[int, str] | None, *figures_by_unit: dict
) -> dict[int, dict]:
    """Add per-unit figures into `unit` and the `targets` directly below it: one query of
    the paths under `unit` (unless given), then dictionary look-ups (no query per unit)."""
    depth = unit.path.count("/")
    by_path = {target.path: target.pk for target in targets}
    if paths is None:
        leaves = {pk for figures in figures_by_unit for pk in figures}
        paths = (
            dict(Unit.objects.filter(pk__in=leaves).values_list("pk", "path"))
            if len(leaves) < 900
            else unit_paths(unit)
        )
    totals: dict[int, dict] = {target.pk: {} for target in targets}
    for figures in figures_by_unit:
        for leaf, values in figures.items():
            path = paths.get(leaf)
            if path is None:
                continue
            parts = path.split("/")
            for key in {unit.path, "/".join(parts[: depth + 2])}:
                pk = by_path.get(key)
                if pk is None:
                    continue
                bucket = totals[pk]
                for name, value in values.items():
                    bucket[name] = bucket.get(name, 0) + value
    return totals


def stored_households(unit: Unit) -> dict[int, dict] | None:
    """{commune id: {"households": n}} inside `unit` from the indicators' stored summaries
    (`reports.UnitSummary`, refreshed nightly), or None when a commune has none: a
    province page reads these rather than a million people."""
    from langso.reports.models import UnitSummary

    latest = UnitSummary.objects.filter(unit=OuterRef("unit")).order_by("-day").values("day")[:1]
    rows = UnitSummary.objects.filter(
        unit__path__within=unit.path, unit__kind=Unit.Kind.COMMUNE, day=Subquery(latest)
    ).values_list("unit_id", KT("figures__households"))
    latest_counts = dict(rows)  # each commune's last refresh only, one number of its figures
    if not latest_counts:
        return None  # never refreshed; a commune refreshed since has its row
    return {pk: {"households": int(n or 0)} for pk, n in latest_counts.items()}


def live_households(unit: Unit, on: date) -> dict[int, dict]:
    """{unit id: {"households": n}} of households open on `on` (not yet closed), one
    grouped query over households rather than people: what a province page counts when
    the stored summaries are missing."""
    from langso.registry.models import Household

    rows = (
        Household.objects.filter(unit__path__within=unit.path)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["unit_id"]: {"households": row["n"]} for row in rows}
