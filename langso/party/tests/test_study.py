"""The document library and resolution study (Regulation 339-QĐ/TW, domain.md §7)."""

import zipfile
from datetime import date
from io import BytesIO

import pytest
import typst
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from langso.accounts.models import AuditEntry
from langso.party import actions
from langso.party.access import documents_for_user
from langso.party.models import Answer, Document, Reading

MB = 1024 * 1024


@pytest.fixture
def pdf_bytes(tmp_path):
    """A real one-page PDF typeset by Typst."""
    source = tmp_path / "nghi-quyet.typ"
    source.write_text(
        "= Nghị quyết số 57-NQ/TW\nVề đột phá phát triển khoa học, công nghệ.\n", encoding="utf-8"
    )
    return typst.compile(str(source))


def docx_bytes(with_document=True):
    """A minimal Word document: a zip holding word/document.xml."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"/>',
        )
        if with_document:
            archive.writestr(
                "word/document.xml",
                '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hướng dẫn</w:t></w:r>'
                "</w:p></w:body></w:document>",
            )
        else:
            archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def add(party, upload, organisations=None, acting_user=None, title="Nghị quyết số 57-NQ/TW"):
    return actions.add_document(
        acting_user=acting_user,
        kind=Document.Kind.RESOLUTION,
        title=title,
        issuing_body="Bộ Chính trị",
        issued_on=date(2024, 12, 22),
        file=upload,
        organisations=organisations or [party.committee],
    )


# Files ---------------------------------------------------------------------------------


def test_a_real_pdf_is_added_to_the_library(party, media, pdf_bytes):
    upload = SimpleUploadedFile("nq57.pdf", pdf_bytes, content_type="application/pdf")

    document = add(party, upload)

    document.refresh_from_db()
    assert document.file_kind == "PDF"
    with document.file.open("rb") as stored:
        assert stored.read() == pdf_bytes
    assert list(document.organisations.all()) == [party.committee]
    assert AuditEntry.objects.filter(verb="party.document_added", unit=party.world.commune).exists()


def test_a_real_word_document_is_added_to_the_library(party, media):
    upload = SimpleUploadedFile("huong-dan.docx", docx_bytes())

    document = add(party, upload, title="Hướng dẫn học tập")

    document.refresh_from_db()
    assert document.file_kind == "DOCX"
    assert document.file.size == len(docx_bytes())


@pytest.mark.parametrize(
    "name, content",
    [
        pytest.param("nq57.pdf", "Nghị quyết số 57".encode(), id="text_renamed_pdf"),
        pytest.param("nq57.docx", "Nghị quyết số 57".encode(), id="text_renamed_docx"),
        pytest.param("bang-tinh.docx", docx_bytes(with_document=False), id="zip_not_word"),
        pytest.param("hong.docx", b"PK\x03\x04 not really a zip", id="broken_zip"),
    ],
)
def test_a_file_that_is_not_really_pdf_or_docx_is_refused(party, media, name, content):
    with pytest.raises(ValidationError) as refused:
        add(party, SimpleUploadedFile(name, content))

    assert refused.value.code == "file_type"
    assert not Document.objects.exists()


def test_a_file_over_20_mb_is_refused(party, media, pdf_bytes):
    big = pdf_bytes + b"\n%" + b"0" * (20 * MB - len(pdf_bytes))

    with pytest.raises(ValidationError) as refused:
        add(party, SimpleUploadedFile("nq57.pdf", big))

    assert len(big) > 20 * MB
    assert refused.value.code == "too_big"
    assert not Document.objects.exists()


def test_a_file_of_exactly_20_mb_is_accepted(party, media, pdf_bytes):
    exactly = pdf_bytes + b"\n%" + b"0" * (20 * MB - len(pdf_bytes) - 2)

    document = add(party, SimpleUploadedFile("nq57.pdf", exactly))

    assert document.file.size == 20 * MB


def test_a_document_is_addressed_to_at_least_one_organisation(party, media, pdf_bytes):
    with pytest.raises(ValidationError):
        actions.add_document(
            acting_user=None,
            kind=Document.Kind.DIRECTIVE,
            title="Chỉ thị 35",
            issuing_body="Bộ Chính trị",
            issued_on=date(2024, 6, 14),
            file=SimpleUploadedFile("ct35.pdf", pdf_bytes),
            organisations=[],
        )

    assert not Document.objects.exists()


# Questions and answers -----------------------------------------------------------------


@pytest.fixture
def document(party, media, pdf_bytes):
    return add(party, SimpleUploadedFile("nq57.pdf", pdf_bytes))


@pytest.fixture
def question(document):
    return actions.add_question(
        document,
        acting_user=None,
        text="Nghị quyết 57 đặt mục tiêu đến năm nào?",
        choices=["2030", "2045", "2050"],
        correct=2,
        points=10,
    )


def test_questions_keep_their_choices_trimmed_and_come_in_order(document):
    first = actions.add_question(
        document, acting_user=None, text="Câu một?", choices=[" Có ", "", "Không  "], correct=1
    )
    second = actions.add_question(
        document, acting_user=None, text="Câu hai?", choices=["A", "B"], correct=2
    )

    assert first.choices == ["Có", "Không"]
    assert (first.order, second.order) == (1, 2)
    assert list(document.questions.all()) == [first, second]


@pytest.mark.parametrize(
    "choices, correct",
    [
        pytest.param(["Có"], 1, id="one_choice"),
        pytest.param(["Có", "  ", ""], 1, id="blank_choices_do_not_count"),
        pytest.param(["Có", "Không"], 0, id="no_correct_choice"),
        pytest.param(["Có", "Không"], 3, id="correct_choice_out_of_range"),
    ],
)
def test_a_question_needs_two_choices_and_a_correct_one(document, choices, correct):
    with pytest.raises(ValidationError):
        actions.add_question(
            document, acting_user=None, text="Câu hỏi?", choices=choices, correct=correct
        )

    assert not document.questions.exists()


def test_a_right_answer_earns_the_questions_points(party, question):
    member = party.member("Vi Văn Tới")

    answer = actions.answer_question(question, member, choice=2)

    assert (answer.is_correct, answer.points) == (True, 10)


def test_a_wrong_answer_earns_nothing(party, question):
    member = party.member("Vi Văn Tới")

    answer = actions.answer_question(question, member, choice=3)

    assert (answer.is_correct, answer.points) == (False, 0)


def test_a_question_is_answered_only_once(party, question):
    member = party.member("Vi Văn Tới")
    actions.answer_question(question, member, choice=3)

    with pytest.raises(ValidationError) as refused:
        actions.answer_question(question, member, choice=2)

    assert refused.value.code == "answered"
    answer = Answer.objects.get(member=member)
    assert (answer.choice, answer.points) == (3, 0)


@pytest.mark.parametrize("choice", [0, 4])
def test_an_answer_must_be_one_of_the_choices(party, question, choice):
    member = party.member("Vi Văn Tới")

    with pytest.raises(ValidationError):
        actions.answer_question(question, member, choice=choice)

    assert not Answer.objects.exists()


def test_each_member_answers_for_themselves(party, question):
    first = party.member("Vi Văn Tới")
    second = party.member("Vi Thị Hiền")

    actions.answer_question(question, first, choice=2)
    actions.answer_question(question, second, choice=2)

    assert question.answers.count() == 2


# Reading -------------------------------------------------------------------------------


def test_a_reading_is_kept_once_at_the_first_time(party, document):
    member = party.member("Vi Văn Tới")

    first = actions.record_reading(document, member)
    again = actions.record_reading(document, member)

    assert again.pk == first.pk
    assert again.read_at == first.read_at
    assert Reading.objects.filter(document=document, member=member).count() == 1


# Who sees which document ---------------------------------------------------------------


def test_a_member_sees_documents_for_their_cell_and_the_committee_above_it(party, media, pdf_bytes):
    """domain.md §7: documents addressed to the member's cell or above it; need-to-know."""

    def upload(name):
        return SimpleUploadedFile(f"{name}.pdf", pdf_bytes)

    for_committee = add(party, upload("dang-bo"), [party.committee], title="Của đảng bộ")
    for_cell = add(party, upload("chi-bo"), [party.cell], title="Của chi bộ Bình Chiến")
    for_other = add(party, upload("dong-tam"), [party.other_cell], title="Của chi bộ Đồng Tâm")
    for_far = add(party, upload("chieng-hac"), [party.far_committee], title="Của Chiềng Hặc")
    for_both = add(party, upload("hai"), [party.other_cell, party.cell], title="Hai chi bộ")
    member = party.member_with_account("Vi Văn Tới", "vivantoi")

    seen = set(documents_for_user(member.user))

    assert seen == {for_committee, for_cell, for_both}
    assert for_other not in seen and for_far not in seen


def test_a_former_member_sees_no_documents(party, document):
    member = party.member_with_account("Vi Văn Tới", "vivantoi")
    actions.end_membership(
        member, acting_user=None, status=member.Status.REMOVED, on=date(2026, 1, 1)
    )

    assert list(documents_for_user(member.user)) == []
