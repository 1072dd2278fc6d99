from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from langso.lib.backup import BackupError, make_backup, prune


class Command(BaseCommand):
    help = (
        "Back up the database and the media files into one dated, compressed archive "
        "(langso-backup-YYYYMMDD-HHMMSS.tar.gz) with a .sha256 file beside it. SQLite is "
        "copied with its online backup API and PostgreSQL with pg_dump, both while the site "
        "runs. The archive records every table's row count and checksum; `restore` checks "
        "them. With --keep-days N, archives older than N days in the directory are deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="Where to write the archive (default: LANGSO_BACKUP_DIR, var/backups).",
        )
        parser.add_argument(
            "--keep-days", type=int, default=None, help="Delete archives older than this."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["dir"] or Path(settings.LANGSO_BACKUP_DIR)
        try:
            archive = make_backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written: {archive} ({archive.stat().st_size:,} bytes).")
        if options["keep_days"] is not None:
            removed = prune(directory, options["keep_days"])
            self.stdout.write(f"{len(removed)} older backups deleted.")
