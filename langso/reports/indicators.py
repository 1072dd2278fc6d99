"""Indicators of a unit and of each of its child units, side by side.

Figures come from grouped aggregate queries — one row per hamlet or group with
conditional counts — rolled up the unit tree in Python over units, never over
people. Communes keep a summary row (`UnitSummary`, refreshed in the background),
so a province page reads a hundred summaries instead of a million people.
"""

from datetime import date

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from langso.lib.dates import years_before
from langso.lib.paths import ancestors_of
from langso.places.models import Unit
from langso.registry.models import Household, Immunisation, Person

AGE_GROUPS = [(low, low + 5) for low in range(0, 80, 5)] + [(80, None)]
MEASLES = Immunisation.Vaccine.MEASLES


def age_label(low, high):
    return f"{low}–{high - 1}" if high else f"{low}+"


def _person_counts(day):
    """Conditional counts over living, registered people, evaluated by the database."""
    present = Q(residence_status__in=Person.Residence.present())
    born = {years: years_before(day, years) for years in {5, 6, 18, 26, *range(0, 85, 5)}}
    low, high = settings.LANGSO_WORKING_AGE
    counts = {
        "population": Count("id", filter=present),
        "temporary": Count("id", filter=Q(residence_status=Person.Residence.TEMPORARY)),
        "absent": Count("id", filter=Q(residence_status=Person.Residence.ABSENT)),
        "male": Count("id", filter=present & Q(sex=Person.Sex.MALE)),
        "female": Count("id", filter=present & Q(sex=Person.Sex.FEMALE)),
        "insured": Count(
            "id",
            filter=present
            & ~Q(health_insurance_number="")
            & (Q(health_insurance_expiry__isnull=True) | Q(health_insurance_expiry__gte=day)),
        ),
        "voters": Count(
            "id", filter=Q(birth_date__lte=born[18]) & ~Q(residence_status="temporary")
        ),
        "military_age": Count(
            "id",
            filter=present
            & Q(sex=Person.Sex.MALE, birth_date__lte=born[18], birth_date__gt=born[26]),
        ),
        "working_age": Count(
            "id",
            filter=present
            & Q(birth_date__lte=years_before(day, low), birth_date__gt=years_before(day, high + 1)),
        ),
        "elderly": Count(
            "id", filter=present & Q(birth_date__lte=years_before(day, settings.LANGSO_ELDERLY_AGE))
        ),
        "under_6": Count("id", filter=present & Q(birth_date__gt=born[6])),
    }
    for sex in (Person.Sex.MALE, Person.Sex.FEMALE):
        for low_age, high_age in AGE_GROUPS:
            condition = present & Q(sex=sex, birth_date__lte=years_before(day, low_age))
            if high_age:
                condition &= Q(birth_date__gt=years_before(day, high_age))
            counts[f"age_{sex}_{low_age}"] = Count("id", filter=condition)
    return counts


def leaf_figures(unit, day):
    """{leaf unit id: {figure: n}} for every hamlet or group under `unit`."""
    people = (
        Person.objects.within(unit)
        .registered()
        .filter(Q(birth_date__isnull=True) | Q(birth_date__lte=day))
    )
    figures = {}
    for row in people.values("household__unit_id").annotate(**_person_counts(day)).order_by():
        figures[row.pop("household__unit_id")] = row
    for row in (
        Household.objects.within(unit)
        .filter(members__residence_status__in=Person.Residence.present(), members__died_on=None)
        .values("unit_id")
        .annotate(households=Count("id", distinct=True))
        .order_by()
    ):
        figures.setdefault(row["unit_id"], {})["households"] = row["households"]
    for row in (
        Immunisation.objects.filter(
            vaccine=MEASLES, given_on__lte=day, person__in=people.filter(
                birth_date__gt=years_before(day, 6)
            )
        )
        .values("person__household__unit_id")
        .annotate(n=Count("person", distinct=True))
        .order_by()
    ):  # fmt: skip
        figures.setdefault(row["person__household__unit_id"], {})["measles"] = row["n"]
    return figures


def _grouped(unit, field):
    rows = (
        Person.objects.within(unit).residents().values(field).annotate(n=Count("id")).order_by("-n")
    )
    return [(row[field] or "—", row["n"]) for row in rows]


