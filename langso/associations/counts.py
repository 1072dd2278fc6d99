"""The small tables behind the membership rates, so that a commune's page and every
commune's rates are a few grouped reads of small tables, not a pass over the registry.

- `PopulationCount`: the registered people (alive, not moved away) of each commune by
  sex and age in completed years on the day its `CountedCommune` names, per hamlet and
  for the whole commune. Any organisation's rule (sex, minimum and maximum age) is a
  conditional sum over it: a commune's page reads its hamlets' rows (a few thousand),
  every commune's rates the communes' rows (some 180 a commune).
- `MemberCount`: each organisation's members per branch on the day
  `Organisation.members_counted_on` names.

Both are kept for today only and counted again on reading whatever is stale: a commune
whose registry changed (the registry's `registry_changed` signal clears its
`CountedCommune`), a commune never counted, an organisation whose memberships changed
(every membership action calls `members_changed`), or anything counted on an earlier day
(people age). A day other than today is counted from the registry directly (figures.py).
The first read of a day therefore counts what it reads — a commune in tens of
milliseconds, a province of a million people in tens of seconds — unless `refresh_all`
(the `count_associations` command) did it ahead, e.g. each night.
"""

import calendar
from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast, ExtractYear, Substr
from django.utils import timezone

from langso.associations.models import (
    CountedCommune,
    Member,
    MemberCount,
    Organisation,
    PopulationCount,
)
from langso.places.models import Unit
from langso.registry.models import Person

Rule = tuple[int | None, int | None, str]


def is_kept(day: date) -> bool:
    """Whether the tables serve `day` (today) or the registry must be counted directly."""
    return day == timezone.localdate()


# The registry's side ------------------------------------------------------------------


def _birthday_passed(day: date) -> tuple[Q, Substr | None]:
    """People whose birthday of `day`'s year has come by `day` (born on 29 February, on
    the 28th of a common year: Civil Code 2015, arts. 147–148, as `lib.dates.born_by`)."""
    if connection.vendor == "sqlite":
        # Dates are 'YYYY-MM-DD' text there: compare 'MM-DD' natively (Extract would
        # call a Python function for each of a million rows).
        month_day = Substr("birth_date", 6, 5)
        passed = Q(birth_md__lte=f"{day:%m-%d}")
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            passed |= Q(birth_md="02-29")
        return passed, month_day
    passed = Q(birth_date__month__lt=day.month) | Q(
        birth_date__month=day.month, birth_date__day__lte=day.day
    )
    if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
        passed |= Q(birth_date__month=2, birth_date__day=29)
    return passed, None


def _birth_year():
    if connection.vendor == "sqlite":
        return Cast(Substr("birth_date", 1, 4), IntegerField())
    return ExtractYear("birth_date")


def _places(commune: Unit) -> dict[int, int | None]:
    """{unit id: its hamlet id (None outside any hamlet)} for the units of `commune`."""
    rows = list(Unit.objects.within(commune).values_list("pk", "path", "kind"))
    hamlets = {path: pk for pk, path, kind in rows if kind == Unit.Kind.HAMLET}
    result = {}
    for pk, path, _kind in rows:
        parts = path.split("/")
        result[pk] = next(
            (
                hamlets["/".join(parts[:n])]
                for n in range(len(parts), 0, -1)
                if "/".join(parts[:n]) in hamlets
            ),
            None,
        )
    return result


