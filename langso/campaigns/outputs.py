"""Official outputs of a campaign: the cash receipt (PDF) and the public ledger (PDF, Excel).

Both PDFs are set by Typst through `langso.lib.pdf` with the national heading; the
receipt ends with the payer's and the treasurer's signature blocks.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from langso.campaigns import ledger
from langso.campaigns.models import ANONYMOUS_LABEL, Campaign, CommitteeMember, Entry
from langso.lib import vietqr
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


def _member(campaign: Campaign, role: str) -> str:
    member = campaign.committee.filter(role=role).select_related("person").first()
    return member.person.full_name if member else ""


def qr_picture(payload: str) -> str:
    """The VietQR as an SVG a third of the width it is printed at, centred: `render_list_pdf`
    prints a picture across most of the page, too large for a code on a receipt."""
    code = vietqr.qr(payload)
    inner = code.svg_inline(scale=1, border=4)
    side = code.symbol_size(scale=1, border=4)[0]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side * 3} {side}">'
        f'<svg x="{side}" y="0" width="{side}" height="{side}">{_inner(inner)}</svg></svg>'
    )


def _inner(svg: str) -> str:
    """The drawing of an inline SVG without its outer element."""
    return svg[svg.index(">") + 1 : svg.rindex("</svg>")]


def _owed_qr(entry: Entry) -> tuple[list[str], list[str]]:
    """The VietQR of what the pledge still owes in money, for the receipt: the giver pays
    the rest from their bank app (no QR when nothing is owed or the campaign has no
    account)."""
    campaign = entry.campaign
    if entry.pledge is None or not campaign.takes_transfers or entry.pledge.cancelled_at:
        return [], []
    owed = entry.pledge.owed()["money"]
    if not owed:
        return [], []
    payload = campaign.qr_payload(owed, entry.pledge.qr_purpose)
    note = _(
        "Still to give: %(amount)s. Scan the VietQR with a bank app to transfer it; the "
        "content %(ref)s links the transfer to this pledge."
    ) % {"amount": money(owed), "ref": entry.pledge.qr_purpose}
    return [qr_picture(payload)], [note]


def receipt_pdf(entry: Entry) -> bytes:
    """The cash receipt ("phiếu thu") of one cash contribution, with the VietQR of what
    the pledge still owes."""
    campaign = entry.campaign
    giver = entry.giver_display()
    charts, notes = _owed_qr(entry)
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
        charts=charts,
        notes=notes,
    )


def minutes_pdf(entry: Entry) -> bytes:
    """The record of labour days worked, or the minutes of land handed over, signed by
    the household and the committee (issue 15, item 2)."""
    campaign = entry.campaign
    giver = entry.giver_display()
    rows = [
        [_("Giver"), giver],
        [_("Campaign"), campaign.name],
        [_("Date"), f"{entry.on:%d/%m/%Y}"],
    ]
    if entry.kind == Entry.Kind.LABOUR:
        title = _("RECORD OF LABOUR DAYS")
        rows += [[_("Who worked"), entry.worker], [_("Labour (days)"), number(entry.labour_days)]]
        notes = [_("The committee confirms that the labour above was worked for the campaign.")]
    elif entry.kind == Entry.Kind.LAND:
        title = _("MINUTES OF LAND HANDED OVER")
        rows += [[_("Plot (sheet, parcel)"), entry.plot], [_("Area (m²)"), number(entry.land_m2)]]
        notes = [
            _(
                "The household hands the plot above over to the campaign of its own will, "
                "without compensation, for the common work."
            )
        ]
    else:
        raise ValueError("Minutes are made for labour days and land only.")
    if entry.description:
        rows.append([_("Description"), entry.description])
    number_text = entry.minutes_number or str(entry.pk)
    return render_list_pdf(
        unit_lines=[*issuing_lines(campaign.unit), _("CAMPAIGN COMMITTEE").upper()],
        title=title,
        subtitle=_("No. %(number)s") % {"number": number_text},
        headings=[_("Item"), _("Details")],
        rows=rows,
        widths=[1, 2.5],
        day=entry.on,
        place=(campaign.unit.commune() or campaign.unit).name,
        signers=[
            (_("FOR THE HOUSEHOLD"), "" if entry.anonymous else giver),
            (_("HEAD OF THE COMMITTEE"), _member(campaign, CommitteeMember.Role.HEAD)),
        ],
        notes=notes,
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
        signers=[
            (_("HEAD OF THE COMMITTEE"), _member(campaign, CommitteeMember.Role.HEAD)),
            (_("TREASURER"), _treasurer(campaign)),
        ],
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
