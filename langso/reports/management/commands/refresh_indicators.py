from django.core.management.base import BaseCommand

from langso.reports.models import UnitSummary
from langso.reports.tasks import refresh_summaries


class Command(BaseCommand):
    help = (
        "Recompute the stored indicators of every inhabited commune (or of those under "
        "--under PATH), so that province pages read one summary per commune. Commune pages "
        "always compute their own figures live."
    )

    def add_arguments(self, parser):
        parser.add_argument("--under", default="", help="Only the communes under this path.")

    def handle(self, *args, under, **options):
        refresh_summaries.call(under)
        self.stdout.write(f"{UnitSummary.objects.count()} commune summaries are up to date.")
