"""Indicators of a unit and of each of its child units, side by side.

Figures come from grouped aggregate queries — one row per hamlet or group with
conditional counts — rolled up the unit tree in Python over units, never over
people. Communes keep a summary row (`UnitSummary`, refreshed in the background),
so a province page reads a hundred summaries instead of a million people.
"""

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from langso.lib.paths import SEPARATOR, ancestors_of, roll_up
from langso.places.models import Unit
from langso.registry.models import Immunisation, Membership, Person
from langso.reports import lists

# The figures that link to a list: {figure: (list kind, the list's count it equals)}.
LINKED_LISTS = {
    "households": ("households", "households"),
    "voters": ("voters", "voters"),
    "military_age": ("military", "men"),
    "working_age": ("labour", "people"),
    "elderly": ("elderly", "people"),
    "under_6": ("immunisation", "children"),
}

AGE_GROUPS = [(low, low + 5) for low in range(0, 80, 5)] + [(80, None)]
MEASLES = Immunisation.Vaccine.MEASLES


def age_label(low, high):
    return f"{low}–{high - 1}" if high else f"{low}+"


def _stay_counts(day):
    """Conditional counts over the stays that cover `day`, evaluated by the database.

    The age bands are the lists' (`lists.aged`, `lists.working_age`), over every stay as
    the lists read them (the temporarily absent included); the pyramid and the sexes
    count the people living there that day.
    """
    present = Q(residence_status__in=Person.Residence.present())
    counts = {
        "people": Count("id"),
        "male": Count("id", filter=present & Q(person__sex=Person.Sex.MALE)),
        "female": Count("id", filter=present & Q(person__sex=Person.Sex.FEMALE)),
        # The health-insurance list's "valid" and "expiring soon".
        "insured": Count(
            "id",
            filter=~Q(person__health_insurance_number="")
            & (
                Q(person__health_insurance_expiry__isnull=True)
                | Q(person__health_insurance_expiry__gte=day)
            ),
        ),
        "working_age": Count("id", filter=lists.working_age(day)),
        "elderly": Count("id", filter=lists.aged(day, settings.LANGSO_ELDERLY_AGE)),
        "under_6": Count("id", filter=lists.aged(day, None, 6)),
    }
    for sex in (Person.Sex.MALE, Person.Sex.FEMALE):
        for low_age, high_age in AGE_GROUPS:
            condition = present & Q(person__sex=sex) & lists.aged(day, low_age, high_age)
            counts[f"age_{sex}_{low_age}"] = Count("id", filter=condition)
    return counts


