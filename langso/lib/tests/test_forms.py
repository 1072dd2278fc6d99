from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from langso.lib.forms import ClockField, DateField, DayField, MomentField, NameField


@time_machine.travel(date(2025, 6, 30))
def test_day_field_reads_day_month_year():
    with translation.override("vi"):
        assert DayField().clean("05/02/2025") == date(2025, 2, 5)


@time_machine.travel(date(2025, 6, 30))
def test_day_field_takes_today_and_refuses_tomorrow():
    field = DayField()
    with translation.override("en"):
        assert field.clean("30/06/2025") == date(2025, 6, 30)
        with pytest.raises(ValidationError, match="cannot be in the future"):
            field.clean("01/07/2025")


@pytest.mark.parametrize(
    "typed", ["05/02/2025", "5/2/2025", "05.02.2025", "05-02-2025", "05 02 2025", "05022025"]
)
def test_a_date_is_read_however_a_phone_keypad_lets_it_be_typed(typed):
    assert DateField().clean(typed) == date(2025, 2, 5)


@pytest.mark.parametrize(
    ("typed", "clock"),
    [("19:30", time(19, 30)), ("19h30", time(19, 30)), ("19H30", time(19, 30)),
     ("19g30", time(19, 30)), ("19.30", time(19, 30)), ("1930", time(19, 30)),
     ("7h", time(7, 0)), ("07:05", time(7, 5))],
)  # fmt: skip
def test_a_time_is_read_as_19_30_or_19h30(typed, clock):
    assert ClockField().clean(typed) == clock


def test_errors_say_which_format_is_wanted():
    with pytest.raises(ValidationError) as day:
        DateField().clean("31/02/2025")
    with pytest.raises(ValidationError) as clock:
        ClockField().clean("25h")
    assert day.value.messages == [
        "Nhập ngày theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 05/02/2026."
    ]
    assert clock.value.messages == ["Nhập giờ theo dạng giờ:phút (hh:mm), ví dụ 19:30 hoặc 19h30."]


def test_date_and_time_boxes_bring_up_the_numeric_keypad():
    class Form(forms.Form):
        day = DayField()
        at = ClockField()
        moment = MomentField()

    html = str(Form())
    assert html.count('inputmode="numeric"') == 4
    assert 'placeholder="dd/mm/yyyy"' in html and 'placeholder="hh:mm"' in html


@time_machine.travel(datetime(2025, 6, 30, 8, 0, tzinfo=UTC))
def test_a_moment_is_read_from_two_boxes_or_one():
    two = MomentField().clean(["20/11/2025", "19h30"])
    one = MomentField(required=False).widget.value_from_datadict(
        {"at": "20/11/2025 19h30"}, {}, "at"
    )
    assert timezone.localtime(two).strftime("%d/%m/%Y %H:%M") == "20/11/2025 19:30"
    assert MomentField().clean(one) == two
    assert MomentField(required=False).clean(["", ""]) is None
    assert timezone.localtime(MomentField().clean(["20/11/2025", ""])).hour == 0


def test_name_field_keeps_single_spaces_in_composed_form():
    typed = "  Nguyễn   Văn\tA\u0301nh "

    assert NameField().clean(typed) == "Nguyễn Văn Ánh"
