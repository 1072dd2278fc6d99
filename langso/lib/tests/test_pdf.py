import datetime
import re
import subprocess

import pytest

from langso.lib.charts import bar_chart
from langso.lib.pdf import PdfError, render_list_pdf

DAY = datetime.date(2026, 2, 5)
HEADINGS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Nơi ở hiện nay"]
NAMES = ["Nguyễn Thị Thủy", "Đặng Văn Đức", "Giàng A Dệnh"]


def voter_list(**overrides):
    arguments = {
        "unit_lines": ["UBND XÃ MAI SƠN", "THÔN BÌNH CHIẾN"],
        "title": "Danh sách cử tri",
        "subtitle": "Khu vực bỏ phiếu số 1 – Bầu cử ngày 15/03/2026",
        "headings": HEADINGS,
        "rows": [
            [str(number), name, "05/02/1990", "Nữ", "Kinh", "Thôn Bình Chiến"]
            for number, name in enumerate(NAMES, start=1)
        ],
        "day": DAY,
        "place": "Mai Sơn",
        "signers": [
            ("Người lập danh sách", "Nguyễn Văn Bình"),
            ("TM. UBND XÃ\nCHỦ TỊCH", "Lò Thị Hoa"),
        ],
        "notes": ["Danh sách gồm 3 cử tri."],
    }
    return render_list_pdf(**(arguments | overrides))


def text_of(pdf, tmp_path, *options):
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def page_info(pdf, tmp_path):
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", output, re.M)[1])
    width, height = map(
        float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", output, re.M).groups()
    )
    return pages, width, height


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    return text_of(voter_list(), tmp_path_factory.mktemp("pdf"), "-layout")


def test_it_prints_the_national_heading(printed):
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in printed
    assert "Độc lập - Tự do - Hạnh phúc" in printed


def test_it_prints_the_issuing_unit_title_and_subtitle(printed):
    assert "UBND XÃ MAI SƠN" in printed
    assert "THÔN BÌNH CHIẾN" in printed
    assert "DANH SÁCH CỬ TRI" in printed
    assert "Khu vực bỏ phiếu số 1 – Bầu cử ngày 15/03/2026" in printed


def test_it_writes_the_place_and_date_as_official_documents_do(printed):
    assert "Mai Sơn, ngày 05 tháng 02 năm 2026" in printed


def test_names_keep_their_diacritics(printed):
    for name in NAMES:
        assert name in printed
    assert "Họ và tên" in printed


def test_it_numbers_the_pages(printed):
    assert "Trang 1/1" in printed


def test_it_prints_notes_and_signature_blocks(printed):
    assert "Danh sách gồm 3 cử tri." in printed
    assert "NGƯỜI LẬP DANH SÁCH" in printed
    assert "CHỦ TỊCH" in printed
    assert printed.count("(Ký, ghi rõ họ tên)") == 2
    assert "Nguyễn Văn Bình" in printed
    assert "Lò Thị Hoa" in printed


def test_without_a_place_the_date_line_starts_with_a_capital(tmp_path):
    printed = text_of(voter_list(place=""), tmp_path)

    assert "Ngày 05 tháng 02 năm 2026" in printed


def test_a_long_list_runs_over_pages_with_the_headings_on_each(tmp_path):
    rows = [[str(n), f"Nguyễn Thị Thủy {n}", "", "Nữ", "Kinh", "Bình Chiến"] for n in range(2000)]
    pdf = voter_list(rows=rows)

    pages, _width, _height = page_info(pdf, tmp_path)
    second = text_of(pdf, tmp_path, "-f", "2", "-l", "2")
    assert pages > 1
    assert "Họ và tên" in second
    assert "Nơi ở hiện nay" in second
    assert f"Trang 2/{pages}" in second
    assert "Nguyễn Thị Thủy 1999" in text_of(pdf, tmp_path, "-f", str(pages), "-l", str(pages))


def test_typst_markup_in_the_data_prints_as_written(tmp_path):
    tricky = [
        '#set page(width: 1cm) #panic("x")',
        "*đậm* _nghiêng_",
        "$x^2$",
        "[liên kết]",
        "C:\\Dữ liệu\\",
        "<nhãn>",
        "@tham-chiếu",
        "// không phải chú thích",
    ]
    pdf = voter_list(
        title="Danh sách #1 [thử]",
        headings=["Nội dung"],
        rows=[[value] for value in tricky],
        signers=[("Người lập", "Lê *Văn* $An$")],
    )

    printed = text_of(pdf, tmp_path)
    for value in tricky:
        assert value in printed
    assert "DANH SÁCH #1 [THỬ]" in printed
    assert "Lê *Văn* $An$" in printed


def test_empty_cells_print_nothing(tmp_path):
    pdf = voter_list(headings=["Họ và tên", "Ghi chú"], rows=[["Đặng Văn Đức", None]])

    assert "None" not in text_of(pdf, tmp_path)


def test_eight_columns_turn_the_page_sideways(tmp_path):
    headings = [f"Cột {n}" for n in range(8)]

    _pages, width, height = page_info(voter_list(headings=headings, rows=[]), tmp_path)
    assert width > height


def test_fewer_columns_keep_the_page_upright_unless_asked(tmp_path):
    _pages, width, height = page_info(voter_list(), tmp_path)
    assert width < height

    _pages, width, height = page_info(voter_list(landscape=True), tmp_path)
    assert width > height


def test_a_chart_prints_above_the_table(tmp_path):
    chart = bar_chart(
        [("Thôn Bình Chiến", 87.5)], title="Tỷ lệ tham gia bảo hiểm y tế", percent=True
    )

    printed = text_of(voter_list(charts=[chart]), tmp_path, "-layout")

    assert "Tỷ lệ tham gia bảo hiểm y tế" in printed
    assert "87,5 %" in printed
    assert printed.index("87,5 %") < printed.index("Họ và tên")


def test_a_broken_chart_raises_pdf_error_with_typsts_message():
    with pytest.raises(PdfError, match="failed to parse SVG"):
        voter_list(charts=["<svg xmlns='http://www.w3.org/2000/svg'><g></svg>"])


def test_a_row_longer_than_the_headings_is_refused():
    with pytest.raises(PdfError, match="Row 2 has 3 cells"):
        voter_list(headings=["STT", "Họ và tên"], rows=[["1", "An"], ["2", "Bình", "?"]])


def test_widths_must_be_one_positive_number_per_column():
    with pytest.raises(PdfError, match="2 widths were given for 6 columns"):
        voter_list(widths=[1, 2])
    with pytest.raises(PdfError, match="positive"):
        voter_list(widths=[1, 2, 1, 1, 0, 1])