def leaf_figures(unit, day):
    """{leaf unit id: {figure: n}} for every hamlet or group under `unit`, on `day`.

    Every figure that links to a list (`LINKED_LISTS`) is counted from the list's own
    definition — the stays that cover the day, the same age bands, the same voter and
    call-up rules — so the number shown is the list's row count.
    """
    stays = Membership.objects.as_of(day).within(unit)
    figures = {}
    # `count_by_unit`'s figures and the others in one scan of the stays.
    counts = {**stays.unit_counts(), **_stay_counts(day)}
    for row in stays.values("household__unit_id").annotate(**counts).order_by():
        row["population"] = row.pop("residents")
        figures[row.pop("household__unit_id")] = row
    for name, counts in (
        ("voters", lists.voter_counts(unit, day)),
        ("military_age", lists.military_pool_counts(unit, day)),
    ):
        for unit_id, n in counts.items():
            figures.setdefault(unit_id, {})[name] = n
    vaccinated = Immunisation.objects.filter(vaccine=MEASLES, given_on__lte=day)
    for row in (
        stays.filter(lists.aged(day, None, 6), person__in=vaccinated.values("person_id"))
        .values("household__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        figures.setdefault(row["household__unit_id"], {})["measles"] = row["n"]
    return figures


def unit_indicators(unit, children, day=None):
    """{unit id: figures} for `unit` and each of `children`, plus shares in percent."""
    day = day or timezone.localdate()
    figures = leaf_figures(unit, day)
    totals = Unit.objects.filter(pk__in=[unit.pk, *[c.pk for c in children]]).roll_up(figures)
    for values in totals.values():
        _shares(values)
    return totals


def _shares(values):
    under_6 = values.get("under_6", 0)
    # As the health-insurance list's coverage: over everyone on the registry that day.
    # Summaries stored before "people" was kept: the residents and the absent.
    people = values.get("people", values.get("population", 0) + values.get("absent", 0))
    values["insured_percent"] = _percent(values.get("insured", 0), people)
    values["measles_percent"] = _percent(values.get("measles", 0), under_6)
    return values


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else 0


def refresh_summary(commune, day=None):
    """Compute and store the figures of a commune and of each of its hamlets; return the
    commune's (see `refresh_summaries_of`)."""
    return refresh_summaries_of([commune], day)[commune.pk]


def refresh_summaries_of(communes, day=None):
    """Compute and store the figures of `communes` and of each of their hamlets; return
    {commune id: figures}. Each commune's row also keeps its breakdowns by ethnicity,
    religion, occupation and employment.

    One set of grouped queries per province, not per commune: when several communes of
    a province are refreshed, its people are read once (each query is one scan whatever
    the number of communes) and the figures rolled up into each; a commune alone reads
    only its own people.
    """
    from langso.reports.models import UnitSummary

    day = day or timezone.localdate()
    communes = list(communes)
    by_province = {}
    for commune in communes:
        by_province.setdefault(commune.parent_id, []).append(commune)
    areas = []
    for province_id, group in by_province.items():
        if province_id is None or len(group) == 1:
            areas += group
        else:
            areas.append(Unit.objects.get(pk=province_id))
    figures, leaf_paths, details = {}, {}, {}
    for area in areas:
        figures.update(leaf_figures(area, day))
        leaf_paths.update(Unit.objects.within(area).values_list("pk", "path"))
        details.update(
            breakdowns_of(area, [c for c in communes if c.pk == area.pk or c.parent_id == area.pk])
        )
    children = {}
    for child in Unit.objects.filter(parent__in=[c.pk for c in communes]).current(day):
        children.setdefault(child.parent_id, []).append(child)
    # Each commune's leaves apart, so that it totals the figures its own people have.
    commune_of = {commune.path: commune.pk for commune in communes}
    by_commune = {commune.pk: {} for commune in communes}
    for leaf_id, row in figures.items():
        for path in ancestors_of(leaf_paths.get(leaf_id, "")):
            if path in commune_of:
                by_commune[commune_of[path]][leaf_id] = row
    totals, summaries = {}, []
    computed_at = timezone.now()
    for commune in communes:
        units = (commune, *children.get(commune.pk, []))
        nodes = {unit.pk: unit.path for unit in units}
        totals.update(roll_up(nodes, leaf_paths, by_commune[commune.pk]))
        summaries += [
            UnitSummary(
                unit=unit,
                day=day,
                figures=totals[unit.pk],
                details=details[commune.pk] if unit.pk == commune.pk else {},
                computed_at=computed_at,
            )
            for unit in units
        ]
    # One statement: the day's row of each unit is written, or rewritten if it was there.
    UnitSummary.objects.bulk_create(
        summaries,
        update_conflicts=True,
        unique_fields=["unit", "day"],
        update_fields=["figures", "details", "computed_at"],
    )
    return {commune.pk: totals[commune.pk] for commune in communes}


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


BREAKDOWNS = {"ethnicity": None, "religion": None, "occupation": 15, "employment": None}

# The breakdowns counted together in one grouped query: few values each (the ethnic groups,
# the religions, the employment codes), so their combinations stay few. Occupation is free
# text with many spellings, and has a query of its own.
_COUNTED_TOGETHER = (("ethnicity", "religion", "employment"), ("occupation",))


def breakdowns(unit):
    """Ethnicity, religion, occupation and employment of the unit's residents, largest first."""
    return breakdowns_of(unit, [unit])[unit.pk]


def breakdowns_of(area, units):
    """{unit id: `breakdowns`} of each of `units` (all within `area`).

    Two grouped queries over the whole area for each length of the units' paths (a
    province's communes have one), by the start of each resident's unit path: a unit's
    path, alone or followed by the separator, says the resident lives in that unit, so the
    rows are a few per unit and value, not one per hamlet or group.
    """
    details = {unit.pk: {} for unit in units}
    tallies = {unit.pk: {field: {} for field in BREAKDOWNS} for unit in units}
    residents = Person.objects.within(area).residents()
    by_length = {}
    for unit in units:
        by_length.setdefault(len(unit.path), {}).update(
            {unit.path: unit.pk, unit.path + SEPARATOR: unit.pk}
        )
    for length, owners in by_length.items():
        # The unit's path, or the unit's path and "/": within the unit (see `is_within`).
        prefix = Substr("household__unit__path", 1, length + 1)
        for fields in _COUNTED_TOGETHER:
            rows = residents.annotate(prefix=prefix).values_list("prefix", *fields)
            for prefix_value, *values, n in rows.annotate(n=Count("id")).order_by():
                unit_id = owners.get(prefix_value)
                if unit_id is None:
                    continue
                for field, value in zip(fields, values, strict=True):
                    tally = tallies[unit_id][field]
                    value = value or "—"
                    tally[value] = tally.get(value, 0) + n
    for unit_id, by_field in tallies.items():
        for field, keep in BREAKDOWNS.items():
            ranked = sorted(by_field[field].items(), key=lambda item: (-item[1], item[0]))
            details[unit_id][field] = ranked[:keep] if keep else ranked
    return details


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

    nodes = {unit.pk: unit.path, **{c.pk: c.path for c in children}}
    latest = {}
    for summary in (
        UnitSummary.objects.filter(unit__path__within=unit.path, unit__kind=Unit.Kind.COMMUNE)
        .select_related("unit")
        .order_by("unit_id", "day")
    ):
        latest[summary.unit_id] = summary  # the last day of each commune wins
    # Summaries stored before "people" was kept count the residents and the absent.
    figures = {
        pk: {"people": s.figures.get("population", 0) + s.figures.get("absent", 0), **s.figures}
        for pk, s in latest.items()
    }
    leaf_paths = {pk: s.unit.path for pk, s in latest.items()}
    totals = roll_up(nodes, leaf_paths, figures)
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
