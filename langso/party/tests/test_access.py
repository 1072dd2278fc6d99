"""Need-to-know access to party data (domain.md §7, §8; langso/party/access.py).

Party roles reach the organisations attached inside their unit; members reach their own
profile, their meetings and the documents addressed to their cell or above it; everyone
else gets 404, like a missing object.
"""

from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from langso.accounts.roles import Role
from langso.party import access, actions
from langso.party.models import Document, FeeMonth, Meeting, Member


def fresh(user):
    """The user as a new request would load them, without cached roles or membership."""
    return type(user).objects.get(pk=user.pk)


def meeting_of(cell):
    return actions.schedule_meeting(
        cell,
        acting_user=None,
        kind=Meeting.Kind.REGULAR,
        title=f"Sinh hoạt {cell.name}",
        starts_at=timezone.make_aware(datetime(2026, 3, 5, 8, 0)),
        place="Nhà văn hoá",
    )


def document_for(organisation, media):
    return actions.add_document(
        acting_user=None,
        kind=Document.Kind.GUIDANCE,
        title=f"Hướng dẫn cho {organisation.name}",
        issuing_body="Ban Tuyên giáo",
        issued_on=date(2026, 1, 2),
        file=SimpleUploadedFile("huong-dan.pdf", b"%PDF-1.4\n%%EOF\n"),
        organisations=[organisation],
    )


@pytest.fixture
def scene(party, media):
    """A member in each Tân Lập cell and in the far cell, each cell with a meeting and a
    document, and a document for the commune committee."""
    party.ours = party.member_with_account("Lò Văn Chiến", "lovanchien")
    party.neighbour = party.member("Lò Thị Bích")
    party.theirs = party.member_with_account(
        "Quàng Văn Đông", "quangvandong", cell=party.other_cell
    )
    party.far = party.member("Lò Văn Oai", cell=party.far_cell)
    party.our_meeting = meeting_of(party.cell)
    party.their_meeting = meeting_of(party.other_cell)
    party.far_meeting = meeting_of(party.far_cell)
    party.our_document = document_for(party.cell, media)
    party.their_document = document_for(party.other_cell, media)
    party.committee_document = document_for(party.committee, media)
    party.far_document = document_for(party.far_cell, media)
    return party


def can_get(function, user, pk, **kwargs):
    try:
        function(user, pk, **kwargs)
    except Http404:
        return False
    return True


# Party committee -----------------------------------------------------------------------


def test_a_party_committee_role_at_the_commune_manages_all_its_cells(scene):
    world = scene.world
    user = scene.user("dangbo", "Lê Văn Quang", Role.PARTY_COMMITTEE, world.commune)

    assert set(access.managed_organisations(user)) == {
        scene.committee,
        scene.cell,
        scene.other_cell,
    }
    assert access.get_member_for_user(user, scene.theirs.pk, manage=True) == scene.theirs
    assert access.get_meeting_for_user(user, scene.their_meeting.pk, manage=True)
    assert set(access.members_for_user(user)) == {scene.ours, scene.neighbour, scene.theirs}
    assert set(access.documents_for_user(user)) == {
        scene.our_document,
        scene.their_document,
        scene.committee_document,
    }
    assert access.has_party_access(user) and access.manages_any(user)
    with pytest.raises(Http404):
        access.get_organisation_for_user(user, scene.far_cell.pk)


# Cell secretaries ----------------------------------------------------------------------


def test_a_cell_secretary_role_at_a_hamlet_manages_that_hamlets_cell_only(scene):
    user = scene.user("bithu", "Đinh Văn Hải", Role.CELL_SECRETARY, scene.world.hamlet)

    assert list(access.managed_organisations(user)) == [scene.cell]
    assert access.get_member_for_user(user, scene.neighbour.pk, manage=True) == scene.neighbour
    assert access.get_meeting_for_user(user, scene.our_meeting.pk, manage=True)
    assert not can_get(access.get_member_for_user, user, scene.theirs.pk)
    assert not can_get(access.get_meeting_for_user, user, scene.their_meeting.pk)
    assert not can_get(access.get_organisation_for_user, user, scene.committee.pk)
    assert not can_get(access.get_organisation_for_user, user, scene.other_cell.pk)


