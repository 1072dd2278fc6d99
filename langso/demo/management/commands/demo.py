from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from langso.demo import registry as demo
from langso.registry.models import Household


class Command(BaseCommand):
    help = (
        "Build the demo: five hamlets of Xã Mai Sơn (Sơn La) — four Kinh thôn, among them "
        "Bình Chiến, and the Thái bản Nà Hạ — split into self-managed groups of 20–40 "
        "households, about three people per household, and a login for each role. "
        "Everything it creates is marked as demo data. Past "
        f"{demo.HOUSEHOLDS_PER_COMMUNE:,} households the people "
        "spread over more communes of Sơn La, then of other provinces (for benchmarks). "
        "The same seed on the same day (or --as-of) builds the same people, names, birth "
        "dates and ID numbers. It refuses to run when demo data exists; with --if-empty it "
        "builds nothing on a database that has households and only lists the logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--households",
            type=int,
            default=demo.DEFAULT_HOUSEHOLDS,
            help="How many households to create (default %(default)s).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help="Seed of the generator (default %(default)s).",
        )
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="The day ages are counted to, YYYY-MM-DD (default: today).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing but list the logins if the database already has households.",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and (Household.objects.exists() or demo.demo_exists()):
            self.stdout.write("The database already has households, so no demo data was added.")
            self.print_logins()
            return
        if demo.demo_exists():
            raise CommandError(
                "Demo data already exists in this database, so nothing was built. "
                "Run with --if-empty to skip in that case, or start from a fresh database."
            )
        try:
            result = demo.build(
                households=options["households"],
                seed=options["seed"],
                as_of=options["as_of"],
                log=self.stdout.write,
            )
        except demo.DemoError as error:
            raise CommandError(f"{error} The demo was not built.") from error
        except ValidationError as error:
            raise CommandError(f"{' '.join(error.messages)} The demo was not built.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.hamlets:,} hamlets and {result.groups:,} groups in "
                f"{result.communes:,} commune(s), {result.households:,} households, "
                f"{result.people:,} people and {result.users} logins in "
                f"{result.seconds:.1f} s."
            )
        )
        self.print_logins()

    def print_logins(self):
        rows = demo.demo_logins()
        if not rows:
            self.stdout.write("There are no demo logins in this database.")
            return
        header = ("Username", "Role", "Unit", "Password")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        self.stdout.write("Demo logins:")
        for row in [header, *rows]:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
