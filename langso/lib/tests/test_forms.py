from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from langso.lib.forms import DayField, NameField


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


def test_name_field_keeps_single_spaces_in_composed_form():
    typed = "  Nguyễn   Văn\tA\u0301nh "

    assert NameField().clean(typed) == "Nguyễn Văn Ánh"
