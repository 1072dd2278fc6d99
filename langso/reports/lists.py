"""Official lists drawn as of a day for a unit and its subtree (domain.md §3–§5).

Each list reads the registry as it stood on the day (`Membership.objects.as_of`), so a
list for 15/03/2026 drawn today, or next year, holds the same people. A list is a
title, columns and rows of plain values; the pages, Excel and PDF exports all take it.
"""

import re
from collections import Counter, namedtuple
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from langso.lib.bulk import chunked
from langso.lib.dates import born_by, months_before
from langso.lib.paths import ancestors_of
from langso.places.models import Unit
from langso.registry.models import HEAD, Immunisation, Membership, Person
from langso.reports.models import MilitaryStatus, VoterExclusion

Residence = Person.Residence


def _natural(text):
    """ "5A" after "5" and before "12": numbers in house numbers compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text or "")]


def household_order(stay):
    """Hamlet and group, then the house along it, then head first, then the eldest."""
    household = stay.household
    return (
        household.unit.path,
        _natural(household.house_number),
        household.address,
        household.pk,
        stay.relationship != HEAD,
        stay.person.birth_date or date.min,
        stay.person.pk,
    )


# Names of the counts a list gives; other count names are already labels (a status, an
# employment, a school level). A vaccine's coverage is counted under its code.
COUNT_LABELS = {
    **{vaccine.value: vaccine.label for vaccine in Immunisation.Vaccine},
    "voters": _("Voters"),
    "excluded": _("Not listed"),
    "men": _("Men"),
    "people": _("People"),
    "children": _("Children"),
    "households": _("Households"),
    "valid": _("Valid"),
    "expiring": _("Expiring soon"),
    "expired": _("Expired"),
    "none": _("No card"),
    "coverage": _("Coverage (%)"),
}


@dataclass
class Column:
    key: str
    heading: str
    width: float = 1


@dataclass
class DrawnList:
    """What a list shows: its rows, and any people left off it with the reason."""

    kind: str
    title: str
    unit: object
    day: date
    columns: list
    rows: list
    subtitle: str = ""
    excluded: list = field(default_factory=list)  # (row dict, reason)
    counts: dict = field(default_factory=dict)

    def count_items(self):
        """(label, value) of the counts, labelled in the user's language."""
        return [(COUNT_LABELS.get(name, name), value) for name, value in self.counts.items()]

    def table(self):
        return [[row.get(column.key, "") for column in self.columns] for row in self.rows]


def _stays(unit, day, units=None):
    stays = Membership.objects.as_of(day)
    if units is not None:
        paths = Q()
        for place in units:
            paths |= Q(household__unit__path__within=place.path)
        return stays.filter(paths)
    return stays.within(unit)


def _base_row(number, stay, day):
    person, household = stay.person, stay.household
    return {
        "number": number,
        "name": person.full_name,
        "born": person.birth_display,
        "age": person.age_on(day),
        "sex": person.get_sex_display(),
        "relationship": stay.relationship,
        "address": household.full_address,
        "unit": household.unit.display_name,
        "status": stay.get_residence_status_display(),
        "person_id": person.pk,
    }


def _common_columns():
    return [
        Column("number", _("No."), 0.5),
        Column("name", _("Full name"), 2.2),
        Column("born", _("Date of birth"), 1.1),
        Column("sex", _("Sex"), 0.6),
    ]


NO_BIRTH_DATE = _("No date of birth recorded")


def _communes_of(paths):
    """{unit path: the path of the commune it lies in} of `paths`, in one query."""
    ancestors = {path: ancestors_of(path) for path in paths}
    communes = set(
        Unit.objects.filter(
            kind=Unit.Kind.COMMUNE, path__in={a for chain in ancestors.values() for a in chain}
        ).values_list("path", flat=True)
    )
    return {
        path: next((a for a in reversed(chain) if a in communes), path)
        for path, chain in ancestors.items()
    }


