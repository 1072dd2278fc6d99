"""Spreadsheets in and out, the way officials keep them (design.md, principle 8).

Officials' lists have title rows above the header, merged header cells, Vietnamese
headers typed with or without diacritics, and dates as dd/mm/yyyy text, real Excel
dates or a year alone. This module turns such a file into plain rows and finds the
header; it knows nothing of residents, so each importer only maps its fields.

Reading uses python-calamine, about ten times faster than openpyxl on a 100,000-row
sheet (design.md, Dependencies). Calamine does not say which cells hold formulas, so
those are found by scanning the sheet's XML with a regular expression: an importer
must not take a computed value for one an official typed. Writing uses XlsxWriter,
which streams long lists to disk.
"""

import codecs
import csv
import datetime
import decimal
import io
import os
import posixpath
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html import unescape
from itertools import chain, islice
from typing import IO, Any, Literal, Protocol

import python_calamine
import xlsxwriter
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from langso.lib.vietnamese import fold

# A zip that unpacks to more than this many times the upload limit is a zip bomb, not a
# list of residents: real workbooks unpack to 5–20 times their size.
UNZIPPED_FACTOR = 50
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # day 0, so that Excel's fictitious 29/02/1900 is skipped
LAST_EXCEL_SERIAL = 2958465  # 31/12/9999

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DANGEROUS = ("=", "+", "-", "@")  # what Excel and LibreOffice start a formula with

# A cell as read: what calamine gives (a datetime is a date too), or None when empty.
Cell = str | int | float | bool | datetime.date | datetime.time | datetime.timedelta | None
# A merged range: its first and last (row, column), 0-based, inclusive.
MergedRange = tuple[tuple[int, int], tuple[int, int]]
# A header cell: its column, its text, and its sub-label when it heads a spanning cell.
Heading = tuple[int, str, str | None]
# How much of a date a cell gave: the day itself, or only the year.
Precision = Literal["day", "year"]


MESSAGES = {
    "too_large": gettext_lazy(
        "This file holds more than %(limit)s of data. Split it into smaller files and upload "
        "them one by one."
    ),
    "not_spreadsheet": gettext_lazy(
        "This file is not a spreadsheet. Upload an Excel workbook (.xlsx or .xls), an "
        "OpenDocument sheet (.ods) or a CSV file."
    ),
    "encrypted": gettext_lazy(
        "This file is protected by a password. Remove the password in Excel and upload it again."
    ),
    "empty": gettext_lazy("This file holds no data: every cell is empty."),
    "unreadable": gettext_lazy(
        "This file could not be read; it may be damaged. Open it in Excel, save it again "
        "and upload it again."
    ),
    "no_such_sheet": gettext_lazy(
        "This file has no sheet named “%(sheet)s”. Its sheets are: %(sheets)s."
    ),
    "too_many_rows": gettext_lazy(
        "This file holds %(rows)s rows; this site imports at most %(limit)s rows at a time. "
        "Split the file into smaller files and import them one by one, or ask the "
        "administrator to move the site to PostgreSQL, which takes larger files."
    ),
    "missing_columns": gettext_lazy(
        "These columns were not found: %(columns)s. The header row must name them."
    ),
}


class SpreadsheetError(Exception):
    """A file that cannot be used, with a sentence saying what the uploader can do."""

    def __init__(self, code: str, message: str | None = None, **params: object) -> None:
        self.code = code
        self.message = str(message or MESSAGES[code]) % params
        super().__init__(self.message)


@dataclass
class Sheet:
    name: str
    sheet_names: list[str]
    # Every row; or, for a sheet read row by row, its first rows (where the header is).
    rows: list[list[Cell]]
    merged: list[MergedRange] = field(default_factory=list)
    formula_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, col); .xlsx/.xlsm
    more: Iterator[list[Cell]] | None = None  # the rows after `rows`, when read row by row
    row_count: int = -1  # rows in the sheet, counted before reading; -1: len(rows)

    def __post_init__(self) -> None:
        if self.row_count < 0:
            self.row_count = len(self.rows)

    @property
    def streamed(self) -> bool:
        return self.more is not None

    def iter_rows(self, start: int = 0) -> Iterator[list[Cell]]:
        """The rows from index `start` on, read on demand when the sheet is streamed."""
        yield from islice(self.rows, start, None)
        if self.more is not None:
            yield from islice(self.more, max(0, start - len(self.rows)), None)


