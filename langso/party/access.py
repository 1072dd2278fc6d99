"""Need-to-know access to party data (design.md principle 2, domain.md §7).

Only party roles reach party data, and each only what it needs:

- a party-committee role at a unit manages every party organisation attached
  inside that unit (the commune committee and its cells);
- a cell-secretary role at a unit manages the cells attached inside it, and a
  member holding the secretary's or deputy's position manages their own cell;
- a member (an account linked to a current `Member`) sees their own profile,
  their meetings and the documents addressed to their cell or above it.

Everything else is a 404, exactly like a missing object. A resident with no
party role and no membership sees nothing of it.
"""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404

from langso.accounts.access import AnyUser, role_paths
from langso.accounts.roles import Role
from langso.lib.paths import ancestors_of, is_within
from langso.party.models import (
    AdmissionTarget,
    Candidate,
    Document,
    FeeMonth,
    Invitation,
    Meeting,
    Member,
    MemberQuerySet,
    Organisation,
    OrganisationQuerySet,
    Question,
)
from langso.registry.models import Person, PersonQuerySet

_MEMBER_ATTR = "_langso_party_member"


def own_member(user: AnyUser) -> Member | None:
    """The user's own current membership, or None (read once per request)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, _MEMBER_ATTR):
        member = (
            Member.objects.filter(user=user, status__in=Member.CURRENT)
            .select_related("person", "organisation__unit")
            .first()
        )
        setattr(user, _MEMBER_ATTR, member)
    return getattr(user, _MEMBER_ATTR)


def _rules(user: AnyUser) -> list[tuple[str, bool]]:
    """[(unit path, cells only)] from the user's party roles."""
    rules: list[tuple[str, bool]] = []
    for role, path in role_paths(user):
        if role == Role.PARTY_COMMITTEE:
            rules.append((path, False))
        elif role == Role.CELL_SECRETARY:
            rules.append((path, True))
    return rules


def _managed_q(user: AnyUser) -> Q:
    if user.is_superuser:
        return Q()
    parts: list[Q] = []
    for path, cells_only in _rules(user):
        part = Q(unit__path__within=path)
        if cells_only:
            part &= Q(kind=Organisation.Kind.CELL)
        parts.append(part)
    member = own_member(user)
    if member is not None and member.manages_cell:
        parts.append(Q(pk=member.organisation_id))
    return reduce(or_, parts) if parts else Q(pk__in=[])


def managed_organisations(user: AnyUser) -> OrganisationQuerySet:
    """The party organisations the user manages: members, meetings, fees, ratings."""
    return Organisation.objects.filter(_managed_q(user)).select_related("unit", "parent")


def can_manage(user: AnyUser, organisation: Organisation) -> bool:
    if user.is_superuser:
        return True
    for path, cells_only in _rules(user):
        if is_within(organisation.unit.path, path) and (
            not cells_only or organisation.kind == Organisation.Kind.CELL
        ):
            return True
    member = own_member(user)
    return member is not None and member.manages_cell and member.organisation_id == organisation.pk


def has_party_access(user: AnyUser) -> bool:
    """Whether the handbook opens at all for the user (navigation and the home page)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(_rules(user)) or own_member(user) is not None


def manages_any(user: AnyUser) -> bool:
    return user.is_authenticated and (
        user.is_superuser
        or bool(_rules(user))
        or ((member := own_member(user)) is not None and member.manages_cell)
    )


def get_organisation_for_user(user: AnyUser, pk: int | str) -> Organisation:
    try:
        return managed_organisations(user).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def members_for_user(user: AnyUser) -> MemberQuerySet:
    return Member.objects.filter(organisation__in=managed_organisations(user).values("pk"))


def get_member_for_user(user: AnyUser, pk: int | str, *, manage: bool = False) -> Member:
    """A member the user manages, or the user's own membership (unless `manage`); else 404."""
    try:
        member = Member.objects.select_related(
            "person__household__unit", "organisation__unit", "user"
        ).get(pk=pk)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if can_manage(user, member.organisation):
        return member
    own = own_member(user)
    if not manage and own is not None and own.pk == member.pk:
        return member
    raise Http404


