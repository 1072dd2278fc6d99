from django.core.management.base import BaseCommand

from langso.feedback import tallies


class Command(BaseCommand):
    help = (
        "Count the feedback tallies (the figures' source) again from the reports: after "
        "loading reports in bulk or editing them outside the app's actions."
    )

    def handle(self, *args, **options):
        rows = tallies.rebuild()
        self.stdout.write(f"{rows} tally row(s) counted from the reports.")
