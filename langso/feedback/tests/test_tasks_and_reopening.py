"""The daily escalation as a task of the background worker, and reopening by a handler
(issue 14, item 3): with a reason, audited, the reporter told through notices."""

import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from langso.accounts.models import AuditEntry
from langso.feedback import actions
from langso.feedback.models import Report
from langso.feedback.tasks import escalate_daily, on_worker_starting
from langso.lib.jobs import worker_starting
from langso.notices.models import Notice
from langso.test import vietnam_time

pytestmark = pytest.mark.django_db


def queued():
    return list(DBTaskResult.objects.filter(task_path__endswith="feedback.tasks.escalate_daily"))


def test_the_worker_queues_the_daily_escalation_once_for_seven_in_the_morning(world):
    with time_machine.travel(vietnam_time(date(2026, 6, 10), hour=15), tick=False):
        said = [str(s) for _r, s in worker_starting.send(sender=None)]
        assert any("16/06" not in s and "11/06/2026 07:00" in s for s in said)
        on_worker_starting()  # a second worker start queues nothing more
        [task] = queued()
        at = timezone.localtime(task.run_after)
        assert (at.date(), at.hour, at.minute) == (date(2026, 6, 11), 7, 0)


def test_the_task_escalates_the_overdue_reports_and_queues_the_next_run(world, roads):
    with time_machine.travel(vietnam_time(date(2026, 6, 1)), tick=False):  # a Monday
        report = actions.submit_report(
            acting_user=None,
            hamlet=world.hamlet,
            category=roads,
            text="Cầu tràn hỏng.",
            channel=Report.Channel.WEB,
        )
    with time_machine.travel(vietnam_time(date(2026, 6, 16), hour=7), tick=False):
        assert escalate_daily.call() == 1  # what the worker runs at 07:00
        [task] = queued()
        assert timezone.localtime(task.run_after).date() == date(2026, 6, 17)
        assert escalate_daily.call() == 0  # once per deadline
    report.refresh_from_db()
    assert report.escalated_at is not None
    notice = Notice.objects.get(title__contains="quá hạn")
    assert report.tracking_display in notice.title
    out = io.StringIO()
    call_command("feedback_escalate", stdout=out)
    assert "Next daily run queued for" in out.getvalue()
    assert len(queued()) == 1


def test_a_handler_reopens_an_answered_report_and_the_reporter_is_told(world, report):
    with time_machine.travel(vietnam_time(date(2026, 6, 10)), tick=False):
        actions.answer_report(report, acting_user=world.hamlet_head, text="Đã sửa cống.")
        actions.close_report(report, acting_user=world.hamlet_head)
    with time_machine.travel(vietnam_time(date(2026, 7, 1)), tick=False):  # long after 7 days
        with pytest.raises(ValidationError):
            actions.reopen_by_handler(report, acting_user=world.official, reason="  ")
        for outsider in (world.viewer, world.outsider):
            with pytest.raises(PermissionDenied):
                actions.reopen_by_handler(report, acting_user=outsider, reason="Sai.")
        actions.reopen_by_handler(
            report, acting_user=world.official, reason="Cống lại vỡ sau trận mưa."
        )
        with pytest.raises(ValidationError):  # open already
            actions.reopen_by_handler(report, acting_user=world.official, reason="Lần nữa.")
    report.refresh_from_db()
    assert report.state == Report.State.IN_PROGRESS
    assert report.closed_at is None and report.due_on == date(2026, 7, 15)
    assert report.notes.get().text == "Người xử lý mở lại: Cống lại vỡ sau trận mưa."
    entry = AuditEntry.objects.get(verb="feedback.reopened_by_handler")
    assert entry.actor == world.official and "closed" in str(entry.changes)
    told = Notice.objects.filter(audiences__contact_phone="0912345678").order_by("pk").last()
    assert told.title == f"Phản ánh {report.tracking_display} của bạn đã được mở lại"
    assert "Cống lại vỡ sau trận mưa." in told.body and "15/07/2026" in told.body


def test_a_wrong_merge_is_undone_by_reopening(world, report, roads):
    second = actions.submit_report(
        acting_user=None, hamlet=world.hamlet, category=roads, text="Cống khác.", channel="web"
    )
    actions.decline_report(
        second, acting_user=world.official, reason="duplicate", duplicate_of=report
    )
    actions.reopen_by_handler(second, acting_user=world.official, reason="Là cống khác.")
    second.refresh_from_db()
    assert (second.state, second.duplicate_of, second.decline_reason) == ("in_progress", None, "")
    assert list(report.duplicates.all()) == []


def test_the_resident_reopening_tells_the_handler(world, report):
    actions.assign_report(report, acting_user=world.official, user=world.hamlet_head)
    actions.answer_report(report, acting_user=world.hamlet_head, text="Đã sửa.")
    actions.reopen_report(report, acting_user=None, reason="Vẫn còn ngập.")
    notice = Notice.objects.filter(audiences__user=world.hamlet_head).order_by("pk").last()
    assert notice.title == f"Người dân mở lại phản ánh: {report.tracking_display}"
    assert "Vẫn còn ngập." in notice.body


def test_the_reopen_button_on_the_report_page(client, world, report):
    actions.answer_report(report, acting_user=world.hamlet_head, text="Đã sửa.")
    url = reverse("feedback:report-reopen", args=[report.pk])
    client.force_login(world.viewer)
    assert client.post(url, {"reason": "Sai."}).status_code == 404
    client.force_login(world.hamlet_head)
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'action="{url}"' in page and "Mở lại" in page
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and "Mở lại" in empty.content.decode()
    assert Report.objects.get(pk=report.pk).state == Report.State.ANSWERED
    response = client.post(url, {"reason": "Nắp cống lại bị vỡ."})
    assert response.status_code == 302
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Nắp cống lại bị vỡ." in page and "Đang xử lý" in page


def test_the_default_handler_is_told_of_a_new_report(world, report, roads):
    """Issue 14, item 4: the handler is told of a new assignment, the default one too."""
    [notice] = Notice.objects.filter(audiences__role="hamlet_head", audiences__unit=world.hamlet)
    assert notice.title == f"Phản ánh mới cần xử lý: {report.tracking_display}"
    assert "Cống qua đường đầu thôn bị vỡ" in notice.body
    land = actions.submit_report(
        acting_user=None,
        hamlet=world.hamlet,
        category=roads.__class__.objects.get(code="land"),
        text="Lấn chiếm đất công.",
        channel=Report.Channel.WEB,
    )
    told = Notice.objects.filter(audiences__role="commune_official", audiences__unit=world.commune)
    assert [n.title for n in told] == [f"Phản ánh mới cần xử lý: {land.tracking_display}"]
