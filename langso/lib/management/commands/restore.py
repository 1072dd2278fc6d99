from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from langso.lib.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty database (no tables: create "
        "it, do not migrate it) and the media directory. The archive is checked against its "
        ".sha256 file and its manifest first; afterwards every table's row count and "
        "checksum must match those recorded at backup time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = restore_backup(options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {restored.tables} tables ({restored.rows:,} rows, counts and checksums "
            f"match the backup) and {restored.files} media files."
        )
