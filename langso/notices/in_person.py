"""The in-person list as a hamlet head walks it: by household, in house order.

Who is listed is `access.in_person_for_user`; this module groups those recipients by the
household they live in (address, head, the members to tell, elderly first), orders the
households by group and house number, and leaves out children under 14 unless the
notice names them.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from langso.notices.models import Audience, Notice, Recipient

CHILD_UNDER = 14  # children younger than this are told through their family

_NUMBER = re.compile(r"\d+")


@dataclass
class Visit:
    """One household to visit (or one recipient with no household, such as an account)."""

    household: object | None
    unit: object | None
    recipients: list[Recipient] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"h{self.household.pk}" if self.household else f"r{self.recipients[0].pk}"

    @property
    def address(self) -> str:
        return self.household.full_address if self.household else ""

    @property
    def head(self):
        return self.household.head if self.household else None

    @property
    def all_told(self) -> bool:
        return all(r.status == Recipient.Status.TOLD for r in self.recipients)

    @property
    def told_count(self) -> int:
        return sum(r.status == Recipient.Status.TOLD for r in self.recipients)


def named_people(notice: Notice) -> set[int]:
    """People the notice (or the notice it relays) is addressed to by name."""
    ids = [notice.pk] + ([notice.parent_id] if notice.parent_id else [])
    return set(
        Audience.objects.filter(
            notice_id__in=ids, kind=Audience.Kind.PERSON, person__isnull=False
        ).values_list("person_id", flat=True)
    )


def to_tell(recipients: QuerySet[Recipient], notice: Notice, today: date) -> list[Recipient]:
    """The recipients the list shows: children under 14 only when named."""
    named = named_people(notice)
    rows = recipients.select_related("person__household__head", "person__household__unit", "unit")
    kept = []
    for recipient in rows:
        person = recipient.person
        age = person.age_on(today) if person else None
        if age is not None and age < CHILD_UNDER and person.pk not in named:
            continue
        kept.append(recipient)
    return kept


def _house_order(visit: Visit):
    unit_path = visit.unit.path if visit.unit else ""
    if visit.household is None:
        return (unit_path, 1, 0, "", "")
    number = _NUMBER.search(visit.household.house_number or "")
    head = visit.household.head
    return (
        unit_path,
        0 if number else 1,
        int(number.group()) if number else 0,
        f"{visit.household.house_number} {visit.household.address}",
        head.sort_key if head else "",
    )


def _elderly_first(recipient: Recipient):
    born = recipient.person.birth_date if recipient.person else None
    return (born is None, born or date.max, recipient.pk)


def visits(recipients: list[Recipient]) -> list[Visit]:
    """`recipients` grouped by household, households in group and house-number order,
    each household's members eldest first."""
    by_key: dict[object, Visit] = {}
    for recipient in recipients:
        household = recipient.person.household if recipient.person else None
        key = ("h", household.pk) if household else ("r", recipient.pk)
        if key not in by_key:
            unit = household.unit if household else recipient.unit
            by_key[key] = Visit(household=household, unit=unit)
        by_key[key].recipients.append(recipient)
    ordered = sorted(by_key.values(), key=_house_order)
    for visit in ordered:
        visit.recipients.sort(key=_elderly_first)
    return ordered
