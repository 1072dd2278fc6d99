"""How long the files of background jobs are kept.

An import's uploaded spreadsheet and an export's list hold residents' personal data;
once the work is done they are not needed for long (Law 91/2025: keep personal data no
longer than its purpose needs). `LANGSO_FILE_RETENTION_DAYS` maps a job's folder
(`BackgroundJob.FILES_UNDER`) to a number of days; `manage.py purge_job_files` deletes
older files and keeps the job rows (who, when, the counts and problems).
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from langso.lib.jobs import BackgroundJob


def purge_job_files() -> dict[str, int]:
    """Delete the files of jobs older than their folder's retention; counts per folder."""
    now = timezone.now()
    purged: dict[str, int] = {}
    for model in apps.get_models():
        if not issubclass(model, BackgroundJob):
            continue
        days = settings.LANGSO_FILE_RETENTION_DAYS.get(model.FILES_UNDER)
        if days is None:
            continue
        # Whatever its status: no work lasts that long, so a job still "busy" is dead.
        old = model._default_manager.filter(created_at__lt=now - timedelta(days=days)).exclude(
            file=""
        )
        count = 0
        for job in old.iterator():
            job.file.delete(save=False)
            model._default_manager.filter(pk=job.pk).update(file="")
            count += 1
        purged[model.FILES_UNDER] = purged.get(model.FILES_UNDER, 0) + count
    return purged
