"""The hamlet head's to-do list on the home page follows the calendar, not the clock of
the day the test was written: who turns 17 this year, who is 14 or more."""

import re
from datetime import date

import pytest
from django.urls import reverse

from langso.registry import actions
from langso.test import vietnam_time

TURNING_17 = "Nam công dân đủ 17 tuổi trong năm nay, cần đăng ký nghĩa vụ quân sự"
AGED_14 = "Nhân khẩu từ 14 tuổi trở lên chưa có số định danh cá nhân"


def to_do(client):
    html = client.get(reverse("home")).content.decode()
    items = re.findall(r'<span class="count[^"]*">(\d+)</span><span>([^<]+)</span>', html)
    return {label: int(count) for count, label in items}


@pytest.mark.parametrize(
    "today, turning_17",
    [
        (date(2026, 1, 1), 1),  # Nguyễn Văn An, born 30/08/2009, turns 17 in 2026
        (date(2026, 12, 31), 1),
        (date(2027, 1, 1), 0),  # he registered last year
    ],
)
def test_the_men_turning_17_are_those_of_this_calendar_year(
    client, world, time_machine, today, turning_17
):
    time_machine.move_to(vietnam_time(today), tick=False)
    client.force_login(world.hamlet_head)

    assert to_do(client)[TURNING_17] == turning_17


@pytest.mark.parametrize("birthday", [date(2012, 12, 30), date(2012, 12, 31)])
def test_someone_is_14_on_their_birthday_at_the_end_of_a_month(
    client, world, time_machine, birthday
):
    actions.register_birth(world.household, acting_user=None, birth_date=birthday,
                           full_name="Nguyễn Thị Mai", sex="f")  # fmt: skip
    time_machine.move_to(vietnam_time(birthday.replace(year=2026)), tick=False)
    client.force_login(world.hamlet_head)
    before = to_do(client)[AGED_14]  # Phụng, Thuỷ and An have no ID number either

    time_machine.move_to(vietnam_time(birthday.replace(year=2026, day=birthday.day - 1)))
    the_day_before = to_do(client)[AGED_14]

    assert (the_day_before, before) == (3, 4)
