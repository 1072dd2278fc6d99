"""Reading long sheets in bounded memory (hardening issue, item 8): a sheet is counted
before it is read, refused over a limit, and read row by row when it is long."""

import io
import tracemalloc

import pytest
import xlsxwriter
from django.utils import translation

from langso.lib import excel
from langso.lib.excel import SpreadsheetError, read_sheet


def long_book(rows, *, formulas=(), merged=False, names=None):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Nhân khẩu")
    if merged:
        sheet.merge_range(0, 0, 0, 3, "DANH SÁCH NHÂN KHẨU")
    sheet.write_row(1, 0, ["STT", "Họ và tên", "Năm sinh", "Địa chỉ"])
    for r in range(rows):
        sheet.write_row(
            r + 2, 0, [r + 1, f"Hoàng Văn Thái {r % (names or rows)}", 1950 + r % 70, r]
        )
    for row, col in formulas:
        sheet.write_formula(row, col, "=1+1", None, 2)
    book.close()
    return buffer.getvalue()


def test_a_sheet_over_the_limit_is_refused_with_a_way_out_before_it_is_read():
    # One cell a million rows down: calamine would lay out every row before it.
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Họ và tên", "Năm sinh"])
    sheet.write(999_999, 0, "Hoàng Văn Thái")
    book.close()

    tracemalloc.start()
    with pytest.raises(SpreadsheetError) as refused, translation.override("vi"):
        read_sheet(buffer.getvalue(), "x.xlsx", max_rows=100_000)
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert refused.value.code == "too_many_rows"
    assert "1.000.000" in refused.value.message and "100.000" in refused.value.message
    assert "PostgreSQL" in refused.value.message and "Chia" in refused.value.message
    assert peak < 8 * 1024 * 1024


def test_csv_files_are_counted_too_with_room_for_a_title_and_header():
    def csv(people):
        return (
            "Họ và tên,Năm sinh\n" + "".join(f"Người {n},1970\n" for n in range(people))
        ).encode()

    with pytest.raises(SpreadsheetError) as refused:
        read_sheet(csv(60), "x.csv", max_rows=20)

    assert refused.value.code == "too_many_rows"
    assert len(read_sheet(csv(49), "x.csv", max_rows=20).rows) == 50  # 20 + 30 title rows


def test_a_long_sheet_read_row_by_row_gives_the_rows_the_formulas_and_merges_of_a_whole_read():
    data = long_book(300, formulas=[(7, 2), (250, 3)], merged=True)

    whole = read_sheet(data, "x.xlsx")
    streamed = read_sheet(data, "x.xlsx", stream_over=100)

    assert not whole.streamed and streamed.streamed
    assert streamed.row_count == whole.row_count == 302
    assert list(streamed.iter_rows(2)) == whole.rows[2:]
    assert streamed.formula_cells == whole.formula_cells == {(7, 2), (250, 3)}
    assert streamed.merged == whole.merged == [((0, 0), (0, 3))]


def test_the_count_and_the_formulas_hold_when_the_sheet_is_scanned_in_small_pieces(monkeypatch):
    data = long_book(400, formulas=[(3, 1), (200, 2), (401, 3)])
    whole = read_sheet(data, "x.xlsx")

    monkeypatch.setattr(excel, "SCAN_PIECE", 97)  # cuts through tags and cells
    pieces = read_sheet(data, "x.xlsx", stream_over=10)

    assert pieces.row_count == 402
    assert pieces.formula_cells == whole.formula_cells == {(3, 1), (200, 2), (401, 3)}


def test_reading_a_long_sheet_row_by_row_takes_no_more_memory_for_more_rows():
    import openpyxl  # noqa: F401 -- loaded before measuring, as a worker has it loaded

    def peak(read):
        tracemalloc.start()
        read()
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak

    def reading_on(data):  # the rows after the header, once the sheet is open
        sheet = read_sheet(data, "x.xlsx", stream_over=10)
        return peak(lambda: sum(1 for _row in sheet.iter_rows(excel.STREAM_HEAD_ROWS)))

    def whole(data):
        return peak(lambda: read_sheet(data, "x.xlsx"))

    short, long = long_book(1500, names=20), long_book(6000, names=20)
    per_row_whole = (whole(long) - whole(short)) / 4500
    per_row_streamed = (reading_on(long) - reading_on(short)) / 4500

    # openpyxl leaves each parsed row as an emptied XML element: under 100 bytes a row,
    # against the whole row held by a whole read.
    assert per_row_streamed < 100 and per_row_whole > 4 * per_row_streamed, (
        per_row_streamed,
        per_row_whole,
    )
