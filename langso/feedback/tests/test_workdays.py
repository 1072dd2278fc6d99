"""Deadlines in working days skip weekends and public holidays, Tết included (Labour Code
2019 art. 112; the 2026 schedule of docs/feedback.md)."""

from datetime import date

import pytest
import time_machine

from langso.feedback import actions
from langso.feedback.models import Category, Holiday, Report
from langso.lib.workdays import Calendar
from langso.test import vietnam_time


def test_a_deadline_runs_over_tet_and_the_weekends():
    calendar = Calendar.official()
    # Received Thursday 12/2/2026; Tết Bính Ngọ is off from Saturday 14/2 to Sunday 22/2.
    assert calendar.add_working_days(date(2026, 2, 12), 1) == date(2026, 2, 13)
    assert calendar.add_working_days(date(2026, 2, 12), 2) == date(2026, 2, 23)
    assert calendar.add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)


def test_a_make_up_saturday_counts_and_the_swapped_friday_does_not():
    calendar = Calendar.official()
    # 2025: Friday 2/5 off, worked on Saturday 26/4.
    assert calendar.add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)
    assert calendar.add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 5)


@pytest.mark.django_db
def test_a_report_received_before_tet_is_due_after_it(world):
    roads = Category.objects.get(code="roads")  # 10 working days
    with time_machine.travel(vietnam_time(date(2026, 2, 12)), tick=False):
        report = actions.submit_report(
            acting_user=None,
            hamlet=world.hamlet,
            category=roads,
            text="Sạt lở ta luy đường lên bản.",
            channel=Report.Channel.WEB,
        )
    # 13/2, then 23–27/2, then 2–5/3: the tenth working day is Thursday 5 March.
    assert report.due_on == date(2026, 3, 5)


@pytest.mark.django_db
def test_holidays_are_data_an_admin_can_add_to(world):
    Holiday.objects.create(day=date(2026, 3, 2), name="Ngày nghỉ địa phương")
    assert Holiday.calendar().add_working_days(date(2026, 2, 27), 1) == date(2026, 3, 3)
