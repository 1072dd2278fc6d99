"""Access to households and people, through the scope rules of langso.accounts.access."""

from django.http import Http404

from langso.accounts.access import can, scope_q
from langso.accounts.roles import Capability
from langso.registry.models import Household, Person


def households_for_user(user, capability=Capability.VIEW_RESIDENTS):
    return Household.objects.filter(scope_q(user, capability, field="unit__path"))


def people_for_user(user, capability=Capability.VIEW_RESIDENTS):
    return Person.objects.filter(scope_q(user, capability, field="household__unit__path"))


def get_household_for_user(user, pk, capability=Capability.VIEW_RESIDENTS):
    """The household `pk` with its unit and head, or 404 when missing or out of scope."""
    try:
        household = Household.objects.select_related("unit", "head").get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(user, capability, household.unit):
        raise Http404
    return household
