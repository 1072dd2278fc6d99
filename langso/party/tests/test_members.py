"""Members: admission, probation, transfers, leaving, profiles, accounts (domain.md §7)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from langso.accounts.models import AuditEntry
from langso.accounts.roles import Role
from langso.lib.dates import add_months, month_start
from langso.party import actions
from langso.party.models import Candidate, Member, Transfer
from langso.registry import actions as registry

from .conftest import PASSWORD

Status = Member.Status
ADMITTED_ON = date(2025, 3, 10)


@pytest.fixture
def secretary(party):
    """The cell secretary of Bình Chiến, who records what happens in the cell."""
    return party.user("bithu", "Đinh Văn Hải", Role.CELL_SECRETARY, party.world.hamlet)


def admit(party, person, on=ADMITTED_ON, acting_user=None):
    return actions.admit_member(
        person, acting_user=acting_user, organisation=party.cell, admitted_on=on
    )


# Admission: from full 18 to full 60 years, counted in months (Regulation 232-QĐ/TW) ------


@pytest.mark.parametrize(
    "born",
    [
        pytest.param(date(2007, 3, 10), id="on_the_18th_birthday"),
        pytest.param(date(1965, 3, 10), id="on_the_60th_birthday"),
        pytest.param(date(1965, 2, 11), id="60_years_and_27_days"),
    ],
)
def test_a_person_from_full_18_to_full_60_counted_in_months_is_admitted(party, born):
    """Regulation 232-QĐ/TW (2025): from full 18 to full 60 years, counted in months."""
    person = party.person("Lò Thị Mai", born)

    member = admit(party, person)

    assert member.organisation == party.cell
    assert (member.status, member.admitted_on) == (Status.PROBATIONARY, ADMITTED_ON)
    assert member.considered_on == ADMITTED_ON
    assert member.age_approval_number == ""
    assert party.cell.current_members().get() == member


@pytest.mark.parametrize(
    "born",
    [
        pytest.param(date(2007, 3, 11), id="the_day_before_the_18th_birthday"),
        pytest.param(date(1965, 2, 10), id="60_years_and_one_month"),
        pytest.param(date(1964, 3, 11), id="the_day_before_the_61st_birthday"),
    ],
)
def test_a_person_under_18_or_over_60_in_months_is_refused(party, born):
    """Regulation 232-QĐ/TW (2025): the age is counted in months, so 60 years and a month
    is over 60 (a count in whole years took everyone up to the 61st birthday)."""
    person = party.person("Lò Thị Mai", born)

    with pytest.raises(ValidationError) as refused:
        admit(party, person)

    assert refused.value.code == "admission_age"
    assert not Member.objects.filter(person=person).exists()


def test_over_60_the_refusal_asks_for_the_provincial_committees_approval(party):
    person = party.person("Lò Thị Mai", date(1963, 1, 5))

    with pytest.raises(ValidationError) as refused:
        admit(party, person)

    assert "văn bản đồng ý của tỉnh ủy" in refused.value.messages[0]  # the written approval


def test_over_60_with_the_written_approval_is_admitted_and_the_approval_recorded(party):
    """Regulation 232-QĐ/TW (2025): over 60 only with the provincial committee's written
    approval; its number, date and issuing body are kept with the member."""
    person = party.person("Lò Văn Pấng", date(1962, 5, 1))

    member = actions.admit_member(
        person,
        acting_user=None,
        organisation=party.cell,
        admitted_on=ADMITTED_ON,
        age_approval_number="125-CV/TU",
        age_approval_on=date(2025, 2, 20),
        age_approval_by="Ban Thường vụ Tỉnh ủy Sơn La",
    )

    member.refresh_from_db()
    assert (member.age_approval_number, member.age_approval_on, member.age_approval_by) == (
        "125-CV/TU",
        date(2025, 2, 20),
        "Ban Thường vụ Tỉnh ủy Sơn La",
    )
    entry = AuditEntry.objects.get(verb="party.member_admitted")
    assert entry.changes["age_approval_number"] == [None, "125-CV/TU"]


def test_an_approval_without_its_issuing_body_is_not_enough(party):
    person = party.person("Lò Văn Pấng", date(1962, 5, 1))

    with pytest.raises(ValidationError):
        actions.admit_member(
            person,
            acting_user=None,
            organisation=party.cell,
            admitted_on=ADMITTED_ON,
            age_approval_number="125-CV/TU",
            age_approval_on=date(2025, 2, 20),
        )

    assert not Member.objects.filter(person=person).exists()


def test_the_age_is_counted_when_the_cell_considers_the_admission(party):
    """Regulation 232-QĐ/TW (2025): the age at the cell's consideration, not at the
    ceremony: full 60 when the cell met, 60 and two months at the ceremony."""
    person = party.person("Lò Thị Mai", date(1965, 1, 10))

    member = actions.admit_member(
        person,
        acting_user=None,
        organisation=party.cell,
        considered_on=date(2025, 1, 20),
        admitted_on=ADMITTED_ON,
    )

    assert member.considered_on == date(2025, 1, 20)
    assert member.age_approval_number == ""


def test_the_admission_page_records_the_approval_and_the_profile_shows_it(client, party):
    person = party.person("Lò Văn Pấng", date(1962, 5, 1))
    secretary = party.user("bithu", "Đinh Văn Hải", Role.CELL_SECRETARY, party.world.hamlet)
    client.force_login(secretary)
    url = reverse("party:member-admit", args=[party.cell.pk])
    form = {"person": person.pk, "admitted_on": "10/03/2025"}

    refused = client.post(url, form)
    assert "125-CV/TU" not in refused.content.decode()
    assert not Member.objects.filter(person=person).exists()
    approval = {
        "age_approval_number": "125-CV/TU",
        "age_approval_on": "20/02/2025",
        "age_approval_by": "Ban Thường vụ Tỉnh ủy Sơn La",
    }
    client.post(url, form | approval)

    member = Member.objects.get(person=person)
    page = client.get(member.get_absolute_url()).content.decode()
    assert "125-CV/TU" in page and "Ban Thường vụ Tỉnh ủy Sơn La" in page


def test_a_person_recorded_as_deceased_is_not_admitted(party):
    person = party.person("Hà Văn Đức", date(1980, 1, 1))
    registry.record_death(person, acting_user=None, on=date(2025, 1, 5))

    with pytest.raises(ValidationError) as refused:
        admit(party, person, on=date(2025, 2, 1))

    assert refused.value.code == "deceased"
    assert not Member.objects.filter(person=person).exists()


def test_a_person_already_a_member_is_not_admitted_twice(party):
    person = party.person("Hà Văn Đức", date(1980, 1, 1))
    admit(party, person)

    with pytest.raises(ValidationError) as refused:
        actions.admit_member(
            person, acting_user=None, organisation=party.other_cell, admitted_on=date(2025, 6, 1)
        )

    assert refused.value.code == "already_member"
    assert Member.objects.get(person=person).organisation == party.cell


def test_an_admission_dated_in_the_future_is_refused(party):
    person = party.person("Hà Văn Đức", date(1980, 1, 1))

    with pytest.raises(ValidationError) as refused:
        admit(party, person, on=timezone.localdate() + timedelta(days=1))

    assert refused.value.code == "future"


def test_members_belong_to_a_cell_not_to_a_committee(party):
    person = party.person("Hà Văn Đức", date(1980, 1, 1))

    with pytest.raises(ValidationError) as refused:
        actions.admit_member(
            person, acting_user=None, organisation=party.committee, admitted_on=ADMITTED_ON
        )

    assert refused.value.code == "not_cell"


def test_admitting_a_candidate_marks_the_candidacy_admitted(party, secretary):
    person = party.person("Quàng Văn Thắng", date(1998, 8, 8))
    candidate = actions.add_candidate(person, acting_user=secretary, organisation=party.cell)

    member = admit(party, person, acting_user=secretary)

    candidate.refresh_from_db()
    assert (candidate.stage, candidate.since) == (Candidate.Stage.ADMITTED, ADMITTED_ON)
    assert member.status == Status.PROBATIONARY


def test_advancing_a_candidate_to_admitted_makes_them_a_member_with_the_age_rule(party):
    young = party.person("Quàng Văn Thắng", date(2007, 12, 1))
    candidate = actions.add_candidate(young, acting_user=None, organisation=party.cell)

    with pytest.raises(ValidationError):
        actions.advance_candidate(
            candidate, acting_user=None, stage=Candidate.Stage.ADMITTED, on=ADMITTED_ON
        )
    candidate = actions.advance_candidate(
        candidate, acting_user=None, stage=Candidate.Stage.ADMITTED, on=date(2025, 12, 1)
    )

    assert candidate.stage == Candidate.Stage.ADMITTED
    assert Member.objects.get(person=young).admitted_on == date(2025, 12, 1)


def test_admission_is_audited_with_the_cell_and_who_recorded_it(party, secretary):
    person = party.person("Quàng Văn Thắng", date(1998, 8, 8))

    member = admit(party, person, acting_user=secretary)

    entry = AuditEntry.objects.get(verb="party.member_admitted")
    assert (entry.actor, entry.unit, entry.target_id) == (
        secretary,
        party.world.hamlet,
        str(member.pk),
    )
    assert entry.changes["status"] == [None, Status.PROBATIONARY]


# Probation: twelve months from the admission ceremony --------------------------------


def test_full_membership_is_refused_the_day_before_the_probation_ends(party):
    """domain.md §7: probation 12 months from the admission ceremony."""
    member = party.member("Vì Văn Sáng", admitted_on=date(2024, 11, 20))

    with pytest.raises(ValidationError) as refused:
        actions.confirm_full_membership(member, acting_user=None, on=date(2025, 11, 19))

    assert refused.value.code == "probation"
    assert "20/11/2025" in refused.value.messages[0]
    member.refresh_from_db()
    assert (member.status, member.full_member_on) == (Status.PROBATIONARY, None)


def test_full_membership_is_confirmed_on_the_day_the_probation_ends(party, secretary):
    """domain.md §7: probation 12 months from the admission ceremony, then full membership."""
    member = party.member("Vì Văn Sáng", admitted_on=date(2024, 11, 20))

    actions.confirm_full_membership(member, acting_user=secretary, on=date(2025, 11, 20))

    member.refresh_from_db()
    assert (member.status, member.full_member_on) == (Status.FULL, date(2025, 11, 20))
    assert party.cell.full_member_count() == 1
    assert AuditEntry.objects.filter(verb="party.member_confirmed", actor=secretary).exists()


def test_a_full_member_cannot_be_confirmed_again(party):
    member = party.member("Vì Văn Sáng", admitted_on=date(2024, 11, 20))
    actions.confirm_full_membership(member, acting_user=None, on=date(2025, 11, 20))

    with pytest.raises(ValidationError):
        actions.confirm_full_membership(member, acting_user=None, on=date(2025, 12, 1))

    member.refresh_from_db()
    assert member.full_member_on == date(2025, 11, 20)


def test_probation_from_29_february_ends_on_28_february(party):
    """A year after a leap day has no 29 February; the probation ends on the month's last day."""
    member = party.member("Vì Văn Sáng", admitted_on=date(2024, 2, 29))

    assert member.probation_ends_on() == date(2025, 2, 28)
    with pytest.raises(ValidationError):
        actions.confirm_full_membership(member, acting_user=None, on=date(2025, 2, 27))
    actions.confirm_full_membership(member, acting_user=None, on=date(2025, 2, 28))
    member.refresh_from_db()
    assert member.status == Status.FULL


