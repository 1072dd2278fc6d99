"""The signed-in pages: the list (overdue in red), one report and its actions, entering a
report received by phone or Zalo, the dashboard and the monthly summary."""

import io
import subprocess
import tempfile
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from langso.feedback import actions
from langso.feedback.models import Report
from langso.feedback.tests.conftest import jpeg_bytes
from langso.test import vietnam_time

pytestmark = pytest.mark.django_db


def test_the_list_shows_an_overdue_report_in_red(client, world, roads):
    with time_machine.travel(vietnam_time(date(2026, 6, 1))):
        report = actions.submit_report(
            acting_user=None, hamlet=world.hamlet, category=roads, text="Cầu hỏng.", channel="web"
        )
    with time_machine.travel(vietnam_time(date(2026, 6, 20))):
        client.force_login(world.hamlet_head)
        page = client.get(reverse("feedback:report-list")).content.decode()
    assert report.tracking_display in page and 'class="overdue"' in page
    assert reverse("feedback:dashboard", args=[world.hamlet.pk]) in page


def test_a_hamlet_head_gets_404_for_another_hamlet(client, world, roads):
    other = actions.submit_report(
        acting_user=None,
        hamlet=world.other_hamlet,
        category=roads,
        text="Đường lầy.",
        channel="web",
    )
    client.force_login(world.hamlet_head)
    assert client.get(reverse("feedback:report-detail", args=[other.pk])).status_code == 404
    assert (
        other.tracking_display not in client.get(reverse("feedback:report-list")).content.decode()
    )
    client.force_login(world.outsider)
    assert client.get(reverse("feedback:report-detail", args=[other.pk])).status_code == 404


def test_viewer_and_outsider_posts_change_nothing(client, world, report):
    for user in (world.viewer, world.outsider):
        client.force_login(user)
        for name in ("assign", "start", "note", "answer", "close", "decline"):
            response = client.post(
                reverse(f"feedback:report-{name}", args=[report.pk]),
                {"text": "x", "unit": world.commune.pk, "reason": "out_of_scope", "note": "x"},
            )
            assert response.status_code == 404
    report.refresh_from_db()
    assert report.state == Report.State.RECEIVED and not report.notes.exists()


def test_the_commune_assigns_and_the_hamlet_head_answers_with_a_photo(client, world, report):
    client.force_login(world.official)
    client.post(reverse("feedback:report-assign", args=[report.pk]), {"user": world.hamlet_head.pk})
    client.force_login(world.hamlet_head)
    page = client.get(reverse("feedback:report-detail", args=[report.pk])).content.decode()
    assert "Cống qua đường" in page
    client.post(reverse("feedback:report-note", args=[report.pk]), {"text": "Hẹn thợ thứ Bảy."})
    client.post(
        reverse("feedback:report-answer", args=[report.pk]),
        {"text": "Đã thay ống cống.", "photos": [SimpleUploadedFile("xong.jpg", jpeg_bytes())]},
    )
    report.refresh_from_db()
    assert (report.state, report.assigned_user, report.answered_by) == (
        "answered",
        world.hamlet_head,
        world.hamlet_head,
    )
    assert report.photos.filter(kind="answer").count() == 1
    photo = report.photos.get()
    assert client.get(reverse("feedback:photo", args=[photo.pk]))["Content-Type"] == "image/jpeg"
    client.force_login(world.outsider)
    assert client.get(reverse("feedback:photo", args=[photo.pk])).status_code == 404


def test_a_hamlet_head_enters_a_report_from_the_zalo_group(client, world, roads):
    client.force_login(world.hamlet_head)
    response = client.post(
        reverse("feedback:report-create"),
        {
            "channel": "zalo",
            "reporter_name": "Bà Tư",
            "category": roads.pk,
            "hamlet": world.hamlet.pk,
            "text": "Trong nhóm Zalo bà con báo cống tắc.",
            "is_public": "on",
        },
    )
    report = Report.objects.get()
    assert response.url == report.get_absolute_url()
    assert (report.channel, report.entered_by, report.reporter_name) == (
        "zalo",
        world.hamlet_head,
        "Bà Tư",
    )


def test_a_resident_with_an_account_sees_only_their_reports(client, world, roads, report):
    from langso.test import make_user

    resident = make_user("nguoidan", "Trần Văn Dân")
    client.force_login(resident)
    client.post(
        reverse("public:feedback-new", args=["04000"]),
        {
            "category": roads.pk,
            "hamlet": world.hamlet.pk,
            "text": "Đèn đường tắt.",
            "is_public": "on",
        },
    )
    mine = Report.objects.get(reporter_user=resident)
    assert mine.channel == "app"
    page = client.get(reverse("feedback:report-list")).content.decode()
    assert mine.tracking_display in page and report.tracking_display not in page
    assert client.get(reverse("feedback:report-detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("feedback:report-detail", args=[mine.pk])).status_code == 200


def test_the_monthly_summary_in_excel_and_pdf(client, world, report):
    actions.answer_report(report, acting_user=world.official, text="Đã sửa.")
    client.force_login(world.official)
    today = date.today()
    url = reverse("feedback:summary", args=[world.commune.pk, today.year, today.month, "xlsx"])
    book = load_workbook(io.BytesIO(client.get(url).content))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "Bình Chiến" in cells and "Tổng cộng" in cells
    pdf = client.get(url.replace(".xlsx", ".pdf")).content
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True
        ).stdout
    words = " ".join(text.lower().split())
    assert "bình chiến" in words and "phản ánh" in words and "cộng hòa" in words
