"""Official lists as PDF, ready to sign, print and post (design.md, principle 8).

Each document is a Typst template in langso/lib/typst/. The data goes to Typst as one
JSON text in `sys.inputs` and the template reads it with `json()`, so that nothing a
resident typed is ever read as markup: a name holding `#`, `*` or `[` prints as written.
The JSON travels in memory rather than as a file, so residents' records are never left in
a temporary directory. Typst sets a 10,000-row list of 8 columns in about 5 s on a
two-core server, most of it Typst's own table layout; WeasyPrint took a minute.

Fonts are DejaVu from the system: it has every Vietnamese letter with its tone marks, and
reading only its folder keeps start-up fast and the output the same on every server.
"""

import json
import math
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import typst
from django.conf import settings

from langso.lib.vietnamese import official_date

TEMPLATES = Path(__file__).resolve().parent / "typst"
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu"]  # Debian's fonts-dejavu-core
LANDSCAPE_FROM = 8  # columns; fewer fit an upright page
FONT_SIZE = 9.5  # points, in the table and notes
ALIGNS = ("left", "center", "right")
WIDTH_SAMPLE = 1000  # rows looked at to share the page between columns
WIDEST = 40  # characters; longer text wraps rather than squeezing the other columns
# A PDF tagged for screen readers is 15 times larger (measured: 10,000 rows make 17 MB
# tagged, 1.1 MB untagged, in about the same time). Long lists are printed and posted,
# and read on screen in the HTML page or the Excel file instead.
TAGGED_UP_TO = 1000  # rows

_T = TypeVar("_T")
_D = TypeVar("_D")


class PdfError(Exception):
    """A document Typst could not set, with Typst's own message."""


def render_list_pdf(
    *,
    unit_lines: Iterable[str],
    title: str,
    subtitle: str = "",
    headings: Iterable[str],
    rows: Iterable[Iterable[object]],
    widths: Iterable[float] | None = None,
    day: date,
    place: str = "",
    signers: Iterable[tuple[str, str]] = (),
    landscape: bool | None = None,
    notes: Iterable[str] = (),
    charts: Iterable[str] = (),
    aligns: Iterable[str] | None = None,
) -> bytes:
    """A list as official documents lay it out, as PDF bytes.

    `unit_lines` name the issuing unit from the top down ("UBND XÃ MAI SƠN", "THÔN BÌNH
    CHIẾN"); the last is the issuer. `rows` hold the cells as the caller wants them
    printed (None prints nothing); the headings repeat on every page. `widths` are
    relative column widths, or None to share the page by the length of the text.
    `signers` are (role, name) pairs set side by side under the table, a blank name
    leaving the line to be written by hand. `charts` are SVG texts from langso.lib.charts,
    printed above the table. `aligns` gives "left", "center" or "right" per column. Eight
    or more columns turn the page sideways unless `landscape` says otherwise.
    """
    headings = [_text(heading) for heading in headings]
    columns = len(headings)
    if not columns:
        raise PdfError("A list needs at least one column heading.")
    cells = _cells(rows, columns)
    widths = _per_column("widths", widths, columns, None) or _auto_widths(headings, cells)
    try:
        widths = [float(width) for width in widths]
    except (TypeError, ValueError):
        widths = None
    if not widths or not all(0 < width < math.inf for width in widths):
        raise PdfError("Column widths must be positive numbers.")
    aligns = _per_column("aligns", aligns, columns, ["left"] * columns)
    if not set(aligns) <= set(ALIGNS):
        raise PdfError(f"Column alignments must be one of {', '.join(ALIGNS)}.")
    data = {
        "unit_lines": [_text(line) for line in unit_lines],
        "title": _text(title),
        "subtitle": _text(subtitle),
        "dateline": _dateline(place, day),
        "headings": headings,
        "rows": cells,
        "widths": widths,
        "aligns": list(aligns),
        "landscape": columns >= LANDSCAPE_FROM if landscape is None else bool(landscape),
        "notes": [_text(note) for note in notes],
        "signers": [[_text(role), _text(name)] for role, name in signers],
        "charts": [str(svg) for svg in charts],
        "font_size": FONT_SIZE,
    }
    return _compile("list.typ", data, tagged=len(cells) <= TAGGED_UP_TO)


def _compile(template: str, data: dict[str, Any], *, tagged: bool = True) -> bytes:
    font_dirs = [
        path for path in getattr(settings, "LANGSO_PDF_FONT_DIRS", FONT_DIRS) if Path(path).is_dir()
    ]
    try:
        return typst.compile(
            TEMPLATES / template,
            root=TEMPLATES,
            font_paths=font_dirs,
            # Without DejaVu in sight, fall back to whatever the system has rather than fail.
            ignore_system_fonts=bool(font_dirs),
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
            format="pdf",
            pdf_tags=tagged,
        )
    except typst.TypstError as error:
        raise PdfError(_typst_message(error)) from error


def _typst_message(error: Exception) -> str:
    parts = [getattr(error, "message", "") or str(error)]
    parts += [f"hint: {hint}" for hint in getattr(error, "hints", None) or ()]
    return "\n".join(part for part in parts if part)


def _dateline(place: str, day: date) -> str:
    place = _text(place)
    if place:
        return f"{place}, {official_date(day)}"
    written = official_date(day)
    return written[0].upper() + written[1:]


def _per_column(name: str, values: Iterable[_T] | None, columns: int, default: _D) -> list[_T] | _D:
    if values is None:
        return default
    values = list(values)
    if len(values) != columns:
        raise PdfError(f"{len(values)} {name} were given for {columns} columns.")
    return values


def _auto_widths(headings: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Relative widths from the longest text of each column, headings by their longest word.

    Typst can size `auto` columns itself, but measuring every cell makes a 10,000-row
    list 40% slower (measured: 7.6 s against 5.6 s).
    """
    widths = [max([len(word) for word in heading.split()] + [2]) for heading in headings]
    for row in rows[:WIDTH_SAMPLE]:
        for col, cell in enumerate(row):
            widths[col] = max(widths[col], len(cell))
    return [min(width, WIDEST) + 1 for width in widths]


def _cells(rows: Iterable[Iterable[object]], columns: int) -> list[list[str]]:
    """Rows as lists of `columns` strings: short rows are padded, long ones refused."""
    result: list[list[str]] = []
    for number, row in enumerate(rows, start=1):
        cells = ["" if value is None else str(value) for value in row]
        if len(cells) > columns:
            raise PdfError(f"Row {number} has {len(cells)} cells; the list has {columns} columns.")
        cells += [""] * (columns - len(cells))
        result.append(cells)
    return result


def _text(value: object) -> str:
    return "" if value is None else str(value)
