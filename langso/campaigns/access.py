"""Who reaches which campaign, pledge and ledger line (issue 15, item 8).

- Managing (writing) a campaign: the capability MANAGE_CAMPAIGNS over its unit (hamlet
  heads, commune officials and administrators), or a seat on its committee with an
  account (the treasurer is often a resident without any other role).
- Reading a campaign's internal pages: those, and whoever sees the unit's residents
  (VIEW_RESIDENTS: a viewer reads, changes nothing).
- A resident signed in with an account linked to their person sees their own
  household's pledges and their own.
- Everyone sees the public ledger (`public.py`), which shows no unnamed giver's amount.

Missing and out of scope both give 404.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from langso.accounts.access import AnyUser, can, scope_q
from langso.accounts.roles import Capability
from langso.campaigns.models import Campaign, Entry, Pledge, UnmatchedLine
from langso.lib.paths import SEPARATOR


def managed_campaigns(user: AnyUser) -> QuerySet[Campaign]:
    if not user.is_authenticated:
        return Campaign.objects.none()
    return Campaign.objects.filter(
        scope_q(user, Capability.MANAGE_CAMPAIGNS, field="unit__path") | Q(committee__user=user)
    ).distinct()


def campaigns_for_user(user: AnyUser) -> QuerySet[Campaign]:
    if not user.is_authenticated:
        return Campaign.objects.none()
    return Campaign.objects.filter(
        scope_q(user, Capability.MANAGE_CAMPAIGNS, field="unit__path")
        | scope_q(user, Capability.VIEW_RESIDENTS, field="unit__path")
        | Q(committee__user=user)
    ).distinct()


def can_manage(user: AnyUser, campaign: Campaign) -> bool:
    if not user.is_authenticated:
        return False
    if can(user, Capability.MANAGE_CAMPAIGNS, campaign.unit):
        return True
    return campaign.committee.filter(user=user).exists()


def can_read(user: AnyUser, campaign: Campaign) -> bool:
    return can_manage(user, campaign) or (
        user.is_authenticated and can(user, Capability.VIEW_RESIDENTS, campaign.unit)
    )


def get_campaign_for_user(user: AnyUser, pk: int | str, *, manage: bool = False) -> Campaign:
    """The campaign `pk` with its unit; 404 when missing, out of scope, or (with
    `manage`) when the user may only read it."""
    try:
        campaign = Campaign.objects.select_related("unit").get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    allowed = can_manage(user, campaign) if manage else can_read(user, campaign)
    if not allowed:
        raise Http404
    return campaign


def own_pledges(user: AnyUser) -> QuerySet[Pledge]:
    """The pledges of the signed-in resident's household, and their own."""
    person_id = getattr(user, "person_id", None) if user.is_authenticated else None
    if not person_id:
        return Pledge.objects.none()
    household_id = user.person.household_id  # type: ignore[union-attr]
    return Pledge.objects.filter(Q(person_id=person_id) | Q(household_id=household_id))


def get_pledge_for_user(user: AnyUser, pk: int | str, *, manage: bool = False) -> Pledge:
    """A pledge its campaign's managers (or readers) may open, or the giver's own."""
    try:
        pledge = Pledge.objects.select_related("campaign__unit", "household__head", "person").get(
            pk=pk
        )
    except (Pledge.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if manage:
        allowed = can_manage(user, pledge.campaign)
    else:
        allowed = can_read(user, pledge.campaign) or own_pledges(user).filter(pk=pledge.pk).exists()
    if not allowed:
        raise Http404
    return pledge


def get_entry_for_user(user: AnyUser, pk: int | str, *, manage: bool = False) -> Entry:
    try:
        entry = Entry.objects.select_related("campaign__unit").get(pk=pk)
    except (Entry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    allowed = can_manage(user, entry.campaign) if manage else can_read(user, entry.campaign)
    if not allowed:
        raise Http404
    return entry


def get_unmatched_line_for_user(user: AnyUser, pk: int | str) -> UnmatchedLine:
    try:
        line = UnmatchedLine.objects.select_related("campaign__unit").get(pk=pk)
    except (UnmatchedLine.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_manage(user, line.campaign):
        raise Http404
    return line


def resident_household_in(user: AnyUser, campaign: Campaign) -> bool:
    """Whether the signed-in resident's household lives in the campaign's area."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None or person.household_id is None:
        return False
    path = person.household.unit.path
    return path == campaign.unit.path or path.startswith(campaign.unit.path + SEPARATOR)


def get_campaign_for_user_or_resident(user: AnyUser, pk: int | str) -> Campaign:
    """A running campaign the user manages, or one asking the resident's household."""
    try:
        campaign = Campaign.objects.select_related("unit").get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if can_manage(user, campaign):
        return campaign
    if campaign.status == Campaign.Status.RUNNING and resident_household_in(user, campaign):
        return campaign
    raise Http404
