"""Access to households and people, through the scope rules of langso.accounts.access."""

from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from langso.accounts.access import AnyUser, can, paths_with, scope_q
from langso.accounts.roles import Capability
from langso.lib.paths import SEPARATOR, Unindexed
from langso.places.models import Unit
from langso.registry.models import (
    DuplicateFlag,
    Household,
    HouseholdQuerySet,
    ImportJob,
    Person,
    PersonQuerySet,
    SearchKey,
    official_order,
)


def households_for_user(
    user: AnyUser, capability: Capability = Capability.VIEW_RESIDENTS
) -> HouseholdQuerySet:
    return Household.objects.filter(scope_q(user, capability, field="unit__path"))


def people_for_user(
    user: AnyUser, capability: Capability = Capability.VIEW_RESIDENTS
) -> PersonQuerySet:
    return Person.objects.filter(scope_q(user, capability, field="household__unit__path"))


def get_household_for_user(
    user: AnyUser, pk: int | str, capability: Capability = Capability.VIEW_RESIDENTS
) -> Household:
    """The household `pk` with its unit and head, or 404 when missing or out of scope."""
    try:
        household = Household.objects.select_related("unit", "head").get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(user, capability, household.unit):
        raise Http404
    return household


def is_local(unit: Unit) -> bool:
    """Whether `unit` is a commune or lies within one (not a province)."""
    return unit.path.count(SEPARATOR) >= 1


def scope_is_local(user: AnyUser) -> bool:
    """Whether all of the user's resident scope lies within communes (not a province)."""
    if user.is_superuser:
        return False
    tops = paths_with(user, Capability.VIEW_RESIDENTS)
    return bool(tops) and all(top.count(SEPARATOR) >= 1 for top in tops)


def search_people_for_user(user: AnyUser, query: str, *, limit: int = 100) -> list[Person]:
    """People in the user's scope matching `query`, in official name order (at most `limit`).

    Two plans, one answer (`registry.models.search_terms`: every word begins a part of
    the folded name, or a number is found whole or by its last 4+ digits). Inside a
    commune (a few thousand people) the scope is read first and the names compared in
    SQL. Across a province (a million people) that scan is too slow: the indexed search
    keys of the whole phrase are read first, then if they hold fewer than `limit` people
    those of the word with the fewest keys (`SearchKey.walked_word`), and the scan stops
    at `limit`.
    """
    if scope_is_local(user):
        found = people_for_user(user).matching(query).select_related("household")
        return list(found.only(*SEARCH_FIELDS).order_by(*official_order(local=True))[:limit])
    # The scope is checked on each key found, never used to find them (`Unindexed`).
    in_scope = scope_q(user, Capability.VIEW_RESIDENTS, field="unit_path")
    ids = []
    # The whole phrase's short range first: when it alone holds `limit` people, they are
    # an answer (any `limit` of the matches are); otherwise the word walk finds them all.
    # Each plan is built when it is read: choosing the walked word counts key ranges.
    for plan in (SearchKey.phrase_matching, SearchKey.matching):
        keys = plan(query)
        if keys is None:
            continue
        keys = keys.alias(unit_path=Unindexed("person__household__unit__path"))
        person_ids = keys.filter(in_scope).values_list("person_id", flat=True)
        # `limit` keys are `limit` people unless a name has two parts in the range; only
        # then are twice as many read (each key found costs its person's scope check).
        found_ids = list(person_ids[:limit])
        if len(found_ids) == limit and len(set(found_ids)) < limit:
            found_ids = list(person_ids[: limit * 2])
        ids = list(dict.fromkeys(found_ids))[:limit]
        if len(ids) >= limit:
            break
    found = Person.objects.filter(pk__in=ids).select_related("household").only(*SEARCH_FIELDS)
    return sorted(found, key=lambda p: (p.sort_key, p.birth_date or date.min))


# The columns a search hit is read with: what the resident list and its export show and
# filter on (`registry.views`). Building a hit costs per column, and the province plan
# builds up to `limit` of them a search; any other field is read when first used.
SEARCH_FIELDS = (
    "full_name", "sort_key", "birth_date", "birth_precision", "sex", "id_number",
    "relationship", "residence_status", "died_on", "ethnicity", "occupation", "phone",
    "household__unit", "household__house_number", "household__address",
)  # fmt: skip


def get_person_for_user(
    user: AnyUser, pk: int | str, capability: Capability = Capability.VIEW_RESIDENTS
) -> Person:
    """The person `pk` with their household and unit, or 404 when missing or out of scope."""
    try:
        person = Person.objects.select_related("household__unit", "household__head").get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if person.household is None or not can(user, capability, person.household.unit):
        raise Http404
    return person


def duplicate_flags_for_user(user: AnyUser) -> QuerySet[DuplicateFlag]:
    """Open duplicate flags whose both records the user may edit."""
    field = "first__household__unit__path"
    return (
        DuplicateFlag.objects.filter(status=DuplicateFlag.Status.OPEN)
        .filter(scope_q(user, Capability.EDIT_RESIDENTS, field=field))
        .filter(scope_q(user, Capability.EDIT_RESIDENTS, field="second__household__unit__path"))
        .select_related("first__household", "second__household")
    )


def get_duplicate_flag_for_user(user: AnyUser, pk: int | str) -> DuplicateFlag:
    try:
        return duplicate_flags_for_user(user).get(pk=pk)
    except (DuplicateFlag.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_import_for_user(user: AnyUser, pk: int | str) -> ImportJob:
    """An import job into a unit the user may record residents in, or 404."""
    try:
        job = ImportJob.objects.select_related("unit", "created_by").get(pk=pk)
    except (ImportJob.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(user, Capability.EDIT_RESIDENTS, job.unit):
        raise Http404
    return job