def _continues(chain, i, communes):
    """Whether stay `i` of a person's stays carries on stay `i - 1` unbroken, in the
    same commune."""
    if i == 0:
        return False
    before, after = chain[i - 1], chain[i]
    return (
        before.end is not None
        and before.end == after.start
        and communes[before.unit_path] == communes[after.unit_path]
    )


def _settled(chain, index, communes, day, months):
    """Whether the person whose stays are `chain`, in stay `index` on `day`, may vote there
    by residence (see `voter_residence`)."""
    counted_until = day
    if chain[index].residence_status == Residence.ABSENT:
        while _continues(chain, index, communes) and (
            chain[index - 1].residence_status == Residence.ABSENT
        ):
            index -= 1
        counted_until = chain[index].start  # the day they left
        if not _continues(chain, index, communes) or (
            chain[index - 1].residence_status != Residence.TEMPORARY
        ):
            return True  # absent from a permanent (or unrecorded) residence
        index -= 1
    while _continues(chain, index, communes) and chain[index - 1].residence_status in (
        Residence.TEMPORARY,
        Residence.ABSENT,
    ):
        index -= 1
    since = chain[index].start
    return bool(since and counted_until and since <= months_before(counted_until, months))


# The residence statuses that entitle a stay to vote by themselves (`voter_residence`).
SETTLED_BY_STATUS = (Residence.PERMANENT,)

# A stay as the voter-residence rule reads it (plain values, not a model instance).
_Step = namedtuple("_Step", "pk person_id start end residence_status unit_path")


def voter_residence(stays, day):
    """The ids of the stays in `stays` (those covering `day`) whose residence lets the
    person vote there (Law on Elections, art. 29; domain.md §4).

    Permanent residents are entitled, and so are the temporarily absent whose status before
    leaving was permanent (or is unknown). Temporary residents are entitled after
    `LANGSO_VOTER_TEMPORARY_MONTHS` months of continuous temporary residence in the
    commune: the months run from the first of an unbroken run of temporary (or absent)
    stays in households of the same commune, so a change of head, a split or a move
    between hamlets — each a new stay — does not restart them. Someone temporarily absent
    keeps the status and the months they had when they left. A stay of unknown start
    proves no months.
    """
    stays = list(stays)
    entitled = {s.pk for s in stays if s.residence_status in SETTLED_BY_STATUS}
    others = [s for s in stays if s.residence_status in (Residence.TEMPORARY, Residence.ABSENT)]
    if not others:
        return entitled
    history = {}
    # Plain rows, not model instances: a province's refresh reads tens of thousands.
    for chunk in chunked([s.person_id for s in others], 5000):
        for stay in (
            Membership.objects.filter(person__in=chunk)
            .filter(Q(start__isnull=True) | Q(start__lte=day))
            .values_list(
                "pk",
                "person_id",
                "start",
                "end",
                "residence_status",
                "household__unit__path",
                named=True,
            )
            .order_by()
        ):
            history.setdefault(stay.person_id, []).append(_Step(*stay))
    for chain in history.values():
        # In Python: databases differ on where a missing start sorts.
        chain.sort(key=lambda stay: (stay.start or date.min, stay.pk))
    communes = _communes_of({s.unit_path for h in history.values() for s in h})
    months = settings.LANGSO_VOTER_TEMPORARY_MONTHS
    for current in others:
        chain = history[current.person_id]
        index = next(i for i, s in enumerate(chain) if s.pk == current.pk)
        if _settled(chain, index, communes, day, months):
            entitled.add(chain[index].pk)
    return entitled


def _voter_stays(unit, day, units=None):
    """The stays covering `day` of the people old enough to vote or of unknown age."""
    return _stays(unit, day, units).filter(
        Q(person__birth_date__lte=born_by(day, 18)) | Q(person__birth_date__isnull=True)
    )


def _voter_exclusions(day):
    """The exclusions from voting in force on `day` (court sentences and the like)."""
    return VoterExclusion.objects.filter(since__lte=day).filter(
        Q(until__isnull=True) | Q(until__gt=day)
    )


