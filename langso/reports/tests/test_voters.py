"""The voter list (Law on Elections 85/2015, amended 83/2025; domain.md §4)."""

from collections import Counter
from datetime import date

import pytest

from langso.registry import actions
from langso.registry.models import Membership
from langso.reports.lists import voter_counts, voter_selection, voters
from langso.reports.models import VoterExclusion

ELECTION = date(2026, 3, 15)


@pytest.fixture
def home(world):
    return world.household  # Nguyễn Văn Phụng (1970), Trần Thị Thuỷ (1972), Nguyễn Văn An (2009)


def add(world, home, name, born, *, on=date(2010, 1, 1), precision="day", status="permanent",
        relationship="Con", sex="m"):  # fmt: skip
    return actions.register_person(
        home, acting_user=None, on=on, relationship=relationship, status=status, full_name=name,
        sex=sex, birth_date=born, birth_precision=precision,
    )  # fmt: skip


def names(drawn):
    return [row["name"] for row in drawn.rows]


def test_a_voter_is_18_on_election_day_the_birthday_itself_counts(world, home):
    add(world, home, "Nguyễn Văn Đủ", date(2008, 3, 15))  # 18 on election day
    add(world, home, "Nguyễn Văn Thiếu", date(2008, 3, 16))  # 18 the day after

    listed = names(voters(world.hamlet, ELECTION))

    assert "Nguyễn Văn Đủ" in listed
    assert "Nguyễn Văn Thiếu" not in listed


def test_a_year_only_birth_date_counts_from_the_first_of_january(world, home):
    add(world, home, "Giàng A Dệnh", date(2008, 1, 1), precision="year")
    add(world, home, "Giàng A Páo", date(2009, 1, 1), precision="year")

    listed = names(voters(world.hamlet, ELECTION))

    assert "Giàng A Dệnh" in listed and "Giàng A Páo" not in listed


def test_people_who_died_or_moved_out_before_election_day_are_not_listed(world, home):
    dead = add(world, home, "Nguyễn Văn Mất", date(1950, 1, 1))
    moved = add(world, home, "Nguyễn Văn Đi", date(1990, 1, 1))
    late = add(world, home, "Nguyễn Văn Muộn", date(1991, 1, 1))
    actions.record_death(dead, acting_user=None, on=date(2026, 3, 1))
    actions.move_out(moved, acting_user=None, on=date(2026, 2, 1), place="Hà Nội")
    actions.move_out(late, acting_user=None, on=date(2026, 3, 16), place="Hà Nội")  # after

    listed = names(voters(world.hamlet, ELECTION))

    assert "Nguyễn Văn Mất" not in listed and "Nguyễn Văn Đi" not in listed
    assert "Nguyễn Văn Muộn" in listed  # still lived here on election day


def test_the_temporarily_absent_stay_on_their_home_list(world, home):
    away = add(world, home, "Nguyễn Văn Vắng", date(1995, 1, 1))
    actions.start_absence(away, acting_user=None, on=date(2025, 6, 1), place="Bình Dương")

    assert "Nguyễn Văn Vắng" in names(voters(world.hamlet, ELECTION))


def test_temporary_residents_are_listed_after_twelve_months(world, home):
    add(world, home, "Lò Thị Lâu", date(1995, 1, 1), on=date(2025, 3, 15), status="temporary",
        sex="f")  # fmt: skip
    add(world, home, "Lò Thị Mới", date(1995, 1, 1), on=date(2025, 3, 16), status="temporary",
        sex="f")  # fmt: skip

    listed = names(voters(world.hamlet, ELECTION))

    assert "Lò Thị Lâu" in listed and "Lò Thị Mới" not in listed


def test_exclusions_are_shown_apart_with_their_reason(world, home):
    prisoner = add(world, home, "Nguyễn Văn Tù", date(1985, 1, 1))
    released = add(world, home, "Nguyễn Văn Ra", date(1985, 2, 1))
    VoterExclusion.objects.create(person=prisoner, reason="prison", since=date(2024, 1, 1))
    VoterExclusion.objects.create(
        person=released, reason="prison", since=date(2020, 1, 1), until=date(2025, 1, 1)
    )

    drawn = voters(world.hamlet, ELECTION)

    assert "Nguyễn Văn Tù" not in names(drawn) and "Nguyễn Văn Ra" in names(drawn)
    assert [(row["name"], str(reason)) for row, reason in drawn.excluded] == [
        ("Nguyễn Văn Tù", "Đang chấp hành hình phạt tù mà không được hưởng án treo")
    ]


