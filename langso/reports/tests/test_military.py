"""Military service lists (Law on Military Service 2015; Decree 220/2025; domain.md §5)."""

from collections import Counter
from datetime import date

from langso.registry import actions
from langso.reports.lists import (
    military_pool,
    military_pool_counts,
    military_pool_selection,
    military_registration,
)
from langso.reports.models import MilitaryStatus

DAY = date(2026, 11, 21)


def man(world, name, born, sex="m"):
    return actions.register_person(
        world.household, acting_user=None, on=date(2010, 1, 1), relationship="Con",
        full_name=name, sex=sex, birth_date=born,
    )  # fmt: skip


def names(drawn):
    return {row["name"] for row in drawn.rows}


def test_registration_lists_men_turning_17_this_year(world):
    man(world, "Nguyễn Văn Mười Bảy", date(2009, 12, 31))
    man(world, "Nguyễn Văn Mười Sáu", date(2010, 1, 1))
    man(world, "Nguyễn Thị Nữ", date(2009, 5, 5), sex="f")

    listed = names(military_registration(world.hamlet, DAY))

    # Nguyễn Văn An of the personas was born in 2009 too.
    assert listed == {"Nguyễn Văn Mười Bảy", "Nguyễn Văn An"}


def test_the_pool_runs_from_the_18th_birthday_to_the_end_of_age_25(world):
    man(world, "Vừa Mười Tám", date(2008, 11, 21))
    man(world, "Chưa Mười Tám", date(2008, 11, 22))
    man(world, "Cuối Hai Lăm", date(2000, 11, 22))  # 25 until tomorrow
    man(world, "Đủ Hai Sáu", date(2000, 11, 21))  # 26 today: out

    listed = names(military_pool(world.hamlet, DAY))

    assert {"Vừa Mười Tám", "Cuối Hai Lăm"} <= listed
    assert not {"Chưa Mười Tám", "Đủ Hai Sáu"} & listed


def test_study_deferral_keeps_a_man_in_the_pool_until_the_end_of_age_27(world):
    student = man(world, "Sinh Viên", date(1999, 1, 1))  # 27 in 2026
    MilitaryStatus.objects.create(person=student, year=2025, status="deferred_study")
    too_old = man(world, "Quá Tuổi", date(1998, 11, 21))  # 28 today
    MilitaryStatus.objects.create(person=too_old, year=2025, status="deferred_study")

    drawn = military_pool(world.hamlet, DAY)

    rows = {row["name"]: row for row in drawn.rows}
    assert rows["Sinh Viên"]["military"] == "Tạm hoãn do đang học"
    assert "Quá Tuổi" not in rows


def test_the_pool_figure_counts_what_the_list_lists(world):
    """`military_pool_counts` counts the men up to 25 in the database and reads the
    statuses of those past 25 who were ever deferred for study: the count is the list's."""
    man(world, "Hai Mươi", date(2006, 1, 1))
    for name, statuses in (
        ("Đang Học", [(2025, "deferred_study")]),
        ("Học Xong", [(2024, "deferred_study"), (2025, "fit")]),
        ("Chưa Hoãn", [(2025, "fit")]),
        ("Hoãn Sau Này", [(2027, "deferred_study")]),  # not yet on the day
    ):
        person = man(world, name, date(1999, 6, 1))  # 27 on the day
        for year, status in statuses:
            MilitaryStatus.objects.create(person=person, year=year, status=status)

    listed = military_pool_selection(world.commune, DAY)

    assert military_pool_counts(world.commune, DAY) == Counter(
        stay.household.unit_id for stay, _status in listed
    )
    shown = {stay.person.full_name for stay, _status in listed}
    assert {"Hai Mươi", "Đang Học"} <= shown
    assert not {"Học Xong", "Chưa Hoãn", "Hoãn Sau Này"} & shown
