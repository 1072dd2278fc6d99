"""Official lists as PDF, through Typst (design.md: a template per document, data as JSON).

The template `typst/list.typ` lays out an A4 list the way administrative documents
are: the issuing unit and the national heading side by side, the place and date
written out ("Mai Sơn, ngày 05 tháng 02 năm 2026"), the title, a table whose header
repeats on every page, notes, the signature blocks and "Trang 1 / 12". The data goes
in as one JSON string through `sys_inputs` and is never pasted into markup, so a name
containing "#" or "[" prints as written.
"""

import json
from pathlib import Path

import typst

from langso.lib.vietnamese import official_date

TEMPLATES = Path(__file__).parent / "typst"
FONTS = ["/usr/share/fonts/truetype/dejavu"]
LANDSCAPE_FROM_COLUMNS = 8


class PdfError(Exception):
    """Typst could not render the document; the message is Typst's."""


def render_list_pdf(
    *, unit_lines, title, headings, rows, day, subtitle="", widths=None, place="", signers=(),
    landscape=None, notes=(),
):  # fmt: skip
    """An official list as PDF bytes. Cells are text; None prints as empty."""
    if landscape is None:
        landscape = len(headings) >= LANDSCAPE_FROM_COLUMNS
    dateline = official_date(day)
    data = {
        "unit_lines": [str(line) for line in unit_lines],
        "title": str(title),
        "subtitle": str(subtitle),
        "headings": [str(h) for h in headings],
        "widths": [float(w) for w in (widths or [1] * len(headings))],
        "rows": [["" if cell is None else str(cell) for cell in row] for row in rows],
        "dateline": f"{place}, {dateline}" if place else dateline[:1].upper() + dateline[1:],
        "signers": [[str(role), str(name)] for role, name in signers],
        "notes": [str(note) for note in notes],
        "landscape": bool(landscape),
    }
    try:
        return typst.compile(
            str(TEMPLATES / "list.typ"),
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
            font_paths=FONTS,
            ignore_system_fonts=True,
        )
    except Exception as error:  # typst raises its own compile errors
        raise PdfError(str(error)) from error