@dataclass
class Header:
    row: int
    data_start: int
    fields: dict[str, int]  # field -> column index
    labels: dict[str, str]  # field -> the header as written, for messages
    unknown: list[str]  # headers that matched no field


# --- Reading ------------------------------------------------------------------------------


def read_sheet(
    data: bytes,
    filename: str = "",
    sheet: str | None = None,
    *,
    max_rows: int | None = None,
    stream_over: int | None = None,
) -> Sheet:
    """One sheet of an uploaded .xlsx, .xlsm, .xlsb, .xls, .ods or CSV/TSV file.

    The format is told from the bytes, since people rename files. `sheet` is a sheet
    name, matched without regard to case or accents, or None for the first sheet with
    data (visible sheets first). A CSV file has one sheet, named after `filename`.

    A sheet of more than `max_rows` rows below its title and header (up to `TITLE_ROWS`)
    is refused ("too_many_rows"), an .xlsx sheet before it is read; an .xlsx sheet of
    more than `stream_over` rows comes back streamed: `rows` holds its first rows and
    `iter_rows()` reads the others one at a time.
    """
    limits = _Limits(max_rows, stream_over)
    limit = getattr(settings, "LANGSO_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
    if len(data) > limit:
        raise SpreadsheetError("too_large", limit=filesizeformat(limit))
    if not data:
        raise SpreadsheetError("empty")
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return limits.check(_read_zip(data, sheet, limit, limits))
    if data.startswith(_OLE2):
        # An encrypted .xlsx is an OLE2 container holding the real zip as this stream.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise SpreadsheetError("encrypted")
        if "Workbook".encode("utf-16-le") not in data and "Book".encode("utf-16-le") not in data:
            raise SpreadsheetError("not_spreadsheet")  # a Word .doc or another OLE2 file
        return limits.check(_read_book(data, sheet))
    if data.startswith(_BINARY_MAGIC):
        raise SpreadsheetError("not_spreadsheet")
    return limits.check(_read_text(data, filename))


TITLE_ROWS = 30  # rows a sheet may hold above its data beyond `max_rows` (find_header's scan)


@dataclass
class _Limits:
    max_rows: int | None
    stream_over: int | None

    def refuse(self, rows: int) -> None:
        # The limit counts people, not the title and header rows above them.
        if self.max_rows and rows > self.max_rows + TITLE_ROWS:
            raise SpreadsheetError(
                "too_many_rows", rows=_thousands(rows), limit=_thousands(self.max_rows)
            )

    def check(self, sheet: Sheet) -> Sheet:
        # .xlsx sheets were counted before reading; .xls holds at most 65,536 rows, and
        # .ods, .xlsb and CSV files within the upload limit are read whole, then counted.
        self.refuse(sheet.row_count)
        return sheet


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")  # the Vietnamese way: 100.000


def _read_zip(data: bytes, wanted: str | None, limit: int, limits: _Limits) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise SpreadsheetError("unreadable") from error
    if sum(member.file_size for member in members) > UNZIPPED_FACTOR * limit:
        raise SpreadsheetError("too_large", limit=filesizeformat(limit))
    names = {member.filename for member in members}
    is_ods = "mimetype" in names and archive.read("mimetype").startswith(
        b"application/vnd.oasis.opendocument.spreadsheet"
    )
    if not is_ods and not any(name.startswith("xl/") for name in names):
        raise SpreadsheetError("not_spreadsheet")  # a .docx, a .zip of photos…
    if "xl/workbook.xml" not in names:
        return _read_book(data, wanted)  # .ods, or an .xlsb (binary parts)
    scans: dict[str, _Scan] = {}

    def scanned(name: str) -> _Scan:
        if name not in scans:
            try:
                scans[name] = _scan_sheet(archive, name)
            except (KeyError, zipfile.BadZipFile, ValueError, EOFError) as error:
                raise SpreadsheetError("unreadable") from error
            limits.refuse(scans[name].rows)
        return scans[name]

    result = _read_book(data, wanted, scanned, limits.stream_over)
    result.formula_cells = scanned(result.name).formulas
    return result


def _read_book(
    data: bytes,
    wanted: str | None,
    scanned: Callable[[str], "_Scan"] | None = None,
    stream_over: int | None = None,
) -> Sheet:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
        if wanted is not None:
            candidates = [_pick_sheet(names, wanted)]
        else:
            shown = python_calamine.SheetVisibleEnum.Visible
            visible = {meta.name for meta in book.sheets_metadata if meta.visible == shown}
            candidates = sorted(names, key=lambda name: name not in visible)
        for name in candidates:
            scan = scanned(name) if scanned else None
            if scan is not None and stream_over and scan.rows > stream_over:
                streamed = _stream_sheet(data, name, names, scan)
                if streamed is not None:
                    return streamed
                continue
            table = book.get_sheet_by_name(name)
            rows = _clean_rows(table.to_python(skip_empty_area=False))
            if rows:
                merged = list(table.merged_cell_ranges or [])
                return Sheet(name, names, rows, merged, row_count=len(rows))
    except python_calamine.PasswordError as error:
        raise SpreadsheetError("encrypted") from error
    except python_calamine.CalamineError as error:
        raise SpreadsheetError("unreadable") from error
    if wanted is None:
        raise SpreadsheetError("empty")
    raise SpreadsheetError("empty", _("The sheet “%(sheet)s” is empty."), sheet=candidates[0])


def _pick_sheet(names: list[str], wanted: str) -> str:
    for name in names:
        if fold(name) == fold(wanted):
            return name
    sheets = ", ".join(f"“{name}”" for name in names)
    raise SpreadsheetError("no_such_sheet", sheet=wanted, sheets=sheets)


def _clean_rows(rows: Sequence[Sequence[Cell]]) -> list[list[Cell]]:
    """`rows` with empty cells as None and text in composed Unicode, or [] if all empty.

    Text from macOS or from cp1258 files comes decomposed (a letter, then its tone
    mark); composing it lets names compare equal to those typed in the browser.
    """
    cleaned = [_clean_row(row) for row in rows]
    return cleaned if any(v is not None for row in cleaned for v in row) else []


def _clean_row(row: Sequence[Cell]) -> list[Cell]:
    return [
        (v if v.isascii() else unicodedata.normalize("NFC", v)) or None if v.__class__ is str else v
        for v in row
    ]


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # Excel's "Unicode text": the BOM gives the byte order
    elif b"\x00" in data[:65536]:
        raise SpreadsheetError("not_spreadsheet")
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1258"  # what Vietnamese Windows saves "CSV" as
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise SpreadsheetError("not_spreadsheet") from error


def _read_text(data: bytes, filename: str) -> Sheet:
    text = _decode(data).rstrip("\x1a")  # DOS programs end text files with Ctrl-Z
    if _CONTROL.search(text):
        raise SpreadsheetError("not_spreadsheet")
    if text.lstrip()[:1] == "<":
        # Some government software saves an HTML table or SpreadsheetML 2003 as ".xls".
        raise SpreadsheetError(
            "not_spreadsheet",
            _(
                "This file is a web page or an XML file, not a workbook. Open it in Excel, "
                "save it as an Excel workbook (.xlsx) and upload it again."
            ),
        )
    text = unicodedata.normalize("NFC", text)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
        rows: list[list[Cell]] = [[cell or None for cell in row] for row in reader]
    except csv.Error as error:
        raise SpreadsheetError("unreadable") from error
    while rows and not any(rows[-1]):
        rows.pop()
    if not any(any(row) for row in rows):
        raise SpreadsheetError("empty")
    width = max(len(row) for row in rows)
    for row in rows:
        row.extend([None] * (width - len(row)))
    name = os.path.splitext(os.path.basename(filename))[0] or "CSV"
    return Sheet(name, [name], rows)


def _sniff_delimiter(text: str) -> str:
    """The delimiter on which most lines agree about a number of columns (two or more).

    Excel writes ";" where the decimal mark is a comma, as in Vietnamese settings, so
    commas inside numbers must not win; title lines have one column and do not count.
    """
    lines = text[:65536].splitlines()[:100]
    best, best_score = ",", (0, 0)
    for delimiter in (",", ";", "\t"):
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) > 1]
        if widths:
            width, agreeing = Counter(widths).most_common(1)[0]
            if (agreeing, width) > best_score:
                best, best_score = delimiter, (agreeing, width)
    return best


