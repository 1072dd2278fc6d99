"""Creating, renaming, merging and retiring hamlets and groups keeps their history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from langso.accounts.models import AuditEntry
from langso.places import actions
from langso.places.models import Unit
from langso.registry.models import Household, Person


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
    group_household = world.household  # lives in Tổ 1 of Bình Chiến
    direct = Household.objects.create(unit=world.hamlet, address="Bình Chiến")

    actions.merge_units(world.hamlet, into=world.other_hamlet, on=on, acting_user=world.official)

    world.hamlet.refresh_from_db()
    world.group.refresh_from_db()
    direct.refresh_from_db()
    assert world.hamlet.valid_to == on
    assert world.hamlet.successor == world.other_hamlet
    assert not world.hamlet.is_current(on)
    assert world.hamlet.is_current(date(2025, 12, 31))  # still there for last year's reports
    assert direct.unit == world.other_hamlet
    assert world.group.parent == world.other_hamlet
    assert world.group.path.startswith(world.other_hamlet.path + "/")
    # The people of the moved group now count under the target hamlet.
    assert Person.objects.within(world.other_hamlet).filter(household=group_household).count() == 3
    assert Unit.objects.current(on).filter(pk=world.hamlet.pk).count() == 0
    assert Unit.objects.filter(pk=world.hamlet.pk).exists()
    assert AuditEntry.objects.filter(verb="unit.merge", target_id=str(world.hamlet.pk)).exists()


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
