"""What each app holds about a person, for the resident's data report (domain.md §11).

Law 91/2025 gives a resident the right to know what is held about them and who saw it.
The registry writes the report; apps above it (reports, party, notices, poverty,
associations…) hold more, and add it here at start-up with `register`, so that the
registry never imports them. A section's `facts(person)` returns (label, value) pairs,
or an empty list when the app holds nothing about that person.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.db.models import Q
from django.utils import timezone

from langso.accounts.models import AuditEntry
from langso.accounts.sensitive import EXPORT_PREFIX, READ_PREFIX
from langso.lib.paths import ancestors_of

Facts = list[tuple[Any, Any]]


@dataclass(frozen=True)
class PersonDataSection:
    key: str
    title: Any  # a lazy translation
    order: int
    facts: Callable[[Any], Facts]


_sections: dict[str, PersonDataSection] = {}


def register(section: PersonDataSection) -> None:
    _sections[section.key] = section


def sections() -> list[PersonDataSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def gathered(person) -> list[tuple[Any, Facts]]:
    """(title, facts) of every registered section that holds something about `person`."""
    found = []
    for section in sections():
        facts = section.facts(person)
        if facts:
            found.append((section.title, facts))
    return found


def access_history(person):
    """Who saw or took this person's data, and who changed it: newest first.

    The rows naming the person or one of their households, and the reads and exports of
    a unit they lived in (or one above it) made while they lived there.
    """
    stays = list(person.memberships.select_related("household__unit"))
    household_ids = sorted({str(stay.household_id) for stay in stays})
    condition = Q(target_type="registry.Person", target_id=str(person.pk)) | Q(
        target_type="registry.Household", target_id__in=household_ids
    )
    zone = timezone.get_current_timezone()
    for stay in stays:
        covering = Q(unit__path__in=ancestors_of(stay.household.unit.path)) & (
            Q(verb__startswith=READ_PREFIX) | Q(verb__startswith=EXPORT_PREFIX)
        )
        if stay.start:
            covering &= Q(at__gte=datetime.combine(stay.start, time.min, tzinfo=zone))
        if stay.end:
            covering &= Q(at__lt=datetime.combine(stay.end, time.min, tzinfo=zone))
        condition |= covering
    return AuditEntry.objects.filter(condition).select_related("actor", "unit").order_by("-at")
