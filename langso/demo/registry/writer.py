"""Where the demo's people live, and how their rows reach the database.

The layout makes the hamlets and self-managed groups to fill (`Slot`s); `_Writer`
fills them through `Population` and inserts the rows as plain tuples, many per
statement (`langso.lib.bulk.Inserter`).
"""

import math
import time
from contextlib import nullcontext

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from langso.lib.bulk import Inserter, secondary_indexes_dropped
from langso.lib.paths import SEPARATOR
from langso.places.models import Unit
from langso.registry.models import (
    Benefit,
    Household,
    Immunisation,
    Membership,
    Person,
    SearchKey,
)
from langso.registry.units import create_unit

from .data import (
    BAN_NAME_FIRST,
    BAN_NAME_SECOND,
    DEMO_HAMLETS,
    KINH_HAMLET_NAMES,
    MOUNTAIN_PROVINCES,
    _Picker,
)
from .population import (
    _P,
    BENEFIT_FIELDS,
    HOUSEHOLD_FIELDS,
    IMMUNISATION_FIELDS,
    MEMBERSHIP_FIELDS,
    PERSON_FIELDS,
    Slot,
)

# A hamlet of the northern uplands has a few hundred households.
HOUSEHOLDS_PER_HAMLET = 400
BATCH_HOUSEHOLDS = 10_000
# Text columns the demo leaves empty; NOT NULL without a database default, so written as "".
PERSON_BLANKS = ("email",)
# The tables the writer fills.
TABLES = (Household, Person, Membership, SearchKey, Immunisation, Benefit)

_FOLDED, _ID, _OLD_ID, _PHONE = (
    _P[name] for name in ("folded_name", "id_number", "old_id_number", "phone")
)


def _search_key_rows(person):
    """`SearchKey.plain_rows` of a person tuple (its phone is digits already)."""
    return SearchKey.plain_rows(
        person[0], person[_FOLDED], person[_ID], person[_OLD_ID], person[_PHONE]
    )


def _next_id(model):
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


class _Writer:
    """Fills slots through `Population` and inserts the rows in batches.

    Primary keys continue after the current maximum. A household is written without
    its head, who is set once the people of the batch exist. SQLite checks its
    (deferred) foreign keys at commit, but while any row names a parent not yet
    written, every new person is looked up in each table that refers to people: an
    index probe per table, or a full scan once the indexes are dropped.
    """

    def __init__(self, population, total, log):
        self.population = population
        self.total = total
        self.log = log
        self.next_household_id = _next_id(Household)
        self.next_person_id = _next_id(Person)
        self.insert_households = Inserter(Household, HOUSEHOLD_FIELDS)
        self.insert_people = Inserter(Person, PERSON_FIELDS, PERSON_BLANKS)
        self.insert_memberships = Inserter(Membership, MEMBERSHIP_FIELDS)
        self.insert_search_keys = Inserter(SearchKey, SearchKey.ROW_FIELDS)
        self.insert_immunisations = Inserter(Immunisation, IMMUNISATION_FIELDS)
        self.insert_benefits = Inserter(Benefit, BENEFIT_FIELDS)
        quote = connection.ops.quote_name
        meta = Household._meta
        self.set_head = (
            f"UPDATE {quote(meta.db_table)} SET {quote(meta.get_field('head').column)} = %s "
            f"WHERE {quote(meta.pk.column)} = %s"
        )
        self.households, self.people, self.heads = [], [], []
        self.household_count = self.person_count = 0
        self.started = time.perf_counter()

    def write(self, slots, *, drop_indexes=False):
        """Fill the slots. With `drop_indexes`, the plain indexes of the tables are built
        once at the end instead of kept up to date through every insert."""
        with secondary_indexes_dropped(*TABLES) if drop_indexes else nullcontext():
            for slot in slots:
                self.fill(slot)
            self.flush()
        if drop_indexes:
            self.log(f"Built the indexes ({time.perf_counter() - self.started:.1f} s).")

    def fill(self, slot):
        make = self.population.household
        households, people, heads = self.households, self.people, self.heads
        for _ in range(slot.households):
            household_id, person_id = self.next_household_id, self.next_person_id
            household, members = make(slot, household_id, person_id)
            households.append(household)
            people.extend(members)
            heads.append((person_id, household_id))
            self.next_household_id += 1
            self.next_person_id += len(members)
            if len(households) >= BATCH_HOUSEHOLDS:
                self.flush()
                households, people, heads = self.households, self.people, self.heads

    def flush(self):
        if not self.households:
            return
        population = self.population
        stays = population.stays
        memberships = [row for person in self.people for row in stays(person)]
        keys = [row for person in self.people for row in _search_key_rows(person)]
        immunisations, population.immunisations = population.immunisations, []
        benefits, population.benefits = population.benefits, []
        self.insert_households.run(self.households)
        self.insert_people.run(self.people)
        with connection.cursor() as cursor:
            cursor.executemany(self.set_head, self.heads)
        self.insert_memberships.run(memberships)
        self.insert_search_keys.run(keys)
        self.insert_immunisations.run(immunisations)
        self.insert_benefits.run(benefits)
        self.household_count += len(self.households)
        self.person_count += len(self.people)
        self.households, self.people, self.heads = [], [], []
        self.log(
            f"Wrote {self.household_count:,} of {self.total:,} households and "
            f"{self.person_count:,} people ({time.perf_counter() - self.started:.1f} s)."
        )


# --- Layout -------------------------------------------------------------------------------


