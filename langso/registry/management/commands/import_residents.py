from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from langso.places.models import Unit
from langso.registry import import_writer
from langso.registry.importing import plan_import


class Command(BaseCommand):
    help = (
        "Import households and residents from an Excel (.xlsx, .xls, .ods) or CSV file into a "
        "unit, given by its official code (a commune: 04105) or its path (14/04105/h01). The "
        "header row is found under any title rows; households are formed from the head "
        "(“Chủ hộ”) and relationship columns. Every bad row is printed with its row number, "
        "column and reason; if there is any, nothing is written and the command exits with "
        "status 1. People already registered (same ID number, or same name and birth date in "
        "the unit) are updated or skipped. With --dry-run nothing is written either way."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--unit", required=True, help="Official code or path of the unit.")
        parser.add_argument("--sheet", default="", help="Sheet name (default: the first).")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *args, file, unit, sheet, dry_run, **options):
        target = Unit.objects.filter(Q(code=unit) | Q(path=unit)).first()
        if target is None:
            raise CommandError(f"No unit has the code or path “{unit}”.")
        if not file.is_file():
            raise CommandError(f"There is no file at {file}.")
        plan = plan_import(file.read_bytes(), filename=file.name, unit=target, sheet=sheet)
        counts = plan.counts()
        self.stdout.write(
            f"{file.name} → {target}: {counts['rows']} rows; {counts['households']} new "
            f"households, {counts['created']} people to create, {counts['updated']} to update, "
            f"{counts['skipped']} to skip; {counts['errors']} errors."
        )
        for problem in plan.problems:
            where = f"row {problem.row}" if problem.row else "file"
            column = f", column “{problem.column}”" if problem.column else ""
            self.stderr.write(f"  {where}{column}: {problem.message}")
        if plan.problems:
            raise CommandError("Nothing was written, because of the errors above.", returncode=1)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            import_writer.import_residents(plan, acting_user=None, source=file.name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS("Imported."))
