"""The spreadsheet layer, on real files built the way officials' files are (design.md, 8)."""

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile

import msoffcrypto.format.ooxml
import openpyxl
import pytest
import xlsxwriter
from django.utils import translation

from langso.lib import excel
from langso.lib.excel import (
    SpreadsheetError,
    cell_text,
    find_header,
    parse_date,
    read_sheet,
    write_csv,
    write_xlsx,
)

COLUMNS = {
    "full_name": ["Họ và tên", "Họ tên", "Họ, chữ đệm và tên"],
    "birth_date": ["Ngày sinh", "Năm sinh", "Ngày tháng năm sinh"],
    "relation": ["Quan hệ với chủ hộ", "Quan hệ"],
    "id_number": ["Số CCCD", "Số định danh cá nhân"],
}
BOOK_COLUMNS = {
    "full_name": ["Họ và tên"],
    "birth_date_male": ["Ngày sinh Nam", "Năm sinh Nam"],
    "birth_date_female": ["Ngày sinh Nữ", "Năm sinh Nữ"],
    "relation": ["Quan hệ với chủ hộ"],
}


@pytest.fixture
def english():
    """Messages in the source language, whatever the Vietnamese catalogue says later."""
    with translation.override("en"):
        yield


def xlsx(build):
    """The bytes of a workbook that `build(book)` fills, made by XlsxWriter as Excel would."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    build(book)
    book.close()
    return buffer.getvalue()


def resident_book(book):
    """A hamlet's resident book: national heading, title, a Nam/Nữ birth-date header."""
    sheet = book.add_worksheet("Nhân khẩu")
    bold = book.add_format({"bold": True, "align": "center"})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.merge_range("A1:F1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold)
    sheet.merge_range("A3:F3", "DANH SÁCH NHÂN KHẨU THÔN BÌNH CHIẾN", bold)
    sheet.merge_range("A5:A6", "STT", bold)
    sheet.merge_range("B5:B6", "Họ và tên", bold)
    sheet.merge_range("C5:D5", "Ngày sinh", bold)
    sheet.write_row("C6", ["Nam", "Nữ"], bold)
    sheet.merge_range("E5:E6", "Quan hệ với chủ hộ", bold)
    sheet.merge_range("F5:F6", "Ghi chú", bold)
    sheet.write_row("A7", ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"])
    sheet.write_formula("A8", "=ROW()-7", None, 1)
    sheet.write("B8", "Nguyễn Văn Phụng")
    sheet.write_datetime("C8", datetime.date(1958, 3, 5), day)
    sheet.write("E8", "Chủ hộ")
    sheet.write_formula("A9", "=ROW()-7", None, 2)
    sheet.write("B9", "Lê Thị Thủy")
    sheet.write("D9", "07/11/1961")
    sheet.write("E9", "Vợ")
    sheet.write_formula("A10", "=ROW()-7", None, 3)
    sheet.write("B10", "Nguyễn Thị Đào")
    sheet.write_number("D10", 1990)
    sheet.write("E10", "Con")


def encrypted(data, password="bichien"):
    office_file = msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(data))
    out = io.BytesIO()
    office_file.encrypt(password, out)
    return out.getvalue()


def windows_1258(text):
    """`text` as Vietnamese Windows saves it: the tone as a separate combining mark."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in unicodedata.normalize("NFC", text):
        marks = unicodedata.normalize("NFD", char)
        bare = unicodedata.normalize("NFC", "".join(m for m in marks if m not in tones))
        out.append(bare + "".join(m for m in marks if m in tones))
    return "".join(out).encode("cp1258")


# --- Reading ------------------------------------------------------------------------------


def test_it_reads_a_resident_book_with_title_rows_and_merged_cells():
    sheet = read_sheet(xlsx(resident_book), "nhan-khau.xlsx")

    assert sheet.name == "Nhân khẩu"
    assert sheet.sheet_names == ["Nhân khẩu"]
    assert sheet.rows[2][0] == "DANH SÁCH NHÂN KHẨU THÔN BÌNH CHIẾN"
    assert sheet.rows[1] == [None] * 6  # empty cells are None, not ""
    assert sheet.rows[7][1:5] == ["Nguyễn Văn Phụng", datetime.date(1958, 3, 5), None, "Chủ hộ"]
    assert ((4, 2), (4, 3)) in sheet.merged  # "Ngày sinh" over Nam | Nữ
    assert ((0, 0), (0, 5)) in sheet.merged


def test_it_finds_the_cells_holding_a_formula_with_their_positions():
    sheet = read_sheet(xlsx(resident_book))

    assert sheet.formula_cells == {(7, 0), (8, 0), (9, 0)}


def test_it_finds_formula_cells_when_the_writer_left_out_cell_references():
    data = xlsx(resident_book)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", content)
                assert b'<c r="' not in content
            target.writestr(item, content)

    assert read_sheet(out.getvalue()).formula_cells == {(7, 0), (8, 0), (9, 0)}


def test_a_workbook_without_formulas_has_no_formula_cells():
    sheet = read_sheet(xlsx(lambda book: book.add_worksheet().write_string("A1", "=1+1 is text")))

    assert sheet.formula_cells == set()
    assert sheet.rows == [["=1+1 is text"]]


def test_the_sheet_is_chosen_by_name_without_case_or_accents():
    def build(book):
        book.add_worksheet("Hộ gia đình").write("A1", "Chủ hộ")
        book.add_worksheet("Nhân khẩu").write("A1", "Họ và tên")

    sheet = read_sheet(xlsx(build), sheet="NHAN KHAU")

    assert sheet.name == "Nhân khẩu"
    assert sheet.rows == [["Họ và tên"]]
    assert sheet.sheet_names == ["Hộ gia đình", "Nhân khẩu"]


def test_without_a_name_the_first_sheet_with_data_is_read():
    def build(book):
        book.add_worksheet("Hướng dẫn")
        book.add_worksheet("Danh sách").write("B2", "Họ và tên")

    sheet = read_sheet(xlsx(build))

    assert sheet.name == "Danh sách"
    assert sheet.rows == [[None, None], [None, "Họ và tên"]]


def test_hidden_sheets_are_passed_over_when_no_sheet_is_named():
    def build(book):
        lists = book.add_worksheet("Danh mục")
        lists.write("A1", "Kinh")
        book.add_worksheet("Danh sách").write("A1", "Họ và tên")
        book.worksheets()[1].activate()
        lists.hide()

    assert read_sheet(xlsx(build)).name == "Danh sách"


def test_a_missing_sheet_names_the_sheets_there(english):
    def build(book):
        book.add_worksheet("Thôn 1").write("A1", "x")
        book.add_worksheet("Thôn 2").write("A1", "x")

    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(xlsx(build), sheet="Thôn 3")

    assert caught.value.code == "no_such_sheet"
    assert str(caught.value) == (
        "This file has no sheet named “Thôn 3”. Its sheets are: “Thôn 1”, “Thôn 2”."
    )


def test_an_opendocument_sheet_is_read():
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Thôn">'
        "<table:table-row>"
        '<table:table-cell office:value-type="string"><text:p>Họ và tên</text:p>'
        "</table:table-cell></table:table-row><table:table-row>"
        '<table:table-cell office:value-type="string"><text:p>Lò Văn Oai</text:p>'
        "</table:table-cell></table:table-row></table:table></office:spreadsheet>"
        "</office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
        )

    sheet = read_sheet(out.getvalue(), "thon.ods")

    assert sheet.rows == [["Họ và tên"], ["Lò Văn Oai"]]
    assert sheet.formula_cells == set()


def test_a_utf8_csv_with_bom_is_read():
    text = "Họ và tên,Ngày sinh\r\nNguyễn Văn Phụng,05/03/1958\r\nLò Văn Oai,\r\n"

    sheet = read_sheet(codecs.BOM_UTF8 + text.encode(), "danh-sach.csv")

    assert sheet.name == "danh-sach"
    assert sheet.rows == [
        ["Họ và tên", "Ngày sinh"],
        ["Nguyễn Văn Phụng", "05/03/1958"],
        ["Lò Văn Oai", None],
    ]


def test_a_vietnamese_windows_csv_with_semicolons_is_read_as_composed_text():
    text = (
        "DANH SÁCH NHÂN KHẨU\r\n"
        "Họ và tên;Ngày sinh;Diện tích\r\n"
        "Nguyễn Văn Phụng;05/03/1958;1,5\r\n"
        "Lê Thị Thủy;07/11/1961;2,25\r\n"
    )
    data = windows_1258(text)
    assert data.decode("cp1258") != text  # the tones really are separate marks

    sheet = read_sheet(data, "ds.csv")

    assert sheet.rows == [
        ["DANH SÁCH NHÂN KHẨU", None, None],
        ["Họ và tên", "Ngày sinh", "Diện tích"],
        ["Nguyễn Văn Phụng", "05/03/1958", "1,5"],
        ["Lê Thị Thủy", "07/11/1961", "2,25"],
    ]


def test_excel_unicode_text_in_utf16_with_tabs_is_read():
    text = "Họ và tên\tQuan hệ\r\nĐặng Thị Đào\tVợ\r\n"

    sheet = read_sheet(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "ds.txt")

    assert sheet.rows == [["Họ và tên", "Quan hệ"], ["Đặng Thị Đào", "Vợ"]]


def test_a_file_over_the_upload_limit_is_refused_before_reading(settings, english):
    settings.LANGSO_MAX_UPLOAD_BYTES = 1000

    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(b"\x89PNG\r\n\x1a\n" + b"\x00" * 1000)  # not even looked at

    assert caught.value.code == "too_large"
    assert str(caught.value).startswith("This file holds more than 1000\xa0bytes of data.")


def test_a_file_at_the_upload_limit_is_read(settings):
    data = b"Ho va ten\r\n" + b"Nguyen Van A\r\n" * 70
    settings.LANGSO_MAX_UPLOAD_BYTES = len(data)

    assert len(read_sheet(data).rows) == 71


def test_a_zip_that_unpacks_to_far_more_than_the_limit_is_refused(settings):
    settings.LANGSO_MAX_UPLOAD_BYTES = 5000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 1_000_000)
    assert len(out.getvalue()) < 5000

    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(out.getvalue())

    assert caught.value.code == "too_large"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"Ho va ten\x00\x00\x01\x02binary",
        b"<html><body><table><tr><td>H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan</td></tr></table>",
    ],
    ids=["png", "pdf", "nul-bytes", "html-named-xls"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(data, english):
    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(data, "nhan-khau.xls")

    assert caught.value.code == "not_spreadsheet"
    assert str(caught.value) == caught.value.message


def test_a_word_document_is_not_a_spreadsheet():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")

    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(out.getvalue(), "nhan-khau.xlsx")

    assert caught.value.code == "not_spreadsheet"


def test_a_password_protected_workbook_says_to_remove_the_password(english):
    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(encrypted(xlsx(resident_book)), "nhan-khau.xlsx")

    assert caught.value.code == "encrypted"
    assert str(caught.value) == (
        "This file is protected by a password. Remove the password in Excel and upload it again."
    )


@pytest.mark.parametrize(
    "data",
    [
        xlsx(lambda book: book.add_worksheet("Trống")),
        b"",
        codecs.BOM_UTF8 + b",,\r\n,,\r\n",
    ],
    ids=["empty-workbook", "no-bytes", "csv-of-commas"],
)
def test_a_file_without_data_is_empty(data):
    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(data)

    assert caught.value.code == "empty"


def test_an_empty_sheet_chosen_by_name_is_named_in_the_message(english):
    def build(book):
        book.add_worksheet("Dữ liệu").write("A1", "x")
        book.add_worksheet("Trống")

    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(xlsx(build), sheet="trong")

    assert caught.value.code == "empty"
    assert str(caught.value) == "The sheet “Trống” is empty."


def test_a_damaged_workbook_is_unreadable():
    data = xlsx(resident_book)

    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(data[: len(data) // 2])

    assert caught.value.code == "unreadable"


# --- Finding the header -------------------------------------------------------------------


def test_the_header_is_found_under_title_rows():
    rows = [
        ["ỦY BAN NHÂN DÂN XÃ HÒA VANG", None, None],
        ["DANH SÁCH NHÂN KHẨU THÔN BÌNH CHIẾN", None, None],
        [None, None, None],
        ["Họ và tên", "Ngày sinh", "Dân tộc"],
        ["Nguyễn Văn Phụng", "05/03/1958", "Kinh"],
    ]

    header = find_header(rows, COLUMNS, required=["full_name", "birth_date"])

    assert (header.row, header.data_start) == (3, 4)
    assert header.fields == {"full_name": 0, "birth_date": 1}
    assert header.labels == {"full_name": "Họ và tên", "birth_date": "Ngày sinh"}
    assert header.unknown == ["Dân tộc"]


@pytest.mark.parametrize(
    "written",
    ["HỌ VÀ TÊN", "ho va ten", "Họ và tên:", " Họ  và\ntên ", "Họ, chữ đệm và tên", "HO TEN"],
)
def test_headers_match_in_capitals_without_diacritics_and_with_punctuation(written):
    header = find_header([[written, "NGAY SINH"], ["Lò Văn Oai", "1970"]], COLUMNS)

    assert header.fields == {"full_name": 0, "birth_date": 1}
    assert header.labels["full_name"] == cell_text(written)  # for messages, spaces tidied


def test_a_header_with_a_note_in_brackets_matches_its_label():
    rows = [["Họ và tên", "Ngày sinh (dd/mm/yyyy)", "Số CCCD [12 số]"]]

    header = find_header(rows, COLUMNS)

    assert header.fields == {"full_name": 0, "birth_date": 1, "id_number": 2}


def test_the_resident_book_birth_date_is_read_from_the_nam_and_nu_columns():
    sheet = read_sheet(xlsx(resident_book))

    header = find_header(sheet.rows, BOOK_COLUMNS, merged=sheet.merged)

    assert header.row == 4
    assert header.fields == {
        "full_name": 1,
        "birth_date_male": 2,
        "birth_date_female": 3,
        "relation": 4,
    }
    assert header.labels["birth_date_female"] == "Ngày sinh Nữ"
    assert header.unknown == ["STT", "Ghi chú"]
    # The "(1) (2) (3)…" row of column numbers under the header is not data.
    assert header.data_start == 7
    assert sheet.rows[header.data_start][1] == "Nguyễn Văn Phụng"


def test_a_two_row_header_without_merged_cells_is_read_too():
    rows = [
        ["Họ và tên", "Năm sinh", None, "Quan hệ"],
        [None, "Nam", "Nữ", None],
        ["Lê Thị Thủy", None, "1961", "Vợ"],
    ]

    header = find_header(rows, BOOK_COLUMNS)

    assert header.fields == {
        "full_name": 0,
        "birth_date_male": 1,
        "birth_date_female": 2,
    }
    assert header.data_start == 2


def test_labels_under_a_group_heading_match_on_their_own():
    rows = [
        ["Thông tin cá nhân", None, "Ghi chú"],
        ["Họ và tên", "Ngày sinh", None],
        ["Lò Văn Oai", "1970", None],
    ]

    header = find_header(rows, COLUMNS, merged=[((0, 0), (0, 1))])

    assert header.fields == {"full_name": 0, "birth_date": 1}
    assert header.data_start == 2


def test_missing_required_columns_are_named_by_their_first_label(english):
    rows = [["DANH SÁCH"], ["Họ tên", "Dân tộc"], ["Lò Văn Oai", "Thái"]]

    with pytest.raises(SpreadsheetError) as caught:
        find_header(rows, COLUMNS, required=["full_name", "birth_date", "relation"])

    assert caught.value.code == "missing_columns"
    assert str(caught.value) == (
        "These columns were not found: Ngày sinh, Quan hệ với chủ hộ. "
        "The header row must name them."
    )


def test_a_sheet_without_any_known_header_names_the_required_columns(english):
    rows = [["Tên hàng", "Số lượng"], ["Gạo", 10]]

    with pytest.raises(SpreadsheetError) as caught:
        find_header(rows, COLUMNS, required=["full_name"])

    assert str(caught.value).startswith("These columns were not found: Họ và tên.")


def test_the_header_must_be_within_the_scanned_rows():
    rows = [["ghi chú"]] * 5 + [["Họ và tên"], ["Lò Văn Oai"]]

    assert find_header(rows, COLUMNS).row == 5
    with pytest.raises(SpreadsheetError):
        find_header(rows, COLUMNS, scan=5)


# --- Cells --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (123.0, "123"),
        (1.5, "1.5"),
        (79123456789.0, "79123456789"),
        (datetime.date(2025, 2, 5), "05/02/2025"),
        (datetime.datetime(2025, 2, 5), "05/02/2025"),
        ("  Nguyễn   Văn\nPhụng ", "Nguyễn Văn Phụng"),
    ],
)
def test_cell_text_reads_cells_as_an_official_would(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize(
    ("value", "day", "precision"),
    [
        (datetime.date(1990, 2, 5), datetime.date(1990, 2, 5), "day"),
        (datetime.datetime(1990, 2, 5, 0, 0), datetime.date(1990, 2, 5), "day"),
        (32909.0, datetime.date(1990, 2, 5), "day"),  # an Excel serial number
        (32909, datetime.date(1990, 2, 5), "day"),
        (1990.0, datetime.date(1990, 1, 1), "year"),  # a year typed as a number
        ("05/02/1990", datetime.date(1990, 2, 5), "day"),
        ("5/2/1990", datetime.date(1990, 2, 5), "day"),
        ("05-02-1990", datetime.date(1990, 2, 5), "day"),
        ("05.02.1990", datetime.date(1990, 2, 5), "day"),
        (" 05 / 02 / 1990 ", datetime.date(1990, 2, 5), "day"),
        ("1990-02-05", datetime.date(1990, 2, 5), "day"),
        ("05/02/1990 00:00:00", datetime.date(1990, 2, 5), "day"),
        ("ngày 05 tháng 02 năm 1990", datetime.date(1990, 2, 5), "day"),
        ("1990", datetime.date(1990, 1, 1), "year"),
    ],
)
def test_parse_date_accepts_the_ways_officials_write_dates(value, day, precision):
    assert parse_date(value) == (day, precision)


def test_dates_read_from_a_workbook_parse_whatever_their_cell_type():
    sheet = read_sheet(xlsx(resident_book))
    header = find_header(sheet.rows, BOOK_COLUMNS, merged=sheet.merged)
    births = [
        parse_date(row[header.fields["birth_date_male"]] or row[header.fields["birth_date_female"]])
        for row in sheet.rows[header.data_start :]
    ]

    assert births == [
        (datetime.date(1958, 3, 5), "day"),  # a date cell
        (datetime.date(1961, 11, 7), "day"),  # text
        (datetime.date(1990, 1, 1), "year"),  # a year alone
    ]


@pytest.mark.parametrize("value", ["31/02/1990", "00/01/2000", "15/13/1990", "1990-02-30"])
def test_an_impossible_date_is_refused_with_its_value(value, english):
    with pytest.raises(ValueError) as caught:
        parse_date(value)

    assert str(caught.value) == f"“{value}” is not a real date."


def test_a_two_digit_year_is_refused_as_ambiguous(english):
    with pytest.raises(ValueError) as caught:
        parse_date("05/02/45")

    assert "two-digit year" in str(caught.value)
    assert "05/02/45" in str(caught.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1990/1991", "“1990/1991” is not a date. Write it as dd/mm/yyyy, or the year alone."),
        (-3.0, "“-3” is not a date. Write it as dd/mm/yyyy, or the year alone."),
        (0.25, "“0.25” is not a date. Write it as dd/mm/yyyy, or the year alone."),
        (True, "“True” is not a date. Write it as dd/mm/yyyy, or the year alone."),
        ("", "No date was written."),
        (None, "No date was written."),
    ],
)
def test_what_is_not_a_date_is_refused_with_a_sentence(value, message, english):
    with pytest.raises(ValueError) as caught:
        parse_date(value)

    assert str(caught.value) == message


def test_text_that_is_not_a_date_says_how_to_write_one(english):
    with pytest.raises(ValueError) as caught:
        parse_date("không rõ")

    assert str(caught.value) == (
        "“không rõ” is not a date. Write it as dd/mm/yyyy, or the year alone."
    )


# --- Writing ------------------------------------------------------------------------------

HEADINGS = ["STT", "Họ và tên", "Ngày sinh", "Ghi chú"]
ROWS = [
    [1, "Nguyễn Văn Phụng", datetime.date(1958, 3, 5), "=1+1"],
    [2, "Đặng Thị Đào", datetime.date(1961, 11, 7), "  @SUM(A1)"],
    [3, "Lò Văn Oai", None, "-5 điểm"],
    [4, "Giàng A Dệnh", datetime.date(2001, 1, 2), "+84 912 345 678"],
]


def written(**options):
    out = io.BytesIO()
    write_xlsx(out, title="DANH SÁCH NHÂN KHẨU", headings=HEADINGS, rows=ROWS, **options)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue())).active


def test_write_xlsx_puts_a_title_above_bold_headings():
    sheet = written(subtitle="Thôn Bình Chiến, xã Hòa Vang")

    assert sheet["A1"].value == "DANH SÁCH NHÂN KHẨU"
    assert sheet["A1"].font.b
    assert "A1:D1" in {str(cells) for cells in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "Thôn Bình Chiến, xã Hòa Vang"
    assert [cell.value for cell in sheet[3]] == HEADINGS
    assert sheet["B3"].font.b and sheet["B3"].alignment.wrap_text


def test_write_xlsx_freezes_the_headings_and_filters_the_data():
    sheet = written()

    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:D6"


def test_write_xlsx_writes_real_dates_shown_as_day_month_year():
    sheet = written()

    assert sheet["C3"].value == datetime.datetime(1958, 3, 5)
    assert sheet["C3"].is_date
    assert sheet["C3"].number_format == "dd/mm/yyyy"
    assert sheet["A3"].value == 1 and sheet["A3"].data_type == "n"


def test_write_xlsx_keeps_text_that_looks_like_a_formula_as_text():
    sheet = written()

    for ref, text in [("D3", "=1+1"), ("D4", "  @SUM(A1)"), ("D5", "-5 điểm")]:
        assert sheet[ref].value == text
        assert sheet[ref].data_type == "s"
        assert sheet[ref].quotePrefix
    assert not sheet["B3"].quotePrefix


def test_write_xlsx_round_trips_vietnamese_text_through_read_sheet(tmp_path):
    path = tmp_path / "nhan-khau.xlsx"

    write_xlsx(path, title="DANH SÁCH", headings=HEADINGS, rows=ROWS, sheet_name="Thôn: Bình?")
    sheet = read_sheet(path.read_bytes())

    assert sheet.name == "Thôn  Bình"
    assert [row[1] for row in sheet.rows[2:]] == [
        "Nguyễn Văn Phụng",
        "Đặng Thị Đào",
        "Lò Văn Oai",
        "Giàng A Dệnh",
    ]
    assert sheet.rows[2][2] == datetime.date(1958, 3, 5)
    assert sheet.formula_cells == set()  # the "=1+1" note stayed text


def test_write_xlsx_sizes_columns_to_their_text_within_a_limit():
    out = io.BytesIO()
    rows = [["ngắn", "dài " * 40]]
    write_xlsx(out, title="T", headings=["A", "B"], rows=rows)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active

    assert 8 <= sheet.column_dimensions["A"].width <= 12
    assert sheet.column_dimensions["B"].width == pytest.approx(50, abs=1)


def test_write_csv_prefixes_text_that_looks_like_a_formula():
    out = io.StringIO(newline="")

    write_csv(out, HEADINGS, [*ROWS, [-5, "Bàn Văn Sinh", None, ""]])
    text = out.getvalue()

    assert text.startswith("\ufeffSTT,Họ và tên,Ngày sinh,Ghi chú\r\n")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows[1] == ["1", "Nguyễn Văn Phụng", "05/03/1958", "'=1+1"]
    assert rows[2][3] == "'  @SUM(A1)"
    assert rows[3][3] == "'-5 điểm"
    assert rows[4][3] == "'+84 912 345 678"
    assert rows[5] == ["-5", "Bàn Văn Sinh", "", ""]  # a negative number is not text


def test_write_csv_output_reads_back_with_vietnamese_intact(tmp_path):
    path = tmp_path / "ds.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        write_csv(stream, HEADINGS, ROWS)

    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    sheet = read_sheet(path.read_bytes(), "ds.csv")
    assert sheet.rows[2][1] == "Đặng Thị Đào"
    assert parse_date(sheet.rows[1][2]) == (datetime.date(1958, 3, 5), "day")


def test_write_xlsx_streams_long_lists_to_a_path_with_the_same_result(tmp_path, monkeypatch):
    # Past STREAM_ABOVE rows a path is written in constant memory; a low threshold
    # exercises that mode without writing 100,000 rows in a unit test.
    monkeypatch.setattr(excel, "STREAM_ABOVE", 2)
    path = tmp_path / "dai.xlsx"

    write_xlsx(path, title="DANH SÁCH", headings=HEADINGS, rows=iter(ROWS))
    sheet = openpyxl.load_workbook(path).active

    assert sheet["A1"].value == "DANH SÁCH"
    assert [cell.value for cell in sheet[2]] == HEADINGS
    assert sheet["B6"].value == "Giàng A Dệnh"
    assert sheet["C3"].value == datetime.datetime(1958, 3, 5)
    assert sheet["D3"].value == "=1+1" and sheet["D3"].data_type == "s"
    assert sheet["D3"].quotePrefix
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:D6"
