"""Bank statements in: read a statement export, find its columns, match credits to pledges.

Banks' internet banking exports differ and we claim none of their exact layouts
(issue 15, item 6): title rows (bank, account, period) stand above the table; headers
are Vietnamese or English, with or without diacritics; credit and debit come as two
columns or one signed column; amounts may carry "." thousands separators; dates come as
text or Excel dates. So the columns are found by the words of their headers, and where
that fails the treasurer maps them once and the mapping is kept for the account.

A credit matches a pledge by its reference code, written in the transfer's content by
the QR ("LS" + 6 characters) or typed by the payer with spaces, lower case or diacritics
around it. Nothing is written here: `plan_statement` gives the preview, and
`actions.import_statement` writes it.
"""

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from langso.campaigns.models import PLEDGE_PREFIX, REFERENCE_ALPHABET, REFERENCE_LENGTH
from langso.lib.excel import SpreadsheetError, cell_text, parse_date, read_sheet
from langso.lib.vietnamese import fold

PREFIX = PLEDGE_PREFIX
FIELDS = ("date", "credit", "debit", "amount", "description", "transaction")

# Each field is recognised when a header contains all the words of one of these (folded,
# lower case, without diacritics). Checked in order; the first field to claim a column
# keeps it, and the first column to match a field wins.
HEADER_WORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "transaction": (
        ("ma", "giao", "dich"),
        ("so", "giao", "dich"),
        ("so", "but", "toan"),
        ("so", "tham", "chieu"),
        ("ma", "tham", "chieu"),
        ("so", "ct"),
        ("so", "chung", "tu"),
        ("transaction", "no"),
        ("transaction", "number"),
        ("transaction", "id"),
        ("reference",),
        ("ref",),
        ("trace",),
    ),
    "credit": (
        ("ghi", "co"),
        ("so", "tien", "co"),
        ("phat", "sinh", "co"),
        ("tien", "vao"),
        ("credit",),
        ("deposit",),
        ("money", "in"),
        ("co",),
    ),
    "debit": (
        ("ghi", "no"),
        ("so", "tien", "no"),
        ("phat", "sinh", "no"),
        ("tien", "ra"),
        ("debit",),
        ("withdrawal",),
        ("money", "out"),
        ("no",),
    ),
    "date": (
        ("ngay", "giao", "dich"),
        ("ngay", "gd"),
        ("ngay", "hach", "toan"),
        ("ngay", "hieu", "luc"),
        ("transaction", "date"),
        ("posting", "date"),
        ("value", "date"),
        ("ngay",),
        ("date",),
    ),
    "description": (
        ("noi", "dung"),
        ("dien", "giai"),
        ("mo", "ta"),
        ("chi", "tiet"),
        ("description",),
        ("details",),
        ("narrative",),
        ("remark",),
        ("content",),
    ),
    "amount": (
        ("so", "tien"),
        ("amount",),
        ("phat", "sinh"),
    ),
}
WORD = re.compile(r"[a-z0-9]+")


@dataclass
class Line:
    row: int  # 1-based, as the spreadsheet shows it
    on: date
    amount: int  # đồng, positive: a credit
    description: str
    transaction: str  # the bank's transaction number, or a fingerprint of the line


@dataclass
class Problem:
    row: int
    message: str


@dataclass
class Statement:
    lines: list[Line] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field → header as written
    headings: list[str] = field(default_factory=list)  # every header of the table
    debits: int = 0


class ColumnsNotFound(Exception):
    """The statement's columns could not be found: the treasurer maps them."""

    def __init__(self, headings: list[str], missing: list[str]) -> None:
        self.headings = headings
        self.missing = missing
        super().__init__(", ".join(missing))


def _words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(fold(text)))


def _field_of(heading: str, taken: set[str]) -> str | None:
    words = set(_words(heading))
    if not words:
        return None
    for name, alternatives in HEADER_WORDS.items():
        if name in taken:
            continue
        for wanted in alternatives:
            if set(wanted) <= words:
                return name
    return None


