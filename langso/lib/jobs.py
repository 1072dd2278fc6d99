"""The one shape of background work: a job row a worker fills in, a page that polls it.

Imports (registry) and exports (reports) are both such jobs: someone starts one, an
action saves the row and queues the task once the transaction commits, the worker
reports progress and finishes it, and the job's page polls until it is done. Each
concrete job adds what it works on (its unit, its list, its sheet…), its `Status`
choices, the statuses in which a worker is busy (`BUSY`), the folder of its files
(`FILES_UNDER`) and its status partial (`STATUS_TEMPLATE`, which extends
`lib/_job_status.html`).
"""

import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, models
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Sent by the `worker` command before it starts taking tasks: apps whose work a dead
# worker may have cut off (notices' fan-out) pick it up again.
worker_starting = Signal()


def lease_seconds() -> int:
    """How long a job may go without a heartbeat before it is taken for dead."""
    return int(getattr(settings, "LANGSO_JOB_LEASE_SECONDS", 600))


def this_worker() -> str:
    """`host:pid` of this process, as a job records who works on it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def job_file_path(job: "BackgroundJob", filename: str) -> str:
    """`<FILES_UNDER>/<year>/<month>/<filename>`: a job's file, by month of upload."""
    return f"{job.FILES_UNDER}/{timezone.localdate():%Y/%m}/{filename}"


class BackgroundJob(models.Model):
    BUSY: ClassVar[tuple[str, ...]] = ()
    FILES_UNDER: ClassVar[str] = "jobs"
    STATUS_TEMPLATE: ClassVar[str] = ""
    FAILED_STATUS: ClassVar[str] = "failed"

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
    # The lease: which worker process holds the job, and when it last said it was alive.
    worker = models.CharField(_("worker"), max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)

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
        self.worker, self.heartbeat_at, self.message = "", None, ""
        self.save(
            update_fields=["status", "progress", "finished_at", "worker", "heartbeat_at", "message"]
        )

    @contextlib.contextmanager
    def lease(self) -> Iterator[None]:
        """Hold the job while a task works on it: claim it for this process and beat.

        The heartbeat is written by a thread on its own database connection, so that it
        is seen even while the task's own connection holds a long transaction (a commit
        of thousands of rows). If the process dies, the beats stop and the worker that
        starts next (or the job's page) finds the job dead and recovers it.
        """
        worker, now = this_worker(), timezone.now()
        type(self)._default_manager.filter(pk=self.pk).update(worker=worker, heartbeat_at=now)
        self.worker, self.heartbeat_at = worker, now
        stop = threading.Event()
        beat = threading.Thread(
            target=self._beat, args=(stop,), name=f"heartbeat-{self.pk}", daemon=True
        )
        beat.start()
        try:
            yield
        finally:
            stop.set()
            beat.join()

    def _beat(self, stop: threading.Event) -> None:
        every = max(1.0, lease_seconds() / 4)
        try:
            while not stop.wait(every):
                # A busy database skips a beat: the next one will do, the lease has room.
                with contextlib.suppress(DatabaseError):
                    type(self)._default_manager.filter(pk=self.pk).update(
                        heartbeat_at=timezone.now()
                    )
        finally:
            connection.close()

    def is_dead(self, now: datetime | None = None) -> bool:
        """Busy, but its worker is gone: a process of this host that no longer runs, or
        no heartbeat for longer than the lease. A job not yet claimed waits in the queue
        and is not dead."""
        if not self.is_running or not self.worker:
            return False
        host, _sep, pid = self.worker.rpartition(":")
        if host == socket.gethostname() and pid.isdigit() and not _process_alive(int(pid)):
            return True
        now = now or timezone.now()
        beat = self.heartbeat_at or self.created_at
        return beat < now - timedelta(seconds=lease_seconds())

    def recover(self) -> None:
        """Take back a dead job: by default it fails with a message saying to run it
        again. Jobs that can carry on (a re-run does no harm) override this and queue
        themselves again."""
        self.finish(self.FAILED_STATUS, message=str(DEAD_MESSAGE), worker="")

    def finish(self, status: str, **fields: Any) -> None:
        """End the work in `status`, at 100 %, with `fields` (counts, problems, file…)."""
        for name, value in fields.items():
            setattr(self, name, value)
        self.status, self.progress, self.finished_at = status, 100, timezone.now()
        self.save(update_fields=["status", "progress", "finished_at", *fields])


DEAD_MESSAGE = _(
    "The background worker stopped while doing this. Nothing was half-written; run it again."
)


def job_models() -> list[type[BackgroundJob]]:
    """Every concrete job model of the installed apps (lib knows none of them by name)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, BackgroundJob) and not model._meta.abstract
    ]


def recover_if_dead(job: BackgroundJob) -> bool:
    """Recover `job` if its worker died (see `is_dead`); whether it was."""
    if job.is_dead():
        job.recover()
        return True
    return False


def recover_dead_jobs() -> dict[str, int]:
    """Recover every dead job of every kind: {model label: how many}."""
    recovered = {}
    for model in job_models():
        count = 0
        busy = model._default_manager.filter(status__in=model.BUSY).exclude(worker="")
        for job in busy:
            count += recover_if_dead(job)
        recovered[model._meta.label] = count
    return recovered
