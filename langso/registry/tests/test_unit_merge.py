"""Merging two hamlets moves their households the registry's way: each person's history
shows it, and each household counts once (reports/tests/test_unit_merge.py: indicators
and past-day lists)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from langso.accounts.models import AuditEntry
from langso.registry import units
from langso.registry.figures import unit_figures
from langso.registry.models import Household, LifeEvent, Person

TODAY = date(2026, 6, 15)
MERGED_ON = date(2026, 3, 1)


@pytest.fixture(autouse=True)
def mid_june():
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def merged(world, django_capture_on_commit_callbacks):
    """Bình Chiến (with Tổ 1 and its household of three) merged into Đồng Tâm on 1 March."""
    with django_capture_on_commit_callbacks(execute=True):
        units.merge_units(
            world.hamlet, into=world.other_hamlet, on=MERGED_ON, acting_user=world.official
        )
    return world


def test_the_commune_page_counts_each_household_once(client, merged):
    world = merged
    client.force_login(world.official)

    response = client.get(reverse("units:unit-detail", args=[world.commune.pk]))

    assert response.context["figures"]["households"] == 2
    assert response.context["figures"]["residents"] == 4
    [current] = response.context["children"]
    assert current == world.other_hamlet and current.figures["residents"] == 4
    assert world.hamlet in response.context["former_children"]
    figures = unit_figures(world.commune, [world.hamlet, world.other_hamlet])
    assert figures[world.hamlet.pk]["households"] == 0


def test_a_persons_timeline_shows_the_merge_and_both_households(client, merged):
    world = merged
    wife = Person.objects.get(full_name="Trần Thị Thuỷ")
    client.force_login(world.official)

    response = client.get(wife.get_absolute_url())

    page = response.content.decode()
    assert "01/03/2026" in page
    assert "Thôn, tổ được sáp nhập vào đơn vị khác — Tổ 1, Thôn Đồng Tâm" in page
    stays = list(response.context["stays"])
    assert [(s.start, s.end) for s in stays] == [(date(2010, 1, 1), MERGED_ON), (MERGED_ON, None)]
    assert stays[0].household.unit == world.group
    assert stays[1].household.unit.parent == world.other_hamlet
    assert wife.household == stays[1].household
    event = LifeEvent.objects.get(person=wife, kind=LifeEvent.Kind.UNIT_MERGE)
    assert event.changes["unit"] == ["Tổ 1, Thôn Bình Chiến", "Tổ 1, Thôn Đồng Tâm"]
    assert event.recorded_by == world.official


def test_the_households_keep_their_head_and_are_audited(merged):
    world = merged

    new = Household.objects.get(unit__parent=world.other_hamlet)
    assert new.head.full_name == "Nguyễn Văn Phụng"
    assert new.members.count() == 3
    assert world.household.members.count() == 0  # the old row keeps only the past
    entry = AuditEntry.objects.get(verb="registry.unit_merge")
    assert entry.actor == world.official
    assert entry.changes["household"] == [world.household.pk, new.pk]