_ATTRIBUTE = re.compile(r"([\w:.-]+)\s*=\s*([\"'])(.*?)\2", re.S)
_SHEET_TAG = re.compile(r"<(?:[\w.-]+:)?sheet\s([^>]*)>")
_RELATION_TAG = re.compile(r"<(?:[\w.-]+:)?Relationship\s([^>]*)>")
_SHEET_DATA = re.compile(rb"<([\w.-]+:)?sheetData[\s/>]")
_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c|f)\b([^>]*)>")
_REFERENCE = re.compile(rb"\br\s*=\s*[\"']([A-Z]*)(\d*)[\"']")


def _attributes(text: str) -> dict[str, str]:
    return {key.rsplit(":", 1)[-1]: unescape(value) for key, _q, value in _ATTRIBUTE.findall(text)}


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip member holding the worksheet named `sheet_name`."""
    # The workbook and its relations are small; regular expressions avoid handing an
    # uploaded file to an XML parser that would expand its entities.
    book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    relations = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    sheets = (_attributes(match) for match in _SHEET_TAG.findall(book))
    relation = next((s.get("id") for s in sheets if s.get("name") == sheet_name), None)
    for attrs in map(_attributes, _RELATION_TAG.findall(relations)):
        if relation and attrs.get("Id") == relation:
            target = attrs.get("Target", "")
            part = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            return posixpath.normpath(part)
    return None


@dataclass
class _Scan:
    rows: int = 0  # the last row's number, or the number of rows if that is larger
    formulas: set[tuple[int, int]] = field(default_factory=set)
    merged: list[MergedRange] = field(default_factory=list)


SCAN_PIECE = 1 << 20  # bytes of a worksheet's XML looked at at once
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")
_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
_FORMULA_TAG = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")
_MERGE_TAG = re.compile(
    rb"<(?:[\w.-]+:)?mergeCell\s[^>]*?\bref\s*=\s*[\"']([A-Z]+)(\d+):([A-Z]+)(\d+)"
)
_ROW_NUMBER = re.compile(rb"\br\s*=\s*[\"'](\d+)[\"']")


def _scan_sheet(archive: zipfile.ZipFile, sheet_name: str) -> _Scan:
    """Count a worksheet's rows and find its formulas and merged cells, reading its XML
    a piece at a time, so that a sheet of a million rows costs no more memory than one
    of ten."""
    part = _sheet_part(archive, sheet_name)
    if part is None:
        return _Scan()
    scan, count, carry, unnumbered = _Scan(), 0, b"", False
    with archive.open(part) as stream:
        while True:
            piece = stream.read(SCAN_PIECE)
            text = carry + piece
            if piece:
                # Keep the last cell (and anything after its start) for the next piece:
                # a formula is looked up from its cell's tag, which must be whole.
                cut = _last_cell_start(text)
                text, carry = text[:cut], text[cut:]
            for row in _ROW_TAG.finditer(text):
                count += 1
                end = text.find(b">", row.start())
                number = _ROW_NUMBER.search(text, row.start(), end if end > 0 else len(text))
                if number:
                    scan.rows = max(scan.rows, int(number[1]))
            for formula in _FORMULA_TAG.finditer(text):
                cell_start = text.rfind(b"<", 0, formula.start())
                reference = _REFERENCE.search(text, cell_start, formula.start())
                if not reference or not reference[1]:
                    unnumbered = True
                else:
                    scan.formulas.add((int(reference[2]) - 1, _column(reference[1])))
            for merge in _MERGE_TAG.finditer(text):
                first = (int(merge[2]) - 1, _column(merge[1]))
                scan.merged.append((first, (int(merge[4]) - 1, _column(merge[3]))))
            if not piece:
                break
    scan.rows = max(scan.rows, count)
    if unnumbered:
        # Some writers leave out the optional r="B7" references: then the cells must be
        # counted from the start, which needs the whole part (such files are small).
        scan.formulas = _formula_positions(archive.read(part))
    return scan


def _last_cell_start(text: bytes) -> int:
    for window in (4096, len(text)):
        starts = [match.start() for match in _CELL_TAG.finditer(text, max(0, len(text) - window))]
        if starts:
            return starts[-1]
    return max(0, text.rfind(b"<"))


def _stream_sheet(data: bytes, name: str, names: list[str], scan: _Scan) -> Sheet | None:
    """`name` read row by row with openpyxl's read-only mode, or None if it is empty."""
    import openpyxl  # only for the largest sheets

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = _padded(book[name].iter_rows(values_only=True))
        head = list(islice(rows, STREAM_HEAD_ROWS))
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as error:
        raise SpreadsheetError("unreadable") from error
    if not _clean_rows(head) and next(rows, None) is None:
        return None
    return Sheet(
        name, names, _clean_rows(head) or [[None]] * len(head), scan.merged, scan.formulas,
        more=(_clean_row(row) for row in rows), row_count=scan.rows,
    )  # fmt: skip


