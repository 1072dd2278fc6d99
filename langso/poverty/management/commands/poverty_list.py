from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import translation

from langso.accounts.models import AuditEntry
from langso.places.models import Unit
from langso.poverty import outputs


class Command(BaseCommand):
    help = (
        "Write a unit's list of poor or near-poor households at the end of a year (today for "
        "the current year), or of households that left poverty or near-poverty during it, to "
        "Excel or PDF with the national heading. The unit is an official code (04105) or a "
        "path (14/04105/h01). The export is written to the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--kind", choices=outputs.LIST_KINDS, required=True)
        parser.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, unit, year, kind, format, output, **options):
        target = Unit.objects.filter(Q(code=unit) | Q(path=unit)).first()
        if target is None:
            raise CommandError(f"No unit has the code or path “{unit}”.")
        with translation.override("vi"):
            table = outputs.unit_list(target, year, kind)
            document = outputs.render(table, format, f"{kind}-{year}")
        output.write_bytes(document.content)
        AuditEntry.objects.record(
            None, "poverty.export_list", target=target, unit=target,
            changes={"kind": [None, kind], "year": [None, year]},
        )  # fmt: skip
        self.stdout.write(f"{len(table.rows)} households of “{table.title}” written to {output}.")