def _split(total, weights):
    """`total` in whole parts proportional to `weights` (largest remainders get the rest)."""
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: parts[i] - exact[i])
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _group_sizes(count, rng):
    """Sizes of the self-managed groups of a hamlet: 20–40 households each where possible."""
    if count <= 0:
        return []
    groups = max(1, round(count / 30))
    while groups > 1 and count / groups < 20:
        groups -= 1
    while count / groups > 40:
        groups += 1
    sizes, left = [], count
    for remaining in range(groups, 1, -1):
        low = max(20, left - 40 * (remaining - 1))
        high = min(40, left - 20 * (remaining - 1))
        mean = left / remaining
        size = rng.randint(max(low, math.floor(mean) - 6), min(high, math.ceil(mean) + 6))
        sizes.append(size)
        left -= size
    sizes.append(left)
    return sizes


def _birth_code(commune):
    # Merged provinces kept one of their old codes (domain.md §1), so the province code
    # is a valid old 63-province birth-registration code as it stands.
    return f"{int(commune.path.split(SEPARATOR)[0]):03d}"


def _address(group_name, hamlet):
    shown = hamlet.display_name
    return f"{group_name}, {shown[:1].lower()}{shown[1:]}"


def _lay_out_demo_commune(commune, households, rng):
    """The five hamlets of the demo commune and their groups, through `create_unit`."""
    slots, units = [], []
    code = _birth_code(commune)
    shares = _split(households, [share for *_, share in DEMO_HAMLETS])
    for (name, type_name, folk, _share), count in zip(DEMO_HAMLETS, shares, strict=True):
        hamlet = create_unit(
            commune, name=name, type_name=type_name, acting_user=None, is_demo=True
        )
        units.append(hamlet)
        for number, size in enumerate(_group_sizes(count, rng), 1):
            group = create_unit(
                hamlet, name=f"Tổ {number}", type_name="tổ", acting_user=None, is_demo=True
            )
            units.append(group)
            slots.append(Slot(group.pk, hamlet.pk, _address(group.name, hamlet), folk, code, size))
    return slots, units


def _hamlet_names(commune, count, taken, rng):
    """(name, local type, naming) of `count` new hamlets, unique within the commune."""
    mountain = commune.path.split(SEPARATOR)[0] in MOUNTAIN_PROVINCES
    urban = commune.type_name != "xã"
    if urban:
        folks = [("kinh", 8), ("thai", 2)] if mountain else [("kinh", 1)]
    else:
        folks = [("kinh", 45), ("thai", 35), ("mong", 20)] if mountain else [("kinh", 1)]
    pick_folk = _Picker(folks)
    thon_names = rng.sample(KINH_HAMLET_NAMES, len(KINH_HAMLET_NAMES))
    names = []
    for number in range(1, count + 1):
        folk = pick_folk(rng)
        if urban:
            name, type_name = f"Tổ dân phố {number}", "tổ dân phố"
        elif folk == "kinh":
            type_name = "thôn"
            name = thon_names.pop() if thon_names else f"Thôn {number}"
        else:
            type_name = "bản"
            name = f"{rng.choice(BAN_NAME_FIRST)} {rng.choice(BAN_NAME_SECOND)}"
        if name.casefold() in taken:
            name = f"{type_name.capitalize()} {number}"
        if name.casefold() in taken:
            name = f"{type_name.capitalize()} {number}-{commune.code}"
        taken.add(name.casefold())
        names.append((name, type_name, folk))
    return names


def _lay_out_more_communes(communes, counts, rng):
    """Hamlets and groups of the other communes of a big build, written in bulk.

    Paths follow `create_unit`'s scheme (commune/h01, hamlet/g01); primary keys are
    assigned here so the groups can name their hamlet before anything is written.
    No audit rows: this is generated data, not anybody's act.
    """
    existing = {}
    for parent_id, path, name in Unit.objects.filter(parent__in=communes).values_list(
        "parent_id", "path", "name"
    ):
        segments, names = existing.setdefault(parent_id, (set(), set()))
        segments.add(path.rsplit(SEPARATOR, 1)[-1])
        names.add(name.casefold())
    next_id = _next_id(Unit)
    today = timezone.localdate()
    units, slots = [], []
    for commune, count in zip(communes, counts, strict=True):
        segments, taken = existing.get(commune.pk, (set(), set()))
        code = _birth_code(commune)
        hamlet_count = max(1, round(count / HOUSEHOLDS_PER_HAMLET))
        shares = _split(count, [rng.uniform(0.7, 1.3) for _ in range(hamlet_count)])
        names = _hamlet_names(commune, hamlet_count, taken, rng)
        number = 0
        for (name, type_name, folk), share in zip(names, shares, strict=True):
            number += 1
            while f"h{number:02d}" in segments:
                number += 1
            hamlet = Unit(
                pk=next_id,
                kind=Unit.Kind.HAMLET,
                type_name=type_name,
                name=name,
                parent=commune,
                path=f"{commune.path}{SEPARATOR}h{number:02d}",
                valid_from=today,
                is_demo=True,
            )
            next_id += 1
            units.append(hamlet)
            for group_number, size in enumerate(_group_sizes(share, rng), 1):
                group = Unit(
                    pk=next_id,
                    kind=Unit.Kind.GROUP,
                    type_name="tổ",
                    name=f"Tổ {group_number}",
                    parent_id=hamlet.pk,
                    path=f"{hamlet.path}{SEPARATOR}g{group_number:02d}",
                    valid_from=today,
                    is_demo=True,
                )
                next_id += 1
                units.append(group)
                slots.append(
                    Slot(group.pk, hamlet.pk, _address(group.name, hamlet), folk, code, size)
                )
    Unit.objects.bulk_create(units, batch_size=2000)
    return slots, units
