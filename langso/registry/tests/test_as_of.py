"""Reading the registry as of a day: who lived where, aged what, in which household."""

from datetime import date

from langso.registry import actions
from langso.registry.models import Membership, Person


def roster(unit, day):
    return {
        (stay.person.full_name, stay.household_id, stay.relationship, stay.residence_status)
        for stay in Membership.objects.as_of(day, unit)
    }


def test_the_registry_reads_as_of_any_day_across_moves_births_and_deaths(world):
    act = world.hamlet_head
    home = actions.create_household(
        world.group,
        acting_user=act,
        on=date(2010, 1, 1),
        head_fields={"full_name": "Hà Văn Sáu", "sex": "m", "birth_date": date(1950, 1, 1)},
    )
    grandma = actions.register_person(
        home,
        acting_user=act,
        on=date(2010, 1, 1),
        relationship="Mẹ",
        full_name="Hà Thị Bảy",
        sex="f",
        birth_date=date(1930, 1, 1),
    )
    newcomer = actions.move_in(
        home,
        acting_user=act,
        on=date(2020, 5, 1),
        place="Xã Chiềng Mung, Sơn La",
        relationship="Con dâu",
        status=Person.Residence.TEMPORARY,
        full_name="Lò Thị Ún",
        sex="f",
        birth_date=date(1998, 3, 3),
    )
    baby = actions.register_birth(
        home, acting_user=act, full_name="Hà Gia Bảo", sex="m", birth_date=date(2022, 7, 7)
    )
    actions.record_death(grandma, acting_user=act, on=date(2023, 2, 2))
    actions.move_out(newcomer, acting_user=act, on=date(2025, 9, 9), place="Hà Nội")

    names = lambda day: {row[0] for row in roster(world.hamlet, day)}  # noqa: E731
    phung_family = {"Nguyễn Văn Phụng", "Trần Thị Thuỷ", "Nguyễn Văn An"}  # the personas'
    assert names(date(2015, 1, 1)) == {"Hà Văn Sáu", "Hà Thị Bảy", *phung_family}
    assert names(date(2009, 12, 31)) == set()  # nobody had moved in yet
    assert names(date(2021, 1, 1)) >= {"Hà Văn Sáu", "Hà Thị Bảy", "Lò Thị Ún"}
    assert "Hà Gia Bảo" not in names(date(2022, 7, 6))
    assert "Hà Gia Bảo" in names(date(2022, 7, 7))  # counted from the day of birth
    assert "Hà Thị Bảy" in names(date(2023, 2, 1))
    assert "Hà Thị Bảy" not in names(date(2023, 2, 2))  # not from the day of death
    assert "Lò Thị Ún" in names(date(2025, 9, 8))
    assert "Lò Thị Ún" not in names(date(2025, 9, 9))
    # Her status on a past day is that day's status, not today's "moved away".
    assert ("Lò Thị Ún", home.pk, "Con dâu", "temporary") in roster(world.hamlet, date(2024, 1, 1))
    assert baby.age_on(date(2026, 7, 6)) == 3 and baby.age_on(date(2026, 7, 7)) == 4


def test_as_of_follows_a_person_from_one_household_to_another(world):
    act = world.hamlet_head
    home = actions.create_household(
        world.group,
        acting_user=act,
        on=date(2010, 1, 1),
        head_fields={"full_name": "Vì Văn Pọm", "sex": "m", "birth_date": date(1960, 2, 2)},
    )
    son = actions.register_person(
        home,
        acting_user=act,
        on=date(2010, 1, 1),
        relationship="Con",
        full_name="Vì Văn Ẻn",
        sex="m",
        birth_date=date(1990, 2, 2),
    )
    new = actions.split_household(home, head=son, members=[], acting_user=act, on=date(2024, 4, 4))

    before = {s.person_id: s.household_id for s in Membership.objects.as_of(date(2024, 4, 3))}
    after = {s.person_id: s.household_id for s in Membership.objects.as_of(date(2024, 4, 4))}
    assert before[son.pk] == home.pk
    assert after[son.pk] == new.pk


def test_a_year_only_birth_date_counts_from_the_first_of_january():
    person = Person(full_name="Giàng A Dệnh", birth_date=date(1950, 1, 1), birth_precision="year")
    assert person.age_on(date(2025, 12, 31)) == 75
    assert person.age_on(date(2026, 1, 1)) == 76
