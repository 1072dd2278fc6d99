from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from langso.party.actions import remind_probations
from langso.party.tasks import schedule_reminders


class Command(BaseCommand):
    help = (
        "Send today's party reminders now: each cell's secretary and deputy get an in-app "
        "notice naming the members whose probation ends within 30 days (or has ended "
        "without a decision), once per member. Then make sure the daily run is queued for "
        "07:00 (the worker runs it and queues the next). `make run` runs this at start. "
        "Prints how many members were in reminders and when the next run is."
    )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            count = remind_probations(timezone.localdate())
        at = timezone.localtime(schedule_reminders())
        self.stdout.write(f"{count} member(s) named in reminders; next run {at:%d/%m/%Y %H:%M}.")
