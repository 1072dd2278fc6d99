"""The campaign committee's pages and a resident's own pledges.

Every page gets its objects through `access`; every write is one action; state changes
are POST only and need the right to manage the campaign (404 otherwise).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts.access import units_for_user
from langso.accounts.roles import Capability
from langso.campaigns import access, actions, ledger, outputs, statements
from langso.campaigns.forms import (
    AmountForm,
    CampaignForm,
    ContributionForm,
    ExpenseForm,
    MappingForm,
    MatchForm,
    OwnPledgeForm,
    PhotoForm,
    PledgeForm,
    ReverseForm,
    StatementForm,
)
from langso.campaigns.models import Campaign, Entry, Pledge, StatementImport
from langso.lib import vietqr
from langso.lib.excel import SpreadsheetError
from langso.lib.files import file_response
from langso.lib.paths import ancestors_of
from langso.places.models import Unit
from langso.registry.models import Household

PAGE = 100
PREVIEW_ROWS = 200


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _households(campaign):
    return Household.objects.within(campaign.unit).select_related("head").order_by("pk")


@login_required
def campaign_list(request):
    campaigns = access.campaigns_for_user(request.user).select_related("unit")
    mine = access.own_pledges(request.user).select_related("campaign")
    open_to_me = []
    person = getattr(request.user, "person", None)
    if person is not None and person.household_id:
        # Running campaigns of the resident's hamlet or of a unit above it: one query.
        open_to_me = Campaign.objects.filter(
            status=Campaign.Status.RUNNING,
            unit__path__in=ancestors_of(person.household.unit.path),
        ).select_related("unit")
    can_create = units_for_user(request.user, Capability.MANAGE_CAMPAIGNS).exists()
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "campaigns": campaigns,
            "mine": mine,
            "open_to_me": open_to_me,
            "can_create": can_create,
        },
    )


def _campaign_units(user):
    return units_for_user(user, Capability.MANAGE_CAMPAIGNS).filter(
        kind__in=[Unit.Kind.HAMLET, Unit.Kind.COMMUNE], valid_to__isnull=True
    )


@login_required
def campaign_create(request):
    units = _campaign_units(request.user)
    if not units.exists():
        raise Http404
    form = CampaignForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        unit = fields.pop("unit")
        try:
            campaign = actions.create_campaign(unit, acting_user=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            return redirect(campaign)
    return render(request, "campaigns/campaign_form.html", {"form": form})


def _detail(request, campaign, *, status=200, **bound):
    """The campaign's page; `bound` holds a refused form, shown again with what was typed."""
    manages = access.can_manage(request.user, campaign)
    today = timezone.localdate()
    entries = (
        campaign.entries.select_related("household__head", "person", "reverses")
        .prefetch_related("reversed_by")
        .order_by("-on", "-pk")[:PAGE]
    )
    pledges = (
        campaign.pledges.filter(cancelled_at__isnull=True)
        .select_related("household__head", "person")
        .order_by("-created_at")[:PAGE]
    )
    context = {
        "campaign": campaign,
        "manages": manages,
        "figures": ledger.figures(campaign),
        "bars": ledger.progress(campaign),
        "balance_today": ledger.balance_at(campaign, today),
        "entries": entries,
        "pledges": pledges,
        "committee": campaign.committee.select_related("person"),
        "unmatched": campaign.unmatched.filter(resolved=False)[:PAGE],
        "asked": len(ledger.asked_households(campaign, today)),
    }
    if manages:
        households = _households(campaign)
        context |= {
            "pledge_form": PledgeForm(households=households),
            "contribution_form": ContributionForm(households=households, initial={"on": today}),
            "expense_form": ExpenseForm(initial={"on": today}),
            "statement_form": StatementForm(),
            "photo_form": PhotoForm(),
        }
        context |= bound
    return render(request, "campaigns/campaign_detail.html", context, status=status)


@login_required
def campaign_detail(request, pk):
    campaign = access.get_campaign_for_user(request.user, pk)
    return _detail(request, campaign)


@login_required
def balance(request, pk):
    """The balance as the ledger stood at the end of a chosen day."""
    campaign = access.get_campaign_for_user(request.user, pk)
    from langso.lib.forms import parse_day

    day = parse_day(request.GET.get("on", "")) or timezone.localdate()
    return render(
        request,
        "campaigns/balance.html",
        {"campaign": campaign, "day": day, "figures": ledger.figures(campaign, day)},
    )