STREAM_HEAD_ROWS = 100  # rows of a streamed sheet kept whole: the header is among them


def _padded(rows: Iterable[Sequence[Cell]]) -> Iterator[list[Cell]]:
    # openpyxl gives each row as wide as the sheet says it is; calamine's rows are all as
    # wide as the widest: an importer reads columns by index, so a short row is padded.
    width = 0
    for row in rows:
        width = max(width, len(row))
        yield [*row, *([None] * (width - len(row)))]


def _formula_positions(xml: bytes) -> set[tuple[int, int]]:
    """(row, col) of each cell holding a formula in a worksheet part's XML."""
    sheet_data = _SHEET_DATA.search(xml)
    if not sheet_data:
        return set()
    start, prefix = sheet_data.end(), sheet_data[1] or b""
    found: set[tuple[int, int]] = set()
    # A formula is a cell's first child (CT_Cell: f, v, is), so the tag just before each
    # <f> is its cell's: the cost follows the number of formulas, not of cells.
    for formula in re.compile(re.escape(b"<" + prefix + b"f") + rb"[\s/>]").finditer(xml, start):
        cell_start = xml.rfind(b"<", start, formula.start())
        reference = _REFERENCE.search(xml, cell_start, formula.start())
        if not reference or not reference[1]:
            return _formula_positions_counted(xml, start)
        found.add((int(reference[2]) - 1, _column(reference[1])))
    return found


