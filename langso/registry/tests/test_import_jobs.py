"""An import is a background job: its page polls with the shared progress block, and only
the action queues its work, once the transaction commits."""

import io

import xlsxwriter
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from langso.registry.models import ImportJob
from langso.tests.job_pages import job_status


def a_book():
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Nhân khẩu")
    sheet.write_row(0, 0, ["Họ và tên", "Năm sinh", "Giới tính", "Quan hệ với chủ hộ"])
    sheet.write_row(1, 0, ["Hoàng Văn Thái", "1970", "Nam", "Chủ hộ"])
    workbook.close()
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "danh-sach.xlsx"
    return upload


def a_checked_job(world):
    job = ImportJob.objects.create(
        created_by=world.hamlet_head, unit=world.hamlet, file="x.xlsx", original_name="x.xlsx"
    )
    job.finish(ImportJob.Status.CHECKED, counts={"created": 1})
    return job


def queued(task_name):
    return list(
        DBTaskResult.objects.filter(task_path__endswith=task_name).values_list(
            "args_kwargs", flat=True
        )
    )


def test_a_running_import_shows_the_shared_progress_block_and_polls(client, world):
    job = ImportJob.objects.create(
        created_by=world.hamlet_head, unit=world.hamlet, file="x.xlsx", original_name="x.xlsx",
        progress=40,
    )  # fmt: skip
    client.force_login(world.hamlet_head)

    page = client.get(job.get_absolute_url()).content.decode()
    polled = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()

    assert job_status(page) == {
        "polls": job.get_absolute_url(),
        "every": "every 1s",
        "status": str(ImportJob.Status.CHECKING.label),
        "progress": ("40", "100"),
    }
    assert polled.lstrip().startswith('<div id="job-status"')
    assert job_status(polled) == job_status(page)
    assert "<h1>x.xlsx</h1>" in page and "<h1>" not in polled


def test_a_finished_import_stops_polling(client, world):
    job = a_checked_job(world)
    client.force_login(world.hamlet_head)

    shown = job_status(client.get(job.get_absolute_url()).content.decode())

    assert shown["polls"] is None and shown["progress"] is None
    assert shown["status"] == str(ImportJob.Status.CHECKED.label)


def test_uploading_a_book_queues_one_check_when_the_upload_commits(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.hamlet_head)

    with django_capture_on_commit_callbacks(execute=False) as waiting:
        client.post(reverse("registry:import-create"), {"file": a_book(), "unit": world.hamlet.pk})
        assert queued("check_import") == []  # nothing before the commit
    for callback in waiting:
        callback()

    job = ImportJob.objects.get()
    assert queued("check_import") == [{"args": [job.pk], "kwargs": {}}]
    assert job.status == ImportJob.Status.CHECKING and job.created_by == world.hamlet_head


def test_confirming_a_checked_import_queues_one_write_on_commit(
    client, world, django_capture_on_commit_callbacks
):
    job = a_checked_job(world)
    client.force_login(world.hamlet_head)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:import-commit", args=[job.pk]))

    job.refresh_from_db()
    assert queued("commit_import") == [{"args": [job.pk], "kwargs": {}}]
    assert (job.status, job.percent, job.finished_at) == (ImportJob.Status.IMPORTING, 0, None)


def test_a_viewer_can_neither_upload_nor_confirm_an_import(
    client, world, django_capture_on_commit_callbacks
):
    job = a_checked_job(world)
    client.force_login(world.viewer)

    with django_capture_on_commit_callbacks(execute=True):
        upload = client.post(
            reverse("registry:import-create"), {"file": a_book(), "unit": world.hamlet.pk}
        )
        confirm = client.post(reverse("registry:import-commit", args=[job.pk]))

    assert (upload.status_code, confirm.status_code) == (404, 404)
    assert list(ImportJob.objects.values_list("status", flat=True)) == ["checked"]
    assert queued("check_import") == [] and queued("commit_import") == []
