"""A big list's export is a background job: its page polls with the same progress block as an
import, and only the action queues its work, once the transaction commits."""

from datetime import date

from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from langso.reports.models import ExportJob
from langso.tests.job_pages import job_status

DAY = "15/03/2026"


def queued():
    return list(
        DBTaskResult.objects.filter(task_path__endswith="export_list").values_list(
            "args_kwargs", flat=True
        )
    )


def an_export(world, **fields):
    return ExportJob.objects.create(
        created_by=world.official, kind="voters", unit=world.commune, day=date(2026, 3, 15),
        format=ExportJob.Format.XLSX, **fields,
    )  # fmt: skip


def test_a_running_export_shows_the_shared_progress_block_and_polls(client, world):
    job = an_export(world, progress=40)
    client.force_login(world.official)

    page = client.get(job.get_absolute_url()).content.decode()
    polled = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()

    assert job_status(page) == {
        "polls": job.get_absolute_url(),
        "every": "every 1s",
        "status": str(ExportJob.Status.RUNNING.label),
        "progress": ("40", "100"),
    }
    assert polled.lstrip().startswith('<div id="job-status"')
    assert job_status(polled) == job_status(page)


def test_a_finished_export_stops_polling_and_says_how_many_rows(client, world):
    job = an_export(world)
    job.finish(ExportJob.Status.DONE, counts={"rows": 4})
    client.force_login(world.official)

    page = client.get(job.get_absolute_url()).content.decode()

    shown = job_status(page)
    assert shown["polls"] is None and shown["progress"] is None
    assert shown["status"] == str(ExportJob.Status.DONE.label)
    assert "— 4 dòng" in page and "?download=1" in page


def test_a_big_list_queues_one_export_when_the_request_commits(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.LANGSO_DIRECT_EXPORT_ROWS = 2  # the commune's 5 residents make a "big" list
    client.force_login(world.official)
    url = reverse("reports:list", args=["households"])

    with django_capture_on_commit_callbacks(execute=False) as waiting:
        response = client.get(url, {"unit": world.commune.pk, "day": DAY, "export": "xlsx"})
        assert queued() == []  # nothing before the commit
    for callback in waiting:
        callback()

    job = ExportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert queued() == [{"args": [job.pk], "kwargs": {}}]
    assert (job.kind, job.unit, job.created_by) == ("households", world.commune, world.official)


def test_an_outsider_cannot_start_an_export_of_the_commune(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.LANGSO_DIRECT_EXPORT_ROWS = 2
    client.force_login(world.outsider)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            reverse("reports:list", args=["households"]),
            {"unit": world.commune.pk, "day": DAY, "export": "xlsx"},
        )

    assert response.status_code in (200, 404)
    assert "Nguyễn Văn Phụng" not in response.content.decode()
    assert not ExportJob.objects.exists() and queued() == []