def test_a_cell_secretary_role_at_the_commune_manages_cells_but_not_the_committee(scene):
    user = scene.user("bithu", "Đinh Văn Hải", Role.CELL_SECRETARY, scene.world.commune)

    assert set(access.managed_organisations(user)) == {scene.cell, scene.other_cell}
    assert not access.can_manage(user, scene.committee)


@pytest.mark.parametrize("position", [Member.Position.SECRETARY, Member.Position.DEPUTY])
def test_a_member_holding_the_secretarys_position_manages_their_own_cell(scene, position):
    actions.update_member(scene.ours, acting_user=None, position=position)
    user = fresh(scene.ours.user)

    assert list(access.managed_organisations(user)) == [scene.cell]
    assert access.get_member_for_user(user, scene.neighbour.pk, manage=True) == scene.neighbour
    assert access.manages_any(user)
    assert not can_get(access.get_member_for_user, user, scene.theirs.pk)
    assert not can_get(access.get_organisation_for_user, user, scene.other_cell.pk)


def test_a_secretary_who_is_transferred_no_longer_manages_the_old_cell(scene):
    actions.update_member(scene.ours, acting_user=None, position=Member.Position.SECRETARY)
    actions.transfer_member(
        scene.ours, acting_user=None, on=date(2026, 4, 1), to_organisation=scene.other_cell
    )
    user = fresh(scene.ours.user)

    assert list(access.managed_organisations(user)) == []
    assert not can_get(access.get_member_for_user, user, scene.neighbour.pk)


def test_a_committee_member_position_alone_does_not_manage_the_cell(scene):
    actions.update_member(scene.ours, acting_user=None, position=Member.Position.COMMITTEE)
    user = fresh(scene.ours.user)

    assert list(access.managed_organisations(user)) == []
    assert not access.manages_any(user)


# Members -------------------------------------------------------------------------------


def test_a_member_sees_their_own_profile_but_not_to_manage_it(scene):
    user = fresh(scene.ours.user)

    assert access.get_member_for_user(user, scene.ours.pk) == scene.ours
    assert not can_get(access.get_member_for_user, user, scene.ours.pk, manage=True)
    assert access.has_party_access(user)
    assert not access.manages_any(user)


def test_a_plain_member_does_not_see_the_other_members_of_their_cell(scene):
    user = fresh(scene.ours.user)

    assert not can_get(access.get_member_for_user, user, scene.neighbour.pk)
    assert list(access.members_for_user(user)) == []


def test_a_member_of_one_cell_gets_404_for_another_cells_member_meeting_and_document(scene):
    user = fresh(scene.ours.user)

    with pytest.raises(Http404):
        access.get_member_for_user(user, scene.theirs.pk)
    with pytest.raises(Http404):
        access.get_meeting_for_user(user, scene.their_meeting.pk)
    with pytest.raises(Http404):
        access.get_document_for_user(user, scene.their_document.pk)


def test_a_member_gets_their_own_meeting_and_the_documents_addressed_to_them(scene):
    user = fresh(scene.ours.user)

    assert access.get_meeting_for_user(user, scene.our_meeting.pk) == scene.our_meeting
    assert not can_get(access.get_meeting_for_user, user, scene.our_meeting.pk, manage=True)
    assert list(access.meetings_for_user(user)) == [scene.our_meeting]
    assert access.get_document_for_user(user, scene.our_document.pk) == scene.our_document
    assert access.get_document_for_user(user, scene.committee_document.pk)


def test_only_the_invited_member_answers_an_invitation(scene):
    ours = scene.our_meeting.invitations.get(member=scene.ours)
    theirs = scene.their_meeting.invitations.get(member=scene.theirs)
    user = fresh(scene.ours.user)

    assert access.get_invitation_for_member(user, ours.pk) == ours
    assert not can_get(access.get_invitation_for_member, user, theirs.pk)
    assert not can_get(access.get_invitation_for_manager, user, ours.pk)


def test_only_the_cells_managers_reach_its_fee_records(scene):
    fee = FeeMonth.objects.create(member=scene.ours, month=date(2026, 3, 1), due=5_000)
    secretary = scene.user("bithu", "Đinh Văn Hải", Role.CELL_SECRETARY, scene.world.hamlet)
    other = scene.user("bithu2", "Lò Văn Nam", Role.CELL_SECRETARY, scene.world.other_hamlet)

    assert access.get_fee_month_for_user(secretary, fee.pk) == fee
    assert not can_get(access.get_fee_month_for_user, other, fee.pk)
    assert not can_get(access.get_fee_month_for_user, fresh(scene.theirs.user), fee.pk)