def _formula_positions_counted(xml: bytes, start: int) -> set[tuple[int, int]]:
    # Some writers leave out the optional r="B7" references: count rows and cells instead.
    found: set[tuple[int, int]] = set()
    row, col = -1, -1
    for tag, attrs in _TAG.findall(xml, start):
        if tag == b"f":
            found.add((row, col))
            continue
        reference = _REFERENCE.search(attrs)
        letters, digits = reference.groups() if reference else (b"", b"")
        if tag == b"row":
            row, col = (int(digits) - 1 if digits else row + 1), -1
        else:
            row = int(digits) - 1 if digits else row
            col = _column(letters) if letters else col + 1
    return found


def _column(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


# --- Finding the header -------------------------------------------------------------------

_NOT_WORD = re.compile(r"[\W_]+")
_TRAILING_NOTE = re.compile(r"\s*[(\[][^()\[\]]*[)\]]?\s*$")
_COLUMN_NUMBER = re.compile(r"\(?(\d{1,2})\)?")


def _key(text: str) -> str:
    return _NOT_WORD.sub(" ", fold(text)).strip()


def _lookup(text: str, index: Mapping[str, str]) -> str | None:
    """The field whose label is `text`, or is `text` without trailing "(notes)"."""
    folded = fold(text)
    while True:
        found = index.get(_NOT_WORD.sub(" ", folded).strip())
        bare = _TRAILING_NOTE.sub("", folded)
        if found or bare == folded or not bare:
            return found
        folded = bare


def find_header(
    rows: Sequence[Sequence[object]],
    columns: Mapping[str, Sequence[str]],
    *,
    required: Iterable[str] = (),
    merged: Sequence[MergedRange] = (),
    scan: int = 30,
) -> Header:
    """Where the header is and which column holds each field of `columns`.

    `columns` maps a field to its accepted labels; labels match regardless of case,
    accents, punctuation and a trailing "(note)". The header is the row among the first
    `scan` that matches the most fields. A header cell spanning several columns (merged,
    or followed by empty cells) over a row of sub-labels yields "<parent> <child>"
    labels, such as "Ngày sinh Nam" and "Ngày sinh Nữ" in resident books; a sub-label
    alone matches too. When two columns match one field, the first is kept.
    """
    index: dict[str, str] = {}
    for name, written in columns.items():
        for label in written:
            index.setdefault(_key(label), name)
    merged_at = dict(merged)
    best: tuple[int, int, dict[str, int], dict[str, str], list[str]] | None = None
    best_rank: tuple[int, int, int] | None = None
    for r in range(min(scan, len(rows))):
        single_row: list[Heading] = [
            (c, text, None) for c, text in enumerate(map(cell_text, rows[r]))
        ]
        candidates: list[tuple[int, list[Heading] | None]] = [(1, single_row)]
        if r + 1 < len(rows):
            candidates.append((0, _headings_two(rows[r], rows[r + 1], r, merged_at)))
        for single, headings in candidates:
            if headings is None:
                continue
            matched = _match(headings, index)
            # Most fields first; on a tie one row beats two and an earlier row a later one.
            rank = (len(matched[0]), single, -r)
            if rank[0] and (best_rank is None or rank > best_rank):
                best, best_rank = (r, 2 - single, *matched), rank
    if best is None:
        raise _missing_columns(columns, list(required) or list(columns))
    row, height, fields, labels, unknown = best
    missing = [name for name in required if name not in fields]
    if missing:
        raise _missing_columns(columns, missing)
    data_start = row + height
    for (r0, _c0), (r1, _c1) in merged:  # header cells merged downwards push the data down
        if row <= r0 < row + height:
            data_start = max(data_start, r1 + 1)
    if data_start < len(rows) and _is_column_numbering(rows[data_start]):
        data_start += 1
    return Header(row, data_start, fields, labels, unknown)


def _headings_two(
    top_cells: Sequence[object],
    below_cells: Sequence[object],
    r: int,
    merged_at: Mapping[tuple[int, int], tuple[int, int]],
) -> list[Heading] | None:
    """Headings of a header written over two rows of cells, or None if it has none."""
    top, below = list(map(cell_text, top_cells)), list(map(cell_text, below_cells))
    width = max(len(top), len(below))
    top += [""] * (width - len(top))
    below += [""] * (width - len(below))
    headings: list[Heading] = []
    spanning, col = False, 0
    while col < width:
        parent, end = top[col], col
        if (r, col) in merged_at:
            end = merged_at[r, col][1]  # the merge says how far the cell reaches
        elif parent:
            while end + 1 < width and not top[end + 1] and below[end + 1]:
                end += 1
        children = [(k, below[k]) for k in range(col, end + 1) if below[k]]
        if parent and end > col and children:
            spanning = True
            headings += [(k, f"{parent} {child}", child) for k, child in children]
        elif parent or below[col]:
            headings.append((col, parent or below[col], None))
        col = end + 1
    return headings if spanning else None


def _match(
    headings: Iterable[Heading], index: Mapping[str, str]
) -> tuple[dict[str, int], dict[str, str], list[str]]:
    fields: dict[str, int] = {}
    labels: dict[str, str] = {}
    unknown: list[str] = []
    for col, text, child in headings:
        if not text:
            continue
        name = _lookup(text, index) or (child and _lookup(child, index))
        if not name:
            unknown.append(text)
        elif name not in fields:
            fields[name], labels[name] = col, text
    return fields, labels, unknown


def _is_column_numbering(row: Iterable[object]) -> bool:
    """Whether `row` is the "(1) (2) (3)…" line official forms put under their header."""
    numbers = [_COLUMN_NUMBER.fullmatch(text) for text in map(cell_text, row) if text]
    if len(numbers) < 3 or not all(numbers):
        return False
    values = [int(match[1]) for match in numbers if match]
    return values == list(range(values[0], values[0] + len(values)))


def _missing_columns(
    columns: Mapping[str, Sequence[str]], missing: Iterable[str]
) -> SpreadsheetError:
    names = ", ".join(str(columns[name][0]) for name in missing)
    return SpreadsheetError("missing_columns", columns=names)


# --- Cells --------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A cell as an official would read it: "123" not "123.0", dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        midnight = value.time() == datetime.time()
        return value.strftime("%d/%m/%Y" if midnight else "%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # "05/02/1990 00:00:00" from exports
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})" + _TIME)
_YEAR_MONTH_DAY = re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})" + _TIME)
_OFFICIAL = re.compile(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})")
_SHORT_YEAR = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}")
_YEAR = re.compile(r"\d{4}")
_NOT_A_DATE = gettext_lazy("“%(value)s” is not a date. Write it as dd/mm/yyyy, or the year alone.")


