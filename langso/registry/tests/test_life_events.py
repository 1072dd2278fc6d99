"""Life events update the current state and leave dated history (design.md principle 4)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from langso.accounts.models import AuditEntry
from langso.registry import actions
from langso.registry.models import Benefit, Household, LifeEvent, Membership, Person

Residence = Person.Residence


@pytest.fixture
def family(world):
    """The household of Nguyễn Văn Phụng in Tổ 1, Bình Chiến, with dated stays."""
    household = actions.create_household(
        world.group,
        acting_user=world.hamlet_head,
        on=date(2000, 1, 1),
        address="Tổ 1, thôn Bình Chiến",
        head_fields={"full_name": "Lê Văn Toàn", "sex": "m", "birth_date": date(1965, 4, 2)},
    )
    wife = actions.register_person(
        household,
        acting_user=world.hamlet_head,
        on=date(2000, 1, 1),
        relationship="Vợ",
        full_name="Đỗ Thị Hằng",
        sex="f",
        birth_date=date(1968, 9, 9),
    )
    return household, household.head, wife


def test_a_birth_adds_a_permanent_member_from_the_birth_date(world, family):
    household, _head, _wife = family

    baby = actions.register_birth(
        household,
        acting_user=world.hamlet_head,
        full_name="Lê Minh Khôi",
        sex="m",
        birth_date=date(2026, 10, 1),
    )

    assert baby.household == household and baby.relationship == "Con"
    assert baby.residence_status == Residence.PERMANENT
    stay = baby.memberships.get()
    assert (stay.start, stay.end) == (date(2026, 10, 1), None)
    event = baby.events.get()
    assert (event.kind, event.on, event.recorded_by) == (
        LifeEvent.Kind.BIRTH,
        date(2026, 10, 1),
        world.hamlet_head,
    )
    assert AuditEntry.objects.filter(verb="registry.birth", actor=world.hamlet_head).exists()


def test_a_death_ends_the_stay_and_leaves_the_household_without_its_head(world, family):
    household, head, _wife = family

    actions.record_death(head, acting_user=world.hamlet_head, on=date(2026, 3, 5))

    head.refresh_from_db()
    household.refresh_from_db()
    assert head.died_on == date(2026, 3, 5)
    assert head.memberships.get().end == date(2026, 3, 5)
    assert household.head is None
    with pytest.raises(ValidationError):
        actions.record_death(head, acting_user=world.hamlet_head, on=date(2026, 3, 6))


def test_moving_out_keeps_the_person_on_record_with_the_place(world, family):
    _household, _head, wife = family

    actions.move_out(wife, acting_user=world.hamlet_head, on=date(2026, 6, 1), place="Hà Nội")

    wife.refresh_from_db()
    assert wife.residence_status == Residence.MOVED_OUT
    assert wife.household_id == family[0].pk  # linked to the household she left
    assert wife.memberships.get().end == date(2026, 6, 1)
    assert wife.events.get(kind=LifeEvent.Kind.MOVE_OUT).place == "Hà Nội"
    assert not Person.objects.residents().filter(pk=wife.pk).exists()


def test_an_absence_and_a_return_split_the_stay_in_three(world, family):
    _household, head, _wife = family

    actions.start_absence(
        head, acting_user=world.hamlet_head, on=date(2025, 2, 1), place="Bình Dương"
    )
    actions.end_absence(head, acting_user=world.hamlet_head, on=date(2025, 12, 20))

    stays = list(head.memberships.order_by("start").values_list("residence_status", "start", "end"))
    assert stays == [
        (Residence.PERMANENT, date(2000, 1, 1), date(2025, 2, 1)),
        (Residence.ABSENT, date(2025, 2, 1), date(2025, 12, 20)),
        (Residence.PERMANENT, date(2025, 12, 20), None),
    ]
    head.refresh_from_db()
    assert head.residence_status == Residence.PERMANENT


def test_a_record_left_without_a_household_cannot_be_sent_away_or_back(world, family):
    """A record detached from its household (in the admin) has no stay to split."""
    _household, _head, wife = family
    Person.objects.filter(pk=wife.pk).update(household=None)
    wife.refresh_from_db()

    with pytest.raises(ValidationError) as away:
        actions.start_absence(wife, acting_user=world.hamlet_head, on=date(2025, 2, 1), place="X")
    Person.objects.filter(pk=wife.pk).update(residence_status=Residence.ABSENT)
    wife.refresh_from_db()
    with pytest.raises(ValidationError) as back:
        actions.end_absence(wife, acting_user=world.hamlet_head, on=date(2025, 3, 1))

    assert away.value.code == "status" and wife.full_name in back.value.message

    assert wife.memberships.get().end is None and not wife.events.filter(kind="absence").exists()


def test_a_date_before_the_current_stay_began_is_refused(world, family):
    _household, head, _wife = family

    with pytest.raises(ValidationError):
        actions.start_absence(head, acting_user=world.hamlet_head, on=date(1999, 1, 1), place="X")


def test_future_dates_are_refused(world, family):
    _household, head, _wife = family

    with pytest.raises(ValidationError):
        actions.record_death(head, acting_user=world.hamlet_head, on=date(2099, 1, 1))


def test_a_change_of_head_dates_both_relationships(world, family):
    household, head, wife = family

    actions.change_head(
        household,
        new_head=wife,
        acting_user=world.hamlet_head,
        on=date(2026, 1, 1),
        old_head_relationship="Chồng",
    )

    household.refresh_from_db()
    head.refresh_from_db()
    wife.refresh_from_db()
    assert household.head == wife
    assert (wife.relationship, head.relationship) == ("Chủ hộ", "Chồng")
    assert list(head.memberships.order_by("start").values_list("relationship", flat=True)) == [
        "Chủ hộ",
        "Chồng",
    ]


def test_a_split_moves_members_into_a_new_household(world, family):
    household, head, _wife = family
    son = actions.register_person(
        household,
        acting_user=world.hamlet_head,
        on=date(2000, 1, 1),
        relationship="Con",
        full_name="Lê Văn Nam",
        sex="m",
        birth_date=date(1995, 5, 5),
    )

    new = actions.split_household(
        household,
        head=son,
        members=[],
        acting_user=world.hamlet_head,
        on=date(2026, 8, 1),
        house_number="12",
    )

    son.refresh_from_db()
    assert new.head == son and son.household == new and son.relationship == "Chủ hộ"
    assert household.members.registered().count() == 2
    assert son.memberships.order_by("start").first().household == household
    assert Household.objects.get(pk=household.pk).head == head


def test_a_correction_records_old_and_new_values(world, family):
    _household, head, _wife = family

    actions.correct_person(
        head, acting_user=world.hamlet_head, full_name="Lê Văn Toản", phone="0912 345 678"
    )

    head.refresh_from_db()
    event = head.events.get(kind=LifeEvent.Kind.CORRECTION)
    assert event.changes["full_name"] == ["Lê Văn Toàn", "Lê Văn Toản"]
    assert event.changes["phone"] == ["", "0912345678"]
    assert head.given_name == "Toản"
    assert head.folded_name == "le van toan"


def test_every_person_has_exactly_one_open_stay_after_a_series_of_events(world, family):
    household, head, wife = family
    actions.start_absence(wife, acting_user=world.hamlet_head, on=date(2024, 1, 1), place="Huế")
    actions.end_absence(wife, acting_user=world.hamlet_head, on=date(2024, 6, 1))
    actions.change_head(
        household,
        new_head=wife,
        acting_user=world.hamlet_head,
        on=date(2025, 1, 1),
        old_head_relationship="Chồng",
    )

    for person in (head, wife):
        assert Membership.objects.filter(person=person, end__isnull=True).count() == 1


def test_when_the_last_member_dies_the_household_closes_that_day(world, family):
    """docs/registry.md, Deaths and moves: a household no one lives in is closed."""
    household, head, wife = family
    actions.move_out(wife, acting_user=world.hamlet_head, on=date(2025, 6, 1), place="Hà Nội")
    household.refresh_from_db()
    assert household.closed_on is None and household.head == head

    actions.record_death(head, acting_user=world.hamlet_head, on=date(2026, 3, 5))

    household.refresh_from_db()
    assert household.closed_on == date(2026, 3, 5)
    assert household.head == head  # kept for the record, not "without a head"
    assert household.events.filter(kind=LifeEvent.Kind.CLOSED, on=date(2026, 3, 5)).exists()


def test_a_whole_household_moves_away_in_one_action(world, family):
    household, _head, _wife = family

    actions.move_household_out(
        household, acting_user=world.hamlet_head, on=date(2026, 4, 1), place="Xã Mường Bú"
    )

    household.refresh_from_db()
    assert household.closed_on == date(2026, 4, 1)
    assert set(household.members.values_list("residence_status", flat=True)) == {
        Residence.MOVED_OUT
    }
    assert not Membership.objects.filter(household=household, end=None).exists()
    assert household.events.filter(kind=LifeEvent.Kind.MOVE_OUT).count() == 2


def test_a_death_ends_the_running_benefits_that_day_and_names_them(world, family):
    _household, head, _wife = family
    pension = actions.add_benefit(
        head, acting_user=world.hamlet_head, kind=Benefit.Kind.ELDERLY_ALLOWANCE,
        since=date(2020, 1, 1),
    )  # fmt: skip
    past = actions.add_benefit(
        head, acting_user=world.hamlet_head, kind=Benefit.Kind.OTHER,
        since=date(2010, 1, 1), until=date(2012, 1, 1),
    )  # fmt: skip

    done = actions.record_death(head, acting_user=world.hamlet_head, on=date(2026, 3, 5))

    pension.refresh_from_db()
    past.refresh_from_db()
    assert pension.until == date(2026, 3, 5) and past.until == date(2012, 1, 1)
    assert done.ended_benefits == [str(pension)]
    death = head.events.get(kind=LifeEvent.Kind.DEATH)
    assert death.changes["benefits_ended"] == [None, [str(pension)]]


def test_a_death_recorded_by_mistake_is_withdrawn_whole(world, family):
    household, head, wife = family
    actions.move_out(wife, acting_user=world.hamlet_head, on=date(2025, 6, 1), place="Hà Nội")
    pension = actions.add_benefit(
        head, acting_user=world.hamlet_head, kind=Benefit.Kind.ELDERLY_ALLOWANCE
    )
    actions.record_death(head, acting_user=world.hamlet_head, on=date(2026, 3, 5))

    actions.withdraw_death(head, acting_user=world.hamlet_head)

    head.refresh_from_db()
    household.refresh_from_db()
    pension.refresh_from_db()
    assert head.died_on is None and pension.until is None
    assert head.memberships.get().end is None
    assert household.closed_on is None and household.head == head
    assert [e.kind for e in head.events.order_by("pk")][-2:] == [
        LifeEvent.Kind.DEATH, LifeEvent.Kind.DEATH_WITHDRAWN
    ]  # fmt: skip
    with pytest.raises(ValidationError):
        actions.withdraw_death(head, acting_user=world.hamlet_head)
