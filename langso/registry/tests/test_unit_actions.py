"""Creating, renaming, merging and retiring hamlets and groups keeps their history."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from langso.accounts.models import AuditEntry, RoleAssignment
from langso.accounts.roles import Role
from langso.places.models import Unit
from langso.registry import units as actions
from langso.registry.models import Person
from langso.test import make_household


@pytest.fixture(autouse=True)
def mid_2026():
    """Merges in these tests are dated early in 2026: in the past, whatever the clock says."""
    with time_machine.travel(date(2026, 6, 15)):
        yield


def test_create_unit_numbers_hamlets_under_the_commune(world):
    hamlet = actions.create_unit(
        world.commune, name="  Đồng  Sơn ", type_name="thôn", acting_user=world.official
    )

    assert hamlet.kind == Unit.Kind.HAMLET
    assert hamlet.name == "Đồng Sơn"
    assert hamlet.path == world.commune.path + "/h03"
    assert AuditEntry.objects.filter(verb="unit.create", target_id=str(hamlet.pk)).exists()


def test_create_unit_refuses_a_duplicate_name_in_the_same_commune(world):
    with pytest.raises(ValidationError):
        actions.create_unit(
            world.commune, name="bình chiến", type_name="thôn", acting_user=world.official
        )


def test_rename_records_old_and_new_names(world):
    actions.rename_unit(
        world.other_hamlet, name="Đồng Tiến", type_name="xóm", acting_user=world.official
    )

    entry = AuditEntry.objects.get(verb="unit.rename")
    assert entry.changes == {"name": ["Đồng Tâm", "Đồng Tiến"], "type_name": ["thôn", "xóm"]}
    assert entry.actor == world.official


def test_merge_keeps_the_source_with_its_dates_and_moves_households_and_groups(world):
    on = date(2026, 1, 1)
    direct = make_household(world.hamlet, "Đỗ Văn Minh", address="Bình Chiến")
    role = RoleAssignment.objects.create(user=world.viewer, role=Role.VIEWER, unit=world.group)

    actions.merge_units(world.hamlet, into=world.other_hamlet, on=on, acting_user=world.official)

    world.hamlet.refresh_from_db()
    world.group.refresh_from_db()
    assert world.hamlet.valid_to == on
    assert world.hamlet.successor == world.other_hamlet
    assert not world.hamlet.is_current(on)
    assert world.hamlet.is_current(date(2025, 12, 31))  # still there for last year's reports
    # The group ends with its hamlet and carries on, by name, under the target.
    successor = world.group.successor
    assert world.group.valid_to == on and world.group.parent == world.hamlet
    assert successor.name == "Tổ 1" and successor.parent == world.other_hamlet
    assert successor.valid_from == on
    role.refresh_from_db()
    assert role.unit == successor
    # Households carry on in the target; the old rows keep the days before `on`.
    assert Person.objects.get(full_name="Đỗ Văn Minh").household.unit == world.other_hamlet
    assert not direct.members.exists()
    assert Person.objects.within(successor).count() == 3
    assert Person.objects.within(world.hamlet).count() == 0
    assert Unit.objects.current(on).filter(pk=world.hamlet.pk).count() == 0
    assert Unit.objects.filter(pk=world.hamlet.pk).exists()
    entry = AuditEntry.objects.get(verb="unit.merge", target_id=str(world.hamlet.pk))
    assert entry.changes["households_moved"] == [0, 2]
    assert entry.changes["groups_moved"] == [[world.group.path, successor.path]]


def test_merge_refuses_a_day_in_the_future(world):
    with pytest.raises(ValidationError, match="tương lai"):
        actions.merge_units(
            world.hamlet,
            into=world.other_hamlet,
            on=timezone.localdate() + timedelta(days=1),
            acting_user=world.official,
        )
    world.hamlet.refresh_from_db()
    assert world.hamlet.valid_to is None


def test_merge_refuses_a_unit_of_another_commune(world):
    with pytest.raises(ValidationError):
        actions.merge_units(
            world.hamlet, into=world.far_hamlet, on=date(2026, 1, 1), acting_user=world.official
        )


def test_retire_refuses_a_hamlet_that_still_has_households(world):
    with pytest.raises(ValidationError, match="vẫn còn hộ gia đình"):
        actions.retire_unit(world.other_hamlet, on=date(2026, 1, 1), acting_user=world.official)


def test_retire_ends_an_empty_hamlet_and_keeps_its_row(world):
    empty = actions.create_unit(
        world.commune,
        name="Thôn Mới",
        type_name="thôn",
        acting_user=world.official,
        valid_from=date(2025, 8, 1),
    )

    actions.retire_unit(empty, on=date(2026, 1, 1), acting_user=world.official)

    empty.refresh_from_db()
    assert empty.valid_to == date(2026, 1, 1)
    assert empty.successor is None
    assert Unit.objects.current(date(2025, 12, 1)).filter(pk=empty.pk).exists()
    assert not Unit.objects.current(date(2026, 1, 1)).filter(pk=empty.pk).exists()


def test_a_retired_unit_cannot_be_retired_again(world):
    empty = actions.create_unit(
        world.commune,
        name="Thôn Mới",
        type_name="thôn",
        acting_user=world.official,
        valid_from=date(2025, 8, 1),
    )
    actions.retire_unit(empty, on=date(2026, 1, 1), acting_user=world.official)

    with pytest.raises(ValidationError):
        actions.retire_unit(empty, on=date(2026, 2, 1), acting_user=world.official)
