from django.core.management.base import BaseCommand
from django.utils import timezone

from langso.feedback.actions import escalate_overdue
from langso.feedback.tasks import schedule_escalation


class Command(BaseCommand):
    help = (
        "Tell the handler's superior of every open report past its due day, once per "
        "deadline (the commune's officials above a hamlet, its leaders above the commune). "
        "The worker does it every morning by itself (feedback.tasks.escalate_daily); this "
        "command runs it at once (by hand or from cron) and makes sure the daily task is "
        "queued."
    )

    def handle(self, *args, **options):
        count = escalate_overdue()
        self.stdout.write(f"{count} overdue report(s) escalated.")
        at = timezone.localtime(schedule_escalation())
        self.stdout.write(f"Next daily run queued for {at:%d/%m/%Y %H:%M}.")
