"""Life events and corrections: every write to the registry goes through here.

Each action is atomic, takes the acting user, updates the current state (the
`Person` row and its open `Membership`), and leaves a dated `LifeEvent` plus an
audit row, so that the registry can be read as of any day (design.md principle 4).
"""

from collections.abc import Iterable
from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.models import AuditEntry, User, recordable
from langso.lib.versions import check_version
from langso.lib.vietnamese import (
    clean_digits,
    fold,
    parse_id_number,
    split_name,
)
from langso.lib.vietnamese import id_number_warnings as check_id_number
from langso.places.models import Unit
from langso.registry.models import (
    HEAD,
    Benefit,
    DuplicateFlag,
    Household,
    Immunisation,
    ImportJob,
    LifeEvent,
    Membership,
    Person,
    SearchKey,
)
from langso.registry.signals import announce_change, announce_death, announce_death_withdrawn
from langso.registry.tasks import check_import, commit_import

Residence = Person.Residence
Kind = LifeEvent.Kind
# The days of a stay, (start, end) as `Membership` keeps them; None is open-ended.
Span = tuple[date | None, date | None]

# Fields a correction may change, and that registration and import may set.
PERSON_FIELDS = [
    "full_name",
    "family_name",
    "middle_name",
    "given_name",
    "birth_date",
    "birth_precision",
    "sex",
    "ethnicity",
    "religion",
    "id_number",
    "old_id_number",
    "phone",
    "email",
    "occupation",
    "employment",
    "education",
    "health_insurance_number",
    "health_insurance_expiry",
    "disability",
]


class DuplicateIdNumber(ValidationError):
    """The ID number belongs to someone already registered; `existing` is that person."""

    def __init__(self, existing: Person) -> None:
        self.existing = existing
        super().__init__(
            _("This ID number is already registered to %(name)s.") % {"name": existing},
            code="duplicate_id_number",
        )


