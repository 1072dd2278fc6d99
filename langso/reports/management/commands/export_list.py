import io
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from langso.places.models import Unit
from langso.reports import exports
from langso.reports.lists import LISTS, draw


class Command(BaseCommand):
    help = (
        "Write an official list of a unit and everything under it, as it stood on a day, to "
        "Excel or PDF: voters (as of election day), military, military_registration, labour, "
        "elderly, children, health_insurance, immunisation, households. The unit is an "
        "official code (04105) or a path (14/04105/h01). ID numbers are written in full: this "
        "is an operator's command. Prints the number of rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(LISTS))
        parser.add_argument("--unit", required=True)
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, dest="as_of")
        parser.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, kind, unit, as_of, format, output, **options):
        target = Unit.objects.filter(Q(code=unit) | Q(path=unit)).first()
        if target is None:
            raise CommandError(f"No unit has the code or path “{unit}”.")
        drawn = draw(kind, target, as_of or timezone.localdate())
        if format == "pdf":
            output.write_bytes(exports.to_pdf(drawn))
        else:
            buffer = io.BytesIO()
            exports.to_xlsx(drawn, buffer)
            output.write_bytes(buffer.getvalue())
        self.stdout.write(f"{len(drawn.rows)} rows of “{drawn.title}” written to {output}.")
