"""Uploaded files never run as pages of the site (issue 12, item 11; docs/foundation.md,
"Uploaded and generated files").

Every uploaded or generated file leaves through `langso.lib.files.file_response`: typed
from its content, a download unless it is a PDF or an image, `nosniff`, and opened in a
`Content-Security-Policy: sandbox`. HTML, SVG and programs are refused on upload whatever
their first bytes: a `%PDF-` followed by a page is a page. Each payload goes through the
real upload and download URLs.
"""

import io
import struct
import zipfile
import zlib
from datetime import timedelta

import pytest
import typst
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from langso.lib.pdf import FONT_DIRS
from langso.notices.models import Attachment, Notice
from langso.party import actions as party_actions
from langso.party.models import Document, Meeting
from langso.registry.models import ImportJob
from langso.test import FIXED_DAY, vietnam_time

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    """Today is `FIXED_DAY`, 09:00 in Vietnam, the clock ticking: what these tests date
    (retention ages, meetings to come, uploads) never drifts with the real date."""
    time_machine.move_to(vietnam_time(FIXED_DAY), tick=True)


HTML = b"<!DOCTYPE html><html><body><script>fetch('/registry/people/')</script></body></html>"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
POLYGLOT = b"%PDF-1.4\n<html><script>fetch('/registry/people/').then(r => r.text())</script>"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(120)
PE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56) + b"PE\x00\x00" + bytes(64)
HOSTILE = {"html": HTML, "svg": SVG, "polyglot": POLYGLOT, "elf": ELF, "pe": PE}


def real_pdf(tmp_path):
    source = tmp_path / "lich.typ"
    source.write_text('#set text(font: "DejaVu Sans")\n= Lịch tiếp công dân\n', encoding="utf-8")
    return typst.compile(str(source), font_paths=FONT_DIRS)


def real_png():
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\xff\x00" * 2)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def real_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_served_safely(response, content_type, *, inline):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline" if inline else "attachment"), disposition


# Notice attachments -------------------------------------------------------------------


def post_notice(client, world, upload):
    return client.post(
        reverse("notices:notice-create"),
        {
            "title": "Lịch tiếp công dân",
            "body": "Xem tệp đính kèm.",
            "urgency": "normal",
            "unit": world.commune.pk,
            "units": [world.commune.pk],
            "attachments": [upload],
        },
    )


@pytest.mark.parametrize("payload", HOSTILE, ids=list(HOSTILE))
def test_a_page_svg_or_program_is_refused_as_a_notice_attachment(client, world, payload):
    client.force_login(world.official)
    for name in ("lich.pdf", "lich.html", "lich.png"):
        response = post_notice(client, world, SimpleUploadedFile(name, HOSTILE[payload]))
        assert response.status_code == 200
        assert response.context["form"].errors["attachments"]
    assert not Notice.objects.exists() and not Attachment.objects.exists()


def test_a_real_pdf_and_png_are_shown_in_the_browser_in_a_sandbox(client, world, tmp_path):
    client.force_login(world.official)
    pdf = real_pdf(tmp_path)
    for name, content, content_type in (
        ("lich.html", pdf, "application/pdf"),  # the name does not decide the type
        ("so-do.svg", real_png(), "image/png"),
    ):
        response = post_notice(client, world, SimpleUploadedFile(name, content, "text/html"))
        notice = Notice.objects.latest("pk")
        assert response.url == notice.get_absolute_url()
        item = notice.attachments.get()
        download = client.get(reverse("notices:attachment", args=[item.pk]))
        assert_served_safely(download, content_type, inline=True)
        assert body_of(download) == content


def test_a_polyglot_stored_before_the_check_is_never_served_as_a_page(client, world):
    """A file that got in before uploads were checked is a plain download, not HTML."""
    client.force_login(world.official)
    post_notice(client, world, SimpleUploadedFile("lich.pdf", b"%PDF-1.4 lich"))
    item = Attachment.objects.get()
    item.file.save("lich.html", ContentFile(POLYGLOT))
    item.name = "lich.html"
    item.save()
    download = client.get(reverse("notices:attachment", args=[item.pk]))
    assert_served_safely(download, "application/octet-stream", inline=False)
    assert body_of(download) == POLYGLOT


