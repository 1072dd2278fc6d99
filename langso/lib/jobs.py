"""The one shape of background work: a job row a worker fills in, a page that polls it.

Imports (registry) and exports (reports) are both such jobs: someone starts one, an
action saves the row and queues the task once the transaction commits, the worker
reports progress and finishes it, and the job's page polls until it is done. Each
concrete job adds what it works on (its unit, its list, its sheet…), its `Status`
choices, the statuses in which a worker is busy (`BUSY`), the folder of its files
(`FILES_UNDER`) and its status partial (`STATUS_TEMPLATE`, which extends
`lib/_job_status.html`).
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def job_file_path(job: "BackgroundJob", filename: str) -> str:
    """`<FILES_UNDER>/<year>/<month>/<filename>`: a job's file, by month of upload."""
    return f"{job.FILES_UNDER}/{timezone.localdate():%Y/%m}/{filename}"


class BackgroundJob(models.Model):
    BUSY: ClassVar[tuple[str, ...]] = ()
    FILES_UNDER: ClassVar[str] = "jobs"
    STATUS_TEMPLATE: ClassVar[str] = ""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Concrete jobs redefine it with their choices and first status.
    status = models.CharField(_("status"), max_length=10)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    counts = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    file = models.FileField(_("file"), upload_to=job_file_path, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_running(self) -> bool:
        return self.status in self.BUSY

    @property
    def percent(self) -> int:
        """How far the work is, 0 to 100; a finished job is at 100 whatever it reported."""
        return 100 if self.finished_at else max(0, min(100, self.progress))

    def set_progress(self, percent: float) -> None:
        """Write progress without touching the rest of the row (a worker owns it)."""
        percent = max(0, min(100, int(percent)))
        if percent != self.progress:
            self.progress = percent
            type(self)._default_manager.filter(pk=self.pk).update(progress=percent)

    def start(self, status: str) -> None:
        """Hand the job (again) to a worker, in `status`, from 0 %."""
        self.status, self.progress, self.finished_at = status, 0, None
        self.save(update_fields=["status", "progress", "finished_at"])

    def finish(self, status: str, **fields: Any) -> None:
        """End the work in `status`, at 100 %, with `fields` (counts, problems, file…)."""
        for name, value in fields.items():
            setattr(self, name, value)
        self.status, self.progress, self.finished_at = status, 100, timezone.now()
        self.save(update_fields=["status", "progress", "finished_at", *fields])