@pytest.mark.parametrize(
    "admitted_on, ends_on",
    [
        (date(2025, 1, 31), date(2026, 1, 31)),
        (date(2024, 12, 31), date(2025, 12, 31)),
        (date(2023, 2, 28), date(2024, 2, 28)),
        (date(2024, 2, 29), date(2025, 2, 28)),
    ],
)
def test_probation_ends_twelve_months_after_admission_at_month_ends(party, admitted_on, ends_on):
    member = party.member("Vì Văn Sáng", admitted_on=admitted_on)

    assert member.probation_ends_on() == ends_on


def test_months_are_added_to_31_january_without_overflowing_into_march():
    """The helper behind the probation and the hardship limit clamps to short months."""
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 31), 3) == date(2025, 4, 30)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


# Transfers ---------------------------------------------------------------------------


def test_a_transfer_between_cells_moves_the_member_and_keeps_the_history(party, secretary):
    member = party.member("Lường Thị Hoa")
    actions.update_member(member, acting_user=None, position=Member.Position.SECRETARY)

    actions.transfer_member(
        member, acting_user=secretary, on=date(2026, 3, 1), to_organisation=party.other_cell
    )

    member.refresh_from_db()
    assert member.organisation == party.other_cell
    assert member.status == Status.PROBATIONARY
    assert member.position == Member.Position.NONE
    assert list(party.cell.current_members()) == []
    assert list(party.other_cell.current_members()) == [member]
    transfer = member.transfers.get()
    assert (transfer.from_organisation, transfer.to_organisation, transfer.on) == (
        party.cell,
        party.other_cell,
        date(2026, 3, 1),
    )
    assert transfer.recorded_by == secretary
    assert AuditEntry.objects.filter(
        verb="party.member_transferred", unit=party.world.hamlet
    ).exists()