def _columns_by_words(row: Sequence[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, value in enumerate(row):
        name = _field_of(cell_text(value), set(found))
        if name:
            found[name] = col
    return found


def _complete(found: Mapping[str, int]) -> bool:
    has_money = "credit" in found or "amount" in found
    return has_money and "date" in found and "description" in found


def _missing(found: Mapping[str, int]) -> list[str]:
    missing = [name for name in ("date", "description") if name not in found]
    if "credit" not in found and "amount" not in found:
        missing.append("credit")
    return missing


def _columns_by_mapping(row: Sequence[object], mapping: Mapping[str, str]) -> dict[str, int]:
    headings = {_words(cell_text(value)): col for col, value in enumerate(row)}
    found = {}
    for name, written in mapping.items():
        col = headings.get(_words(written))
        if col is not None and written:
            found[name] = col
    return found


def parse_amount(value: object) -> int:
    """Whole đồng from a cell: 2000000, "2.000.000", "2,000,000", "-500.000", "1.500.000,00"."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float | Decimal):
        return round(Decimal(str(value)))
    text = "".join(str(value).split()).replace("VND", "").replace("đ", "").replace("+", "")
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("-()")
    if not text:
        return 0
    # A decimal part is ",dd" or ".dd" at the end after a thousands-separated number.
    decimal_part = re.search(r"[.,](\d{1,2})$", text)
    if decimal_part and re.search(r"[.,]\d{3}[.,]\d{1,2}$|^\d{1,3}[.,]\d{1,2}$", text):
        text = text[: decimal_part.start()]
    digits = text.replace(".", "").replace(",", "")
    if not digits.isdigit():
        raise ValueError
    try:
        number = int(Decimal(digits))
    except InvalidOperation:
        raise ValueError from None
    return -number if negative else number


def _fingerprint(on: date, amount: int, description: str, seen: dict[str, int]) -> str:
    """A stable id for a line without a transaction number; equal lines are numbered."""
    base = hashlib.sha1(f"{on.isoformat()}|{amount}|{description}".encode()).hexdigest()[:16]
    seen[base] = seen.get(base, 0) + 1
    return f"#{base}-{seen[base]}"


def read_statement(
    data: bytes, filename: str = "", *, mapping: Mapping[str, str] | None = None
) -> Statement:
    """The credits of a statement export, with problems by row.

    Raises SpreadsheetError for a file that is no spreadsheet, and ColumnsNotFound (with
    the headings seen) when the table's columns cannot be found.
    """
    sheet = read_sheet(data, filename)
    rows = sheet.rows
    header_row, found = None, {}
    for r, row in enumerate(rows[:40]):
        candidate = _columns_by_mapping(row, mapping) if mapping else {}
        if not _complete(candidate):
            candidate = _columns_by_words(row)
        if _complete(candidate):
            header_row, found = r, candidate
            break
    if header_row is None:
        widest = max(rows[:40], key=lambda row: sum(1 for v in row if cell_text(v)), default=[])
        headings = [cell_text(v) for v in widest if cell_text(v)]
        raise ColumnsNotFound(headings, _missing(_columns_by_words(widest)))
    header = rows[header_row]
    statement = Statement(
        columns={name: cell_text(header[col]) for name, col in found.items()},
        headings=[cell_text(v) for v in header if cell_text(v)],
    )
    seen: dict[str, int] = {}

    def at(row: Sequence[object], name: str) -> object:
        col = found.get(name)
        return row[col] if col is not None and col < len(row) else None

    for offset, row in enumerate(rows[header_row + 1 :]):
        number = header_row + offset + 2
        if not any(cell_text(v) for v in row):
            continue
        raw_date = at(row, "date")
        try:
            if "credit" in found:
                amount = parse_amount(at(row, "credit"))
                if amount == 0 and parse_amount(at(row, "debit")):
                    statement.debits += 1
                    continue
            else:
                amount = parse_amount(at(row, "amount"))
        except ValueError:
            text = cell_text(at(row, "credit" if "credit" in found else "amount"))
            if not cell_text(raw_date):
                continue  # a closing line ("Tổng cộng", "Số dư cuối kỳ")
            statement.problems.append(
                Problem(number, _("“%(value)s” is not an amount.") % {"value": text})
            )
            continue
        if amount < 0:
            statement.debits += 1
            continue
        if amount == 0:
            continue
        try:
            on, _precision = parse_date(raw_date)
        except ValueError as error:
            if not cell_text(raw_date):
                continue  # a total line without a date
            statement.problems.append(Problem(number, str(error)))
            continue
        description = cell_text(at(row, "description"))
        transaction = cell_text(at(row, "transaction"))
        if not transaction:
            transaction = _fingerprint(on, amount, description, seen)
        statement.lines.append(Line(number, on, amount, description[:500], transaction[:80]))
    return statement


_CODE = f"[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}"
_PREFIXED = re.compile("(?=" + PREFIX + "(" + _CODE + "))")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")
_TOKEN = re.compile(r"[A-Z0-9]+")


def references_in(description: str) -> list[str]:
    """Candidate reference codes in a transfer's content, most likely first.

    "LS" followed by the code, with spaces, dots or dashes anywhere in between and any
    case or diacritics around ("ls 7k3 qx", "Đóng góp LS-7K3QX"); then a word that is a
    code on its own.
    """
    folded = fold(description).upper()
    joined = _NOT_ALNUM.sub("", folded)
    # Overlapping "LS…" windows too (a name such as "LS" just before the code).
    found = _PREFIXED.findall(joined)
    found += [t for t in _TOKEN.findall(folded) if len(t) == REFERENCE_LENGTH]
    return list(dict.fromkeys(found))


@dataclass
class Plan:
    statement: Statement
    matched: list[tuple[Line, Any]] = field(default_factory=list)  # (line, Pledge)
    unmatched: list[Line] = field(default_factory=list)
    already: list[Line] = field(default_factory=list)  # imported before: nothing to add

    @property
    def problems(self) -> list[Problem]:
        return self.statement.problems

    @property
    def matched_total(self) -> int:
        return sum(line.amount for line, _pledge in self.matched)

    def to_json(self) -> dict[str, Any]:
        """The plan as JSON, matched pledges by id: kept with the upload, so that the
        confirmed preview is written as it was shown, without reading the file again."""

        def line(item: Line) -> list[object]:
            return [item.row, item.on.isoformat(), item.amount, item.description, item.transaction]

        def pk(pledge: Any) -> Any:
            return getattr(pledge, "pk", pledge)

        return {
            "matched": [[*line(item), pk(pledge)] for item, pledge in self.matched],
            "unmatched": [line(item) for item in self.unmatched],
            "already": [line(item) for item in self.already],
            "problems": [[p.row, p.message] for p in self.statement.problems],
            "columns": self.statement.columns,
            "debits": self.statement.debits,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Plan":
        """A plan read back by `to_json`; matched lines carry the pledge's id."""

        def line(row: Sequence[Any]) -> Line:
            return Line(row[0], date.fromisoformat(row[1]), row[2], row[3], row[4])

        statement = Statement(
            problems=[Problem(row, message) for row, message in data["problems"]],
            columns=dict(data["columns"]),
            debits=data["debits"],
        )
        return cls(
            statement,
            matched=[(line(row), row[5]) for row in data["matched"]],
            unmatched=[line(row) for row in data["unmatched"]],
            already=[line(row) for row in data["already"]],
        )


def plan_statement(by_reference: Mapping[str, Any], statement: Statement, known: set[str]) -> Plan:
    """Which credits pay which pledge (`by_reference`: code → the pledge, or its id);
    `known` holds the transaction ids already imported."""
    plan = Plan(statement)
    in_this_file: set[str] = set()
    for line in statement.lines:
        if line.transaction in known or line.transaction in in_this_file:
            plan.already.append(line)
            continue
        in_this_file.add(line.transaction)
        pledge = next(
            (by_reference[c] for c in references_in(line.description) if c in by_reference), None
        )
        if pledge is None:
            plan.unmatched.append(line)
        else:
            plan.matched.append((line, pledge))
    return plan


def safe_read(
    data: bytes, filename: str, mapping: Mapping[str, str] | None
) -> tuple[Statement | None, str, ColumnsNotFound | None]:
    """`read_statement` for a view: (statement, error message, columns not found)."""
    try:
        return read_statement(data, filename, mapping=mapping), "", None
    except SpreadsheetError as error:
        return None, error.message, None
    except ColumnsNotFound as error:
        return None, "", error
