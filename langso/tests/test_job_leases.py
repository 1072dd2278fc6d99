"""A background job whose worker died is found and taken back (issue 18 item 9).

An import whose worker was killed during its commit stayed "importing 30 %" forever and
could not be committed again. Jobs now hold a lease (the worker's process, a heartbeat);
`manage.py worker` takes back dead jobs when it starts, and a job's page does when it is
opened: an import cut off is ready to import again (its write is one transaction, so
nothing was written), other jobs fail with "run it again".
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from langso.lib.jobs import recover_dead_jobs, this_worker
from langso.registry import actions
from langso.registry.models import ImportJob
from langso.registry.tests.test_import import book
from langso.reports.models import ExportJob

ROOT = Path(__file__).resolve().parents[2]


def dead_worker():
    """`host:pid` of a process of this machine that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{socket.gethostname()}:{child.pid}"


def checked_job(world):
    from langso.registry.tasks import check_import

    job = ImportJob.objects.create(
        created_by=world.hamlet_head, unit=world.hamlet, original_name="danh-sach.xlsx",
        file=SimpleUploadedFile("danh-sach.xlsx", book()),
    )  # fmt: skip
    check_import.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    return job


def test_an_import_cut_off_by_a_dead_worker_can_be_imported_again(client, world):
    job = checked_job(world)
    actions.confirm_import(job, acting_user=world.hamlet_head)
    ImportJob.objects.filter(pk=job.pk).update(
        worker=dead_worker(), heartbeat_at=timezone.now(), progress=30
    )

    call_command("worker", recover_only=True, verbosity=0)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and not job.is_running
    client.force_login(world.hamlet_head)
    page = client.get(job.get_absolute_url()).content.decode()
    assert job.message and job.message in page
    # And it can be committed again.
    actions.confirm_import(job, acting_user=world.hamlet_head)
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.IMPORTING


def test_a_live_worker_and_a_quiet_one_within_its_lease_are_left_alone(world):
    job = checked_job(world)
    actions.confirm_import(job, acting_user=world.hamlet_head)
    ImportJob.objects.filter(pk=job.pk).update(worker=this_worker(), heartbeat_at=timezone.now())
    other_host = ImportJob.objects.create(
        created_by=world.hamlet_head, unit=world.hamlet, original_name="b.xlsx",
        status=ImportJob.Status.IMPORTING, worker="may-chu-2:4242", heartbeat_at=timezone.now(),
    )  # fmt: skip

    assert recover_dead_jobs()["registry.ImportJob"] == 0
    # Another machine's worker is known by its heartbeat only: silent past the lease, dead.
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        other_host.refresh_from_db()
        assert other_host.is_dead()
        assert recover_dead_jobs()["registry.ImportJob"] == 2  # and this process's, as old
    assert ImportJob.objects.get(pk=other_host.pk).status == ImportJob.Status.CHECKED


def test_a_dead_export_fails_with_run_it_again_on_its_page(client, world):
    job = ExportJob.objects.create(
        created_by=world.official, kind="voters", unit=world.commune, day=date(2026, 3, 15),
        format="xlsx", status=ExportJob.Status.RUNNING, worker=dead_worker(),
    )  # fmt: skip
    client.force_login(world.official)

    page = client.get(reverse("reports:export", args=[job.pk])).content.decode()

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.message and job.message in page


def test_a_job_run_by_the_worker_records_its_lease(world):
    job = checked_job(world)
    assert job.worker == this_worker() and job.heartbeat_at is not None


SEED = """
from django.core.files.base import ContentFile
from langso.accounts.models import User
from langso.registry import actions
from langso.registry.models import ImportJob
from langso.registry.tasks import check_import
from langso.places.models import Unit

hamlet = Unit.objects.filter(parent__code="04105", kind="hamlet").order_by("path").first()
head = User.objects.get(username="truongthon")
job = ImportJob(created_by=head, unit=hamlet, original_name="so-ho-khau.xlsx")
job.file.save("so-ho-khau.xlsx", ContentFile(open(BOOK, "rb").read()), save=False)
job.save()
check_import.call(job.pk)
job.refresh_from_db()
assert job.status == "checked", (job.status, job.problems[:3])
actions.confirm_import(job, acting_user=head)
print(job.pk)
"""

CONFIRM = """
from langso.accounts.models import User
from langso.registry import actions
from langso.registry.models import ImportJob
job = ImportJob.objects.get(pk=JOB)
actions.confirm_import(job, acting_user=User.objects.get(username="truongthon"))
"""


def big_book(households):
    rows = []
    for number in range(households):
        rows.append([len(rows) + 1, f"Hoàng Văn Thử {number:05d}", f"12/03/{1950 + number % 40}",
                     None, None, "Chủ hộ", None, f"Số {number}", "Làm ruộng", None])  # fmt: skip
        rows.append([len(rows) + 1, f"Lường Thị Mẫu {number:05d}", None, 1972, None, "Vợ",
                     None, None, "Làm ruộng", None])  # fmt: skip
    return book(rows)


def test_a_worker_killed_during_a_commit_leaves_nothing_and_the_next_takes_it_back(tmp_path):
    """Real processes on a real database file: the worker is killed with SIGKILL while it
    commits a 12,000-row book; a new worker finds the job dead when it starts, the
    registry holds none of the rows, and the import then goes through whole."""
    database = tmp_path / "langso.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "LANGSO_VAR_DIR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
            capture_output=True, text=True, timeout=900,
        ).stdout  # fmt: skip

    def row(sql, *params):
        with sqlite3.connect(database) as db:
            return db.execute(sql, params).fetchone()

    (tmp_path / "book.xlsx").write_bytes(big_book(6000))
    manage("migrate", "--verbosity", "0")
    manage("load_units")
    manage("demo", "--households", "40")
    people_before = row("SELECT count(*) FROM registry_person")[0]
    seed = SEED.replace("BOOK", repr(str(tmp_path / "book.xlsx")))
    job_id = int(manage("shell", "-c", seed).split()[-1])

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-startup-delay", "--no-reload"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            status, progress, holder = row(
                "SELECT status, progress, worker FROM registry_importjob WHERE id = ?", job_id
            )
            assert status == "importing", f"the import ended ({status}) before the kill"
            if holder and progress >= 30:
                break
            time.sleep(0.01)
        # The plan is read (0–30 %); the worker now builds 12,000 rows and writes them in
        # one transaction, which takes seconds: kill it in there.
        time.sleep(0.3)
    finally:
        worker.kill()
        worker.wait()

    assert row("SELECT status FROM registry_importjob WHERE id = ?", job_id)[0] == "importing"
    assert row("SELECT count(*) FROM registry_person")[0] == people_before

    said = manage("worker", "--batch", "--no-startup-delay", "--no-reload")

    assert "registry.ImportJob: 1 job(s) left by a dead worker taken back" in said
    status, message = row("SELECT status, message FROM registry_importjob WHERE id = ?", job_id)
    assert status == "checked" and message
    assert row("SELECT count(*) FROM registry_person")[0] == people_before

    manage("shell", "-c", CONFIRM.replace("JOB", str(job_id)))
    manage("worker", "--batch", "--no-startup-delay", "--no-reload")

    assert row("SELECT status FROM registry_importjob WHERE id = ?", job_id)[0] == "done"
    assert row("SELECT count(*) FROM registry_person")[0] == people_before + 12000
