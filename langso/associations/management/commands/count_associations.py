import time

from django.core.management.base import BaseCommand

from langso.associations import counts
from langso.places.models import Unit


class Command(BaseCommand):
    help = (
        "Count today's eligible population and members behind the associations' rates "
        "(docs/associations.md, 'Figures'), so that the first reader of the day does not: "
        "run it each night, after midnight."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="Path of a province or commune (all when absent).")

    def handle(self, *args, unit=None, **options):
        started = time.perf_counter()
        if unit:
            scopes = list(Unit.objects.filter(path=unit))
        else:
            scopes = list(Unit.objects.filter(parent__isnull=True))
        for scope in scopes:
            counts.refresh_all(scope)
        self.stdout.write(
            f"Counted {len(scopes)} unit(s) in {time.perf_counter() - started:.1f} s."
        )