def test_a_transfer_out_leaves_the_member_transferred_out_without_a_position(party):
    member = party.member("Lường Thị Hoa")
    actions.update_member(member, acting_user=None, position=Member.Position.DEPUTY)

    actions.transfer_member(
        member, acting_user=None, on=date(2026, 4, 15), elsewhere="Đảng bộ phường Ba Đình, Hà Nội"
    )

    member.refresh_from_db()
    assert (member.status, member.position) == (Status.TRANSFERRED_OUT, "")
    assert not member.is_current
    assert not member.manages_cell
    assert list(party.cell.current_members()) == []
    transfer = member.transfers.get()
    assert (transfer.from_organisation, transfer.to_organisation, transfer.elsewhere) == (
        party.cell,
        None,
        "Đảng bộ phường Ba Đình, Hà Nội",
    )


def test_transfers_are_kept_in_date_order(party):
    member = party.member("Lường Thị Hoa")
    actions.transfer_member(
        member, acting_user=None, on=date(2025, 5, 1), to_organisation=party.other_cell
    )
    actions.transfer_member(
        member, acting_user=None, on=date(2026, 1, 1), to_organisation=party.cell
    )
    actions.transfer_member(
        member, acting_user=None, on=date(2026, 2, 1), elsewhere="Tỉnh Điện Biên"
    )

    history = [(t.from_organisation, t.to_organisation, t.on) for t in member.transfers.all()]
    assert history == [
        (party.cell, party.other_cell, date(2025, 5, 1)),
        (party.other_cell, party.cell, date(2026, 1, 1)),
        (party.cell, None, date(2026, 2, 1)),
    ]


