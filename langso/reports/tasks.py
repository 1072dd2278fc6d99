"""Background work of the reports: big list exports, and the communes' summaries."""

import io

from django.core.files.base import ContentFile
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from langso.lib.paths import SEPARATOR
from langso.places.models import Unit
from langso.reports import exports
from langso.reports.indicators import refresh_summaries_of
from langso.reports.models import ExportJob


@task()
def export_list(job_id):
    job = ExportJob.objects.select_related("unit", "area", "created_by").get(pk=job_id)
    with job.lease():
        _export(job)


def _export(job):
    try:
        drawn = exports.drawn_list(
            job.kind, job.unit, job.day, area=job.area, show_ids=job.show_ids
        )
        job.set_progress(40)
        if job.format == ExportJob.Format.PDF:
            signer = job.created_by.get_full_name() if job.created_by else ""
            content = exports.to_pdf(drawn, signer=signer)
        else:
            buffer = io.BytesIO()
            exports.to_xlsx(drawn, buffer)
            content = buffer.getvalue()
    except Exception:
        job.finish(ExportJob.Status.FAILED)
        raise
    job.file.save(f"{job.kind}-{job.day:%Y%m%d}.{job.format}", ContentFile(content), save=False)
    job.finish(ExportJob.Status.DONE, file=job.file, counts={"rows": len(drawn.rows)})


@task()
def refresh_summaries(root_path=""):
    """Refresh the stored indicators of every commune under `root_path` (all when empty)."""
    inhabited = Unit.objects.filter(households__isnull=False)
    if root_path:
        inhabited = inhabited.within(root_path)
    # A commune's path is the first two segments of the paths beneath it.
    paths = {
        SEPARATOR.join(path.split(SEPARATOR)[:2])
        for path in inhabited.values_list("path", flat=True).distinct()
    }
    refresh_summaries_of(Unit.objects.filter(kind=Unit.Kind.COMMUNE, path__in=paths))


def refresh_after_change(sender, unit, **kwargs):
    """Queue a refresh of the changed unit's commune (connected in ReportsConfig.ready).

    A refresh already waiting covers this change too: an import that updates 5,000
    people, or a day of edits, queues one refresh, not one per change.
    """
    commune = unit if unit.kind == Unit.Kind.COMMUNE else unit.commune()
    if commune is None:
        return
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=refresh_summaries.module_path
    ).values_list("args_kwargs", flat=True)
    if not any(queued["args"] == [commune.path] for queued in waiting):
        refresh_summaries.enqueue(commune.path)
