"""The one place that decides who reaches what (design.md principle 2).

A role held at a unit reaches the unit's whole subtree. Every view fetches its
objects through an access function (`get_unit_for_user` here, one per model in
each app's `access.py`), and an object out of scope is reported exactly like a
missing one: 404, so that nobody learns what exists outside their scope.
"""

from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from langso.accounts.models import AuditEntry, RoleAssignment, User
from langso.accounts.roles import CAPABILITIES, Capability
from langso.lib.paths import is_within
from langso.places.models import Unit

# Whoever makes a request: an account, or nobody signed in.
AnyUser = User | AnonymousUser

_CACHE_ATTR = "_langso_role_paths"


def role_paths(user: AnyUser) -> list[tuple[str, str]]:
    """[(role, unit path)] of the user's assignments, read once per request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(user.role_assignments.values_list("role", "unit__path"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: AnyUser) -> None:
    """Drop the cached assignments after they change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def paths_with(user: AnyUser, capability: Capability) -> list[str]:
    """The top-most unit paths at which the user holds `capability`."""
    paths = sorted({path for role, path in role_paths(user) if capability in CAPABILITIES[role]})
    tops: list[str] = []
    for path in paths:
        if not any(is_within(path, top) for top in tops):
            tops.append(path)
    return tops


def capabilities_at(user: AnyUser, unit: Unit) -> set[Capability]:
    """Every capability the user holds over `unit`."""
    if user.is_authenticated and user.is_superuser:
        return set(Capability)
    caps: set[Capability] = set()
    for role, path in role_paths(user):
        if is_within(unit.path, path):
            caps |= CAPABILITIES[role]
    return caps


def can(user: AnyUser, capability: Capability, unit: Unit) -> bool:
    return capability in capabilities_at(user, unit)


def has_capability(user: AnyUser, capability: Capability) -> bool:
    """Whether the user holds `capability` anywhere (for navigation)."""
    if user.is_authenticated and user.is_superuser:
        return True
    return any(capability in CAPABILITIES[role] for role, _path in role_paths(user))


def scope_q(user: AnyUser, capability: Capability, field: str = "path") -> Q:
    """A Q selecting rows whose unit path (`field`) lies in the user's scope."""
    if user.is_authenticated and user.is_superuser:
        return Q()
    tops = paths_with(user, capability)
    if not tops:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__within": top}) for top in tops))


def units_for_user(user: AnyUser, capability: Capability = Capability.VIEW_UNITS) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_q(user, capability))


def top_units_for_user(
    user: AnyUser, capability: Capability = Capability.VIEW_UNITS
) -> QuerySet[Unit]:
    """The highest units the user reaches: where their home page starts."""
    if user.is_authenticated and user.is_superuser:
        return Unit.objects.filter(parent__isnull=True)
    return Unit.objects.filter(path__in=paths_with(user, capability))


def get_unit_for_user(
    user: AnyUser, pk: int | str, capability: Capability = Capability.VIEW_UNITS
) -> Unit:
    """The unit `pk` if the user holds `capability` over it; 404 otherwise."""
    try:
        unit = Unit.objects.select_related("parent", "successor").get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(user, capability, unit):
        raise Http404
    return unit


def breadcrumbs(user: AnyUser, unit: Unit) -> list[tuple[Unit, bool]]:
    """The units above `unit`, top first, each with whether the user may open it."""
    return [(ancestor, can(user, Capability.VIEW_UNITS, ancestor)) for ancestor in unit.ancestors()]


def users_for_user(user: AnyUser) -> QuerySet[User]:
    """Accounts holding a role inside the units the user administers."""
    return User.objects.filter(
        pk__in=RoleAssignment.objects.filter(
            scope_q(user, Capability.GRANT_ROLES, field="unit__path")
        ).values("user_id")
    )


def get_user_for_user(user: AnyUser, pk: int | str) -> User:
    """An account the user administers, or 404."""
    try:
        return users_for_user(user).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_role_assignment_for_user(user: AnyUser, pk: int | str) -> RoleAssignment:
    """A role assignment inside the user's administered units, or 404."""
    try:
        assignment = RoleAssignment.objects.select_related("user", "unit").get(pk=pk)
    except (RoleAssignment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(user, Capability.GRANT_ROLES, assignment.unit):
        raise Http404
    return assignment


def audit_entries_for_user(user: AnyUser) -> QuerySet[AuditEntry]:
    """Audit rows of the units the user administers (a commune administrator's log).

    Rows with no unit (a site-wide change) are the superuser's alone.
    """
    return AuditEntry.objects.filter(scope_q(user, Capability.GRANT_ROLES, field="unit__path"))
