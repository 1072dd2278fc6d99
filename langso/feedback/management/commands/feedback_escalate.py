from django.core.management.base import BaseCommand

from langso.feedback.actions import escalate_overdue


class Command(BaseCommand):
    help = (
        "Tell the handler's superior of every open report past its due day, once per "
        "deadline (the commune's officials above a hamlet, its leaders above the commune). "
        "Run daily by the worker's scheduler."
    )

    def handle(self, *args, **options):
        count = escalate_overdue()
        self.stdout.write(f"{count} overdue report(s) escalated.")