def unit_indicators(unit, children, day=None):
    """{unit id: figures} for `unit` and each of `children`, plus shares in percent."""
    day = day or date.today()
    figures = leaf_figures(unit, day)
    totals = Unit.objects.filter(pk__in=[unit.pk, *[c.pk for c in children]]).roll_up(figures)
    for values in totals.values():
        _shares(values)
    return totals


def _shares(values):
    population = values.get("population", 0)
    under_6 = values.get("under_6", 0)
    values["insured_percent"] = _percent(values.get("insured", 0), population)
    values["measles_percent"] = _percent(values.get("measles", 0), under_6)
    return values


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else 0


def refresh_summary(commune, day=None):
    """Compute and store the figures of a commune and of each of its hamlets.

    One set of grouped queries over the commune's people, rolled up; the commune's row
    also keeps its breakdowns by ethnicity, religion, occupation and employment.
    """
    from langso.reports.models import UnitSummary

    day = day or date.today()
    units = [commune, *commune.children.current(day)]
    totals = Unit.objects.filter(pk__in=[u.pk for u in units]).roll_up(leaf_figures(commune, day))
    for unit in units:
        UnitSummary.objects.update_or_create(
            unit=unit,
            day=day,
            defaults={
                "figures": totals[unit.pk],
                "details": breakdowns(commune) if unit.pk == commune.pk else {},
                "computed_at": timezone.now(),
            },
        )
    return totals[commune.pk]


def stored(units):
    """{unit id: the latest stored summary} of `units`."""
    from langso.reports.models import UnitSummary

    latest = {}
    for summary in UnitSummary.objects.filter(unit__in=units).order_by("unit_id", "day", "pk"):
        latest[summary.unit_id] = summary
    return latest


def commune_indicators(commune, children):
    """A commune's and its hamlets' figures from their summaries (made now if missing)."""
    summaries = stored([commune, *children])
    if commune.pk not in summaries:
        refresh_summary(commune)
        summaries = stored([commune, *children])
    figures = {pk: _shares(dict(summary.figures)) for pk, summary in summaries.items()}
    for child in children:
        figures.setdefault(child.pk, {})
    return figures, summaries[commune.pk]


def breakdowns(unit):
    """Ethnicity, religion, occupation and employment of the unit's residents, largest first."""
    return {
        "ethnicity": _grouped(unit, "ethnicity"),
        "religion": _grouped(unit, "religion"),
        "occupation": _grouped(unit, "occupation")[:15],
        "employment": _grouped(unit, "employment"),
    }


def labelled(details):
    """Breakdowns with the employment codes replaced by their names in the user's language."""
    names = dict(Person.Employment.choices)
    return {
        **details,
        "employment": [(names.get(code, code), n) for code, n in details.get("employment", [])],
    }


def pyramid(values):
    """(label, men, women) per 5-year group, youngest first, for the age pyramid."""
    return [
        (age_label(low, high), values.get(f"age_m_{low}", 0), values.get(f"age_f_{low}", 0))
        for low, high in AGE_GROUPS
    ]


def roll_up_summaries(unit, children):
    """Figures of a province (or above) from its communes' stored summaries."""
    from langso.reports.models import UnitSummary

    targets = {unit.pk: unit, **{c.pk: c for c in children}}
    totals = {pk: {} for pk in targets}
    by_path = {u.path: pk for pk, u in targets.items()}
    latest = {}
    for summary in (
        UnitSummary.objects.filter(unit__path__within=unit.path, unit__kind=Unit.Kind.COMMUNE)
        .select_related("unit")
        .order_by("unit_id", "day")
    ):
        latest[summary.unit_id] = summary  # the last day of each commune wins
    for summary in latest.values():
        for path in ancestors_of(summary.unit.path):
            if path in by_path:
                bucket = totals[by_path[path]]
                for name, value in summary.figures.items():
                    bucket[name] = bucket.get(name, 0) + value
    for values in totals.values():
        _shares(values)
    return totals


def history(unit, figure="population"):
    """[(mm/yyyy, total)] of a figure over the stored summaries under `unit`, by month."""
    from langso.reports.models import UnitSummary

    months = {}
    for day, figures, commune in (
        UnitSummary.objects.filter(unit__path__within=unit.path, unit__kind=Unit.Kind.COMMUNE)
        .order_by("day")
        .values_list("day", "figures", "unit_id")
    ):
        # The last summary of each commune in a month stands for that month.
        months.setdefault((day.year, day.month), {})[commune] = figures.get(figure, 0)
    return [
        (f"{month:02d}/{year}", sum(values.values())) for (year, month), values in months.items()
    ]