def _count_people(people, places: dict[int, int | None], day: date) -> dict:
    """{(hamlet id, sex, age): n} of `people` on `day`: one grouped query."""
    passed, month_day = _birthday_passed(day)
    if month_day is not None:
        people = people.annotate(birth_md=month_day)
    rows = (
        people.annotate(
            year=_birth_year(),
            passed=Case(When(passed, then=Value(1)), default=Value(0)),
        )
        .values("household__unit_id", "sex", "year", "passed")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[tuple[int | None, str, int], int] = {}
    for row in rows:
        age = (
            PopulationCount.UNKNOWN_AGE
            if row["year"] is None
            else day.year - row["year"] - (0 if row["passed"] else 1)
        )
        key = (places.get(row["household__unit_id"]), row["sex"] or "", age)
        counts[key] = counts.get(key, 0) + row["n"]
    return counts


def _write(commune: Unit, counts: dict, *, hamlet_ids=None) -> None:
    """Replace the hamlets' rows of `commune` (all when `hamlet_ids` is None) with
    `counts`, then the whole commune's rows with their sum."""
    rows = PopulationCount.objects.filter(commune=commune)
    if hamlet_ids is None:
        rows.delete()
    else:
        rows.filter(Q(whole_commune=True) | Q(hamlet__in=hamlet_ids)).delete()
    PopulationCount.objects.bulk_create(
        (
            PopulationCount(commune=commune, hamlet_id=h, sex=sex, age=age, n=n)
            for (h, sex, age), n in counts.items()
        ),
        batch_size=2000,
    )
    whole = (
        PopulationCount.objects.filter(commune=commune, whole_commune=False)
        .values("sex", "age")
        .annotate(total=Sum("n"))
        .order_by()
    )
    PopulationCount.objects.bulk_create(
        PopulationCount(commune=commune, whole_commune=True, sex=r["sex"], age=r["age"],
                        n=r["total"])
        for r in whole
    )  # fmt: skip


def _locked_stamp(commune: Unit) -> CountedCommune:
    CountedCommune.objects.get_or_create(commune=commune)
    return CountedCommune.objects.select_for_update().get(commune=commune)


@transaction.atomic
def count_commune(commune: Unit, day: date) -> None:
    """Count `commune` for `day` unless a concurrent reader just did (its stamp row is
    locked first, then looked at again)."""
    stamp = _locked_stamp(commune)
    if stamp.counted_on == day:
        return
    people = Person.objects.registered().within(commune)
    _write(commune, _count_people(people, _places(commune), day))
    stamp.counted_on = day
    stamp.save(update_fields=["counted_on"])


@transaction.atomic
def count_hamlet(hamlet: Unit, commune: Unit, day: date) -> None:
    """Count one hamlet of a commune counted today again (after a registry change there),
    so that the next reader of the commune finds it fresh."""
    stamp = _locked_stamp(commune)
    if stamp.counted_on != day:
        return  # the next reader counts the whole commune
    # With it, any hamlet merged away (registry.units: its people carry on in the hamlet
    # it was merged into, which is the one announced).
    merged = set(
        PopulationCount.objects.filter(
            commune=commune, whole_commune=False, hamlet__valid_to__isnull=False
        ).values_list("hamlet_id", flat=True)
    )
    counted: dict = {}
    for pk in {hamlet.pk, *merged}:
        unit = Unit.objects.get(pk=pk)
        people = Person.objects.registered().within(unit)
        places: dict[int, int | None] = dict.fromkeys(
            Unit.objects.within(unit).values_list("pk", flat=True), pk
        )
        counted.update(_count_people(people, places, day))
    _write(commune, counted, hamlet_ids=[hamlet.pk, *merged])


def ensure_population(scope: Unit, day: date) -> None:
    """Count the communes of `scope` (a commune or a province) that are stale for `day`."""
    communes = Unit.objects.within(scope).filter(kind=Unit.Kind.COMMUNE)
    fresh = CountedCommune.objects.filter(counted_on=day).values("commune_id")
    for commune in communes.exclude(pk__in=fresh):
        count_commune(commune, day)


def unit_changed(unit: Unit) -> None:
    """The registry changed in `unit`: its hamlet is counted again now (a few thousand
    people), or, outside any hamlet, its commune when next read."""
    commune = unit.commune()
    if commune is None:
        return
    hamlet = unit if unit.kind == Unit.Kind.HAMLET else None
    if unit.kind == Unit.Kind.GROUP:
        hamlet = unit.ancestors().filter(kind=Unit.Kind.HAMLET).first()
    if hamlet is None:
        CountedCommune.objects.filter(commune=commune).update(counted_on=None)
        return
    count_hamlet(hamlet, commune, timezone.localdate())


def on_registry_changed(sender: object, *, unit: Unit, **kwargs: object) -> None:
    """Receiver of `registry.signals.registry_changed`."""
    unit_changed(unit)


def rule_filter(rule: Rule) -> Q:
    """The `PopulationCount` rows a rule admits (an age bound excludes unknown ages)."""
    low, high, sex = rule
    q = Q()
    if sex:
        q &= Q(sex=sex)
    if low is not None or high is not None:
        q &= Q(age__gte=max(low or 0, 0))
    if high is not None:
        q &= Q(age__lte=high)
    return q


def eligible(scope: Unit, rules: Iterable[Rule], day: date) -> dict[Rule, dict[int, int]]:
    """{rule: {place id: people the rule admits on `day` (today)}}: per hamlet when
    `scope` is a commune, per commune when it is above."""
    rules = list(dict.fromkeys(rules))
    if not rules:
        return {}
    ensure_population(scope, day)
    sums = {f"r{i}": Sum("n", filter=rule_filter(rule)) for i, rule in enumerate(rules)}
    if scope.kind == Unit.Kind.COMMUNE:
        rows = PopulationCount.objects.filter(commune=scope, whole_commune=False)
        by = "hamlet_id"
    else:
        communes = Unit.objects.within(scope).filter(kind=Unit.Kind.COMMUNE)
        rows = PopulationCount.objects.filter(whole_commune=True, commune__in=communes)
        by = "commune_id"
    result: dict[Rule, dict[int, int]] = {rule: {} for rule in rules}
    for row in rows.values(by).annotate(**sums).order_by():
        if row[by] is None:
            continue
        for i, rule in enumerate(rules):
            result[rule][row[by]] = row[f"r{i}"] or 0
    return result


# The associations' side ---------------------------------------------------------------


def members_changed(organisation_ids: Iterable[int]) -> None:
    """Memberships of these organisations changed: count them again when next read."""
    Organisation.objects.filter(pk__in=list(organisation_ids)).update(members_counted_on=None)


@transaction.atomic
def ensure_members(organisations: Iterable[Organisation], day: date) -> None:
    """Count the members of the organisations whose counts are not for `day`."""
    ids = [o.pk for o in organisations if o.members_counted_on != day]
    if not ids:
        return
    # Lock them, then look again: a reader that counted meanwhile is not counted over.
    ids = list(
        Organisation.objects.select_for_update()
        .filter(pk__in=ids)
        .exclude(members_counted_on=day)
        .values_list("pk", flat=True)
    )
    if not ids:
        return
    rows = (
        Member.objects.on(day)
        .filter(organisation__in=ids)
        .values("organisation_id", "branch_id", "branch__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    MemberCount.objects.filter(organisation__in=ids).delete()
    MemberCount.objects.bulk_create(
        (
            MemberCount(
                organisation_id=r["organisation_id"],
                branch_id=r["branch_id"],
                unit_id=r["branch__unit_id"],
                n=r["n"],
            )
            for r in rows
        ),
        batch_size=2000,
    )
    Organisation.objects.filter(pk__in=ids).update(members_counted_on=day)
    for organisation in organisations:
        if organisation.pk in ids:
            organisation.members_counted_on = day


def member_counts(organisations: list[Organisation], day: date) -> dict[tuple[int, int], int]:
    """{(organisation id, branch unit id): members on `day`} (today) from `MemberCount`."""
    ensure_members(organisations, day)
    rows = (
        MemberCount.objects.filter(organisation__in=[o.pk for o in organisations])
        .values("organisation_id", "unit_id")
        .annotate(n=Sum("n"))
        .order_by()
    )
    return {(r["organisation_id"], r["unit_id"]): r["n"] for r in rows}


def refresh_all(scope: Unit, day: date | None = None) -> None:
    """Count everything under `scope` for `day` (today) ahead of the first reader."""
    day = day or timezone.localdate()
    for commune in Unit.objects.within(scope).filter(kind=Unit.Kind.COMMUNE):
        CountedCommune.objects.filter(commune=commune).update(counted_on=None)
        count_commune(commune, day)
    organisations = Organisation.objects.filter(unit__path__within=scope.path)
    organisations.update(members_counted_on=None)
    ensure_members(list(organisations), day)