@pytest.mark.parametrize(
    "where",
    [
        pytest.param({}, id="nowhere"),
        pytest.param({"to": "other_cell", "elsewhere": "Hà Nội"}, id="both_a_cell_and_elsewhere"),
        pytest.param({"to": "cell"}, id="the_same_cell"),
        pytest.param({"to": "committee"}, id="a_committee"),
    ],
)
def test_a_transfer_needs_one_other_cell_or_a_place_elsewhere(party, where):
    member = party.member("Lường Thị Hoa")
    target = getattr(party, where["to"]) if "to" in where else None

    with pytest.raises(ValidationError):
        actions.transfer_member(
            member,
            acting_user=None,
            on=date(2026, 3, 1),
            to_organisation=target,
            elsewhere=where.get("elsewhere", ""),
        )

    member.refresh_from_db()
    assert member.organisation == party.cell
    assert not Transfer.objects.exists()


def test_a_member_already_transferred_out_cannot_be_transferred_again(party):
    member = party.member("Lường Thị Hoa")
    actions.transfer_member(member, acting_user=None, on=date(2026, 3, 1), elsewhere="Hà Nội")

    with pytest.raises(ValidationError):
        actions.transfer_member(
            member, acting_user=None, on=date(2026, 4, 1), to_organisation=party.other_cell
        )

    assert member.transfers.count() == 1