@login_required
def pledge_create(request, pk):
    """A committee member records a pledge; a resident pledges for their own household."""
    campaign = access.get_campaign_for_user_or_resident(request.user, pk)
    manages = access.can_manage(request.user, campaign)
    if manages:
        form = PledgeForm(request.POST or None, households=_households(campaign))
    else:
        form = OwnPledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if manages:
            giver = form.giver()
        else:
            giver = {"household": request.user.person.household, "unnamed": data["unnamed"]}
        try:
            pledge = actions.pledge(
                campaign,
                acting_user=request.user,
                amount=data.get("amount") or 0,
                labour_days=data.get("labour_days") or 0,
                land_m2=data.get("land_m2") or 0,
                plot=data.get("plot", ""),
                **giver,
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            return redirect(pledge)
    return render(
        request,
        "campaigns/pledge_form.html",
        {"campaign": campaign, "form": form, "manages": manages},
    )


def _qr(campaign, amount, reference):
    if not campaign.takes_transfers or not amount:
        return None
    text = campaign.qr_payload(amount, reference)
    return {"svg": vietqr.svg(text, scale=5, title=_("VietQR to pay")), "payload": text}


@login_required
def pledge_detail(request, pk):
    pledge = access.get_pledge_for_user(request.user, pk)
    campaign = pledge.campaign
    owed = pledge.owed()
    # The QR asks for what is owed, or for a part of it the giver chooses to pay now
    # (a household may pay a large pledge in instalments).
    form = AmountForm(request.GET or None, initial={"amount": owed["money"]})
    amount = owed["money"]
    if request.GET and form.is_valid() and 0 < form.cleaned_data["amount"] <= owed["money"]:
        amount = form.cleaned_data["amount"]
    elif request.GET:
        form.add_error("amount", _("Choose an amount up to what is still owed."))
    return render(
        request,
        "campaigns/pledge_detail.html",
        {
            "pledge": pledge,
            "campaign": campaign,
            "given": pledge.given(),
            "owed": owed,
            "amount": amount,
            "amount_form": form,
            "qr": _qr(campaign, amount, pledge.qr_purpose),
            "entries": pledge.entries.order_by("on", "pk"),
            "manages": access.can_manage(request.user, campaign),
        },
    )


@login_required
def household_detail(request, pk, household_pk):
    campaign = access.get_campaign_for_user(request.user, pk)
    try:
        household = _households(campaign).get(pk=household_pk)
    except (Household.DoesNotExist, ValueError):
        raise Http404 from None
    account = ledger.household_account(campaign, household)
    return render(
        request,
        "campaigns/household_detail.html",
        {
            "campaign": campaign,
            "household": household,
            "account": account,
            "entries": campaign.entries.filter(household=household).order_by("on", "pk"),
        },
    )


@login_required
@require_POST
def contribution_create(request, pk):
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    form = ContributionForm(request.POST, households=_households(campaign))
    if not form.is_valid():
        return _detail(request, campaign, status=400, contribution_form=form)
    data = form.cleaned_data
    pledge = None
    if data["pledge"]:
        pledge = campaign.pledges.filter(reference=data["pledge"].strip().upper()).first()
        if pledge is None:
            form.add_error("pledge", _("No pledge has this reference code."))
            return _detail(request, campaign, status=400, contribution_form=form)
    try:
        entry = actions.record_contribution(
            campaign,
            acting_user=request.user,
            kind=data["kind"],
            on=data["on"],
            amount=data.get("amount") or 0,
            labour_days=data.get("labour_days") or 0,
            land_m2=data.get("land_m2") or 0,
            worker=data["worker"],
            plot=data["plot"],
            minutes_number=data["minutes_number"],
            signed_by_household=data["signed_by_household"],
            description=data["description"],
            pledge=pledge,
            **({} if pledge else form.giver()),
        )
    except ValidationError as error:
        form.add_error(None, _error_text(error))
        return _detail(request, campaign, status=400, contribution_form=form)
    if entry.receipt_number:
        messages.success(
            request, _("Recorded with receipt no. %(number)s.") % {"number": entry.receipt_number}
        )
    else:
        messages.success(request, _("Recorded."))
    return redirect(campaign)


@login_required
@require_POST
def expense_create(request, pk):
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    form = ExpenseForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, campaign, status=400, expense_form=form)
    data = form.cleaned_data
    try:
        actions.record_expense(
            campaign,
            acting_user=request.user,
            on=data["on"],
            amount=data["amount"],
            description=data["description"],
            supplier=data["supplier"],
            document=data["document"],
        )
    except ValidationError as error:
        form.add_error(None, _error_text(error))
        return _detail(request, campaign, status=400, expense_form=form)
    messages.success(request, _("The expense is recorded."))
    return redirect(campaign)