def parse_date(value: object) -> tuple[datetime.date, Precision]:
    """(date, "day") or (1 January of the year, "year") from a cell, or ValueError.

    Accepts date cells, Excel serial numbers, a whole number 1800–2100 as a year alone,
    and text as dd/mm/yyyy (also with "-" or "."), yyyy-mm-dd, "ngày 05 tháng 02 năm
    1990" or a year alone. A two-digit year is refused: "05/02/45" could be 1945 or 2045.
    """
    if isinstance(value, datetime.datetime):
        return value.date(), "day"
    if isinstance(value, datetime.date):
        return value, "day"
    if (
        isinstance(value, str)
        and len(value) == 10
        and value[2] == value[5] == "/"
        and (value[:2] + value[3:5] + value[6:]).isdigit()
    ):
        # The common "dd/mm/yyyy" without the general parser: imports read 100,000 of them.
        try:
            return datetime.date(int(value[6:]), int(value[3:5]), int(value[:2])), "day"
        except ValueError:
            raise ValueError(_("“%(value)s” is not a real date.") % {"value": value}) from None
    text = cell_text(value)
    if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        if not 1 <= value <= LAST_EXCEL_SERIAL:  # also NaN
            raise ValueError(_NOT_A_DATE % {"value": text})
        if value == int(value) and 1800 <= value <= 2100:
            return datetime.date(int(value), 1, 1), "year"
        return EXCEL_EPOCH + datetime.timedelta(days=int(value)), "day"
    text = re.sub(r"\s*([/.-])\s*", r"\1", text)
    if not text:
        raise ValueError(_("No date was written."))
    precision: Precision = "day"
    if match := _DAY_MONTH_YEAR.fullmatch(text) or _OFFICIAL.fullmatch(fold(text)):
        parts = match[3], match[2], match[1]
    elif match := _YEAR_MONTH_DAY.fullmatch(text):
        parts = match[1], match[2], match[3]
    elif _YEAR.fullmatch(text):
        parts, precision = (text, "1", "1"), "year"
    elif _SHORT_YEAR.fullmatch(text):
        raise ValueError(
            _("“%(value)s” has a two-digit year. Write the year in full, as dd/mm/yyyy.")
            % {"value": text}
        )
    else:
        raise ValueError(_NOT_A_DATE % {"value": text})
    try:
        return datetime.date(*map(int, parts)), precision
    except ValueError:
        raise ValueError(_("“%(value)s” is not a real date.") % {"value": text}) from None