# Transfer in -------------------------------------------------------------------------


def test_a_full_member_received_from_elsewhere_keeps_their_dates(party, secretary):
    person = party.person("Sầm Văn Lực", date(1975, 2, 2))

    member = actions.receive_member(
        person,
        acting_user=secretary,
        organisation=party.cell,
        on=date(2026, 5, 4),
        came_from="Đảng bộ xã Mường Chanh",
        admitted_on=date(2001, 3, 26),
        full_member_on=date(2002, 3, 26),
        card_number="01.234567",
    )

    assert (member.status, member.admitted_on, member.full_member_on) == (
        Status.FULL,
        date(2001, 3, 26),
        date(2002, 3, 26),
    )
    assert member.card_number == "01.234567"
    transfer = member.transfers.get()
    assert (transfer.from_organisation, transfer.to_organisation, transfer.elsewhere) == (
        None,
        party.cell,
        "Đảng bộ xã Mường Chanh",
    )
    assert (transfer.on, transfer.recorded_by) == (date(2026, 5, 4), secretary)
    assert AuditEntry.objects.filter(verb="party.member_transferred_in").exists()


def test_a_member_received_during_probation_stays_probationary(party):
    person = party.person("Sầm Văn Lực", date(1995, 2, 2))

    member = actions.receive_member(
        person,
        acting_user=None,
        organisation=party.cell,
        on=date(2026, 5, 4),
        came_from="Chi bộ Trường THPT Mai Sơn",
        admitted_on=date(2026, 1, 9),
    )

    assert (member.status, member.full_member_on) == (Status.PROBATIONARY, None)
    assert member.probation_ends_on() == date(2027, 1, 9)


@pytest.mark.parametrize(
    "came_from, full_member_on",
    [
        pytest.param("", None, id="without_where_from"),
        pytest.param("Hà Nội", date(2000, 12, 31), id="full_before_admitted"),
    ],
)
def test_receiving_a_member_is_refused_without_where_from_or_with_dates_reversed(
    party, came_from, full_member_on
):
    person = party.person("Sầm Văn Lực", date(1975, 2, 2))

    with pytest.raises(ValidationError):
        actions.receive_member(
            person,
            acting_user=None,
            organisation=party.cell,
            on=date(2026, 5, 4),
            came_from=came_from,
            admitted_on=date(2001, 3, 26),
            full_member_on=full_member_on,
        )

    assert not Member.objects.filter(person=person).exists()


def test_a_current_member_cannot_be_received_again(party):
    member = party.member("Sầm Văn Lực")

    with pytest.raises(ValidationError) as refused:
        actions.receive_member(
            member.person,
            acting_user=None,
            organisation=party.other_cell,
            on=date(2026, 5, 4),
            came_from="Hà Nội",
            admitted_on=date(2001, 3, 26),
        )

    assert refused.value.code == "already_member"


