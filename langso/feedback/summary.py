"""The monthly feedback summary for the commune's leadership and party committee:
the figures of `figures.feedback_figures` for one month, per hamlet and per category,
as Excel (lib/excel.py) or PDF with the national heading (lib/pdf.py)."""

import io
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from langso.feedback.figures import Figure, Figures, feedback_figures
from langso.lib.excel import write_xlsx
from langso.lib.pdf import render_list_pdf
from langso.places.models import Unit


def month_figures(unit: Unit, year: int, month: int) -> Figures:
    return feedback_figures(unit, month=date(year, month, 1))


def _headings() -> list[str]:
    return [
        _("Hamlet / category"),
        _("Received"),
        _("Answered"),
        _("On time (%)"),
        _("Average working days"),
        _("Satisfied (%)"),
        _("Overdue"),
    ]


def _row(figure: Figure) -> list[object]:
    return [
        figure.label,
        figure.received,
        figure.answered,
        figure.on_time_percent,
        figure.average_days,
        figure.satisfied_percent,
        figure.overdue,
    ]


def _rows(figures: Figures) -> list[list[object]]:
    parts = figures.by_commune if figures.unit.kind == Unit.Kind.PROVINCE else figures.by_hamlet
    rows = [_row(f) for f in parts]
    rows += [_row(f) for f in figures.by_category]
    total = _row(figures.total)
    total[0] = _("Total")
    return [*rows, total]


def summary_title(unit: Unit, year: int, month: int) -> str:
    return _("Residents' feedback, %(month)02d/%(year)d — %(unit)s") % {
        "month": month,
        "year": year,
        "unit": unit,
    }


def summary_xlsx(unit: Unit, year: int, month: int) -> bytes:
    figures = month_figures(unit, year, month)
    out = io.BytesIO()
    write_xlsx(
        out,
        title=summary_title(unit, year, month),
        headings=_headings(),
        rows=_rows(figures),
    )
    return out.getvalue()


def summary_pdf(unit: Unit, year: int, month: int) -> bytes:
    figures = month_figures(unit, year, month)
    lines = [*[str(a).upper() for a in unit.ancestors()][-1:], str(unit).upper()]
    return render_list_pdf(
        unit_lines=lines,
        title=summary_title(unit, year, month),
        headings=_headings(),
        rows=_rows(figures),
        day=timezone.localdate(),
        aligns=["left"] + ["right"] * 6,
    )
