"""The review's steps in order (Decision 24/2021/QĐ-TTg), status as of any day, and what
recognition changes: HN/CN cards and the party-fee exemption (domain.md §6, §7)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from langso.accounts.models import AuditEntry
from langso.party.models import Member
from langso.poverty import actions, status
from langso.poverty.models import Entry, Result, Review, Status
from langso.registry import actions as registry
from langso.registry.hooks import poverty_status
from langso.test import PartyWorld


def test_working_days_skip_the_weekend():
    assert actions.add_working_days(date(2025, 12, 1), 3) == date(2025, 12, 3)  # Mon → Wed
    assert actions.add_working_days(date(2026, 12, 3), 3) == date(2026, 12, 7)  # Thu → Mon
    assert actions.add_working_days(date(2026, 12, 5), 1) == date(2026, 12, 7)  # Sat → Mon
    # Public holidays do not count: 30/4 and 1/5/2026 fall on Thursday and Friday.
    assert actions.add_working_days(date(2026, 4, 29), 3) == date(2026, 5, 5)
    # Nor does Tết: Bính Ngọ's break runs to Friday 20/2/2026.
    assert actions.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 23)


def test_yearly_review_defaults_and_one_per_year(poverty):
    review = actions.open_review(poverty.world.commune, acting_user=poverty.officer, year=2026)
    assert (review.opens_on, review.closes_on, review.posting_days) == (
        date(2026, 9, 1),
        date(2026, 12, 14),
        3,
    )
    with pytest.raises(ValidationError, match="đã được mở"):
        actions.open_review(poverty.world.commune, acting_user=poverty.officer, year=2026)


def test_steps_out_of_order_are_refused_with_their_reason(poverty):
    world = poverty.world
    review = actions.open_review(world.commune, acting_user=poverty.officer, year=2026)
    entry = actions.add_entry(
        review,
        world.household,
        acting_user=poverty.officer,
        source=Entry.Source.PROPOSED,
        proposed_by="Đặng Văn Bình",
    )
    with pytest.raises(ValidationError, match="phải được niêm yết công khai"):
        actions.recognise(
            review, acting_user=poverty.leader, number="1/QĐ-UBND", on=date(2026, 12, 10)
        )
    with pytest.raises(ValidationError, match="sau khi họp thôn"):
        actions.start_posting(review, acting_user=poverty.officer, starts_on=date(2026, 12, 1))
    with pytest.raises(ValidationError, match="chưa được khảo sát"):
        actions.record_meeting(
            review,
            world.hamlet,
            acting_user=poverty.officer,
            held_on=date(2026, 11, 20),
            attendance=30,
            results={},
        )
    with pytest.raises(ValidationError) as refused:
        actions.add_entry(
            review,
            world.far_household,
            acting_user=poverty.officer,
            source=Entry.Source.APPLIED,
            applied_on=date(2026, 9, 3),
        )
    assert "không cư trú tại xã" in refused.value.message_dict["household"][0]
    poverty.survey(
        world.household,
        on=date(2026, 10, 1),
        per_person=900_000,
        lacking=["water", "latrine", "telecom"],
        entry=entry,
    )
    actions.record_meeting(
        review,
        world.hamlet,
        acting_user=poverty.officer,
        held_on=date(2026, 11, 20),
        attendance=30,
        results={entry.pk: (Result.POOR, 25, 30)},
    )
    entry.refresh_from_db()
    assert entry.vote_share == 83.3
    actions.start_posting(review, acting_user=poverty.officer, starts_on=date(2026, 12, 1))
    review.refresh_from_db()
    assert review.posting_until == date(2026, 12, 3)
    with pytest.raises(ValidationError) as refused:
        actions.recognise(
            review, acting_user=poverty.leader, number="1/QĐ-UBND", on=date(2026, 12, 3)
        )
    assert refused.value.message_dict["on"] == [
        "Niêm yết công khai đến hết ngày 03/12/2026: chỉ công nhận sau khi kết thúc."
    ]
    complaint = actions.record_complaint(
        entry,
        acting_user=poverty.officer,
        received_on=date(2026, 12, 2),
        complainant="Lê Văn Hùng",
        text="Hộ này có xe tải.",
    )
    with pytest.raises(ValidationError, match="1 khiếu nại chưa được giải quyết"):
        actions.recognise(
            review, acting_user=poverty.leader, number="1/QĐ-UBND", on=date(2026, 12, 7)
        )
    with pytest.raises(ValidationError):
        actions.record_complaint(
            entry,
            acting_user=poverty.officer,
            received_on=date(2026, 12, 4),
            complainant="Lê Văn Hùng",
            text="Muộn",
        )
    recheck = poverty.survey(
        world.household, on=date(2026, 12, 3), per_person=1_200_000, lacking=["water"], entry=entry
    )
    actions.resolve_complaint(
        complaint,
        acting_user=poverty.officer,
        resolved_on=date(2026, 12, 4),
        resolution="Phúc tra: xe tải của người khác.",
        recheck=recheck,
    )
    outcome = actions.recognise(
        review, acting_user=poverty.leader, number="1/QĐ-UBND", on=date(2026, 12, 7)
    )
    assert [e.household for e in outcome["near_poor"]] == [world.household]
    assert status.status_on(world.household.pk, date(2026, 12, 7)) == Result.NEAR_POOR
    assert status.status_on(world.household.pk, date(2026, 12, 6)) == Result.NOT_POOR
    assert AuditEntry.objects.filter(verb="poverty.recognise").exists()
    with pytest.raises(ValidationError, match="đã được công nhận"):
        actions.recognise(review, acting_user=poverty.leader, number="2", on=date(2026, 12, 8))


def test_as_of_reads_across_two_reviews(poverty):
    world = poverty.world
    first = poverty.review_to_posting(world.household, year=2025, result=Result.POOR)
    actions.recognise(first, acting_user=poverty.leader, number="12/QĐ-UBND", on=date(2025, 12, 10))
    second = poverty.review_to_posting(world.household, year=2026, result=Result.NOT_POOR)
    entry = second.entries.get(household=world.household)
    assert entry.source == Entry.Source.CURRENT and entry.previous == Result.POOR
    outcome = actions.recognise(
        second, acting_user=poverty.leader, number="9/QĐ-UBND", on=date(2026, 12, 8)
    )
    assert [e.household for e in outcome["exited"]] == [world.household]
    ids = [world.household.pk, world.other_household.pk]
    assert status.classification_lookup(ids, date(2025, 12, 31)) == {world.household.pk: "poor"}
    assert status.classification_lookup(ids, date(2026, 12, 31)) == {}
    assert poverty_status(ids, date(2025, 12, 31)) == {world.household.pk: "poor"}
    row = Status.objects.get(household=world.household)
    assert (row.start, row.end, row.ended_by) == (date(2025, 12, 10), date(2026, 12, 8), second)
    figures = status.counts(world.commune, date(2025, 12, 31))
    assert (figures["poor"], figures["households"], figures["poor_rate"]) == (1, 2, 50.0)
    by_hamlet = status.counts_by_child(
        world.commune, date(2025, 12, 31), [world.hamlet, world.other_hamlet]
    )
    assert by_hamlet[world.hamlet.pk]["poor"] == 1
    assert by_hamlet[world.other_hamlet.pk] == {
        "households": 1,
        "poor": 0,
        "near_poor": 0,
        "poor_rate": 0.0,
        "near_poor_rate": 0.0,
    }


def test_adhoc_review_uses_the_same_steps(poverty):
    world = poverty.world
    review = actions.open_adhoc_review(
        world.other_household,
        acting_user=poverty.officer,
        on=date(2026, 3, 2),
        source=Entry.Source.APPLIED,
    )
    assert review.kind == Review.Kind.ADHOC and review.entries.count() == 1
    with pytest.raises(ValidationError):
        actions.recognise(review, acting_user=poverty.leader, number="3", on=date(2026, 3, 20))


def test_recognition_switches_cards_and_party_fee_exemption(poverty):
    world = poverty.world
    party = PartyWorld(world)
    wife = party.member.person  # Trần Thị Thuỷ, a party member of the household
    registry.correct_person(wife, acting_user=None, health_insurance_number="GD4141234567890")
    registry.correct_person(
        world.household.head, acting_user=None, health_insurance_number="CC1141234567891"
    )
    review = poverty.review_to_posting(world.household, year=2025, result=Result.POOR)
    actions.recognise(
        review, acting_user=poverty.leader, number="12/QĐ-UBND", on=date(2025, 12, 10)
    )
    wife.refresh_from_db()
    world.household.head.refresh_from_db()
    assert wife.health_insurance_number == "HN4141234567890"
    assert world.household.head.health_insurance_number == "CC1141234567891"  # kept
    member = Member.objects.get(pk=party.member.pk)
    assert member.exemption == Member.Exemption.POOR_HOUSEHOLD
    assert Member.objects.get(pk=party.other_member.pk).exemption == ""
    second = poverty.review_to_posting(world.household, year=2026, result=Result.NOT_POOR)
    actions.recognise(second, acting_user=poverty.leader, number="9/QĐ-UBND", on=date(2026, 12, 8))
    assert Member.objects.get(pk=party.member.pk).exemption == ""
