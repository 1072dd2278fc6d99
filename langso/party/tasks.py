"""Background work of the party handbook: the daily reminders (design.md principle 6:
reminders are tasks). Messages themselves go out as notices (langso.notices)."""

from django.conf import settings
from django.utils import timezone, translation
from django_tasks import task

REMINDER_HOUR = 7


@task()
def daily_reminders():
    """Send the day's reminders, then queue tomorrow's run."""
    from langso.party.actions import remind_probations

    with translation.override(settings.LANGUAGE_CODE):
        count = remind_probations(timezone.localdate())
    schedule_reminders()
    return count


def schedule_reminders():
    """Queue the next run at 07:00, unless one is queued already. Returns its time."""
    from datetime import datetime, time, timedelta

    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(
        status="READY", task_path__endswith="party.tasks.daily_reminders"
    ).first()
    if queued is not None:
        return queued.run_after
    now = timezone.localtime()
    at = timezone.make_aware(datetime.combine(now.date(), time(REMINDER_HOUR)))
    if at <= now:
        at += timedelta(days=1)
    daily_reminders.using(run_after=at).enqueue()
    return at
