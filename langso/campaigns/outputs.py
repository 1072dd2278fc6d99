"""Official outputs of a campaign: the cash receipt (PDF) and the public ledger (PDF, Excel).

Both PDFs are set by Typst through `langso.lib.pdf` with the national heading; the
receipt ends with the payer's and the treasurer's signature blocks.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from langso.campaigns import ledger
from langso.campaigns.models import ANONYMOUS_LABEL, Campaign, CommitteeMember, Entry
from langso.lib.excel import write_xlsx
from langso.lib.pdf import render_list_pdf
from langso.reports.exports import issuing_lines


def money(value: object) -> str:
    return f"{int(value or 0):,}".replace(",", ".") + " đ"


def number(value: object) -> str:
    text = f"{value:f}".rstrip("0").rstrip(".") if value else "0"
    return text.replace(".", ",")


def _treasurer(campaign: Campaign) -> str:
    member = (
        campaign.committee.filter(role=CommitteeMember.Role.TREASURER)
        .select_related("person")
        .first()
    )
    return member.person.full_name if member else ""


def receipt_pdf(entry: Entry) -> bytes:
    """The cash receipt ("phiếu thu") of one cash contribution."""
    campaign = entry.campaign
    giver = entry.giver_display()
    rows = [
        [_("Received from"), giver],
        [_("Campaign"), campaign.name],
        [_("Amount"), money(entry.amount)],
        [_("Date"), entry.on.strftime("%d/%m/%Y")],
    ]
    if entry.pledge_id:
        rows.append([_("Pledge reference code"), entry.pledge.qr_purpose])
    if entry.description:
        rows.append([_("Description"), entry.description])
    return render_list_pdf(
        unit_lines=[*issuing_lines(campaign.unit), _("CAMPAIGN COMMITTEE").upper()],
        title=_("CASH RECEIPT"),
        subtitle=_("No. %(number)s") % {"number": f"{entry.receipt_number:06d}"},
        headings=[_("Item"), _("Details")],
        rows=rows,
        widths=[1, 2.5],
        day=entry.on,
        place=(campaign.unit.commune() or campaign.unit).name,
        signers=[
            (_("PAYER"), "" if entry.anonymous else giver),
            (_("TREASURER"), _treasurer(campaign)),
        ],
    )


def _contributor_rows(campaign: Campaign) -> list[list[object]]:
    rows: list[list[object]] = []
    for index, row in enumerate(ledger.public_contributors(campaign), start=1):
        rows.append(
            [
                index,
                row["name"] or str(ANONYMOUS_LABEL),
                row["money"] or 0,
                number(row["labour"]),
                number(row["land"]),
            ]
        )
    hidden = ledger.unnamed_totals(campaign)
    if hidden["givers"]:
        rows.append(
            [
                "",
                _("Givers who asked not to be named (%(count)s)") % {"count": hidden["givers"]},
                hidden["money"],
                number(hidden["labour"]),
                number(hidden["land"]),
            ]
        )
    return rows


def public_ledger_pdf(campaign: Campaign) -> bytes:
    figure = ledger.figures(campaign)
    rows = [
        [n, name, money(amount), labour, land]
        for n, name, amount, labour, land in _contributor_rows(campaign)
    ]
    notes = [
        _("Money given: %(money)s of %(target)s; spent: %(spent)s; balance: %(balance)s.")
        % {
            "money": money(figure["money"]),
            "target": money(campaign.target_money),
            "spent": money(figure["expenses"]),
            "balance": money(figure["balance"]),
        },
        _("Labour: %(labour)s days; land: %(land)s m².")
        % {"labour": number(figure["labour"]), "land": number(figure["land"])},
    ]
    for entry in campaign.entries.filter(kind=Entry.Kind.EXPENSE).order_by("on", "pk"):
        notes.append(
            _("Expense %(day)s: %(what)s, %(amount)s %(supplier)s")
            % {
                "day": entry.on.strftime("%d/%m/%Y"),
                "what": entry.description,
                "amount": money(entry.amount),
                "supplier": f"({entry.supplier})" if entry.supplier else "",
            }
        )
    return render_list_pdf(
        unit_lines=issuing_lines(campaign.unit),
        title=_("PUBLIC LEDGER OF THE CAMPAIGN").upper(),
        subtitle=campaign.name,
        headings=[_("No."), _("Giver"), _("Money"), _("Labour (days)"), _("Land (m²)")],
        rows=rows,
        widths=[0.5, 3, 1.4, 1, 1],
        aligns=["right", "left", "right", "right", "right"],
        day=timezone.localdate(),
        place=(campaign.unit.commune() or campaign.unit).name,
        signers=[(_("CAMPAIGN COMMITTEE"), ""), (_("TREASURER"), _treasurer(campaign))],
        notes=notes,
    )


def public_ledger_xlsx(campaign: Campaign) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(
        buffer,
        title=_("Public ledger: %(name)s") % {"name": campaign.name},
        subtitle=str(campaign.unit),
        headings=[_("No."), _("Giver"), _("Money (đồng)"), _("Labour (days)"), _("Land (m²)")],
        rows=_contributor_rows(campaign),
    )
    return buffer.getvalue()
