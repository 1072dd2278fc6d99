"""Who reaches poverty data (issue 13, domain.md §11): poverty status, incomes and survey
answers are sensitive. The labour–social affairs officer and commune leaders reach their
commune's, a hamlet head their own hamlet's (VIEW_POVERTY / SURVEY_POVERTY /
RECOGNISE_POVERTY); everyone else — a viewer, an outsider — gets 404, exactly like a
missing object."""

from django.db.models import QuerySet
from django.http import Http404

from langso.accounts.access import AnyUser, can, get_unit_for_user, has_capability, scope_q
from langso.accounts.roles import Capability
from langso.places.models import Unit
from langso.poverty.models import Complaint, Entry, Indicator, Review, Standard, Survey
from langso.registry.models import Household

VIEW = Capability.VIEW_POVERTY
SURVEY = Capability.SURVEY_POVERTY
RECOGNISE = Capability.RECOGNISE_POVERTY
SET_STANDARDS = Capability.SET_POVERTY_STANDARDS


def get_unit(user: AnyUser, pk: int | str, capability: Capability = VIEW) -> Unit:
    """A unit whose poverty figures the user may see (province, commune or hamlet)."""
    return get_unit_for_user(user, pk, capability)


def reviews_for_user(user: AnyUser) -> QuerySet[Review]:
    return Review.objects.filter(scope_q(user, VIEW, field="commune__path"))


def get_review_for_user(user: AnyUser, pk: int | str, capability: Capability = VIEW) -> Review:
    """A review of a commune the user reaches with `capability` over the whole commune."""
    try:
        review = Review.objects.select_related("commune").get(pk=pk)
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(user, capability, review.commune):
        raise Http404
    return review


def may_work_on_review(user: AnyUser, review: Review, capability: Capability = VIEW) -> bool:
    """Whether the user reaches some of the review: the commune, or one of its hamlets."""
    if can(user, capability, review.commune):
        return True
    return any(can(user, capability, hamlet) for hamlet in review.commune.children.all())


def get_entry_for_user(user: AnyUser, pk: int | str, capability: Capability = VIEW) -> Entry:
    """A household on a review's list, if the user reaches its hamlet."""
    try:
        entry = Entry.objects.select_related("review__commune", "hamlet", "household__unit").get(
            pk=pk
        )
    except (Entry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(user, capability, entry.household.unit):
        raise Http404
    return entry


def get_survey_for_user(user: AnyUser, pk: int | str) -> Survey:
    try:
        survey = Survey.objects.select_related(
            "household__unit", "household__head", "standard"
        ).get(pk=pk)
    except (Survey.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(user, VIEW, survey.household.unit):
        raise Http404
    return survey


def get_complaint_for_user(
    user: AnyUser, pk: int | str, capability: Capability = SURVEY
) -> Complaint:
    try:
        complaint = Complaint.objects.select_related(
            "entry__review__commune", "entry__household"
        ).get(pk=pk)
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(user, capability, complaint.entry.review.commune):
        raise Http404
    return complaint


def get_household_for_user(
    user: AnyUser, pk: int | str, capability: Capability = VIEW
) -> Household:
    try:
        household = Household.objects.select_related("unit", "head").get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(user, capability, household.unit):
        raise Http404
    return household


def may_set_standards(user: AnyUser) -> bool:
    """Whether `user` corrects the standards (national data: the capability anywhere)."""
    return has_capability(user, SET_STANDARDS)


def get_standard_to_set(user: AnyUser, pk: int | str) -> Standard:
    """A standard `user` may correct; 404 for a missing one and for anyone else alike."""
    if not may_set_standards(user):
        raise Http404
    try:
        return Standard.objects.get(pk=pk)
    except (Standard.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_indicator_to_set(user: AnyUser, pk: int | str) -> Indicator:
    """An indicator of a standard `user` may correct; 404 as for the standard."""
    if not may_set_standards(user):
        raise Http404
    try:
        return Indicator.objects.select_related("standard").get(pk=pk)
    except (Indicator.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