def test_a_former_member_loses_access(scene):
    actions.end_membership(
        scene.ours, acting_user=None, status=Member.Status.REMOVED, on=date(2026, 5, 1)
    )
    user = fresh(scene.ours.user)

    assert not access.has_party_access(user)
    assert not can_get(access.get_member_for_user, user, scene.ours.pk)
    assert not can_get(access.get_meeting_for_user, user, scene.our_meeting.pk)


# Everyone else -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["official", "hamlet_head", "admin", "viewer", "party_member"])
def test_a_user_without_a_party_role_or_membership_gets_nothing(scene, persona):
    """domain.md §8: party membership is sensitive; commune staff see none of it."""
    user = getattr(scene.world, persona)

    assert list(access.managed_organisations(user)) == []
    assert list(access.documents_for_user(user)) == []
    assert list(access.meetings_for_user(user)) == []
    assert not access.has_party_access(user)
    assert not can_get(access.get_member_for_user, user, scene.ours.pk)
    assert not can_get(access.get_document_for_user, user, scene.committee_document.pk)
    with pytest.raises(Http404):
        access.people_for_admission(user, scene.cell)


def test_an_outsider_from_another_commune_gets_404(scene):
    outsider = scene.world.outsider

    for function, pk in [
        (access.get_organisation_for_user, scene.cell.pk),
        (access.get_member_for_user, scene.ours.pk),
        (access.get_meeting_for_user, scene.our_meeting.pk),
        (access.get_document_for_user, scene.committee_document.pk),
    ]:
        with pytest.raises(Http404):
            function(outsider, pk)


def test_the_other_communes_party_committee_gets_404_in_tan_lap(scene):
    user = scene.user("dangbokhac", "Lò Văn Hùng", Role.PARTY_COMMITTEE, scene.world.other_commune)

    assert set(access.managed_organisations(user)) == {scene.far_committee, scene.far_cell}
    assert access.get_member_for_user(user, scene.far.pk, manage=True) == scene.far
    assert set(access.documents_for_user(user)) == {scene.far_document}
    for function, pk in [
        (access.get_organisation_for_user, scene.committee.pk),
        (access.get_member_for_user, scene.ours.pk),
        (access.get_meeting_for_user, scene.our_meeting.pk),
        (access.get_document_for_user, scene.committee_document.pk),
    ]:
        assert not can_get(function, user, pk), function.__name__
    with pytest.raises(Http404):
        access.people_for_admission(user, scene.cell)


def test_missing_or_malformed_ids_are_404_like_out_of_scope_ones(scene):
    user = scene.user("dangbo", "Lê Văn Quang", Role.PARTY_COMMITTEE, scene.world.commune)

    for function in (
        access.get_organisation_for_user,
        access.get_member_for_user,
        access.get_meeting_for_user,
        access.get_document_for_user,
    ):
        assert not can_get(function, user, 999_999), function.__name__
        assert not can_get(function, user, "abc"), function.__name__


# Documents and admission ---------------------------------------------------------------


def test_a_document_is_changed_only_by_who_manages_every_organisation_it_is_for(scene):
    committee_user = scene.user("dangbo", "Lê Văn Quang", Role.PARTY_COMMITTEE, scene.world.commune)
    secretary = scene.user("bithu", "Đinh Văn Hải", Role.CELL_SECRETARY, scene.world.hamlet)

    assert access.can_manage_document(committee_user, scene.committee_document)
    assert access.can_manage_document(secretary, scene.our_document)
    assert not access.can_manage_document(secretary, scene.committee_document)
    assert not access.can_manage_document(secretary, scene.their_document)


def test_a_cell_secretary_picks_new_members_from_the_hamlets_residents(scene):
    secretary = scene.user("bithu", "Đinh Văn Hải", Role.CELL_SECRETARY, scene.world.hamlet)

    people = set(access.people_for_admission(secretary, scene.cell))

    assert scene.world.household.head in people
    assert scene.world.other_household.head not in people
    with pytest.raises(Http404):
        access.people_for_admission(secretary, scene.other_cell)