def voter_selection(unit, day, units=None):
    """(the stays of the voters in list order, [(stay, reason)] of those not listed): the
    one definition of who is a voter, for the list and the indicators (`voter_counts`).

    Listed: old enough (`_voter_stays`), entitled by residence (`voter_residence`), not
    excluded on the day (`_voter_exclusions`), with a recorded date of birth.
    """
    query = _voter_stays(unit, day, units)
    stays = sorted(query, key=household_order)
    entitled = voter_residence(stays, day)
    stays = [s for s in stays if s.pk in entitled]
    excluded = dict(
        _voter_exclusions(day)
        .filter(person__in=query.values("person_id"))
        .values_list("person_id", "reason")
    )
    reasons = dict(VoterExclusion.Reason.choices)
    listed, left_off = [], []
    for stay in stays:
        if stay.person_id in excluded:
            left_off.append((stay, reasons[excluded[stay.person_id]]))
        elif stay.person.birth_date is None:
            # Shown so that the date can be recorded before the list is posted (§4).
            left_off.append((stay, NO_BIRTH_DATE))
        else:
            listed.append(stay)
    return listed, left_off


def voter_counts(unit, day, units=None):
    """{hamlet or group id: how many voters `voter_selection` lists there}, by its rules.

    The same stays, exclusions and residence rule, counted by the database wherever the
    stay settles the residence (`SETTLED_BY_STATUS`, then `_residence_settled`), and by
    `voter_residence` over plain rows for the few others, so that a commune's or a whole
    province's figures need two grouped queries and no model instance per person.
    """
    listed = (
        _voter_stays(unit, day, units)
        # NOT EXISTS, not NOT IN: PostgreSQL plans it as an anti-join (hardening, item 16).
        .filter(~Exists(_voter_exclusions(day).filter(person=OuterRef("person_id"))))
        .filter(person__birth_date__isnull=False)
    )
    counts = Counter()
    for row in (
        listed.filter(residence_status__in=SETTLED_BY_STATUS)
        .values("household__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["household__unit_id"]] = row["n"]
    # The look-ups of other stays in a query of their own, over the few stays that need
    # them: in the grouped query of every stay, PostgreSQL would cost them for each row
    # and compile the query (JIT) for longer than it runs.
    entitled, undecided = _residence_settled(day)
    others = listed.filter(residence_status__in=(Residence.TEMPORARY, Residence.ABSENT))
    undecided_left = False
    for row in (
        others.values("household__unit_id")
        .annotate(n=Count("id", filter=entitled), undecided=Count("id", filter=undecided))
        .order_by()
    ):
        counts[row["household__unit_id"]] += row["n"]
        undecided_left = undecided_left or row["undecided"] > 0
    if undecided_left:
        rest = list(
            others.filter(undecided)
            .values_list("pk", "person_id", "residence_status", "household__unit_id", named=True)
            .order_by()
        )
        entitled_ids = voter_residence(rest, day)
        counts.update(row.household__unit_id for row in rest if row.pk in entitled_ids)
    return {unit_id: n for unit_id, n in counts.items() if n}


def _residence_settled(day):
    """(entitled, undecided): two conditions on the temporary residences and absences
    covering `day` that tell, from the stay and an indexed look-up of the person's other
    stays, what `voter_residence` would answer: entitled; undecided, left to
    `voter_residence` and the person's history; neither, not entitled.

    Each follows from `voter_residence`'s rule, which reads back from the stay over the
    person's stays that start by `day` (or at an unknown date):

    - an absence is entitled unless the person has a temporary stay among them: the
      status before leaving can only be temporary if there was one;
    - a temporary residence that started on or before the day the months require is
      entitled unless one of them has an unknown start: its run of temporary residence
      starts no later than itself, and proves its months unless that start is unknown;
    - any other is undecided when it is not the person's only stay among them; alone, it
      is not entitled (`voter_residence` reads the stay alone: its own start, too recent
      or unknown).
    """
    others = Membership.objects.filter(person=OuterRef("person_id")).exclude(pk=OuterRef("pk"))
    started = others.filter(Q(start__isnull=True) | Q(start__lte=day))
    temporary_before = Exists(started.filter(residence_status=Residence.TEMPORARY))
    unknown_start = Exists(others.filter(start__isnull=True))
    absent = Q(residence_status=Residence.ABSENT)
    temporary = Q(residence_status=Residence.TEMPORARY)
    settled_by = months_before(day, settings.LANGSO_VOTER_TEMPORARY_MONTHS)
    long_enough = Q(start__lte=settled_by)
    entitled = (absent & ~temporary_before) | (temporary & long_enough & ~unknown_start)
    # Spelled out, not `~entitled`: an unknown start is neither long enough nor too short.
    too_recent = Q(start__isnull=True) | Q(start__gt=settled_by)
    undecided = (
        (absent & temporary_before)
        | (temporary & unknown_start)
        | (temporary & too_recent & Exists(started))
    )
    return entitled, undecided


def voters(unit, day, *, units=None, subtitle=""):
    """Voters on election day `day` (Law on Elections 85/2015, amended 83/2025).

    Vietnamese citizens aged 18 or more on election day — born on or before the same
    date 18 years earlier, 29 February reaching it on 28 February of a common year
    (Civil Code 2015, arts. 147–148; a year-only birth date counts from 1 January) —
    who live in the unit that day: permanent residents, the temporarily absent, and
    temporary residents of at least `LANGSO_VOTER_TEMPORARY_MONTHS` months. People
    excluded by law, and people without a recorded birth date, are listed apart with
    the reason. Order: by household, head first, households in hamlet and address
    order; the row number is the voter-card number.
    """
    listed, left_off = voter_selection(unit, day, units)
    rows = [_base_row(number, stay, day) for number, stay in enumerate(listed, 1)]
    excluded = [(_base_row("", stay, day), reason) for stay, reason in left_off]
    columns = [
        *_common_columns(),
        Column("relationship", _("Relationship to the head"), 1),
        Column("address", _("Address"), 2),
        Column("status", _("Residence"), 1),
        Column("signature", _("Notes"), 1),
    ]
    return DrawnList(
        "voters",
        str(_("LIST OF VOTERS")),
        unit,
        day,
        columns,
        rows,
        subtitle=subtitle,
        excluded=excluded,
        counts={"voters": len(rows), "excluded": len(excluded)},
    )


def _latest_military_status(person_ids, year):
    latest = {}
    for person_id, status in (
        MilitaryStatus.objects.filter(person_id__in=person_ids, year__lte=year)
        .order_by("person_id", "year")
        .values_list("person_id", "status")
    ):
        latest[person_id] = status
    return latest


def military_registration(unit, day, *, units=None, subtitle=""):
    """Men who turn 17 in the year of `day`: they register this year (Law 2015, art. 16)."""
    year = day.year - 17
    stays = _stays(unit, day, units).filter(
        person__sex=Person.Sex.MALE,
        person__birth_date__gte=date(year, 1, 1),
        person__birth_date__lte=date(year, 12, 31),
    )
    rows = [_base_row(i, s, day) for i, s in enumerate(sorted(stays, key=household_order), 1)]
    columns = [
        *_common_columns()[:3],
        Column("unit", _("Hamlet or group"), 1.3),
        Column("address", _("Address"), 2),
        Column("status", _("Residence"), 1),
    ]
    return DrawnList(
        "military_registration",
        str(_("MEN TO REGISTER FOR MILITARY SERVICE")),
        unit,
        day,
        columns,
        rows,
        counts={"men": len(rows)},
        subtitle=subtitle,
    )


def _military_candidates(unit, day, units=None):
    """The stays covering `day` of the men aged 18 to 27 then."""
    return _stays(unit, day, units).filter(
        person__sex=Person.Sex.MALE,
        person__birth_date__lte=born_by(day, 18),
        person__birth_date__gt=born_by(day, 28),
    )


def _in_military_pool(stays, statuses, day, birth_date):
    """[(stay, latest status)] of the stays in `stays` (of `_military_candidates`) that are
    in the call-up pool, in the order given: the one rule, for the list and the
    indicators. `statuses` are the latest statuses ({person id: status}, at least of the
    men past 25); `birth_date(stay)` reads the person's date of birth."""
    last_day_25 = born_by(day, 26)
    pool = []
    for stay in stays:
        status = statuses.get(stay.person_id, "")
        past_25 = birth_date(stay) <= last_day_25
        if past_25 and status != MilitaryStatus.Status.DEFERRED_STUDY:
            continue
        pool.append((stay, status))
    return pool


def military_pool_selection(unit, day, units=None):
    """[(stay, latest status)] of the men in the call-up pool on `day`, in list order: the
    one definition for the list and the indicators (`military_pool_counts`)."""
    query = _military_candidates(unit, day, units)
    stays = sorted(query, key=household_order)
    statuses = _latest_military_status(query.values("person_id"), day.year)
    return _in_military_pool(stays, statuses, day, lambda s: s.person.birth_date)


def military_pool_counts(unit, day, units=None):
    """{hamlet or group id: how many men `military_pool_selection` lists there}.

    Counted by the database where the age decides (`_in_military_pool` keeps every man
    up to the end of age 25, and a man past 25 only when his latest status is a deferral
    for study, so never one without such a status): one grouped query, and plain rows
    only for the men past 25 ever deferred for study, whose statuses are read.
    """
    query = _military_candidates(unit, day, units)
    past_25 = Q(person__birth_date__lte=born_by(day, 26))
    deferred = Q(
        Exists(
            MilitaryStatus.objects.filter(
                person=OuterRef("person_id"),
                year__lte=day.year,
                status=MilitaryStatus.Status.DEFERRED_STUDY,
            )
        )
    )
    counts, undecided_left = Counter(), False
    for row in (
        query.values("household__unit_id")
        .annotate(
            young=Count("id", filter=~past_25), deferred=Count("id", filter=past_25 & deferred)
        )
        .order_by()
    ):
        counts[row["household__unit_id"]] = row["young"]
        undecided_left = undecided_left or row["deferred"] > 0
    if undecided_left:
        rows = list(
            query.filter(past_25 & deferred)
            .values_list("pk", "person_id", "person__birth_date", "household__unit_id", named=True)
            .order_by()
        )
        statuses = {}
        for chunk in chunked([row.person_id for row in rows], 5000):
            statuses.update(_latest_military_status(chunk, day.year))
        pool = _in_military_pool(rows, statuses, day, lambda r: r.person__birth_date)
        counts.update(row.household__unit_id for row, _status in pool)
    return {unit_id: n for unit_id, n in counts.items() if n}


def military_pool(unit, day, *, units=None, subtitle=""):
    """The call-up pool: men from their 18th birthday to the end of age 25, or of age 27
    when deferred for college or university study (Law 2015, art. 30; domain.md §5)."""
    labels = dict(MilitaryStatus.Status.choices)
    rows = []
    for stay, status in military_pool_selection(unit, day, units):
        row = _base_row(len(rows) + 1, stay, day)
        row["military"] = labels.get(status, "")
        rows.append(row)
    columns = [
        *_common_columns()[:3],
        Column("age", _("Age"), 0.5),
        Column("unit", _("Hamlet or group"), 1.3),
        Column("address", _("Address"), 2),
        Column("military", _("Status"), 1.2),
    ]
    by_status = _tally(rows, "military")
    return DrawnList(
        "military_pool",
        str(_("MEN OF MILITARY SERVICE AGE")),
        unit,
        day,
        columns,
        rows,
        counts={"men": len(rows), **by_status},
        subtitle=subtitle,
    )


def _tally(rows, key):
    """{value: how many rows have it} of one column, "—" for empty."""
    return dict(Counter(row[key] or "—" for row in rows))


def aged(day, low=None, high=None):
    """A condition on stays: the person is aged at least `low` and under `high` on `day`.
    The one definition of an age band, for the lists and the indicators."""
    condition = Q()
    if low is not None:
        condition &= Q(person__birth_date__lte=born_by(day, low))
    if high is not None:
        condition &= Q(person__birth_date__gt=born_by(day, high))
    return condition


def working_age(day):
    low, high = settings.LANGSO_WORKING_AGE
    return aged(day, low, high + 1)


def _aged(unit, day, condition, units=None):
    """Stays of people meeting the age `condition` on `day`, in list order."""
    return sorted(_stays(unit, day, units).filter(condition), key=household_order)


def labour(unit, day, *, units=None, subtitle=""):
    """Working-age people by employment and occupation, for job referrals."""
    rows = []
    for stay in _aged(unit, day, working_age(day), units):
        row = _base_row(len(rows) + 1, stay, day)
        row["employment"] = stay.person.get_employment_display()
        row["occupation"] = stay.person.occupation
        row["phone"] = stay.person.phone
        rows.append(row)
    columns = [
        *_common_columns(),
        Column("address", _("Address"), 1.8),
        Column("employment", _("Employment"), 1.3),
        Column("occupation", _("Occupation"), 1.5),
        Column("phone", _("Phone"), 1),
    ]
    counts = _tally(rows, "employment")
    return DrawnList(
        "labour",
        str(_("LIST OF WORKING-AGE PEOPLE")),
        unit,
        day,
        columns,
        rows,
        counts={"people": len(rows), **counts},
        subtitle=subtitle,
    )


def elderly(unit, day, *, units=None, subtitle=""):
    rows = [
        _base_row(i, stay, day)
        for i, stay in enumerate(_aged(unit, day, aged(day, settings.LANGSO_ELDERLY_AGE), units), 1)
    ]
    columns = [*_common_columns(), Column("age", _("Age"), 0.5), Column("address", _("Address"), 2)]
    return DrawnList(
        "elderly",
        str(_("LIST OF THE ELDERLY")),
        unit,
        day,
        columns,
        rows,
        counts={"people": len(rows)},
        subtitle=subtitle,
    )


def school_level(age):
    """The school a child of `age` (on the day) belongs in, by the Education Law's ages."""
    if age is None or age < 3:
        return _("Under school age")
    if age < 6:
        return _("Preschool")
    if age < 11:
        return _("Primary school")
    if age < 15:
        return _("Lower secondary school")
    return _("Upper secondary school")


def children(unit, day, *, units=None, subtitle=""):
    """Children under 18, with the school level their age calls for."""
    rows = []
    for stay in _aged(unit, day, aged(day, None, 18), units):
        row = _base_row(len(rows) + 1, stay, day)
        row["school"] = str(school_level(row["age"]))
        rows.append(row)
    columns = [
        *_common_columns(),
        Column("age", _("Age"), 0.5),
        Column("school", _("School level"), 1.5),
        Column("address", _("Address"), 2),
    ]
    counts = _tally(rows, "school")
    return DrawnList(
        "children",
        str(_("LIST OF CHILDREN")),
        unit,
        day,
        columns,
        rows,
        counts={"children": len(rows), **counts},
        subtitle=subtitle,
    )


EXPIRING_DAYS = 30


def health_insurance(unit, day, *, units=None, subtitle=""):
    """Everyone with their health-insurance card: valid, expiring within 30 days, expired,
    or none."""
    rows, counts = [], {"valid": 0, "expiring": 0, "expired": 0, "none": 0}
    for stay in sorted(_stays(unit, day, units), key=household_order):
        person = stay.person
        expiry = person.health_insurance_expiry
        if not person.health_insurance_number:
            state, label = "none", _("No card")
        elif expiry and expiry < day:
            state, label = "expired", _("Expired")
        elif expiry and (expiry - day).days <= EXPIRING_DAYS:
            state, label = "expiring", _("Expiring soon")
        else:
            state, label = "valid", _("Valid")
        counts[state] += 1
        row = _base_row(len(rows) + 1, stay, day)
        row["card"] = person.health_insurance_number
        row["expiry"] = f"{expiry:%d/%m/%Y}" if expiry else ""
        row["card_state"] = str(label)
        rows.append(row)
    total = len(rows)
    counts["coverage"] = (
        round(100 * (counts["valid"] + counts["expiring"]) / total, 1) if total else 0
    )
    columns = [
        *_common_columns(),
        Column("card", _("Card number"), 1.5),
        Column("expiry", _("Valid until"), 1),
        Column("card_state", _("Card"), 1),
        Column("address", _("Address"), 1.8),
    ]
    return DrawnList(
        "health_insurance",
        str(_("HEALTH INSURANCE COVERAGE")),
        unit,
        day,
        columns,
        rows,
        counts=counts,
        subtitle=subtitle,
    )


# The childhood vaccines counted for coverage: (vaccine code, doses due).
CHILD_VACCINES = [
    (Immunisation.Vaccine.BCG, 1),
    (Immunisation.Vaccine.FIVE_IN_ONE, 3),
    (Immunisation.Vaccine.BOPV, 3),
    (Immunisation.Vaccine.MEASLES, 1),
]


def immunisation(unit, day, *, units=None, subtitle=""):
    """Children under 6 and the doses they had of each childhood vaccine by `day`."""
    stays = _aged(unit, day, aged(day, None, 6), units)
    doses = {}
    for person_id, vaccine, dose in Immunisation.objects.filter(
        person_id__in=[s.person_id for s in stays], given_on__lte=day
    ).values_list("person_id", "vaccine", "dose"):
        key = (person_id, vaccine)
        doses[key] = max(doses.get(key, 0), dose)
    rows, counts = [], {}
    for stay in stays:
        row = _base_row(len(rows) + 1, stay, day)
        for index, (vaccine, due) in enumerate(CHILD_VACCINES):
            had = doses.get((stay.person_id, vaccine), 0)
            row[f"v{index}"] = f"{had}/{due}"
            counts[vaccine.value] = counts.get(vaccine.value, 0) + (had >= due)
        rows.append(row)
    columns = [*_common_columns(), Column("age", _("Age"), 0.5)]
    columns += [
        Column(f"v{i}", vaccine.label, 1) for i, (vaccine, _due) in enumerate(CHILD_VACCINES)
    ]
    coverage = {name: round(100 * n / len(rows), 1) if rows else 0 for name, n in counts.items()}
    return DrawnList(
        "immunisation",
        str(_("IMMUNISATION OF CHILDREN UNDER SIX")),
        unit,
        day,
        columns,
        rows,
        counts={"children": len(rows), **coverage},
        subtitle=subtitle,
    )


def households(unit, day, *, units=None, subtitle=""):
    """Every household with its members that day, head first."""
    rows, number, current = [], 0, None
    for stay in sorted(_stays(unit, day, units), key=household_order):
        row = _base_row("", stay, day)
        if stay.household_id != current:
            current = stay.household_id
            number += 1
            row["number"] = number
        row["id_number"] = stay.person.id_number or ""
        rows.append(row)
    columns = [
        *_common_columns(),
        Column("relationship", _("Relationship to the head"), 1),
        Column("id_number", _("Personal ID number"), 1.3),
        Column("address", _("Address"), 2),
        Column("status", _("Residence"), 1),
    ]
    return DrawnList(
        "households",
        str(_("LIST OF HOUSEHOLDS")),
        unit,
        day,
        columns,
        rows,
        counts={"households": number, "people": len(rows)},
        subtitle=subtitle,
    )


LISTS = {
    "voters": (voters, _("Voters")),
    "military": (military_pool, _("Military service age")),
    "military_registration": (military_registration, _("Military registration (turning 17)")),
    "labour": (labour, _("Working-age people")),
    "elderly": (elderly, _("The elderly")),
    "children": (children, _("Children by school age")),
    "health_insurance": (health_insurance, _("Health insurance")),
    "immunisation": (immunisation, _("Immunisation")),
    "households": (households, _("Households")),
}


def draw(kind, unit, day, **options):
    function, _label = LISTS[kind]
    return function(unit, day, **options)
