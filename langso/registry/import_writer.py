"""Writing a checked import plan: new households and people, and updates, in bulk.

`langso.registry.importing` reads and checks a spreadsheet into a plan; this module
writes it whole, or nothing. The rows are plain tuples inserted many per statement
(`langso.lib.bulk`), in the layouts the models keep (`LifeEvent.ROW_FIELDS`,
`SearchKey.ROW_FIELDS`, `AuditEntry.ROW_FIELDS`), so that an imported person leaves
the same trail as one registered by hand.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.models import AuditEntry, User
from langso.lib.bulk import (
    Row,
    chunked,
    collector_paused,
    insert_rows,
    reserve_ids,
    sqlite_page_cache,
    update_rows,
)
from langso.lib.vietnamese import fold, name_sort_key, normalize_name, split_name
from langso.registry.importing import Plan, Update
from langso.registry.models import (
    HEAD,
    SEARCHED_FIELDS,
    DuplicateFlag,
    Household,
    LifeEvent,
    Membership,
    Person,
    SearchKey,
)
from langso.registry.signals import announce_change

Kind = LifeEvent.Kind

_IMPORT_PERSON_FIELDS = (
    "id",
    "full_name",
    "family_name",
    "middle_name",
    "given_name",
    "folded_name",
    "sort_key",
    "birth_date",
    "birth_precision",
    "sex",
    "ethnicity",
    "religion",
    "id_number",
    "old_id_number",
    "phone",
    "occupation",
    "health_insurance_number",
    "health_insurance_expiry",
    "household",
    "relationship",
    "residence_status",
    "created_at",
    "is_demo",
)
_IMPORT_BLANKS = ("email", "employment", "education", "disability")
IMPORT_CACHE_KIB = 256 * 1024
UPDATES_PER_CHUNK = 500  # people read by key at once: within SQLite's 999 parameters
GROUPS_PER_QUERY = 400  # a name and a date each: within SQLite's 999 parameters


@collector_paused()
@transaction.atomic
def import_residents(
    plan: Plan,
    *,
    acting_user: User | None,
    source: str = "",
    progress: Callable[[float], None] | None = None,
) -> dict[str, int]:
    """Write an import plan whole: new households and people, and updates; or nothing.

    A plan with problems is refused. The rows are written in bulk (a 100,000-row book
    must not take minutes), but leave the same trail as one-by-one registration: an
    open stay, a registration event and search keys per person, a correction event per
    update, duplicate flags, and one audit row for the import.
    """
    if plan.problems:
        raise ValidationError(_("The file has errors; nothing was imported."), code="problems")
    today = timezone.localdate()
    # Adapted once as Django would store it, not per row by the driver.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    on = connection.ops.adapt_datefield_value(today)
    user = acting_user if acting_user and acting_user.is_authenticated else None
    user_id = user.pk if user is not None else None
    new_count = sum(h.existing_id is None for h in plan.households)
    household_ids = iter(reserve_ids(Household, new_count))
    # Each household with the id of its row: its own when registered, a reserved one when new.
    placed = [(h, h.existing_id or next(household_ids)) for h in plan.households]
    people = [(h, household_id, p) for h, household_id in placed for p in h.members]
    person_ids = iter(reserve_ids(Person, len(people)))
    household_rows: list[Row] = []
    person_rows: list[Row] = []
    stays: list[Row] = []
    events: list[Row] = []
    keys: list[Row] = []
    heads: dict[int, int] = {}  # new household id: its head's person id
    for count, (household, household_id, new) in enumerate(people, 1):
        pk = next(person_ids)
        values = new.fields
        full = normalize_name(values["full_name"])
        family, middle, given = split_name(full)
        folded = fold(full)
        if new.relationship == HEAD and household.existing_id is None:
            heads[household_id] = pk
        # A file without an ethnicity column says nothing of it: left empty, not "Kinh".
        text = {name: values.get(name) or "" for name in (
            "ethnicity", "religion", "old_id_number", "phone", "occupation",
            "health_insurance_number",
        )}  # fmt: skip
        person_rows.append(
            (
                pk,
                full,
                family,
                middle,
                given,
                folded,
                name_sort_key(full, (family, middle, given)),
                values.get("birth_date"),
                values.get("birth_precision", "day"),
                values["sex"],
                text["ethnicity"],
                text["religion"],
                values.get("id_number"),
                text["old_id_number"],
                text["phone"],
                text["occupation"],
                text["health_insurance_number"],
                values.get("health_insurance_expiry"),
                household_id,
                new.relationship,
                new.status,
                now,
                False,
            )
        )
        stays.append((pk, household_id, new.relationship, new.status, None, None))
        events.append(
            LifeEvent.plain_row(
                Kind.REGISTRATION, person_id=pk, household_id=household_id, on=on, at=now,
                by_id=user_id, place=source,
            )
        )  # fmt: skip
        keys += SearchKey.plain_rows(
            pk, folded, values.get("id_number"), text["old_id_number"], text["phone"]
        )
        if progress and count % 5000 == 0:
            progress(60 + 25 * count / len(people))
    for household, household_id in placed:
        if household.existing_id is not None:
            continue
        address = household.address
        household_rows.append((
            household_id, household.unit_id, household.house_number, address,
            fold(f"{household.house_number} {address}"), heads.get(household_id), now, False,
        ))  # fmt: skip
    household_fields = ("id", "unit", "house_number", "address", "folded_address", "head",
                        "created_at", "is_demo")  # fmt: skip
    stay_fields = ("person", "household", "relationship", "residence_status", "start", "end")
    with sqlite_page_cache(IMPORT_CACHE_KIB):
        insert_rows(Household, household_fields, household_rows)
        insert_rows(Person, _IMPORT_PERSON_FIELDS, person_rows, blanks=_IMPORT_BLANKS)
        insert_rows(Membership, stay_fields, stays)
        LifeEvent.insert_plain(events)
        SearchKey.insert_plain(keys)
    if progress:
        progress(90)
    for chunk in chunked(plan.updates, UPDATES_PER_CHUNK):
        _update_imported(chunk, user_id=user_id, source=source, on=on, now=now)
    _flag_imported_duplicates([row[0] for row in person_rows])
    announce_change(plan.unit)
    counts = plan.counts()
    AuditEntry.objects.record(
        acting_user,
        "registry.import",
        unit=plan.unit,
        changes={"source": [None, source], **{name: [0, value] for name, value in counts.items()}},
    )
    if progress:
        progress(100)
    return counts


def _update_imported(
    updates: Sequence[Update], *, user_id: int | None, source: str, on: object, now: object
) -> None:
    """Write an import's updates of registered people, a chunk at a time.

    The same trail as a correction made by hand — the new values, a correction event
    with old and new, an audit row, fresh search keys when a searched field changed —
    in a few statements per chunk rather than eight per person (a book imported again
    with new phone numbers updates every one of its people).
    """
    people = Person.objects.select_related("household").in_bulk([pk for _r, pk, *_ in updates])
    by_fields: defaultdict[tuple[str, ...], list[Person]] = defaultdict(list)
    searched: list[Person] = []
    events: list[Row] = []
    audits: list[Row] = []
    for _row, pk, _name, shown, new in updates:
        person = people[pk]
        for name, value in new.items():
            setattr(person, name, value)
        by_fields[tuple(sorted(new))].append(person)
        if not SEARCHED_FIELDS.isdisjoint(new):
            searched.append(person)
        changes = json.dumps(shown, ensure_ascii=False)
        events.append(
            LifeEvent.plain_row(
                Kind.CORRECTION, person_id=pk, household_id=person.household_id, on=on, at=now,
                by_id=user_id, note=source, changes=changes,
            )
        )  # fmt: skip
        audits.append(
            AuditEntry.plain_row(
                actor_id=user_id, verb=f"registry.{Kind.CORRECTION}",
                unit_id=person.household and person.household.unit_id, target=person,
                changes=changes, at=now,
            )
        )  # fmt: skip
    for fields, group in by_fields.items():
        update_rows(Person, fields, [(*(getattr(p, f) for f in fields), p.pk) for p in group])
    SearchKey.refresh(searched)
    LifeEvent.insert_plain(events)
    AuditEntry.insert_plain(audits)


def _flag_imported_duplicates(person_ids: list[int]) -> None:
    """Flag imported people who share a folded name and birth date with anyone else.

    One grouped query over the names the import brought (served by the index on
    folded name and birth date) finds the groups; their members are then read by the
    groups' names alone, in chunks: common names are shared by thousands in a
    province, and a book imported twice makes a group per person.
    """
    if not person_ids:
        return
    first_new = min(person_ids)
    imported_names = Person.objects.filter(pk__gte=first_new).values("folded_name")
    named = Person.objects.filter(birth_date__isnull=False)
    groups = {
        (name, born)
        for name, born in named.filter(folded_name__in=imported_names)
        .values("folded_name", "birth_date")
        .annotate(n=Count("id"), newest=Max("id"))
        .filter(n__gt=1, newest__gte=first_new)
        .order_by()
        .values_list("folded_name", "birth_date")
    }
    # Birth dates are never None here (`named`), but the query's rows say they may be.
    members: dict[tuple[str, date | None], list[int]] = {}
    for chunk in chunked(sorted(groups), GROUPS_PER_QUERY):
        rows = named.filter(
            folded_name__in={name for name, _born in chunk},
            birth_date__in={born for _name, born in chunk},
        ).values_list("pk", "folded_name", "birth_date")
        for pk, name, born in rows.order_by("pk"):
            if (name, born) in groups:
                members.setdefault((name, born), []).append(pk)
    flags: list[DuplicateFlag] = []
    for same in members.values():
        for i, first in enumerate(same):
            flags += [
                DuplicateFlag(
                    first_id=first, second_id=second, reason=DuplicateFlag.Reason.NAME_AND_BIRTH
                )
                for second in same[i + 1 :]
                if second >= first_new
            ]
    DuplicateFlag.objects.bulk_create(flags, ignore_conflicts=True)