def test_a_member_who_transferred_out_can_be_received_back(party):
    """Someone who moved away for work and comes home rejoins the cell with their dates.

    domain.md §7 keeps transfers as history; the person is still the same member.
    """
    member = party.member("Sầm Văn Lực", admitted_on=date(2010, 3, 26))
    actions.transfer_member(
        member, acting_user=None, on=date(2024, 1, 2), elsewhere="Đảng bộ phường Ba Đình"
    )

    back = actions.receive_member(
        member.person,
        acting_user=None,
        organisation=party.cell,
        on=date(2026, 5, 4),
        came_from="Đảng bộ phường Ba Đình",
        admitted_on=date(2010, 3, 26),
        full_member_on=date(2011, 3, 26),
    )

    assert back.is_current
    assert list(party.cell.current_members()) == [back]
    assert back.transfers.count() == 2


# Leaving -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.REMOVED, Status.DECEASED])
def test_ending_a_membership_records_removal_or_death_and_drops_the_position(
    party, secretary, status
):
    member = party.member("Cầm Văn Khánh")
    actions.update_member(member, acting_user=None, position=Member.Position.COMMITTEE)

    actions.end_membership(
        member, acting_user=secretary, status=status, on=date(2026, 6, 1), note="Nghị quyết 12"
    )

    member.refresh_from_db()
    assert (member.status, member.position) == (status, "")
    assert list(party.cell.current_members()) == []
    entry = AuditEntry.objects.get(verb="party.member_left")
    assert entry.actor == secretary
    assert entry.changes["status"] == [Status.PROBATIONARY, status]
    assert entry.changes["on"] == [None, "2026-06-01"]
    assert entry.changes["note"] == [None, "Nghị quyết 12"]


def test_a_membership_ends_only_by_removal_or_death(party):
    member = party.member("Cầm Văn Khánh")

    with pytest.raises(ValidationError):
        actions.end_membership(
            member, acting_user=None, status=Status.TRANSFERRED_OUT, on=date(2026, 6, 1)
        )

    member.refresh_from_db()
    assert member.is_current


def test_a_membership_already_ended_cannot_end_again(party):
    member = party.member("Cầm Văn Khánh")
    actions.end_membership(member, acting_user=None, status=Status.REMOVED, on=date(2026, 6, 1))

    with pytest.raises(ValidationError):
        actions.end_membership(
            member, acting_user=None, status=Status.DECEASED, on=date(2026, 7, 1)
        )

    member.refresh_from_db()
    assert member.status == Status.REMOVED


# Profile changes ---------------------------------------------------------------------


@pytest.mark.parametrize("cut", [30, 50, 70])
def test_a_hardship_cut_of_30_50_or_70_percent_is_accepted(party, cut):
    """domain.md §7: hardship cuts of 30/50/70 % for up to 12 months."""
    member = party.member("Tòng Văn Chung")
    until = add_months(timezone.localdate(), 6)

    actions.update_member(member, acting_user=None, hardship_cut=cut, hardship_until=until)

    member.refresh_from_db()
    assert (member.hardship_cut, member.hardship_until) == (cut, until)


@pytest.mark.parametrize("cut", [10, 40, 100])
def test_any_other_hardship_cut_is_refused(party, cut):
    """domain.md §7: hardship cuts of 30/50/70 % only."""
    member = party.member("Tòng Văn Chung")

    with pytest.raises(ValidationError) as refused:
        actions.update_member(
            member,
            acting_user=None,
            hardship_cut=cut,
            hardship_until=add_months(timezone.localdate(), 6),
        )

    assert refused.value.code == "hardship_cut"
    member.refresh_from_db()
    assert member.hardship_cut == 0


def test_a_hardship_cut_lasts_at_most_twelve_months(party):
    """domain.md §7: hardship cuts for up to 12 months.

    Twelve monthly fees from this month's end on the last day of the eleventh month after
    it; a year and a day is refused. (Which fees the cut reaches: test_fees.py.)
    """
    member = party.member("Tòng Văn Chung")
    today = timezone.localdate()
    twelfth_month_ends = add_months(month_start(today), 12) - timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        actions.update_member(
            member,
            acting_user=None,
            hardship_cut=50,
            hardship_until=add_months(today, 12) + timedelta(days=1),
        )
    assert refused.value.code == "hardship_months"

    actions.update_member(
        member, acting_user=None, hardship_cut=50, hardship_until=twelfth_month_ends
    )
    member.refresh_from_db()
    assert member.hardship_until == twelfth_month_ends