# --- Writing ------------------------------------------------------------------------------

STREAM_ABOVE = 100_000  # rows
WIDTH_SAMPLE = 1000  # rows looked at to size the columns; the rest stream through
MAX_WIDTH = 50


class TextTarget(Protocol):
    """Where CSV text goes: a text stream, or an HttpResponse."""

    def write(self, text: str, /) -> object: ...


def write_xlsx(
    target: str | os.PathLike[str] | IO[bytes],
    *,
    title: str,
    headings: Iterable[str],
    rows: Iterable[Iterable[object]],
    subtitle: str = "",
    widths: Iterable[float] | None = None,
    sheet_name: str | None = None,
) -> None:
    """A workbook ready to print: title, optional subtitle, headings, then `rows`.

    `target` is a path or a binary file object. Dates become real dates shown as
    dd/mm/yyyy; text starting like a formula is marked as text, so that Excel never
    evaluates what a resident's record contains.
    """
    to_path = isinstance(target, str | os.PathLike)
    # Constant-memory mode writes half as fast (measured), so it is kept for long lists.
    rows = iter(rows)
    head = list(islice(rows, STREAM_ABOVE + 1))
    rows = chain(head, rows)
    streamed = to_path and len(head) > STREAM_ABOVE
    options = {"constant_memory": True} if streamed else {"in_memory": True}
    book = xlsxwriter.Workbook(
        os.fspath(target) if isinstance(target, str | os.PathLike) else target,
        {**options, "nan_inf_to_errors": True},
    )
    heading_style = {"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter"}
    formats = {
        "title": book.add_format({"bold": True, "font_size": 14, "align": "center"}),
        "subtitle": book.add_format({"italic": True, "align": "center"}),
        "heading": book.add_format({**heading_style, "border": 1}),
        "quoted": book.add_format({"quote_prefix": True}),
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "datetime": book.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
    }
    if sheet_name:
        sheet_name = re.sub(r"[\[\]:*?/\\]", " ", str(sheet_name)).strip(" '")[:31] or None
    sheet = book.add_worksheet(sheet_name)
    headings = [str(heading) for heading in headings]
    last_col = max(len(headings), 1) - 1
    for col, width in enumerate(widths or _widths(headings, head[:WIDTH_SAMPLE])):
        sheet.set_column(col, col, width)

    # Rows go in order, as constant-memory mode flushes each row once the next begins.
    sheet.set_row(0, 24)
    banners = [(title, formats["title"])] + ([(subtitle, formats["subtitle"])] if subtitle else [])
    for r, (text, style) in enumerate(banners):
        if last_col:
            sheet.merge_range(r, 0, r, last_col, str(text), style)
        else:
            sheet.write_string(r, 0, str(text), style)
    r = heading_row = len(banners)
    for col, heading in enumerate(headings):
        sheet.write_string(heading_row, col, heading, formats["heading"])
    quoted, write_string, write_number = formats["quoted"], sheet.write_string, sheet.write_number
    for r, row in enumerate(rows, start=heading_row + 1):
        for col, value in enumerate(row):
            kind = value.__class__  # the common types without a call per cell
            if kind is str:
                # value is a str (its class was checked above, without a call per cell)
                dangerous = value.lstrip().startswith(_DANGEROUS)  # type: ignore[attr-defined]
                write_string(r, col, value, quoted if dangerous else None)
            elif kind is int or kind is float:
                write_number(r, col, value)
            elif value is not None:
                _write_cell(sheet, r, col, value, formats)

    sheet.freeze_panes(heading_row + 1, 0)
    sheet.autofilter(heading_row, 0, r, last_col)
    # Printed lists are posted on the hamlet's board: a grid, the headings on every page.
    sheet.hide_gridlines(0)  # 0: print them too
    sheet.repeat_rows(heading_row)
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    if last_col >= 6:
        sheet.set_landscape()
    book.close()


