"""The public ledger: anyone may read it, without logging in (issue 15, item 4).

Contributors are shown with what they gave; anonymous gifts as "nhà hảo tâm"; residents
who asked not to be named only inside a total.
"""

from django.http import Http404
from django.shortcuts import render

from langso.campaigns import ledger, outputs
from langso.campaigns.models import Campaign, Entry
from langso.campaigns.public import public_campaigns
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
