"""Who reaches which association (design.md principle 2; issue 16, "Who sees what").

- Commune officials, administrators, leaders and the party committee read every
  organisation attached inside the units where they hold their role (VIEW_ASSOCIATIONS).
- An association leader manages their own organisation (and its branches and groups),
  a branch head their own branch: the role says *that* they lead, an `Officer` row says
  *what*, and the role must still be held at a unit containing it.
- A member (an account linked to a registry person) sees their own memberships, dues
  and loans.

Everything else is a 404, exactly like a missing object.
"""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404

from langso.accounts.access import AnyUser, paths_with, role_paths
from langso.accounts.roles import CAPABILITIES, Capability, Role
from langso.associations.models import (
    Activity,
    Branch,
    Fund,
    Loan,
    Member,
    Movement,
    Officer,
    Organisation,
)
from langso.lib.paths import is_within
from langso.places.models import Unit

# Roles that lead one organisation or branch (through Officer rows), not a whole unit.
OFFICER_ROLES = {Role.ASSOCIATION_LEADER, Role.BRANCH_HEAD}
_OFFICES_ATTR = "_langso_association_offices"


def _reader_paths(user: AnyUser) -> list[str]:
    return [
        path
        for role, path in role_paths(user)
        if role not in OFFICER_ROLES and Capability.VIEW_ASSOCIATIONS in CAPABILITIES[role]
    ]


def _offices(user: AnyUser) -> list[Officer]:
    """The user's Officer rows whose role is still held at a unit containing them."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _OFFICES_ATTR, None)
    if cached is not None:
        return cached
    held = [(role, path) for role, path in role_paths(user) if role in OFFICER_ROLES]
    offices = []
    for officer in Officer.objects.filter(user=user).select_related(
        "organisation__unit", "branch__unit"
    ):
        if officer.branch is not None:
            ok = any(
                role == Role.BRANCH_HEAD and is_within(officer.branch.unit.path, path)
                for role, path in held
            )
        else:
            ok = any(
                role == Role.ASSOCIATION_LEADER and is_within(officer.organisation.unit.path, path)
                for role, path in held
            )
        if ok:
            offices.append(officer)
    setattr(user, _OFFICES_ATTR, offices)
    return offices


def forget(user: AnyUser) -> None:
    if hasattr(user, _OFFICES_ATTR):
        delattr(user, _OFFICES_ATTR)


def _led_org_ids(user: AnyUser) -> set[int]:
    """Organisations the user leads, with the local groups they run."""
    ids = {o.organisation_id for o in _offices(user) if o.branch_id is None}
    if ids:
        ids |= set(Organisation.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
    return ids


def _led_branch_ids(user: AnyUser) -> set[int]:
    ids = {o.branch_id for o in _offices(user) if o.branch_id is not None}
    if ids:
        ids |= set(Branch.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
    return ids


def _read_org_q(user: AnyUser, field: str = "") -> Q:
    """Organisations the user reads: the unit readers' and the ones led; branch heads see
    their branch's organisation (its page shows them only their branch)."""
    if user.is_authenticated and user.is_superuser:
        return Q()
    parts = [Q(**{f"{field}unit__path__within": path}) for path in _reader_paths(user)]
    org_ids = _led_org_ids(user) | {o.organisation_id for o in _offices(user)}
    if org_ids:
        parts.append(Q(**{f"{field}pk__in": org_ids}))
    return reduce(or_, parts) if parts else Q(pk__in=[])


def readable_organisations(user: AnyUser) -> QuerySet[Organisation]:
    return Organisation.objects.filter(_read_org_q(user)).select_related("unit", "parent")


def can_read_all_of(user: AnyUser, organisation: Organisation) -> bool:
    """Whether the user sees the whole organisation (not only one branch of it)."""
    if user.is_authenticated and user.is_superuser:
        return True
    if any(is_within(organisation.unit.path, p) for p in _reader_paths(user)):
        return True
    return organisation.pk in _led_org_ids(user)


def can_manage_organisation(user: AnyUser, organisation: Organisation) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    return organisation.pk in _led_org_ids(user)


def can_manage_branch(user: AnyUser, branch: Branch) -> bool:
    return can_manage_organisation(user, branch.organisation) or branch.pk in _led_branch_ids(user)


def can_read_branch(user: AnyUser, branch: Branch) -> bool:
    return can_read_all_of(user, branch.organisation) or branch.pk in _led_branch_ids(user)


