"""A drawn list as an Excel workbook or a PDF ready to post."""

from django.utils.translation import gettext as _

from langso.lib.excel import write_xlsx
from langso.lib.masking import mask_id
from langso.places.models import Unit
from langso.reports.lists import draw


def issuing_lines(unit):
    """The issuing unit at the top left of an official document, in capitals."""
    commune = unit.commune()
    lines = []
    if commune is not None:
        lines.append(f"UBND {commune.display_name.upper()}")
        if unit.kind in (Unit.Kind.HAMLET, Unit.Kind.GROUP):
            lines.append(unit.display_name.upper())
    else:
        lines.append(unit.display_name.upper())
    return lines


def drawn_list(kind, unit, day, *, area=None, show_ids):
    """The list `kind` of `unit` on `day` (of a polling area's units when given), masked
    unless the reader may see ID numbers: the same for the page, a download and a job."""
    options = {"units": list(area.units.all()), "subtitle": str(area)} if area else {}
    return masked(draw(kind, unit, day, **options), show_ids)


def masked(drawn, show_ids):
    """The list with ID and health-insurance numbers hidden unless the reader may see them."""
    if show_ids:
        return drawn
    for row in drawn.rows:
        # Health-insurance card numbers are health data (Decree 13/2023): masked alike.
        for key in ("id_number", "card"):
            if row.get(key):
                row[key] = mask_id(row[key])
    return drawn


def subtitle(drawn):
    parts = [drawn.subtitle] if drawn.subtitle else []
    parts.append(
        f"{drawn.unit.display_name} – " + _("as of %(day)s") % {"day": f"{drawn.day:%d/%m/%Y}"}
    )
    return " · ".join(parts)


def to_xlsx(drawn, target):
    write_xlsx(
        target,
        title=drawn.title,
        subtitle=subtitle(drawn),
        headings=[str(column.heading) for column in drawn.columns],
        rows=drawn.table(),
        widths=[max(6, column.width * 12) for column in drawn.columns],
    )


def to_pdf(drawn, *, signer=""):
    from langso.lib.pdf import render_list_pdf

    notes = []
    if drawn.excluded:
        notes.append(
            _("Not listed: %(count)s people (reasons recorded separately).")
            % {"count": len(drawn.excluded)}
        )
    return render_list_pdf(
        unit_lines=issuing_lines(drawn.unit),
        title=drawn.title,
        subtitle=subtitle(drawn),
        headings=[str(column.heading) for column in drawn.columns],
        rows=[["" if value is None else str(value) for value in row] for row in drawn.table()],
        widths=[column.width for column in drawn.columns],
        day=drawn.day,
        place=(drawn.unit.commune() or drawn.unit).name,
        signers=[(_("PREPARED BY"), signer), (_("ON BEHALF OF THE PEOPLE'S COMMITTEE"), "")],
        notes=notes,
    )
