"""Member lists, dues and loan statements as Excel and PDF, with the national heading."""

import io
from datetime import date

from django.utils.translation import gettext as _

from langso.associations import dues, figures
from langso.associations.models import Branch, Loan, Organisation
from langso.lib.excel import write_xlsx


def issuing_lines(organisation: Organisation, branch: Branch | None = None) -> list[str]:
    lines = [organisation.name.upper()]
    if branch is not None:
        lines.append(branch.name.upper())
    return lines


def member_table(branch: Branch, day: date):
    headings = [
        _("No."),
        _("Full name"),
        _("Year of birth"),
        _("Address"),
        _("Card number"),
        _("Position"),
        _("Joined on"),
    ]
    rows = [
        [
            i,
            m.person.full_name,
            m.person.birth_date.year if m.person.birth_date else "",
            m.person.household.full_address if m.person.household else "",
            m.card_number,
            m.get_position_display(),
            m.joined_on,
        ]
        for i, m in enumerate(figures.branch_members(branch, day), start=1)
    ]
    return headings, rows, [4, 22, 7, 24, 10, 12, 10]


def dues_table(organisation: Organisation, year: int, day: date):
    headings = [_("No."), _("Full name"), _("Branch"), _("Owed"), _("Paid"), _("Arrears")]
    members = (
        organisation.members.on(min(day, date(year, 12, 31)))
        .select_related("person", "branch")
        .order_by("branch__name", "person__sort_key")
    )
    rows = [
        [
            i,
            line.member.person.full_name,
            str(line.member.branch or ""),
            line.owed,
            line.paid,
            line.arrears,
        ]
        for i, line in enumerate(dues.dues_lines(organisation, members, year, day), start=1)
    ]
    return headings, rows, [4, 24, 18, 10, 10, 10]


def loan_table(loan: Loan, day: date):
    headings = [
        _("Date"),
        _("Due (principal)"),
        _("Interest due"),
        _("Repaid (principal)"),
        _("Interest paid"),
    ]
    rows: list[list] = []
    for instalment in loan.instalments.all():
        rows.append([instalment.due_on, instalment.principal, instalment.interest, "", ""])
    for repayment in loan.repayments.filter(paid_on__lte=day):
        rows.append([repayment.paid_on, "", "", repayment.principal, repayment.interest])
    rows.sort(key=lambda row: row[0])
    return headings, rows, [10, 12, 10, 12, 10]


def xlsx(title: str, subtitle: str, table) -> bytes:
    headings, rows, widths = table
    out = io.BytesIO()
    write_xlsx(
        out,
        title=title,
        subtitle=subtitle,
        headings=[str(h) for h in headings],
        rows=rows,
        widths=[w * 1.2 for w in widths],
    )
    return out.getvalue()


def pdf(
    lines: list[str], title: str, subtitle: str, table, day: date, place: str, notes=()
) -> bytes:
    from langso.lib.pdf import render_list_pdf

    headings, rows, widths = table
    return render_list_pdf(
        unit_lines=lines,
        title=title,
        subtitle=subtitle,
        headings=[str(h) for h in headings],
        rows=[
            [
                ""
                if v is None or v == ""
                else (
                    f"{v:%d/%m/%Y}"
                    if isinstance(v, date)
                    else (
                        f"{v:,}".replace(",", ".") if isinstance(v, int) and v >= 1000 else str(v)
                    )
                )
                for v in row
            ]
            for row in rows
        ],
        widths=widths,
        day=day,
        place=place,
        signers=[(_("PREPARED BY"), ""), (_("CHAIR"), "")],
        notes=list(notes),
    )
