"""Merging two hamlets moves their households the registry's way: figures, past-day
lists and each person's history all stay right."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from langso.accounts.models import AuditEntry
from langso.registry import units
from langso.registry.figures import unit_figures
from langso.registry.models import Household, LifeEvent, Person
from langso.reports.indicators import commune_indicators
from langso.reports.lists import voters
from langso.reports.models import UnitSummary

TODAY = date(2026, 6, 15)
MERGED_ON = date(2026, 3, 1)
BEFORE = date(2026, 2, 15)


@pytest.fixture(autouse=True)
def mid_june():
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def merged(world, django_capture_on_commit_callbacks):
    """Bình Chiến (with Tổ 1 and its household of three) merged into Đồng Tâm on 1 March,
    after the commune's indicators were stored, and the background refresh run."""
    commune_indicators(world.commune, [world.hamlet, world.other_hamlet])
    with django_capture_on_commit_callbacks(execute=True):
        units.merge_units(
            world.hamlet, into=world.other_hamlet, on=MERGED_ON, acting_user=world.official
        )
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    return world


def names(drawn):
    return sorted(row["name"] for row in drawn.rows)


def test_the_stored_indicators_of_the_commune_and_its_hamlets_are_refreshed(merged):
    world = merged
    summaries = {s.unit_id: s.figures for s in UnitSummary.objects.filter(day=TODAY)}

    # Three in Bình Chiến, one in Đồng Tâm: all four now live in Đồng Tâm.
    assert summaries[world.commune.pk]["population"] == 4
    assert summaries[world.commune.pk]["households"] == 2
    assert summaries[world.other_hamlet.pk]["population"] == 4
    assert summaries[world.other_hamlet.pk]["households"] == 2
    figures, _summary = commune_indicators(world.commune, [world.other_hamlet])
    assert figures[world.other_hamlet.pk]["population"] == 4


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


def test_a_voter_list_for_a_day_before_the_merge_reads_the_old_hamlets(merged):
    world = merged

    assert names(voters(world.hamlet, BEFORE)) == ["Nguyễn Văn Phụng", "Trần Thị Thuỷ"]
    assert names(voters(world.other_hamlet, BEFORE)) == ["Lê Văn Hùng"]
    assert names(voters(world.other_hamlet, TODAY)) == [
        "Lê Văn Hùng",
        "Nguyễn Văn Phụng",
        "Trần Thị Thuỷ",
    ]
    assert voters(world.hamlet, TODAY).rows == []
    row = voters(world.other_hamlet, TODAY).rows[1]
    assert row["unit"] == "Tổ 1"  # the group carried on under Đồng Tâm


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
