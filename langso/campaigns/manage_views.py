"""The committee's pages about the campaign itself: its fields, its committee, the
households exempted by hand, and cancelling a pledge.

Every page needs the right to manage the campaign (404 otherwise, as for a campaign out
of scope); every write is one action; a refused or invalid form comes back with what was
typed and the reason, in the user's language.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts.models import User
from langso.campaigns import access, actions, ledger
from langso.campaigns.forms import CampaignEditForm, CancelForm, CommitteeForm, ExemptionForm
from langso.campaigns.models import Exemption
from langso.registry import hooks
from langso.registry.models import Household, Person


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _people(campaign):
    return Person.objects.within(campaign.unit).living()


@login_required
def campaign_edit(request, pk):
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    initial = {name: getattr(campaign, name) for name in (*actions.CAMPAIGN_FIELDS, "status")}
    form = CampaignEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_campaign(campaign, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect(campaign)
    return render(request, "campaigns/campaign_edit.html", {"campaign": campaign, "form": form})


@login_required
def committee(request, pk):
    """The committee (head, treasurer, accountant, members); a member who has an account
    manages the campaign through it."""
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    form = CommitteeForm(request.POST or None, people=_people(campaign))
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            actions.add_committee_member(
                campaign,
                acting_user=request.user,
                person=person,
                role=form.cleaned_data["role"],
                user=User.objects.filter(person=person, is_active=True).first(),
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request, _("%(name)s is on the committee.") % {"name": person.full_name}
            )
            return redirect("campaigns:committee", pk=campaign.pk)
    members = campaign.committee.select_related("person", "user")
    return render(
        request,
        "campaigns/committee.html",
        {"campaign": campaign, "form": form, "members": members},
    )


@login_required
@require_POST
def committee_remove(request, pk, member_pk):
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    member = campaign.committee.select_related("person").filter(pk=member_pk).first()
    if member is None:
        raise Http404
    actions.remove_committee_member(member, acting_user=request.user)
    messages.success(
        request, _("%(name)s has left the committee.") % {"name": member.person.full_name}
    )
    return redirect("campaigns:committee", pk=campaign.pk)


@login_required
def exemptions(request, pk):
    """Households the committee does not ask, set by hand; and, where an app provides
    the poverty status, how many poor households are exempt by it."""
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    form = ExemptionForm(request.POST or None, people=_people(campaign))
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        household = person.household
        try:
            actions.set_exemption(
                campaign,
                household,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The household is exempted."))
            return redirect("campaigns:exemptions", pk=campaign.pk)
    rows = campaign.exemptions.select_related("household__head").order_by("household_id")
    today = timezone.localdate()
    ids = list(Household.objects.within(campaign.unit).values_list("pk", flat=True))
    status = hooks.poverty_status(ids, today) if campaign.exempt_poor else None
    return render(
        request,
        "campaigns/exemptions.html",
        {
            "campaign": campaign,
            "form": form,
            "rows": rows,
            "poverty_known": status is not None,
            "poor_by_status": (
                sum(1 for level in status.values() if level == hooks.POOR) if status else 0
            ),
            "asked": len(ledger.asked_households(campaign, today)),
        },
    )


@login_required
@require_POST
def exemption_lift(request, pk, household_pk):
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    row = (
        Exemption.objects.filter(campaign=campaign, household_id=household_pk)
        .select_related("household")
        .first()
    )
    if row is None:
        raise Http404
    actions.set_exemption(campaign, row.household, acting_user=request.user, reason=None)
    messages.success(request, _("The household is asked again."))
    return redirect("campaigns:exemptions", pk=campaign.pk)


@login_required
def pledge_cancel(request, pk):
    """Cancel a pledge, after confirming and saying why; what was given stays in the
    ledger (a gift is corrected by reversing its entry)."""
    pledge = access.get_pledge_for_user(request.user, pk, manage=True)
    if pledge.cancelled_at:
        messages.error(request, _("This pledge is already cancelled."))
        return redirect(pledge)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_pledge(
                pledge, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The pledge is cancelled."))
            return redirect(pledge.campaign)
    return render(
        request,
        "campaigns/pledge_cancel.html",
        {"pledge": pledge, "campaign": pledge.campaign, "form": form, "given": pledge.given()},
    )
