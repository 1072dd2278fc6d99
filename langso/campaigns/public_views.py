"""The public ledger: anyone may read it, without logging in (issue 15, item 4).

Contributors are shown with what they gave; anonymous gifts as "nhà hảo tâm"; residents
who asked not to be named only inside a total.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from langso.campaigns import actions, ledger, outputs
from langso.campaigns.forms import DonorPledgeForm
from langso.campaigns.models import Campaign, Entry, Pledge
from langso.campaigns.public import public_campaigns
from langso.lib import vietqr
from langso.lib.files import file_response
from langso.places.public import commune_or_404


def _campaign(code: str, pk) -> tuple:
    commune = commune_or_404(code)
    try:
        campaign = public_campaigns(commune).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return commune, campaign


def campaign_list(request, code):
    commune = commune_or_404(code)
    campaigns = [(c, ledger.progress(c)) for c in public_campaigns(commune)]
    return render(
        request, "campaigns/public_list.html", {"commune": commune, "campaigns": campaigns}
    )


def campaign_detail(request, code, pk):
    commune, campaign = _campaign(code, pk)
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    contributors, more = ledger.contributors_page(campaign, page)
    return render(
        request,
        "campaigns/public_detail.html",
        {
            "commune": commune,
            "campaign": campaign,
            "bars": ledger.progress(campaign),
            "figures": ledger.figures(campaign),
            "contributors": contributors,
            "page": page,
            "more": more,
            "hidden": ledger.unnamed_totals(campaign),
            "expenses": ledger.expenses(campaign),
            "photos": campaign.photos.all()[:24],
        },
    )


def campaign_pdf(request, code, pk):
    _commune, campaign = _campaign(code, pk)
    return file_response(
        outputs.public_ledger_pdf(campaign), filename=f"so-cong-khai-{campaign.pk}.pdf"
    )


def campaign_xlsx(request, code, pk):
    _commune, campaign = _campaign(code, pk)
    return file_response(
        outputs.public_ledger_xlsx(campaign),
        filename=f"so-cong-khai-{campaign.pk}.xlsx",
        as_attachment=True,
    )


def expense_document(request, code, pk, entry_pk):
    _commune, campaign = _campaign(code, pk)
    entry = campaign.entries.filter(kind=Entry.Kind.EXPENSE, pk=entry_pk).first()
    if entry is None or not entry.document:
        raise Http404
    return file_response(
        entry.document.open("rb"), filename=f"hoa-don-{entry.pk}.{entry.document_kind}"
    )


def photo(request, code, pk, photo_pk):
    _commune, campaign = _campaign(code, pk)
    item = campaign.photos.filter(pk=photo_pk).first()
    if item is None:
        raise Http404
    return file_response(item.image.open("rb"), filename=f"anh-{item.pk}.{item.image_kind}")


# The pledges an outside donor made in this browser session: their QR pages are theirs
# to open again, and nobody else's (a pledge's code alone does not open it).
SESSION_KEY = "campaigns_donor_pledges"


def donor_pledge(request, code, pk):
    """An outside donor (not a resident: a native living in the city, a company) pledges
    money and gets the campaign's VietQR to pay it. No account is needed, so no
    capability is checked: the pledge is only a promise, it moves no money and changes
    no figure of the ledger, and the committee sees it among the pledges (and may cancel
    it). An invalid form is answered with 400 and what was typed."""
    commune, campaign = _campaign(code, pk)
    if campaign.status != Campaign.Status.RUNNING or not campaign.takes_transfers:
        raise Http404
    form = DonorPledgeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and not form.cleaned_data["website"]:
            data = form.cleaned_data
            try:
                pledge = actions.pledge(
                    campaign,
                    acting_user=None,
                    amount=data["amount"],
                    giver_name=data["giver_name"],
                    organisation=data["organisation"],
                    anonymous=data["anonymous"],
                    note=_("Pledged on the public page."),
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                mine = request.session.get(SESSION_KEY, [])[-19:]
                request.session[SESSION_KEY] = [*mine, pledge.pk]
                return redirect(
                    "public:public-campaign-donor-pledge",
                    code=commune.code,
                    pk=campaign.pk,
                    pledge_pk=pledge.pk,
                )
    return render(
        request,
        "campaigns/public_pledge.html",
        {"commune": commune, "campaign": campaign, "form": form},
        status=status,
    )


def donor_pledge_detail(request, code, pk, pledge_pk):
    """The QR of a pledge made in this session, to scan with a bank app."""
    commune, campaign = _campaign(code, pk)
    if pledge_pk not in request.session.get(SESSION_KEY, []):
        raise Http404
    pledge = Pledge.objects.filter(campaign=campaign, pk=pledge_pk).first()
    if pledge is None or pledge.cancelled_at:
        raise Http404
    owed = pledge.owed()["money"]
    payload = campaign.qr_payload(owed, pledge.qr_purpose) if owed else None
    return render(
        request,
        "campaigns/public_pledge_detail.html",
        {
            "commune": commune,
            "campaign": campaign,
            "pledge": pledge,
            "owed": owed,
            "qr": vietqr.svg(payload, scale=5, title=_("VietQR to pay")) if payload else None,
        },
    )