def _event(
    kind: str,
    *,
    acting_user: User | None,
    on: date,
    person: Person | None = None,
    household: Household | None = None,
    place: str = "",
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> LifeEvent:
    event = LifeEvent.objects.create(
        kind=kind,
        person=person,
        household=household,
        on=on,
        place=place,
        note=note,
        changes=changes or {},
        recorded_by=acting_user if acting_user and acting_user.is_authenticated else None,
    )
    unit = household.unit if household else (_unit_of(person) if person else None)
    announce_change(unit)
    AuditEntry.objects.record(
        acting_user, f"registry.{kind}", target=person or household, unit=unit, changes=changes
    )
    return event


def _unit_of(person: Person) -> Unit | None:
    """The unit of `person`'s household, where an audit row about them belongs."""
    return person.household.unit if person.household else None


def _check_day(on: date, person: Person | None = None) -> None:
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    if person is not None and person.birth_date and on < person.birth_date:
        raise ValidationError(
            _("The date cannot be before %(name)s was born.") % {"name": person.full_name},
            code="before_birth",
        )


def _check_alive(person: Person) -> None:
    if person.died_on:
        raise ValidationError(
            _("%(name)s is recorded as deceased.") % {"name": person.full_name}, code="deceased"
        )


def clean_id_number(value: str | None, *, person: Person | None = None) -> str | None:
    """The 12 digits of `value` (or None when empty), refusing a number already taken."""
    if not value:
        return None
    number = parse_id_number(value).value
    taken = Person.objects.filter(id_number=number)
    if person is not None and person.pk:
        taken = taken.exclude(pk=person.pk)
    existing = taken.first()
    if existing:
        raise DuplicateIdNumber(existing)
    return number


def id_number_warnings(person: Person) -> list[str]:
    """What the ID number's digits contradict in the record (domain.md §2), as sentences."""
    if not person.id_number:
        return []
    year = person.birth_date.year if person.birth_date else None
    return check_id_number(person.id_number, birth_year=year, sex=person.sex)


def _clean_fields(fields: dict[str, Any], person: Person | None = None) -> dict[str, Any]:
    """Normalise what a form or an import row gives for a person's fields."""
    fields = {name: value for name, value in fields.items() if name in PERSON_FIELDS}
    if "id_number" in fields:
        fields["id_number"] = clean_id_number(fields["id_number"], person=person)
    for name in ("old_id_number", "phone"):
        if fields.get(name):
            fields[name] = clean_digits(fields[name])
    if "full_name" in fields and not any(
        fields.get(part) for part in ("family_name", "middle_name", "given_name")
    ):
        fields["family_name"], fields["middle_name"], fields["given_name"] = split_name(
            fields["full_name"]
        )
    return fields


def flag_duplicates(person: Person) -> list[DuplicateFlag]:
    """Flag registered people with the same folded name and birth date (Thủy = Thuỷ)."""
    if not person.birth_date:
        return []
    others = (
        Person.objects.filter(folded_name=fold(person.full_name), birth_date=person.birth_date)
        .exclude(pk=person.pk)
        .values_list("pk", flat=True)
    )
    flags: list[DuplicateFlag] = []
    for other in others:
        first, second = sorted((other, person.pk))
        flag, _created = DuplicateFlag.objects.get_or_create(
            first_id=first,
            second_id=second,
            defaults={"reason": DuplicateFlag.Reason.NAME_AND_BIRTH},
        )
        flags.append(flag)
    return flags


def _open_stay(
    person: Person, household: Household, *, relationship: str, status: str, on: date
) -> Membership:
    return Membership.objects.create(
        person=person,
        household=household,
        relationship=relationship,
        residence_status=status,
        start=on,
    )


def _close_stay(person: Person, on: date) -> Membership | None:
    """End the person's open stay on `on`; a stay that would end before it began is dropped."""
    stay = person.memberships.open().order_by("-start").first()
    if stay is None:
        return None
    if stay.start and on <= stay.start:
        raise ValidationError(
            _("The date must be after %(day)s, when the current stay began.")
            % {"day": stay.start.strftime("%d/%m/%Y")},
            code="before_stay",
        )
    stay.end = on
    stay.save(update_fields=["end"])
    return stay


def _restay(
    person: Person, household: Household, *, relationship: str, status: str, on: date
) -> None:
    """End the person's open stay on `on` and open the next one with new terms."""
    _close_stay(person, on)
    _open_stay(person, household, relationship=relationship, status=status, on=on)
    _set_current(person, household, relationship, status)


def _set_current(
    person: Person, household: Household | None, relationship: str, status: str
) -> None:
    person.household = household
    person.relationship = relationship
    person.residence_status = status
    person.save(update_fields=["household", "relationship", "residence_status"])


def _take_headship(household: Household, person: Person) -> None:
    household.head = person
    household.save(update_fields=["head"])


@transaction.atomic
def register_person(
    household: Household,
    *,
    acting_user: User | None,
    on: date,
    relationship: str,
    status: str = Residence.PERMANENT,
    kind: str = Kind.REGISTRATION,
    place: str = "",
    note: str = "",
    **fields: Any,
) -> Person:
    """Record someone living in `household` from `on`: a newcomer, a birth, or data entry.

    Refuses an ID number already taken (`DuplicateIdNumber` names the holder), and
    flags people with the same folded name and birth date for review.
    """
    fields = _clean_fields(fields)
    person = Person(**fields)
    _check_day(on, person)
    person.household = household
    person.relationship = HEAD if household.head_id is None else relationship
    person.residence_status = status
    person.save()
    _open_stay(person, household, relationship=person.relationship, status=status, on=on)
    if person.relationship == HEAD:
        _take_headship(household, person)
    _event(
        kind,
        acting_user=acting_user,
        on=on,
        person=person,
        household=household,
        place=place,
        note=note,
    )
    flag_duplicates(person)
    return person


def register_birth(
    household: Household,
    *,
    acting_user: User | None,
    birth_date: date,
    relationship: str = "Con",
    **fields: Any,
) -> Person:
    """A newborn joins `household` on their birth date, as a permanent resident."""
    return register_person(
        household,
        acting_user=acting_user,
        on=birth_date,
        relationship=relationship,
        kind=Kind.BIRTH,
        birth_date=birth_date,
        birth_precision=Person.BirthPrecision.DAY,
        **fields,
    )


def move_in(
    household: Household,
    *,
    acting_user: User | None,
    on: date,
    place: str,
    relationship: str,
    status: str = Residence.PERMANENT,
    **fields: Any,
) -> Person:
    """Someone from elsewhere (`place`) comes to live in `household`."""
    if status not in (Residence.PERMANENT, Residence.TEMPORARY):
        raise ValidationError(_("Someone moving in is a permanent or a temporary resident."))
    return register_person(
        household,
        acting_user=acting_user,
        on=on,
        relationship=relationship,
        status=status,
        kind=Kind.MOVE_IN,
        place=place,
        **fields,
    )


@transaction.atomic
def create_household(
    unit: Unit,
    *,
    acting_user: User | None,
    on: date,
    house_number: str = "",
    address: str = "",
    head_fields: dict[str, Any],
    place: str = "",
    status: str = Residence.PERMANENT,
) -> Household:
    """A new household in a hamlet or group, with its head moving in on `on`."""
    household = Household.objects.create(unit=unit, house_number=house_number, address=address)
    kind = Kind.MOVE_IN if place else Kind.REGISTRATION
    register_person(
        household,
        acting_user=acting_user,
        on=on,
        relationship=HEAD,
        status=status,
        kind=kind,
        place=place,
        **head_fields,
    )
    return household


def _leave_household(person: Person, *, acting_user: User | None, on: date) -> None:
    """After `person` leaves (dies or moves away) on `on`.

    If no one is left in the household, it is closed on that day, keeping its last head
    for the record. If others remain and `person` headed it, it has no head until one
    is named.
    """
    household = person.household
    if household is None:
        return
    if not household.members.registered().exclude(pk=person.pk).exists():
        household.closed_on = on
        household.save(update_fields=["closed_on"])
        _event(Kind.CLOSED, acting_user=acting_user, on=on, household=household)
    elif household.head_id == person.pk:
        household.head = None
        household.save(update_fields=["head"])


def _end_benefits(person: Person, on: date) -> tuple[list[int], list[str]]:
    """End on `on` the policy benefits still running for `person`; the labels of those ended."""
    ended = list(person.benefits.filter(Q(until__isnull=True) | Q(until__gt=on)))
    for benefit in ended:
        benefit.until = on
    Benefit.objects.bulk_update(ended, ["until"])
    return [b.pk for b in ended], [str(b) for b in ended]


@transaction.atomic
def record_death(person: Person, *, acting_user: User, on: date, note: str = "") -> Person:
    """`person` died on `on`: their stay ends, their running benefits (an old-age pension,
    an allowance) end that day, and the household closes if no one is left in it.

    The event's changes list the benefits ended, and so does `ended_benefits` on the
    returned person; `withdraw_death` undoes it all.
    """
    _check_alive(person)
    _check_day(on, person)
    _close_stay(person, on)
    person.died_on = on
    person.save(update_fields=["died_on"])
    benefit_ids, ended = _end_benefits(person, on)
    _event(
        Kind.DEATH,
        acting_user=acting_user,
        on=on,
        person=person,
        household=person.household,
        note=note,
        changes={"benefits_ended": [None, ended], "benefit_ids": [None, benefit_ids]}
        if ended
        else None,
    )
    _leave_household(person, acting_user=acting_user, on=on)
    announce_death(person, on)
    person.ended_benefits = ended  # type: ignore[attr-defined]  # read by the page that records it
    return person


@transaction.atomic
def withdraw_death(person: Person, *, acting_user: User, note: str = "") -> Person:
    """A death recorded by mistake is withdrawn: the person lives in their household
    again as before, the benefits the death ended run again, and a closed household
    reopens. The death event stays in the history, followed by this one."""
    if not person.died_on:
        raise ValidationError(
            _("%(name)s is not recorded as deceased.") % {"name": person.full_name}
        )
    died_on = person.died_on
    death = person.events.filter(kind=Kind.DEATH, on=died_on).order_by("-pk").first()
    stay = person.memberships.filter(end=died_on).order_by("-start").first()
    if stay is not None:
        stay.end = None
        stay.save(update_fields=["end"])
    elif person.household is not None:
        _open_stay(
            person,
            person.household,
            relationship=person.relationship,
            status=person.residence_status,
            on=died_on,
        )
    person.died_on = None
    person.save(update_fields=["died_on"])
    benefit_ids = ((death.changes or {}).get("benefit_ids") or [None, []])[1] if death else []
    person.benefits.filter(pk__in=benefit_ids, until=died_on).update(until=None)
    household = person.household
    if household is not None:
        fields = []
        if household.closed_on == died_on:
            household.closed_on = None
            fields.append("closed_on")
        if household.head_id is None and person.relationship == HEAD:
            household.head = person
            fields.append("head")
        if fields:
            household.save(update_fields=fields)
    _event(
        Kind.DEATH_WITHDRAWN,
        acting_user=acting_user,
        on=timezone.localdate(),
        person=person,
        household=household,
        note=note,
        changes={"died_on": [recordable(died_on), None]},
    )
    announce_death_withdrawn(person, died_on)
    return person


@transaction.atomic
def move_out(person: Person, *, acting_user: User, on: date, place: str, note: str = "") -> Person:
    """`person` leaves for `place`; they stay on record, linked to their last household."""
    _check_alive(person)
    _check_day(on, person)
    if person.residence_status == Residence.MOVED_OUT:
        raise ValidationError(_("%(name)s has already moved away.") % {"name": person.full_name})
    _close_stay(person, on)
    _set_current(person, person.household, person.relationship, Residence.MOVED_OUT)
    _event(
        Kind.MOVE_OUT,
        acting_user=acting_user,
        on=on,
        person=person,
        household=person.household,
        place=place,
        note=note,
    )
    _leave_household(person, acting_user=acting_user, on=on)
    return person


@transaction.atomic
def move_household_out(
    household: Household, *, acting_user: User, on: date, place: str, note: str = ""
) -> Household:
    """The whole household leaves for `place` on `on`: each member moves away, the head
    last, and the household closes that day."""
    members = list(household.members.registered())
    if not members:
        raise ValidationError(_("No one is left in this household."))
    members.sort(key=lambda member: member.pk == household.head_id)
    for member in members:
        move_out(member, acting_user=acting_user, on=on, place=place, note=note)
    household.refresh_from_db()
    return household


@transaction.atomic
def start_absence(
    person: Person, *, acting_user: User, on: date, place: str, note: str = ""
) -> Person:
    """`person` is away for a while (work, study, service) but stays in the household."""
    _check_alive(person)
    _check_day(on, person)
    household = person.household
    if household is None or person.residence_status not in Residence.present():
        raise ValidationError(
            _("Only someone living here can be recorded as temporarily absent."), code="status"
        )
    _restay(person, household, relationship=person.relationship, status=Residence.ABSENT, on=on)
    _event(
        Kind.ABSENCE,
        acting_user=acting_user,
        on=on,
        person=person,
        household=person.household,
        place=place,
        note=note,
    )
    return person


@transaction.atomic
def end_absence(person: Person, *, acting_user: User, on: date, note: str = "") -> Person:
    """`person` is back from a temporary absence, with the status they had before it."""
    _check_alive(person)
    _check_day(on, person)
    household = person.household
    if household is None or person.residence_status != Residence.ABSENT:
        raise ValidationError(_("%(name)s is not recorded as absent.") % {"name": person.full_name})
    before = (
        person.memberships.exclude(residence_status=Residence.ABSENT)
        .order_by("-start")
        .values_list("residence_status", flat=True)
        .first()
    ) or Residence.PERMANENT
    _restay(person, household, relationship=person.relationship, status=before, on=on)
    _event(
        Kind.RETURN,
        acting_user=acting_user,
        on=on,
        person=person,
        household=person.household,
        note=note,
    )
    return person


@transaction.atomic
def change_head(
    household: Household,
    *,
    new_head: Person,
    acting_user: User,
    on: date,
    old_head_relationship: str = "",
    version: int | None = None,
) -> Household:
    """`new_head` heads `household` from `on`; the former head, if still there, takes
    `old_head_relationship`. Relationships of the others are not rewritten: they are
    corrected one by one where they changed. A `version` other than the household's
    (someone changed it since the form was opened) is refused with StaleEdit."""
    check_version(household, version)
    household.refresh_from_db()
    new_head.refresh_from_db()
    _check_day(on, new_head)
    _check_alive(new_head)
    if new_head.household_id != household.pk or new_head.residence_status == Residence.MOVED_OUT:
        raise ValidationError(_("The new head must be a member of this household."))
    old_head = household.head
    changes = {"head": [str(old_head) if old_head else None, str(new_head)]}
    if (
        old_head
        and old_head.pk != new_head.pk
        and old_head.residence_status
        in (Residence.PERMANENT, Residence.TEMPORARY, Residence.ABSENT)
        and not old_head.died_on
    ):
        if not old_head_relationship:
            raise ValidationError(_("Say what the former head is to the new head."))
        _restay(
            old_head,
            household,
            relationship=old_head_relationship,
            status=old_head.residence_status,
            on=on,
        )
    _restay(new_head, household, relationship=HEAD, status=new_head.residence_status, on=on)
    _take_headship(household, new_head)
    _event(
        Kind.HEAD_CHANGE,
        acting_user=acting_user,
        on=on,
        household=household,
        person=new_head,
        changes=changes,
    )
    return household


@transaction.atomic
def split_household(
    household: Household,
    *,
    head: Person,
    members: Iterable[Person],
    acting_user: User,
    on: date,
    unit: Unit | None = None,
    house_number: str = "",
    address: str = "",
    relationships: dict[int, str] | None = None,
    version: int | None = None,
) -> Household:
    """`head` and `members` leave `household` to form a new one (same hamlet unless `unit`).

    `relationships` maps a member to their relationship to the new head (default "Con").
    A `version` other than the household's is refused with StaleEdit.
    """
    check_version(household, version)
    household.refresh_from_db()
    relationships = relationships or {}
    movers = [head, *[m for m in members if m.pk != head.pk]]
    for person in movers:
        _check_alive(person)
        if person.household_id != household.pk or person.residence_status == Residence.MOVED_OUT:
            raise ValidationError(
                _("%(name)s is not a member of this household.") % {"name": person.full_name}
            )
    _check_day(on)
    new = Household.objects.create(
        unit=unit or household.unit,
        house_number=house_number or household.house_number,
        address=address or household.address,
        head=head,
    )
    for person in movers:
        relationship = HEAD if person.pk == head.pk else relationships.get(person.pk, "Con")
        if household.head_id == person.pk:
            household.head = None
            household.save(update_fields=["head"])
        _restay(person, new, relationship=relationship, status=person.residence_status, on=on)
    if not household.members.registered().exists():
        household.closed_on = on
    # Its members changed: one more version, whatever else changed.
    household.save(update_fields=["closed_on"])
    _event(
        Kind.SPLIT,
        acting_user=acting_user,
        on=on,
        household=household,
        person=head,
        changes={"new_household": [None, new.pk], "members": [None, [p.pk for p in movers]]},
    )
    if new.unit_id != household.unit_id:
        announce_change(new.unit)  # the event announced the old household's unit
    return new


@transaction.atomic
def correct_person(
    person: Person,
    *,
    acting_user: User,
    note: str = "",
    version: int | None = None,
    **fields: Any,
) -> Person:
    """Fix recorded facts (not events): the old and new values go into the person's history.

    `version` is the one the form was opened with: if someone saved the person since, the
    correction is refused (StaleEdit, carrying the stored record) and nothing is written.
    """
    check_version(person, version)
    person.refresh_from_db()
    fields = _clean_fields(fields, person=person)
    changes: dict[str, list[Any]] = {}
    for name, value in fields.items():
        old = getattr(person, name)
        if old != value and not (old in (None, "") and value in (None, "")):
            changes[name] = [recordable(old), recordable(value)]
            setattr(person, name, value)
    if not changes:
        return person
    person.save()
    _event(
        Kind.CORRECTION,
        acting_user=acting_user,
        on=timezone.localdate(),
        person=person,
        household=person.household,
        note=note,
        changes=changes,
    )
    if {"full_name", "birth_date"} & set(changes):
        flag_duplicates(person)
    return person


@transaction.atomic
def merge_people(keep: Person, drop: Person, *, acting_user: User) -> Person:
    """Fold the record `drop` into `keep`: both histories stay, on the one person.

    Stays, events, immunisations and benefits move over; blank facts of `keep` are
    filled from `drop`; the merge itself is an event carrying `drop`'s facts.
    """
    if keep.pk == drop.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    snapshot = {name: recordable(getattr(drop, name)) for name in PERSON_FIELDS}
    filled: dict[str, Any] = {}
    for name in PERSON_FIELDS:
        if name == "id_number":
            continue
        if getattr(keep, name) in (None, "") and getattr(drop, name) not in (None, ""):
            filled[name] = getattr(drop, name)
    id_number = keep.id_number or drop.id_number
    kept_spans = [(stay.start, stay.end) for stay in keep.memberships.all()]
    for model in (LifeEvent, Immunisation, Benefit):
        model.objects.filter(person=drop).update(person=keep)
    # The dropped record's stays fill only the days the kept record has none, so that no
    # day counts the person twice in the as-of registry.
    for stay in drop.memberships.all():
        pieces = _subtract((stay.start, stay.end), kept_spans)
        if not pieces:
            stay.delete()
            continue
        stay.person, (stay.start, stay.end) = keep, pieces[0]
        stay.save(update_fields=["person", "start", "end"])
        for start, end in pieces[1:]:
            Membership.objects.create(
                person=keep, household=stay.household, relationship=stay.relationship,
                residence_status=stay.residence_status, start=start, end=end,
            )  # fmt: skip
    if keep.died_on or keep.residence_status == Residence.MOVED_OUT:
        # Someone who died or moved away has no stay after that day.
        last = keep.died_on or max((end for _start, end in kept_spans if end), default=None)
        for stay in keep.memberships.open():
            if last and (stay.start is None or stay.start < last):
                stay.end = last
                stay.save(update_fields=["end"])
            else:
                stay.delete()
    Household.objects.filter(head=drop).update(head=keep)
    DuplicateFlag.objects.filter(first=drop).exclude(second=keep).update(first=keep)
    DuplicateFlag.objects.filter(second=drop).exclude(first=keep).update(second=keep)
    DuplicateFlag.objects.filter(first__in=[keep, drop], second__in=[keep, drop]).update(
        status=DuplicateFlag.Status.MERGED, resolved_by=acting_user, resolved_at=timezone.now()
    )
    drop_pk = drop.pk
    SearchKey.objects.filter(person=drop).delete()
    drop.delete()
    for name, value in filled.items():
        setattr(keep, name, value)
    keep.id_number = id_number
    keep.save()
    _event(
        Kind.MERGE,
        acting_user=acting_user,
        on=timezone.localdate(),
        person=keep,
        household=keep.household,
        changes={
            "merged": [snapshot, None],
            "filled": [None, sorted(filled)],
            "record": [drop_pk, keep.pk],
        },
    )
    return keep


def _subtract(span: Span, others: Iterable[Span]) -> list[Span]:
    """The parts of the day range `span` that none of `others` covers; None is open-ended."""
    low, high = date.min, date.max
    pieces = [(span[0] or low, span[1] or high)]
    for start, end in others:
        start, end = start or low, end or high
        pieces = [
            part
            for a, b in pieces
            for part in ((a, min(b, start)), (max(a, end), b))
            if part[0] < part[1]
        ]
    return [(a if a != low else None, b if b != high else None) for a, b in pieces]


@transaction.atomic
def dismiss_duplicate(flag: DuplicateFlag, *, acting_user: User) -> DuplicateFlag:
    flag.status = DuplicateFlag.Status.DISMISSED
    flag.resolved_by = acting_user
    flag.resolved_at = timezone.now()
    flag.save(update_fields=["status", "resolved_by", "resolved_at"])
    AuditEntry.objects.record(acting_user, "registry.duplicate_dismissed", target=flag.first)
    return flag


@transaction.atomic
def record_immunisation(
    person: Person, *, acting_user: User, vaccine: str, dose: int, given_on: date | None
) -> Immunisation:
    """A shot `person` was given; `given_on` is None when the book does not say when."""
    if given_on is not None:
        _check_day(given_on, person)
    shot = Immunisation.objects.create(person=person, vaccine=vaccine, dose=dose, given_on=given_on)
    announce_change(_unit_of(person))  # the immunisation coverage kept elsewhere
    shown = str(shot) if given_on is None else f"{shot} {given_on:%d/%m/%Y}"
    AuditEntry.objects.record(
        acting_user, "registry.immunisation", target=person, unit=_unit_of(person),
        changes={"immunisation": [None, shown]},
    )  # fmt: skip
    return shot


@transaction.atomic
def add_benefit(
    person: Person,
    *,
    acting_user: User,
    kind: str,
    since: date | None = None,
    until: date | None = None,
    note: str = "",
) -> Benefit:
    if since and until and until <= since:
        raise ValidationError(_("The end must come after the start."))
    benefit = Benefit.objects.create(person=person, kind=kind, since=since, until=until, note=note)
    AuditEntry.objects.record(
        acting_user, "registry.benefit", target=person, unit=_unit_of(person),
        changes={"benefit": [None, kind]},
    )  # fmt: skip
    return benefit


# --- Import jobs ---------------------------------------------------------------------------


@transaction.atomic
def create_import_job(
    *, acting_user: User, unit: Unit, upload: UploadedFile, sheet: str = ""
) -> ImportJob:
    """Keep an uploaded file and queue its check once the transaction commits."""
    job = ImportJob.objects.create(
        created_by=acting_user, unit=unit, file=upload, original_name=(upload.name or "")[:200],
        sheet=sheet,
    )  # fmt: skip
    AuditEntry.objects.record(acting_user, "registry.import_uploaded", target=job, unit=unit)
    transaction.on_commit(partial(check_import.enqueue, job.pk))
    return job


@transaction.atomic
def confirm_import(job: ImportJob, *, acting_user: User) -> ImportJob:
    """A checked file is to be written: queue the write once the transaction commits."""
    if job.status != ImportJob.Status.CHECKED:
        raise ValidationError(_("Only a checked file without errors can be imported."))
    job.start(ImportJob.Status.IMPORTING)
    AuditEntry.objects.record(acting_user, "registry.import_confirmed", target=job, unit=job.unit)
    transaction.on_commit(partial(commit_import.enqueue, job.pk))
    return job