def test_a_hardship_cut_needs_an_end_date(party):
    member = party.member("Tòng Văn Chung")

    with pytest.raises(ValidationError):
        actions.update_member(member, acting_user=None, hardship_cut=30)

    member.refresh_from_db()
    assert member.hardship_cut == 0


def test_a_profile_change_is_audited_with_old_and_new_values(party, secretary):
    member = party.member("Tòng Văn Chung")

    actions.update_member(member, acting_user=secretary, card_number="79.001234", no_phone=True)
    actions.update_member(member, acting_user=secretary, card_number="79.001234", no_phone=True)

    member = Member.objects.get(pk=member.pk)
    assert (member.card_number, member.told_in_person) == ("79.001234", True)
    assert member.person.reach.no_phone  # the person's Reach in notices
    entry = AuditEntry.objects.get(verb="party.member_updated")
    assert entry.actor == secretary
    assert entry.changes == {"card_number": ["", "79.001234"], "no_phone": [False, True]}


def test_only_the_profile_fields_can_be_changed(party):
    member = party.member("Tòng Văn Chung")

    with pytest.raises(TypeError):
        actions.update_member(member, acting_user=None, status=Status.FULL)

    member.refresh_from_db()
    assert member.status == Status.PROBATIONARY


# Accounts ----------------------------------------------------------------------------


def test_a_member_account_holds_the_party_member_role_at_the_cells_hamlet(party, secretary):
    member = party.member("Lù Thị Xuân")

    user = actions.create_member_account(
        member, acting_user=secretary, username="luthixuan", password=PASSWORD
    )

    member.refresh_from_db()
    assert member.user == user
    assert user.full_name == "Lù Thị Xuân"
    assert user.check_password(PASSWORD) and user.must_change_password
    assignment = user.role_assignments.get()
    assert (assignment.role, assignment.unit) == (Role.PARTY_MEMBER, party.world.hamlet)
    assert assignment.granted_by == secretary
    assert AuditEntry.objects.filter(verb="party.member_account_created", actor=secretary).exists()


def test_a_second_account_or_a_taken_user_name_is_refused(party):
    member = party.member("Lù Thị Xuân")
    other = party.member("Lù Văn Pành")
    actions.create_member_account(member, acting_user=None, username="luthixuan", password=PASSWORD)

    with pytest.raises(ValidationError):
        actions.create_member_account(
            member, acting_user=None, username="luthixuan2", password=PASSWORD
        )
    with pytest.raises(ValidationError) as taken:
        actions.create_member_account(
            other, acting_user=None, username="LuThiXuan", password=PASSWORD
        )

    assert taken.value.code == "username_taken"
    other.refresh_from_db()
    assert other.user is None


# Audit -------------------------------------------------------------------------------


def test_a_members_life_leaves_party_audit_rows_in_order(party, secretary):
    """domain.md §8: party membership is sensitive; who changed and who viewed it is logged."""
    member = party.member("Lò Văn Pọm", admitted_on=date(2024, 11, 20))
    actions.confirm_full_membership(member, acting_user=secretary, on=date(2025, 11, 20))
    actions.update_member(member, acting_user=secretary, card_number="14.000321")
    actions.log_member_view(member, acting_user=secretary)
    actions.transfer_member(
        member, acting_user=secretary, on=date(2026, 1, 5), to_organisation=party.other_cell
    )

    verbs = list(
        AuditEntry.objects.filter(target_type="party.Member", target_id=str(member.pk))
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "party.member_admitted",
        "party.member_confirmed",
        "party.member_updated",
        "party.member_viewed",
        "party.member_transferred",
    ]
    written = AuditEntry.objects.filter(target_type__startswith="party.")
    assert all(verb.startswith("party.") for verb in written.values_list("verb", flat=True))