def managed_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations the user leads, or in which they head a branch (the audience targets
    are narrowed further by `managed_branches`)."""
    if user.is_authenticated and user.is_superuser:
        return Organisation.objects.select_related("unit")
    return Organisation.objects.filter(pk__in=_led_org_ids(user)).select_related("unit")


def managed_branches(user: AnyUser) -> QuerySet[Branch]:
    if user.is_authenticated and user.is_superuser:
        return Branch.objects.select_related("unit", "organisation")
    return Branch.objects.filter(
        Q(organisation_id__in=_led_org_ids(user)) | Q(pk__in=_led_branch_ids(user))
    ).select_related("unit", "organisation")


def own_memberships(user: AnyUser) -> QuerySet[Member]:
    person_id = getattr(user, "person_id", None) if user.is_authenticated else None
    if not person_id:
        return Member.objects.none()
    return Member.objects.filter(person_id=person_id).select_related("organisation", "branch")


def has_access(user: AnyUser) -> bool:
    """Whether the associations open at all for the user (navigation)."""
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or bool(_reader_paths(user))
        or bool(_offices(user))
        or own_memberships(user).exists()
    )


def get_organisation_for_user(
    user: AnyUser, pk: int | str, *, manage: bool = False
) -> Organisation:
    try:
        organisation = readable_organisations(user).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if manage and not can_manage_organisation(user, organisation):
        raise Http404
    return organisation


def get_branch_for_user(user: AnyUser, pk: int | str, *, manage: bool = False) -> Branch:
    try:
        branch = Branch.objects.select_related("organisation__unit", "unit", "parent").get(pk=pk)
    except (Branch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    allowed = can_manage_branch(user, branch) if manage else can_read_branch(user, branch)
    if not allowed:
        raise Http404
    return branch


def get_member_for_user(user: AnyUser, pk: int | str, *, manage: bool = False) -> Member:
    """A membership: the reader of its organisation or branch, or the member themself."""
    try:
        member = Member.objects.select_related(
            "person__household__unit", "organisation__unit", "branch__unit"
        ).get(pk=pk)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if member.branch is not None:
        allowed = (
            can_manage_branch(user, member.branch)
            if manage
            else can_read_branch(user, member.branch)
        )
    else:
        allowed = (
            can_manage_organisation(user, member.organisation)
            if manage
            else can_read_all_of(user, member.organisation)
        )
    if not allowed and not manage:
        allowed = user.is_authenticated and member.person_id == getattr(user, "person_id", None)
    if not allowed:
        raise Http404
    return member


def get_activity_for_user(user: AnyUser, pk: int | str, *, manage: bool = False) -> Activity:
    try:
        activity = Activity.objects.select_related("organisation__unit", "branch__unit").get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if activity.branch is not None:
        allowed = (
            can_manage_branch(user, activity.branch)
            if manage
            else can_read_branch(user, activity.branch)
        )
    else:
        allowed = (
            can_manage_organisation(user, activity.organisation)
            if manage
            else can_read_all_of(user, activity.organisation)
        )
    if not allowed:
        raise Http404
    return activity


def get_fund_for_user(user: AnyUser, pk: int | str, *, manage: bool = False) -> Fund:
    try:
        fund = Fund.objects.select_related("organisation__unit").get(pk=pk)
    except (Fund.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    allowed = (
        can_manage_organisation(user, fund.organisation)
        if manage
        else can_read_all_of(user, fund.organisation)
    )
    if not allowed:
        raise Http404
    return fund


def get_loan_for_user(user: AnyUser, pk: int | str, *, manage: bool = False) -> Loan:
    """A loan: whoever reads its fund, or the borrower themself."""
    try:
        loan = Loan.objects.select_related("fund__organisation__unit", "person").get(pk=pk)
    except (Loan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    organisation = loan.fund.organisation
    if manage:
        allowed = can_manage_organisation(user, organisation)
    else:
        allowed = can_read_all_of(user, organisation) or (
            user.is_authenticated and loan.person_id == getattr(user, "person_id", None)
        )
    if not allowed:
        raise Http404
    return loan


def setup_communes(user: AnyUser) -> QuerySet[Unit]:
    """Communes where the user sets up organisations and appoints their leaders: where
    they grant roles (the commune administrator), as the leaders' roles are granted."""
    units = Unit.objects.filter(kind=Unit.Kind.COMMUNE)
    if user.is_authenticated and user.is_superuser:
        return units
    paths = paths_with(user, Capability.GRANT_ROLES)
    if not paths:
        return units.none()
    return units.filter(reduce(or_, [Q(path__within=p) for p in paths]))


def can_set_up(user: AnyUser, organisation: Organisation) -> bool:
    return setup_communes(user).filter(pk=organisation.unit_id).exists()


def get_officer_for_user(user: AnyUser, pk: int | str) -> Officer:
    """An officer row: the organisation's leader ends branch heads, whoever sets up the
    commune ends leaders too."""
    try:
        officer = Officer.objects.select_related("organisation__unit", "branch__unit", "user").get(
            pk=pk
        )
    except (Officer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if can_set_up(user, officer.organisation):
        return officer
    if officer.branch_id is not None and can_manage_organisation(user, officer.organisation):
        return officer
    raise Http404


def get_movement_for_user(user: AnyUser, pk: int | str) -> Movement:
    """A movement: whoever reads its organisation, or a branch head of it (who sees her
    branch's results)."""
    try:
        movement = Movement.objects.select_related("organisation__unit").get(pk=pk)
    except (Movement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    organisation = movement.organisation
    if can_read_all_of(user, organisation):
        return movement
    if managed_branches(user).filter(organisation=organisation).exists():
        return movement
    raise Http404