def meetings_for_user(user: AnyUser) -> QuerySet[Meeting]:
    """Meetings of the organisations the user manages, and those the user is invited to."""
    q = Q(organisation__in=managed_organisations(user).values("pk"))
    member = own_member(user)
    if member is not None:
        q |= Q(pk__in=Invitation.objects.filter(member=member).values("meeting_id"))
    return Meeting.objects.filter(q).select_related("organisation")


def get_meeting_for_user(user: AnyUser, pk: int | str, *, manage: bool = False) -> Meeting:
    try:
        meeting = Meeting.objects.select_related("organisation__unit").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if can_manage(user, meeting.organisation):
        return meeting
    member = own_member(user)
    if not manage and member is not None and meeting.invitations.filter(member=member).exists():
        return meeting
    raise Http404


def unanswered_invitations(user: AnyUser) -> QuerySet[Invitation]:
    """The user's invitations to planned meetings still waiting for their answer."""
    member = own_member(user)
    if member is None:
        return Invitation.objects.none()
    return Invitation.objects.filter(
        member=member, response="", meeting__status=Meeting.Status.PLANNED
    ).select_related("meeting__organisation")


def pending_invitations(user: AnyUser) -> int:
    """How many planned meetings still wait for the user's answer."""
    return unanswered_invitations(user).count()


def get_invitation_for_member(user: AnyUser, pk: int | str) -> Invitation:
    """The user's own invitation `pk` (only the invited member answers it), or 404."""
    member = own_member(user)
    if member is None:
        raise Http404
    try:
        return Invitation.objects.select_related("meeting__organisation").get(pk=pk, member=member)
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_invitation_for_manager(user: AnyUser, pk: int | str) -> Invitation:
    try:
        invitation = Invitation.objects.select_related(
            "meeting__organisation__unit", "member__person"
        ).get(pk=pk)
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_manage(user, invitation.meeting.organisation):
        raise Http404
    return invitation


def _reader_paths(user: AnyUser) -> set[str]:
    """Paths of the organisations whose documents the user may read."""
    paths: set[str] = set()
    member = own_member(user)
    if member is not None:
        paths.update(ancestors_of(member.organisation.path))
    for path in managed_organisations(user).values_list("path", flat=True):
        paths.update(ancestors_of(path))
    return paths


def documents_for_user(user: AnyUser) -> QuerySet[Document]:
    """Documents addressed to an organisation the user belongs to or manages, or above it."""
    if user.is_superuser:
        return Document.objects.all()
    paths = _reader_paths(user)
    if not paths:
        return Document.objects.none()
    return Document.objects.filter(
        pk__in=Document.objects.filter(organisations__path__in=paths).values("pk")
    )


def get_document_for_user(user: AnyUser, pk: int | str) -> Document:
    try:
        return documents_for_user(user).get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_manage_document(user: AnyUser, document: Document) -> bool:
    """Whoever manages every organisation it is addressed to may change it."""
    organisations = list(document.organisations.select_related("unit"))
    return bool(organisations) and all(can_manage(user, org) for org in organisations)


def get_question_for_member(user: AnyUser, pk: int | str) -> Question:
    member = own_member(user)
    if member is None:
        raise Http404
    try:
        question = Question.objects.select_related("document").get(pk=pk)
    except (Question.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not documents_for_user(user).filter(pk=question.document_id).exists():
        raise Http404
    return question


def get_fee_month_for_user(user: AnyUser, pk: int | str) -> FeeMonth:
    try:
        fee = FeeMonth.objects.select_related("member__organisation__unit", "member__person").get(
            pk=pk
        )
    except (FeeMonth.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_manage(user, fee.member.organisation):
        raise Http404
    return fee


def get_admission_target_for_user(user: AnyUser, pk: int | str) -> AdmissionTarget:
    try:
        target = AdmissionTarget.objects.select_related("organisation__unit").get(pk=pk)
    except (AdmissionTarget.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_manage(user, target.organisation):
        raise Http404
    return target


def get_candidate_for_user(user: AnyUser, pk: int | str) -> Candidate:
    try:
        candidate = Candidate.objects.select_related("organisation__unit", "person").get(pk=pk)
    except (Candidate.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_manage(user, candidate.organisation):
        raise Http404
    return candidate


def people_for_admission(user: AnyUser, organisation: Organisation) -> PersonQuerySet:
    """Residents of the organisation's unit, from whom members and candidates are chosen."""
    if not can_manage(user, organisation):
        raise Http404
    return Person.objects.within(organisation.unit).living()
