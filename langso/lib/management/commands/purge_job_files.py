from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from langso.lib.retention import purge_job_files


class Command(BaseCommand):
    help = (
        "Delete the files of finished background jobs older than their retention "
        "(LANGSO_KEEP_IMPORTS_DAYS, default 30, for uploaded imports; LANGSO_KEEP_EXPORTS_DAYS, "
        "default 7, for exports); the jobs themselves are kept. Run it daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        purged = purge_job_files()
        for folder, days in settings.LANGSO_FILE_RETENTION_DAYS.items():
            self.stdout.write(
                f"{folder}: {purged.get(folder, 0)} files older than {days} days deleted."
            )
