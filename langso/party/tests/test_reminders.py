"""The probation reminder (domain.md §7: probation 12 months): the cell's secretary finds
it in their inbox, once per member, and the daily run queues the next."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from langso.notices.models import Notice
from langso.notices.tasks import fan_out
from langso.party import actions
from langso.test import make_household, vietnam_time

pytestmark = pytest.mark.django_db


# Ordinary days, and the ends of the year and of a leap February: the windows cross them.
DAYS = [date(2026, 6, 10), date(2026, 12, 31), date(2028, 2, 29)]


@pytest.fixture(params=DAYS, ids=str)
def today(request, time_machine):
    time_machine.move_to(vietnam_time(request.param), tick=False)
    return request.param


def admitted(pw, name, *, ends_in_days):
    """A member of Bình Chiến's cell whose probation ends in `ends_in_days` days."""
    person = make_household(pw.world.hamlet, name).head
    ends = timezone.localdate() + timedelta(ends_in_days)
    member = actions.admit_member(
        person, acting_user=None, organisation=pw.cell, admitted_on=ends.replace(year=ends.year - 1)
    )
    assert member.probation_ends_on() == ends
    return member


def test_the_secretary_is_reminded_once_of_a_probation_ending_soon(today, party_world):
    pw = party_world
    ending = admitted(pw, "Đinh Văn Lực", ends_in_days=10)
    out = StringIO()
    call_command("party_reminders", stdout=out)
    assert out.getvalue().startswith("1 member(s) named in reminders")
    notice = Notice.objects.get()
    assert notice.unit == pw.world.hamlet
    assert "Đinh Văn Lực" in notice.body
    assert ending.probation_ends_on().strftime("%d/%m/%Y") in notice.body
    fan_out.call(notice.pk)
    [recipient] = notice.recipients.all()
    assert recipient.person == pw.secretary.person
    assert recipient.deliveries.get().channel == "app"

    call_command("party_reminders", stdout=StringIO())
    assert Notice.objects.count() == 1


def test_a_probation_far_from_its_end_is_not_mentioned(today, party_world):
    admitted(party_world, "Đinh Văn Mới", ends_in_days=60)
    assert actions.remind_probations(timezone.localdate()) == 0


def test_the_next_daily_run_is_queued_once_for_seven_in_the_morning(party_world):
    call_command("party_reminders", stdout=StringIO())
    call_command("party_reminders", stdout=StringIO())
    [queued] = DBTaskResult.objects.filter(task_path__endswith="daily_reminders")
    at = timezone.localtime(queued.run_after)
    assert (at.hour, at.minute) == (7, 0)
    assert at > timezone.now()