# Party documents and meeting minutes --------------------------------------------------


def post_document(client, pw, upload):
    return client.post(
        reverse("party:document-create"),
        {
            "kind": "resolution",
            "number": "05-NQ/ĐU",
            "title": "Nghị quyết về xây dựng nông thôn mới",
            "issuing_body": "Đảng uỷ xã Tân Lập",
            "issued_on": "02/03/2026",
            "organisations": [pw.committee.pk],
            "file": upload,
        },
    )


def test_party_documents_refuse_pages_and_programs_and_serve_pdf_and_docx_safely(
    client, party_world, tmp_path
):
    pw = party_world
    client.force_login(pw.committee_user)
    for payload in HOSTILE.values():
        response = post_document(client, pw, SimpleUploadedFile("nq05.pdf", payload))
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not Document.objects.exists()

    pdf = real_pdf(tmp_path)
    post_document(client, pw, SimpleUploadedFile("nq05.pdf", pdf))
    post_document(client, pw, SimpleUploadedFile("nq06.docx", real_docx()))
    as_pdf, as_docx = Document.objects.order_by("pk")
    client.force_login(pw.world.party_member)
    download = client.get(reverse("party:document-file", args=[as_pdf.pk]))
    assert_served_safely(download, "application/pdf", inline=True)
    assert body_of(download) == pdf
    download = client.get(reverse("party:document-file", args=[as_docx.pk]))
    assert_served_safely(
        download,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        inline=False,
    )


def test_a_meetings_minutes_file_is_checked_and_served_safely(client, party_world, tmp_path):
    pw = party_world
    meeting = party_actions.schedule_meeting(
        pw.cell,
        acting_user=None,
        kind=Meeting.Kind.REGULAR,
        title="Sinh hoạt tháng",
        starts_at=timezone.now() - timedelta(hours=2),
        place="Nhà văn hoá",
    )
    client.force_login(pw.secretary_user)
    record = reverse("party:meeting-record", args=[meeting.pk])
    data = {"held_on": f"{timezone.localdate():%d/%m/%Y}"}
    data |= {f"attendance_{i.pk}": "present" for i in meeting.invitations.all()}
    for payload in HOSTILE.values():
        client.post(record, {**data, "minutes_file": SimpleUploadedFile("bb.pdf", payload)})
        meeting.refresh_from_db()
        assert not meeting.minutes_file
    assert client.get(reverse("party:meeting-minutes", args=[meeting.pk])).status_code == 404

    pdf = real_pdf(tmp_path)
    client.post(record, {**data, "minutes_file": SimpleUploadedFile("bb.pdf", pdf)})
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("party:meeting-minutes", args=[meeting.pk]) in page
    client.force_login(pw.world.party_member)
    download = client.get(reverse("party:meeting-minutes", args=[meeting.pk]))
    assert_served_safely(download, "application/pdf", inline=True)
    assert body_of(download) == pdf
    client.force_login(pw.world.official)  # no party role: party files are not theirs
    assert client.get(reverse("party:meeting-minutes", args=[meeting.pk])).status_code == 404


# Imports and exports ------------------------------------------------------------------


@pytest.mark.parametrize("payload", HOSTILE, ids=list(HOSTILE))
def test_an_import_refuses_pages_and_programs(client, world, payload):
    client.force_login(world.hamlet_head)
    response = client.post(
        reverse("registry:import-create"),
        {"file": SimpleUploadedFile("ho-khau.csv", HOSTILE[payload]), "unit": world.hamlet.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_an_export_is_a_download_with_the_same_safeguards(client, world):
    client.force_login(world.official)
    response = client.get(reverse("registry:person-export"))
    assert_served_safely(
        response,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        inline=False,
    )
    with zipfile.ZipFile(io.BytesIO(body_of(response))) as book:
        assert "xl/workbook.xml" in book.namelist()
