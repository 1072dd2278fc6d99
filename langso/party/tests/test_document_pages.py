"""The document library and resolution study from the phone (domain.md §7)."""

import io
import zipfile

import pytest
import typst
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from langso.lib.pdf import FONT_DIRS
from langso.party import actions
from langso.party.models import Document, Reading

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_day")]


def real_pdf(tmp_path, text="Nghị quyết về xây dựng nông thôn mới"):
    source = tmp_path / "document.typ"
    source.write_text(f'#set text(font: "DejaVu Sans")\n= {text}\n', encoding="utf-8")
    return typst.compile(str(source), font_paths=FONT_DIRS)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def real_docx(*paragraphs):
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
        )
    return buffer.getvalue()


def upload_form(pw, file, **fields):
    return {
        "kind": "resolution",
        "number": "05-NQ/ĐU",
        "title": "Nghị quyết về xây dựng nông thôn mới",
        "issuing_body": "Đảng uỷ xã Tân Lập",
        "issued_on": "02/03/2026",
        "tags": "nông thôn mới, kinh tế",
        "organisations": [pw.committee.pk],
        "file": file,
        **fields,
    }


def test_the_committee_adds_a_pdf_that_every_cell_then_reads(client, party_world, tmp_path):
    pw = party_world
    client.force_login(pw.committee_user)
    pdf = SimpleUploadedFile("nq05.pdf", real_pdf(tmp_path), "application/pdf")
    response = client.post(reverse("party:document-create"), upload_form(pw, pdf))
    document = Document.objects.get()
    assert response.url == document.get_absolute_url()
    assert document.tag_list() == ["nông thôn mới", "kinh tế"]

    client.force_login(pw.world.party_member)
    listing = client.get(reverse("party:document-list"), {"tag": "kinh tế"})
    assert list(listing.context["documents"]) == [document]
    assert client.get(document.get_absolute_url()).status_code == 200
    download = client.get(reverse("party:document-file", args=[document.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert Reading.objects.filter(member=pw.member, document=document).count() == 1


def test_a_word_file_is_accepted_and_a_renamed_text_file_is_refused(client, party_world):
    pw = party_world
    client.force_login(pw.committee_user)
    docx = SimpleUploadedFile(
        "hd.docx", real_docx("Hướng dẫn sinh hoạt chi bộ", "1. Chuẩn bị nội dung")
    )
    client.post(reverse("party:document-create"), upload_form(pw, docx, kind="guidance"))
    document = Document.objects.get()
    assert document.file_kind == "DOCX"
    # A Word file is read on the phone as text, without Word.
    page = client.get(document.get_absolute_url()).content.decode()
    assert "<p>Hướng dẫn sinh hoạt chi bộ</p>" in page
    assert "<p>1. Chuẩn bị nội dung</p>" in page

    fake = SimpleUploadedFile("nq06.pdf", "Không phải PDF".encode())
    response = client.post(
        reverse("party:document-create"), upload_form(pw, fake, title="Nghị quyết số 6")
    )
    assert response.status_code == 200
    assert Document.objects.count() == 1
    assert "Nghị quyết số 6" in response.content.decode()
    assert response.context["form"].non_field_errors()


def test_a_document_for_one_cell_stays_out_of_another(client, party_world, tmp_path):
    pw = party_world
    document = actions.add_document(
        acting_user=None,
        kind="guidance",
        title="Hướng dẫn riêng chi bộ Đồng Tâm",
        issuing_body="Chi bộ Đồng Tâm",
        issued_on=timezone.localdate(),
        file=SimpleUploadedFile("hd.pdf", real_pdf(tmp_path)),
        organisations=[pw.other_cell],
    )
    client.force_login(pw.world.party_member)
    assert client.get(document.get_absolute_url()).status_code == 404
    assert client.get(reverse("party:document-file", args=[document.pk])).status_code == 404


def test_answering_the_questions_earns_points_once(client, party_world, tmp_path):
    pw = party_world
    document = actions.add_document(
        acting_user=None,
        kind="resolution",
        title="Nghị quyết Đại hội",
        issuing_body="Đảng uỷ xã",
        issued_on=timezone.localdate(),
        file=SimpleUploadedFile("nq.pdf", real_pdf(tmp_path)),
        organisations=[pw.committee],
    )
    first = actions.add_question(
        document, acting_user=None, text="Nhiệm kỳ?", choices=["2020–2025", "2025–2030"], correct=2
    )
    second = actions.add_question(
        document, acting_user=None, text="Mục tiêu?", choices=["A", "B", "C"], correct=1, points=5
    )
    client.force_login(pw.world.party_member)
    answer = reverse("party:document-answer", args=[document.pk])
    client.post(answer, {f"q{first.pk}": "2", f"q{second.pk}": "3"})
    page = client.get(document.get_absolute_url())
    assert page.context["points"] == 10
    assert page.context["form"] is None
    client.post(answer, {f"q{first.pk}": "2", f"q{second.pk}": "1"})
    assert client.get(document.get_absolute_url()).context["points"] == 10

    client.force_login(pw.secretary_user)
    profile = client.get(pw.member.get_absolute_url())
    assert profile.context["points"] == 10
    cell = client.get(pw.cell.get_absolute_url())
    assert cell.context["points"][pw.member.pk] == 10


def test_the_secretary_attaches_the_meetings_resolution(client, party_world, tmp_path):
    from langso.party.models import Meeting

    pw = party_world
    meeting = actions.schedule_meeting(
        pw.cell,
        acting_user=None,
        kind=Meeting.Kind.REGULAR,
        title="Sinh hoạt tháng",
        starts_at=timezone.now(),
        place="Nhà văn hoá",
    )
    client.force_login(pw.secretary_user)
    url = f"{reverse('party:document-create')}?meeting={meeting.pk}"
    form = client.get(url).context["form"]
    assert form.initial["organisations"] == [pw.cell]
    pdf = SimpleUploadedFile("nq.pdf", real_pdf(tmp_path))
    client.post(url, upload_form(pw, pdf, organisations=[pw.cell.pk]))
    assert list(meeting.documents.all()) == [Document.objects.get()]
    other = actions.schedule_meeting(
        pw.other_cell,
        acting_user=None,
        kind=Meeting.Kind.REGULAR,
        title="Sinh hoạt tháng",
        starts_at=timezone.now(),
        place="Nhà văn hoá",
    )
    assert client.get(f"{reverse('party:document-create')}?meeting={other.pk}").status_code == 404
