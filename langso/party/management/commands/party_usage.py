from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from langso.party.statistics import usage_report
from langso.places.models import Unit

COLUMNS = (
    ("members", "Members"),
    ("with_account", "Accounts"),
    ("account_share", "Accounts %"),
    ("active", "Active"),
    ("active_share", "Active %"),
    ("meetings", "Meetings"),
    ("documents_read", "Read"),
    ("points", "Points"),
)


def _month(value):
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"The month “{value}” is not YYYY-MM.") from None


class Command(BaseCommand):
    help = (
        "Print the party handbook's usage in a month for the party organisations attached "
        "inside a unit (an official code such as 04105, or a path such as 14/04105): each "
        "top organisation, then those directly under it, each counting its whole subtree. "
        "Members are current (probationary or full) members; accounts are members with a "
        "login; active members read a document, answered a question or answered a meeting "
        "invitation in the month; meetings are those recorded as held in the month; read "
        "counts documents first opened in the month; points are study points earned in it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="Official code or path of the unit.")
        parser.add_argument("--month", required=True, type=_month, help="YYYY-MM")

    def handle(self, *args, unit, month, **options):
        target = Unit.objects.filter(Q(code=unit) | Q(path=unit)).first()
        if target is None:
            raise CommandError(f"No unit has the code or path “{unit}”.")
        rows = usage_report(target, month)
        if not rows:
            self.stdout.write(f"No party organisation is attached inside {target}.")
            return
        header = ["Organisation", *(title for _name, title in COLUMNS)]
        table = [
            ["  " * depth + org.name, *(str(figures[name]) for name, _title in COLUMNS)]
            for org, depth, figures in rows
        ]
        widths = [max(len(row[i]) for row in [header, *table]) for i in range(len(header))]
        self.stdout.write(f"Party handbook usage, {month:%m/%Y}, {target}")
        for row in [header, *table]:
            cells = [row[0].ljust(widths[0])] + [
                cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
            ]
            self.stdout.write("  ".join(cells).rstrip())
