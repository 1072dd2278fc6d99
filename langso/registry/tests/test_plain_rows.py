"""Rows written in bulk (import, demo, benchmarks) read back like rows written one by one."""

import json

import pytest
from django.db import connection
from django.utils import timezone

from langso.accounts.models import AuditEntry
from langso.registry.models import LifeEvent, Person, SearchKey
from langso.test import FIXED_DAY, vietnam_time


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    """Today is `FIXED_DAY`, 09:00 in Vietnam, the clock ticking: what these tests date
    (retention ages, meetings to come, uploads) never drifts with the real date."""
    time_machine.move_to(vietnam_time(FIXED_DAY), tick=True)


def _now():
    return connection.ops.adapt_datetimefield_value(timezone.now())


def test_a_plain_audit_row_reads_back_as_record_writes_it(world):
    person = world.household.head
    changes = {"phone": ["", "0912345678"]}
    kept = AuditEntry.objects.record(
        world.hamlet_head, "registry.correction", target=person, unit=world.hamlet, changes=changes
    )

    AuditEntry.insert_plain([
        AuditEntry.plain_row(
            actor_id=world.hamlet_head.pk, verb="registry.correction", unit_id=world.hamlet.pk,
            target=person, changes=json.dumps(changes), at=_now(),
        )
    ])  # fmt: skip

    plain = AuditEntry.objects.exclude(pk=kept.pk).get(verb="registry.correction")
    fields = ("actor", "verb", "unit", "target_type", "target_id", "target_repr", "changes")
    assert [getattr(plain, f) for f in fields] == [getattr(kept, f) for f in fields]
    assert plain.target_repr == "Nguyễn Văn Phụng"


def test_a_plain_life_event_shows_on_the_persons_timeline(world):
    person = world.household.head
    on = connection.ops.adapt_datefield_value(timezone.localdate())

    LifeEvent.insert_plain([
        LifeEvent.plain_row(
            LifeEvent.Kind.CORRECTION, person_id=person.pk, household_id=world.household.pk,
            on=on, at=_now(), by_id=world.hamlet_head.pk, note="danh-sach.xlsx",
            changes=json.dumps({"phone": ["", "0912345678"]}),
        )
    ])  # fmt: skip

    event = person.events.get(kind=LifeEvent.Kind.CORRECTION)
    assert (event.note, event.place, event.recorded_by) == ("danh-sach.xlsx", "", world.hamlet_head)
    assert event.changes == {"phone": ["", "0912345678"]}


def test_plain_search_keys_find_the_person(world):
    person = world.household.head
    SearchKey.objects.filter(person=person).delete()

    SearchKey.insert_plain(SearchKey.plain_rows(person.pk, person.folded_name, "001072012345"))

    assert Person.objects.filter(pk__in=SearchKey.matching("van phung").values("person")).exists()
    assert Person.objects.filter(pk__in=SearchKey.matching("2345").values("person")).get() == person
