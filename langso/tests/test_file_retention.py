"""Retention: uploaded imports go after 30 days, exports after 7; the jobs stay."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from langso.registry import actions as registry_actions
from langso.registry.models import ImportJob
from langso.reports import actions as report_actions
from langso.reports.models import ExportJob
from langso.test import FIXED_DAY, vietnam_time


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    """Today is `FIXED_DAY`, 09:00 in Vietnam, the clock ticking: what these tests date
    (retention ages, meetings to come, uploads) never drifts with the real date."""
    time_machine.move_to(vietnam_time(FIXED_DAY), tick=True)


def _aged(job, days):
    type(job).objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days))
    return job


def _import(world, days):
    job = registry_actions.create_import_job(
        acting_user=world.hamlet_head,
        unit=world.hamlet,
        upload=SimpleUploadedFile("ho.csv", b"Ho ten\nNguyen Van A\n"),
    )
    return _aged(job, days)


def _export(world, days):
    job = report_actions.create_export_job(
        acting_user=world.official, kind="voters", unit=world.commune, area=None,
        day=date(2026, 3, 15), format="pdf", show_ids=False,
    )  # fmt: skip
    job.file.save("cu-tri.pdf", ContentFile(b"%PDF-1.4 danh sach"))
    return _aged(job, days)


def test_old_import_and_export_files_are_deleted_and_recent_ones_kept(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old_import, new_import = _import(world, 31), _import(world, 29)
    old_export, new_export = _export(world, 8), _export(world, 6)
    paths = {job: job.file.name for job in (old_import, new_import, old_export, new_export)}
    out = StringIO()

    call_command("purge_job_files", stdout=out)

    assert not default_storage.exists(paths[old_import])
    assert not default_storage.exists(paths[old_export])
    assert default_storage.exists(paths[new_import]) and default_storage.exists(paths[new_export])
    assert ImportJob.objects.get(pk=old_import.pk).file.name == ""
    assert ExportJob.objects.get(pk=old_export.pk).file.name == ""
    assert ExportJob.objects.get(pk=new_export.pk).file.name == paths[new_export]
    assert "imports: 1 files older than 30 days deleted." in out.getvalue()
    assert "exports: 1 files older than 7 days deleted." in out.getvalue()
