"""The annual quality rating (Regulation 366-QĐ/TW, domain.md §7): levels and the three steps."""

import contextlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from langso.accounts.models import AuditEntry
from langso.accounts.roles import Role
from langso.party import actions
from langso.party.models import Rating, rating_level

Level = Rating.Level
Stage = Rating.Stage


# Levels --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "score, tasks_exceeded, level",
    [
        (0, False, Level.NOT_COMPLETED),
        (49, False, Level.NOT_COMPLETED),
        ("49.9", False, Level.NOT_COMPLETED),
        (50, False, Level.COMPLETED),
        ("69.5", False, Level.COMPLETED),
        ("69.9", False, Level.COMPLETED),
        (70, False, Level.GOOD),
        ("89.9", False, Level.GOOD),
        ("89.9", True, Level.GOOD),
        (90, False, Level.GOOD),
        (90, True, Level.EXCELLENT),
        (100, False, Level.GOOD),
        (100, True, Level.EXCELLENT),
    ],
)
def test_a_score_falls_in_the_level_of_regulation_366(score, tasks_exceeded, level):
    """domain.md §7: excellent ≥ 90 with every task done and ≥ 30 % exceeded; good 70–< 90;
    completed 50–< 70; not completed < 50."""
    assert rating_level(Decimal(str(score)), tasks_exceeded=tasks_exceeded) == level


def test_a_high_score_without_exceeded_tasks_is_good_not_excellent():
    assert rating_level(Decimal("99.5"), tasks_exceeded=False) == Level.GOOD
    assert rating_level(Decimal("99.5"), tasks_exceeded=True) == Level.EXCELLENT


@pytest.mark.parametrize("score", ["-0.1", "-1", "100.1", "101"])
def test_a_score_outside_0_to_100_has_no_level(score):
    with pytest.raises(ValueError):
        rating_level(Decimal(score), tasks_exceeded=False)


# The three steps -----------------------------------------------------------------------


@pytest.fixture
def committee_user(party):
    return party.user("dangbo", "Lê Văn Quang", Role.PARTY_COMMITTEE, party.world.commune)


@pytest.fixture
def member(party):
    return party.member_with_account("Hà Thị Lan", "hathilan")


def test_a_member_assesses_then_the_cell_reviews_then_the_committee_decides(
    party, member, committee_user
):
    secretary = party.user("bithu", "Đinh Văn Hải", Role.CELL_SECRETARY, party.world.hamlet)

    rating = actions.self_assess(
        member, acting_user=member.user, year=2025, score="85", comment="Hoàn thành tốt"
    )
    assert (rating.stage, rating.score, rating.level) == (Stage.SELF, Decimal("85.0"), Level.GOOD)
    assert rating.self_comment == "Hoàn thành tốt"

    rating = actions.review_rating(member, acting_user=secretary, year=2025, score="68")
    assert (rating.stage, rating.score, rating.level) == (
        Stage.REVIEWED,
        Decimal("68.0"),
        Level.COMPLETED,
    )

    rating = actions.decide_rating(
        member, acting_user=committee_user, year=2025, score="91", tasks_exceeded=True
    )
    rating.refresh_from_db()
    assert (rating.stage, rating.score, rating.level) == (
        Stage.DECIDED,
        Decimal("91.0"),
        Level.EXCELLENT,
    )
    assert (rating.self_score, rating.review_score) == (Decimal("85.0"), Decimal("68.0"))
    assert rating.decided_by == committee_user
    assert member.ratings.get() == rating
    verbs = AuditEntry.objects.filter(verb__startswith="party.rating_").order_by("pk")
    assert list(verbs.values_list("verb", flat=True)) == [
        "party.rating_self",
        "party.rating_reviewed",
        "party.rating_decided",
    ]


def test_ratings_are_kept_year_by_year_newest_first(party, member, committee_user):
    actions.decide_rating(member, acting_user=committee_user, year=2024, score=75)
    actions.decide_rating(member, acting_user=committee_user, year=2025, score=45)
    actions.self_assess(member, acting_user=member.user, year=2026, score=80)

    history = [(r.year, r.stage, r.level) for r in member.ratings.all()]
    assert history == [
        (2026, Stage.SELF, Level.GOOD),
        (2025, Stage.DECIDED, Level.NOT_COMPLETED),
        (2024, Stage.DECIDED, Level.GOOD),
    ]


def test_a_decided_rating_cannot_be_self_assessed_or_reviewed_again(party, member, committee_user):
    actions.decide_rating(member, acting_user=committee_user, year=2025, score=72)

    with pytest.raises(ValidationError):
        actions.self_assess(member, acting_user=member.user, year=2025, score=95)
    with pytest.raises(ValidationError):
        actions.review_rating(member, acting_user=None, year=2025, score=95, tasks_exceeded=True)

    rating = member.ratings.get(year=2025)
    assert (rating.score, rating.level, rating.self_score) == (Decimal("72.0"), Level.GOOD, None)


def test_a_later_self_assessment_does_not_overturn_the_cells_review(party, member):
    """The cell's score stands once given: the member's own claim cannot raise the level."""
    actions.self_assess(member, acting_user=member.user, year=2025, score=88)
    actions.review_rating(member, acting_user=None, year=2025, score=92, tasks_exceeded=False)

    # Refusing the late self-assessment or leaving the level alone are both right.
    with contextlib.suppress(ValidationError):
        actions.self_assess(
            member, acting_user=member.user, year=2025, score=98, tasks_exceeded=True
        )

    rating = member.ratings.get(year=2025)
    assert rating.stage == Stage.REVIEWED
    assert rating.level == Level.GOOD


@pytest.mark.parametrize("score", ["100.1", "-5", "tám mươi"])
def test_a_score_must_be_a_number_from_0_to_100(party, member, score):
    with pytest.raises(ValidationError):
        actions.self_assess(member, acting_user=member.user, year=2025, score=score)

    assert not member.ratings.exclude(self_score=None).exists()


def test_scores_are_kept_to_one_decimal_place(party, member):
    rating = actions.self_assess(member, acting_user=member.user, year=2025, score="69.94")

    rating.refresh_from_db()
    assert (rating.self_score, rating.level) == (Decimal("69.9"), Level.COMPLETED)


# Organisations -------------------------------------------------------------------------


def test_a_cell_is_rated_on_the_same_scale_beside_its_members(party, member, committee_user):
    """domain.md §7: the same levels for party organisations."""
    actions.self_assess(party.cell, acting_user=None, year=2025, score=93, tasks_exceeded=True)
    actions.self_assess(member, acting_user=member.user, year=2025, score=60)
    actions.decide_rating(party.cell, acting_user=committee_user, year=2025, score="89.5")

    cell_rating = party.cell.ratings.get(year=2025)
    assert (cell_rating.member, cell_rating.stage, cell_rating.level) == (
        None,
        Stage.DECIDED,
        Level.GOOD,
    )
    assert member.ratings.get(year=2025).level == Level.COMPLETED
    assert not party.other_cell.ratings.exists()


def test_a_committee_is_rated_once_a_year(party, committee_user):
    actions.self_assess(party.committee, acting_user=None, year=2025, score=80)
    actions.review_rating(party.committee, acting_user=committee_user, year=2025, score=91)
    actions.review_rating(
        party.committee, acting_user=committee_user, year=2025, score=95, tasks_exceeded=True
    )

    rating = party.committee.ratings.get()
    assert (rating.score, rating.level) == (Decimal("95.0"), Level.EXCELLENT)
