"""Background work of feedback: the daily escalation of overdue reports (issue 14, item 3;
design.md principle 6: reminders are tasks). The notices themselves go out as notices.

`escalate_daily` escalates, then queues its next run; `schedule_escalation` queues a run
unless one is waiting. The worker calls it as it starts (the `worker_starting` hook, see
apps.py), so a fresh installation escalates without cron; `manage.py feedback_escalate`
does the same at once, by hand or from cron.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django_tasks import task

ESCALATION_HOUR = 7  # 07:00, before the office opens: the superior reads it first thing


@task()
def escalate_daily():
    """Escalate today's overdue reports, then queue tomorrow's run."""
    from langso.feedback.actions import escalate_overdue

    with translation.override(settings.LANGUAGE_CODE):
        count = escalate_overdue(timezone.localdate())
    schedule_escalation()
    return count


def schedule_escalation() -> datetime:
    """Queue the next run at 07:00, unless one is queued already. Returns its time."""
    from django_tasks_db.models import DBTaskResult

    queued = (
        DBTaskResult.objects.filter(
            status="READY", task_path__endswith="feedback.tasks.escalate_daily"
        )
        .order_by("run_after")
        .first()
    )
    if queued is not None and queued.run_after is not None:
        return queued.run_after
    now = timezone.localtime()
    at = timezone.make_aware(datetime.combine(now.date(), time(ESCALATION_HOUR)))
    if at <= now:
        at += timedelta(days=1)
    escalate_daily.using(run_after=at).enqueue()
    return at


def on_worker_starting(**_signal_kwargs) -> str:
    """The `worker_starting` hook: make sure the daily escalation is queued."""
    at = timezone.localtime(schedule_escalation())
    return f"Overdue feedback escalation queued for {at:%d/%m/%Y %H:%M}."
