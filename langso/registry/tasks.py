"""Background work of the registry: checking and committing resident imports."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from langso.lib.bulk import analyze
from langso.registry import import_writer
from langso.registry.importing import plan_import
from langso.registry.models import Household, ImportJob, LifeEvent, Membership, Person, SearchKey

MAX_PROBLEMS_KEPT = 2000
# An import this big changes the tables' statistics enough to refresh them at once.
ANALYZE_AFTER_ROWS = 10_000


def _plan(job, progress):
    with job.file.open("rb") as upload:
        data = upload.read()
    return plan_import(
        data, filename=job.original_name, unit=job.unit, sheet=job.sheet, progress=progress
    )


@task()
def check_import(job_id):
    """Read the uploaded file into a plan and keep its counts, preview and problems."""
    job = ImportJob.objects.select_related("unit").get(pk=job_id)
    with job.lease():
        plan = _plan(job, job.set_progress)
    status = ImportJob.Status.REFUSED if plan.problems else ImportJob.Status.CHECKED
    job.finish(
        status,
        counts=plan.counts(),
        preview=plan.preview(),
        problems=[p.as_dict() for p in plan.problems[:MAX_PROBLEMS_KEPT]],
    )


@task()
def commit_import(job_id):
    """Read the file again (the registry may have changed since the check) and write it whole."""
    job = ImportJob.objects.select_related("unit", "created_by").get(pk=job_id)
    with job.lease():
        _commit(job)


def _commit(job):
    plan = _plan(job, lambda percent: job.set_progress(percent * 0.5))
    if plan.problems:
        job.finish(
            ImportJob.Status.REFUSED,
            counts=plan.counts(),
            problems=[p.as_dict() for p in plan.problems[:MAX_PROBLEMS_KEPT]],
        )
        return
    try:
        # The job is marked done in the transaction that writes the rows: a worker killed
        # at any point leaves both written or neither, never rows with a job "importing".
        with transaction.atomic():
            counts = import_writer.import_residents(
                plan,
                acting_user=job.created_by,
                source=job.original_name,
                progress=lambda percent: job.set_progress(50 + percent * 0.5),
            )
            job.finish(ImportJob.Status.DONE, counts=counts)
        if counts["created"] + counts["updated"] >= ANALYZE_AFTER_ROWS:
            analyze(Household, Person, Membership, LifeEvent, SearchKey)
    except ValidationError as error:
        job.finish(ImportJob.Status.FAILED, message=" ".join(error.messages))
        return
    except Exception:
        job.finish(ImportJob.Status.FAILED, message=_("The import failed; nothing was written."))
        raise
