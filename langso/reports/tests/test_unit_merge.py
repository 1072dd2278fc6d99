"""After two hamlets merge (a registry action), the stored indicators are refreshed and a
list drawn for a day before the merge still reads the old hamlets."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from langso.registry import units
from langso.reports.indicators import commune_indicators
from langso.reports.lists import voters
from langso.reports.models import UnitSummary

TODAY = date(2026, 6, 15)
MERGED_ON = date(2026, 3, 1)
BEFORE = date(2026, 2, 15)

# The background worker runs for real and closes its database connection when done, which
# an enclosing test transaction would not survive on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)


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