def _write_cell(sheet: Any, r: int, col: int, value: object, formats: dict[str, Any]) -> None:
    if isinstance(value, str):
        style = formats["quoted"] if value.lstrip().startswith(_DANGEROUS) else None
        sheet.write_string(r, col, value, style)
    elif isinstance(value, bool):
        sheet.write_boolean(r, col, value)
    elif isinstance(value, int | float | decimal.Decimal):
        sheet.write_number(r, col, float(value))
    elif isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)  # Excel has no time zones: local time
        sheet.write_datetime(r, col, value, formats["datetime"])
    elif isinstance(value, datetime.date):
        sheet.write_datetime(r, col, value, formats["date"])
    else:
        _write_cell(sheet, r, col, str(value), formats)  # lazy translations, enums…


def _widths(headings: Iterable[str], sample: Iterable[Iterable[object]]) -> list[int]:
    """Column widths from the longest text, headings counted by their longest word
    since they wrap."""
    widths = [max([len(word) for word in heading.split()] + [8]) for heading in headings]
    for row in sample:
        for col, value in enumerate(row):
            length = len(cell_text(value))
            if col >= len(widths):
                widths.append(8)
            widths[col] = max(widths[col], length)
    return [min(width + 2, MAX_WIDTH) for width in widths]


def write_csv(
    target: TextTarget, headings: Iterable[object], rows: Iterable[Iterable[object]]
) -> None:
    """CSV that Excel opens with Vietnamese intact: UTF-8 with a BOM, dates dd/mm/yyyy.

    `target` is a text stream opened with encoding="utf-8" and newline="" (or an
    HttpResponse). Text starting like a formula gets a leading apostrophe, the only
    way CSV has to keep a spreadsheet from evaluating it.
    """
    target.write("\ufeff")
    writer = csv.writer(target)
    writer.writerow([_csv_cell(heading) for heading in headings])
    writer.writerows([_csv_cell(value) for value in row] for row in rows)


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float | decimal.Decimal | datetime.date):
        return cell_text(value)  # a negative number is a number, not a formula
    text = str(value)
    return "'" + text if text.lstrip().startswith(_DANGEROUS) else text
