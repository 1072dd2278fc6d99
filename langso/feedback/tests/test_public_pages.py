"""The public pages: report without an account, the code page, the answers and figures."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from langso.feedback import actions
from langso.feedback.figures import feedback_figures
from langso.feedback.models import Report
from langso.feedback.tests.conftest import gps_exif, jpeg_bytes

pytestmark = pytest.mark.django_db


def form_data(world, roads, **extra):
    return {
        "category": roads.pk,
        "hamlet": world.hamlet.pk,
        "text": "Cống ngang đường đầu thôn bị vỡ.",
        "landmark": "Gần nhà văn hoá",
        "phone": "0912 345 678",
        "is_public": "on",
        "website": "",
        **extra,
    }


def test_a_resident_reports_with_a_photo_and_gets_a_code(client, world, roads):
    photo = SimpleUploadedFile("cong.jpg", jpeg_bytes(exif=gps_exif()), "image/jpeg")
    response = client.post(
        reverse("public:feedback-new", args=["04000"]),
        form_data(world, roads, photos=[photo]),
        REMOTE_ADDR="203.0.113.5",
    )
    report = Report.objects.get()
    assert response.url == reverse("public:feedback-track", args=["04000", report.code])
    page = client.get(response.url).content.decode()
    assert report.tracking_display in page and "Đã tiếp nhận" in page
    assert (report.reporter_phone, report.channel, report.source_ip) == (
        "0912345678",
        "web",
        "203.0.113.5",
    )
    stored = report.photos.get()
    photo_url = reverse("public:feedback-tracked-photo", args=["04000", report.code, stored.pk])
    served = client.get(photo_url)
    assert served["Content-Type"] == "image/jpeg" and served["Content-Security-Policy"] == "sandbox"
    assert not Image.open(io.BytesIO(b"".join(served.streaming_content))).getexif()


def test_the_honeypot_and_a_too_long_text_are_refused(client, world, roads):
    url = reverse("public:feedback-new", args=["04000"])
    assert client.post(url, form_data(world, roads, website="http://spam")).status_code == 400
    assert client.post(url, form_data(world, roads, text="x" * 2001)).status_code == 400
    assert Report.objects.count() == 0


def test_a_refused_file_is_named_on_the_page(client, world, roads):
    exe = SimpleUploadedFile("anh.jpg", b"MZ" + b"\x00" * 100, "image/jpeg")
    response = client.post(
        reverse("public:feedback-new", args=["04000"]), form_data(world, roads, photos=[exe])
    )
    assert response.status_code == 400
    assert "Không nhận tệp “anh.jpg”" in response.content.decode()
    assert Report.objects.count() == 0


def test_the_rate_limit_shows_a_clear_message(client, world, roads, settings):
    settings.LANGSO_FEEDBACK_REPORTS_PER_HOUR = 1
    url = reverse("public:feedback-new", args=["04000"])
    client.post(url, form_data(world, roads, phone=""))
    response = client.post(url, form_data(world, roads, phone=""))
    assert response.status_code == 400
    assert "quá nhiều phản ánh" in response.content.decode()
    assert Report.objects.count() == 1


def test_unknown_commune_or_hamlet_is_404_and_an_unknown_code_looks_out_of_scope(
    client, world, roads, report
):
    assert client.get("/public/99999/feedback/new/").status_code == 404
    response = client.post(
        reverse("public:feedback-new", args=["04000"]),
        form_data(world, roads, hamlet=world.far_hamlet.pk),
    )
    assert response.status_code == 400 and Report.objects.count() == 1
    unknown = client.get(reverse("public:feedback-track", args=["04000", "ABCD2345"]))
    elsewhere = client.get(reverse("public:feedback-track", args=["04009", report.code]))
    assert unknown.status_code == elsewhere.status_code == 404
    message = "Không có phản ánh nào của xã có mã này"
    for page in (unknown.content.decode(), elsewhere.content.decode()):
        assert message in page and report.code not in page.split("<main")[1].split("</main>")[0]


def test_the_public_list_shows_the_answer_but_never_the_name_or_phone(client, world, roads):
    report = actions.submit_report(
        acting_user=world.hamlet_head,
        hamlet=world.hamlet,
        category=roads,
        text="Ông Nguyễn Văn Phụng báo cống vỡ.",
        channel=Report.Channel.PHONE,
        reporter_name="Nguyễn Văn Phụng",
        reporter_phone="0912345678",
    )
    actions.answer_report(report, acting_user=world.hamlet_head, text="Thôn đã thay cống mới.")
    page = client.get(reverse("public:feedback-answers", args=["04000"])).content.decode()
    assert "Thôn đã thay cống mới." in page and "Bình Chiến" in page
    assert "Phụng" not in page and "0912345678" not in page


def test_the_public_figures_and_the_dashboard_come_from_one_function(client, world, roads, report):
    actions.answer_report(report, acting_user=world.official, text="Đã sửa.")
    actions.rate_report(report, acting_user=None, rating="satisfied")
    figures = feedback_figures(world.commune)
    assert (figures.total.received, figures.total.on_time_percent) == (1, 100.0)
    public = client.get(reverse("public:feedback-answers", args=["04000"])).content.decode()
    client.force_login(world.official)
    dashboard = client.get(reverse("feedback:dashboard", args=[world.commune.pk])).content.decode()
    for page in (public, dashboard):
        assert "100.0 %" in page or "100,0 %" in page
    row = next(f for f in figures.by_hamlet if f.label == "Bình Chiến")
    assert (row.received, row.satisfied_percent) == (1, 100.0)


def test_a_resident_rates_and_reopens_from_the_code_page(client, world, report):
    actions.answer_report(report, acting_user=world.official, text="Đã sửa.")
    base = ["04000", report.code]
    client.post(reverse("public:feedback-rate", args=base), {"rating": "not_satisfied"})
    client.post(reverse("public:feedback-reopen", args=base), {"reason": "Vẫn ngập."})
    report.refresh_from_db()
    assert (report.state, report.rating) == ("in_progress", "not_satisfied")
    assert report.notes.get().text == "Mở lại: Vẫn ngập."


@pytest.mark.parametrize("analysed", [False, True], ids=["no statistics", "analysed"])
def test_the_published_answers_are_read_newest_first_from_their_index(world, analysed):
    """The public home's three latest answers and a page of the answers list walk the
    index of a commune's answers by date, never sorting every answer of the commune."""
    from django.db import connection

    if analysed:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    answers = Report.objects.answered_publicly().filter(commune=world.commune)
    for query in (
        answers.select_related("category", "hamlet").order_by("-answered_at", "-pk")[:3],
        answers.order_by("-answered_at", "-pk")[50:100],
    ):
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                steps = [row[3] for row in cursor.fetchall()]
                assert any("USING INDEX feedback_public_answers_idx" in s for s in steps), steps
                assert not any("TEMP B-TREE" in step for step in steps), steps
            else:
                # A test's table is tiny, so PostgreSQL would rightly read and sort it:
                # asked not to, it shows that an index gives the order.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_sort = off")
                cursor.execute("EXPLAIN " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "feedback_public_answers_idx" in plan, plan
                assert "Sort" not in plan, plan