def test_voters_come_by_household_head_first_in_address_order_numbered(world):
    act = None
    actions.create_household(
        world.group,
        acting_user=act,
        on=date(2010, 1, 1),
        house_number="12",
        head_fields={"full_name": "Bùi Văn Mười Hai", "sex": "m", "birth_date": date(1960, 1, 1)},
    )
    near = actions.create_household(
        world.group,
        acting_user=act,
        on=date(2010, 1, 1),
        house_number="5A",
        head_fields={"full_name": "Đỗ Văn Năm", "sex": "m", "birth_date": date(1980, 1, 1)},
    )
    actions.register_person(
        near,
        acting_user=act,
        on=date(2010, 1, 1),
        relationship="Mẹ",
        full_name="Đỗ Thị Già",
        sex="f",
        birth_date=date(1940, 1, 1),
    )
    world.household.house_number = "3"
    world.household.save(update_fields=["house_number"])

    drawn = voters(world.group, ELECTION)

    assert names(drawn) == [
        "Nguyễn Văn Phụng", "Trần Thị Thuỷ",  # house 3, head first
        "Đỗ Văn Năm", "Đỗ Thị Già",  # house 5A: head before his elder mother
        "Bùi Văn Mười Hai",  # house 12 after 5A: numbers compare as numbers
    ]  # fmt: skip
    assert [row["number"] for row in drawn.rows] == [1, 2, 3, 4, 5]


def test_the_list_drawn_later_still_shows_election_day(world, home):
    voter = add(world, home, "Nguyễn Văn Cũ", date(1980, 1, 1))
    actions.move_out(voter, acting_user=None, on=date(2026, 6, 1), place="Huế")

    assert "Nguyễn Văn Cũ" in names(voters(world.hamlet, ELECTION))


def test_someone_born_on_29_february_is_18_on_28_february_of_a_common_year(world, home):
    """Civil Code 2015, arts. 147–148: a period in years ends on the corresponding day,
    and on the month's last day when the month has no such day (domain.md §4)."""
    add(world, home, "Nguyễn Văn Nhuận", date(2008, 2, 29))

    on_the_28th = voters(world.hamlet, date(2026, 2, 28))
    the_day_before = voters(world.hamlet, date(2026, 2, 27))

    row = next(row for row in on_the_28th.rows if row["name"] == "Nguyễn Văn Nhuận")
    assert row["age"] == 18
    assert "Nguyễn Văn Nhuận" not in names(the_day_before)


def test_someone_without_a_birth_date_is_shown_among_those_not_listed(world, home):
    """domain.md §4: the list can be corrected before it is posted."""
    add(world, home, "Nguyễn Văn Không Rõ", None)

    drawn = voters(world.hamlet, ELECTION)

    assert "Nguyễn Văn Không Rõ" not in names(drawn)
    assert [(row["name"], str(reason)) for row, reason in drawn.excluded] == [
        ("Nguyễn Văn Không Rõ", "Chưa có ngày sinh")
    ]
    assert drawn.counts["excluded"] == 1


def test_an_absence_keeps_the_status_and_months_the_person_had(world, home):
    """domain.md §4: a temporary resident who goes away keeps the status (and months) they
    had; only a permanent resident, or a temporary resident of 12 months, stays listed."""
    short = add(world, home, "Lò Thị Ngắn", date(1995, 1, 1), on=date(2025, 6, 1),
                status="temporary", sex="f")  # fmt: skip
    long = add(world, home, "Lò Thị Dài", date(1995, 1, 1), on=date(2024, 1, 1),
               status="temporary", sex="f")  # fmt: skip
    actions.start_absence(short, acting_user=None, on=date(2025, 9, 1), place="Hà Nội")
    actions.start_absence(long, acting_user=None, on=date(2025, 9, 1), place="Hà Nội")

    listed = names(voters(world.hamlet, ELECTION))

    assert "Lò Thị Ngắn" not in listed  # 3 months of temporary residence before leaving
    assert "Lò Thị Dài" in listed  # 20 months before leaving


def _temporary_household(world, unit, since=date(2024, 6, 1)):
    household = actions.create_household(
        unit, acting_user=None, on=since, status="temporary",
        head_fields={"full_name": "Quàng Văn Trú", "sex": "m", "birth_date": date(1980, 1, 1)},
    )  # fmt: skip
    wife = actions.register_person(
        household, acting_user=None, on=since, relationship="Vợ", status="temporary",
        full_name="Lò Thị Trú", sex="f", birth_date=date(1982, 1, 1),
    )  # fmt: skip
    household.refresh_from_db()
    return household, wife