@login_required
@require_POST
def photo_add(request, pk):
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo."))
        return redirect(campaign)
    try:
        actions.add_photo(campaign, acting_user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The photo is added."))
    return redirect(campaign)


@login_required
def entry_reverse(request, pk):
    entry = access.get_entry_for_user(request.user, pk, manage=True)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reverse_entry(
                entry, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The entry is reversed; both stay in the ledger."))
            return redirect(entry.campaign)
    return render(request, "campaigns/entry_reverse.html", {"entry": entry, "form": form})


@login_required
def entry_document(request, pk):
    entry = access.get_entry_for_user(request.user, pk)
    if not entry.document:
        raise Http404
    return file_response(
        entry.document.open("rb"), filename=f"hoa-don-{entry.pk}.{entry.document_kind}"
    )


@login_required
def receipt_pdf(request, pk):
    entry = access.get_entry_for_user(request.user, pk)
    if not entry.receipt_number:
        raise Http404
    data = outputs.receipt_pdf(entry)
    return file_response(data, filename=f"phieu-thu-{entry.receipt_number:06d}.pdf")


@login_required
def minutes_pdf(request, pk):
    """The record of labour days or the minutes of land handed over, to print and sign."""
    entry = access.get_entry_for_user(request.user, pk)
    if entry.kind not in (Entry.Kind.LABOUR, Entry.Kind.LAND) or entry.reverses_id:
        raise Http404
    prefix = "bien-ban-ngay-cong" if entry.kind == Entry.Kind.LABOUR else "bien-ban-ban-giao-dat"
    return file_response(outputs.minutes_pdf(entry), filename=f"{prefix}-{entry.pk}.pdf")


@login_required
@require_POST
def remind(request, pk):
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    sent = actions.remind_unfulfilled(campaign, acting_user=request.user)
    messages.success(request, _("Reminders sent: %(count)s.") % {"count": sent})
    return redirect(campaign)


# Bank statements ---------------------------------------------------------------------


@login_required
@require_POST
def statement_upload(request, pk):
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    form = StatementForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the statement file."))
        return redirect(campaign)
    item = actions.upload_statement(
        campaign, acting_user=request.user, upload=form.cleaned_data["file"]
    )
    return redirect("campaigns:statement-preview", pk=item.pk)


def _statement_for_user(user, pk):
    try:
        item = StatementImport.objects.select_related("campaign__unit").get(pk=pk)
    except (StatementImport.DoesNotExist, ValueError):
        raise Http404 from None
    if not access.can_manage(user, item.campaign):
        raise Http404
    return item


@login_required
def statement_preview(request, pk):
    """What the statement would add (the plan kept at upload); confirming writes it.
    Unrecognised columns are mapped here once for the account."""
    item = _statement_for_user(request.user, pk)
    campaign = item.campaign
    if request.method == "POST" and "map" in request.POST:
        headings = request.POST.getlist("headings")
        form = MappingForm(request.POST, headings=headings)
        if form.is_valid():
            actions.remember_mapping(campaign, acting_user=request.user, columns=form.cleaned_data)
            try:
                actions.replan_statement(item)
            except (ValidationError, SpreadsheetError, statements.ColumnsNotFound):
                messages.error(request, _("The columns of this statement were not recognised."))
        return redirect("campaigns:statement-preview", pk=item.pk)
    if request.method == "POST" and item.status == StatementImport.Status.PREVIEW:
        try:
            plan = actions.import_statement(item, acting_user=request.user)
        except (ValidationError, SpreadsheetError, statements.ColumnsNotFound) as error:
            messages.error(
                request, _error_text(error) if isinstance(error, ValidationError) else str(error)
            )
        else:
            messages.success(
                request,
                _("The statement is imported: %(matched)s matched, %(unmatched)s to match by hand.")
                % {"matched": len(plan.matched), "unmatched": len(plan.unmatched)},
            )
            return redirect(campaign)
    context = {"item": item, "campaign": campaign}
    try:
        plan = actions.preview_statement(item)
    except SpreadsheetError as error:
        context["error"] = error.message
    except statements.ColumnsNotFound as error:
        context["mapping_form"] = MappingForm(headings=error.headings)
        context["headings"] = error.headings
    else:
        shown = plan.matched[:PREVIEW_ROWS]
        pledges = Pledge.objects.select_related("household__head", "person").in_bulk(
            {pk for _line, pk in shown}
        )
        context |= {
            "plan": plan,
            "matched_shown": [(line, pledges.get(pk)) for line, pk in shown],
            "unmatched_shown": plan.unmatched[:PREVIEW_ROWS],
        }
    return render(request, "campaigns/statement_preview.html", context)


@login_required
@require_POST
def unmatched_match(request, pk):
    line = access.get_unmatched_line_for_user(request.user, pk)
    form = MatchForm(request.POST)
    pledge = None
    if form.is_valid():
        reference = form.cleaned_data["reference"].strip().upper().removeprefix("LS")
        pledge = line.campaign.pledges.filter(reference=reference).first()
    if pledge is None:
        messages.error(request, _("No pledge has this reference code."))
    else:
        try:
            actions.match_by_hand(line, acting_user=request.user, pledge=pledge)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The transfer is matched."))
    return redirect(line.campaign)