def test_a_change_of_head_does_not_restart_the_twelve_months(world):
    """domain.md §4: the months run from the start of continuous temporary residence."""
    household, wife = _temporary_household(world, world.hamlet)
    actions.change_head(household, new_head=wife, acting_user=None, on=date(2025, 12, 1),
                        old_head_relationship="Chồng")  # fmt: skip

    listed = names(voters(world.hamlet, ELECTION))

    assert "Quàng Văn Trú" in listed and "Lò Thị Trú" in listed


def test_a_split_or_a_move_between_hamlets_does_not_restart_the_twelve_months(world):
    """domain.md §4: a split, or a move to another hamlet of the commune, keeps the months;
    leaving the commune does not carry them elsewhere."""
    household, wife = _temporary_household(world, world.hamlet)
    actions.split_household(household, head=wife, members=[], acting_user=None,
                            on=date(2025, 12, 1), unit=world.other_hamlet)  # fmt: skip
    _temporary_household(world, world.hamlet, since=date(2025, 6, 1))  # a newcomer

    assert names(voters(world.hamlet, ELECTION)).count("Quàng Văn Trú") == 1
    assert names(voters(world.other_hamlet, ELECTION)).count("Lò Thị Trú") == 1
    assert names(voters(world.commune, ELECTION)).count("Lò Thị Trú") == 1  # not the newcomer


def test_the_voter_figure_counts_what_the_list_lists_whatever_the_history(world, home):
    """`voter_counts` settles most stays in the database and reads the others' history;
    each history below takes one of its ways, and the count per hamlet is the list's."""
    temporary = {"status": "temporary", "sex": "f"}
    # Settled by the stay: permanent; an absence from a permanent residence; a first stay.
    actions.start_absence(add(world, home, "Vắng Thường Trú", date(1990, 1, 1)),
                          acting_user=None, on=date(2025, 9, 1), place="Hà Nội")  # fmt: skip
    add(world, home, "Tạm Trú Lâu", date(1990, 1, 1), on=date(2024, 1, 1), **temporary)
    add(world, home, "Tạm Trú Mới", date(1990, 1, 1), on=date(2025, 6, 1), **temporary)
    # Read from the history: an absence after a temporary residence, short and long.
    for name, since in (
        ("Vắng Tạm Trú Ngắn", date(2025, 6, 1)),
        ("Vắng Tạm Trú Dài", date(2024, 1, 1)),
    ):
        person = add(world, home, name, date(1990, 1, 1), on=since, **temporary)
        actions.start_absence(person, acting_user=None, on=date(2025, 9, 1), place="Hà Nội")
    # An earlier stay of unknown start proves no months, even before a long enough one.
    unknown = add(world, home, "Trước Không Rõ", date(1990, 1, 1), on=date(2025, 1, 1), **temporary)
    Membership.objects.create(person=unknown, household=home, residence_status="temporary",
                              start=None, end=date(2025, 1, 1))  # fmt: skip
    # Months in another commune do not count here.
    moved = add(world, world.far_household, "Từ Xã Khác", date(1990, 1, 1), on=date(2023, 1, 1),
                **temporary)  # fmt: skip
    Membership.objects.filter(person=moved).update(end=date(2025, 12, 1))
    Membership.objects.create(person=moved, household=home, residence_status="temporary",
                              start=date(2025, 12, 1))  # fmt: skip
    # A change of head in a temporary household keeps the months (read from the history).
    household, _wife = _temporary_household(world, world.other_hamlet)
    actions.change_head(household, new_head=_wife, acting_user=None, on=date(2025, 12, 1),
                        old_head_relationship="Chồng")  # fmt: skip

    listed, _left_off = voter_selection(world.commune, ELECTION)

    assert voter_counts(world.commune, ELECTION) == Counter(
        stay.household.unit_id for stay in listed
    )
    shown = {stay.person.full_name for stay in listed}
    assert {"Vắng Thường Trú", "Tạm Trú Lâu", "Vắng Tạm Trú Dài", "Quàng Văn Trú"} <= shown
    assert not {"Tạm Trú Mới", "Vắng Tạm Trú Ngắn", "Trước Không Rõ", "Từ Xã Khác"} & shown
