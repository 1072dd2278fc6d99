"""The party side of `manage.py demo`: what the demo logins find in the handbook."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from langso.accounts.models import User
from langso.demo.registry import DEMO_COMMUNE_CODE
from langso.party.access import (
    can_manage,
    documents_for_user,
    managed_organisations,
    meetings_for_user,
    pending_invitations,
)
from langso.party.actions import check_document_file
from langso.party.models import (
    AdmissionTarget,
    Answer,
    Candidate,
    Document,
    FeeMonth,
    Invitation,
    Meeting,
    Member,
    Organisation,
    Question,
    Rating,
    Reading,
    admission_age_check,
    fee_reason_label,
)
from langso.party.statistics import unpaid_warnings
from langso.places.models import Unit
from langso.registry.models import Person

# After April, so that three unpaid months can fall in the same year before this one.
AS_OF = date(2025, 11, 20)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One demo of 600 households for the whole module (building it is most of the time)."""
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast):
        out = StringIO()
        call_command("load_units", stdout=out)
        call_command("demo", households=600, as_of=AS_OF, stdout=out)
        yield out.getvalue()
        # The rows were committed outside any test's transaction: leave an empty database.
        call_command("flush", interactive=False, stdout=StringIO())


@pytest.fixture
def commune(demo, db):
    return Unit.objects.get(kind=Unit.Kind.COMMUNE, code=DEMO_COMMUNE_CODE)


def cell_of(name):
    return Organisation.objects.get(kind=Organisation.Kind.CELL, unit__name=name)


def test_the_commune_committee_has_one_cell_per_hamlet(commune, demo):
    committee = Organisation.objects.get(kind=Organisation.Kind.COMMITTEE, unit=commune)
    assert committee.name == "Đảng bộ xã Mai Sơn"
    cells = Organisation.objects.filter(parent=committee)
    hamlets = Unit.objects.filter(parent=commune, kind=Unit.Kind.HAMLET)
    assert sorted(cells.values_list("unit", flat=True)) == sorted(
        hamlets.values_list("pk", flat=True)
    )
    names = set(cells.values_list("name", flat=True))
    assert {"Chi bộ thôn Bình Chiến", "Chi bộ bản Nà Hạ"} <= names
    assert "Party:" in demo and "members" in demo
    for cell in cells:
        assert cell.full_member_count() >= 3
        positions = list(cell.members.exclude(position="").values_list("position", flat=True))
        assert sorted(positions) == [Member.Position.DEPUTY, Member.Position.SECRETARY]


def test_members_are_a_few_percent_of_adults_many_old_some_without_a_phone(commune):
    members = list(Member.objects.select_related("person__reach"))
    adults = (
        Person.objects.residents()
        .within(commune)
        .filter(birth_date__lte=AS_OF - timedelta(days=18 * 366))
    )
    share = len(members) / adults.count()
    assert 0.02 < share < 0.08
    old = sum(member.person.age_on(AS_OF) >= 60 for member in members)
    assert 0.3 < old / len(members) < 0.8
    no_phone = sum(member.told_in_person for member in members)
    assert 0.1 < no_phone / len(members) < 0.35
    statuses = [member.status for member in members]
    assert statuses.count(Member.Status.FULL) > 5 * statuses.count(Member.Status.PROBATIONARY) > 0
    assert all(m.card_number for m in members if m.status == Member.Status.FULL)
    assert {m.fee_basis for m in members} >= {
        Member.FeeBasis.PENSIONER,
        Member.FeeBasis.SALARIED,
        Member.FeeBasis.OTHER,
    }
    assert all(m.fee_base > 1_000_000 for m in members if m.fee_basis == "pensioner")
    for member in members:
        assert member.is_demo


def test_the_demo_follows_the_admission_and_probation_rules_of_the_actions(demo, db):
    """Regulation 232-QĐ/TW (2025): admitted from full 18 to full 60 years counted in
    months, and confirmed only once the 12 months of probation are over (the rules
    `admit_member` and `confirm_full_membership` apply)."""
    members = list(Member.objects.select_related("person"))
    for member in members:
        assert admission_age_check(member.person, member.admitted_on) == "ok", member
        if member.status == Member.Status.FULL:
            assert member.probation_is_over(member.full_member_on), member
        else:
            assert member.full_member_on is None


def test_the_demo_stores_fee_reasons_as_codes_read_in_vietnamese(demo, db):
    reasons = set(FeeMonth.objects.values_list("reason", flat=True))
    assert "standard" in reasons
    assert "Standard rate" not in reasons
    with translation.override("vi"):
        assert {fee_reason_label(code) for code in reasons} >= {"Mức chung"}


def test_bithu_is_the_secretary_of_binh_chien_and_manages_only_that_cell(demo, db):
    bithu = User.objects.get(username="bithu")
    cell = cell_of("Bình Chiến")
    member = Member.objects.select_related("person").get(user=bithu)
    assert member.organisation == cell
    assert member.position == Member.Position.SECRETARY
    assert bithu.full_name == member.person.full_name
    assert bithu.person == member.person  # so the notices reach bithu's inbox
    assert can_manage(bithu, cell)
    assert not can_manage(bithu, cell_of("Nà Hạ"))
    assert cell in managed_organisations(bithu)


def test_dangvien_has_invitations_one_still_to_answer_and_documents_to_read(demo, db):
    dangvien = User.objects.get(username="dangvien")
    member = Member.objects.get(user=dangvien)
    assert member.organisation == cell_of("Bình Chiến")
    assert member.position == Member.Position.NONE
    assert member.status == Member.Status.FULL

    invitations = Invitation.objects.filter(member=member)
    assert invitations.filter(meeting__status=Meeting.Status.HELD).count() >= 12
    assert invitations.exclude(attendance="").exists()
    coming = invitations.get(meeting__status=Meeting.Status.PLANNED)
    assert coming.response == Invitation.Response.PENDING
    assert coming.meeting.starts_at.date() == AS_OF + timedelta(days=7)
    assert pending_invitations(dangvien) == 1
    assert meetings_for_user(dangvien).filter(status=Meeting.Status.HELD).exists()

    documents = documents_for_user(dangvien)
    assert 4 <= documents.count() <= 6
    assert set(documents.values_list("kind", flat=True)) >= {
        Document.Kind.DIRECTIVE,
        Document.Kind.RESOLUTION,
        Document.Kind.GUIDANCE,
    }
    assert documents_for_user(User.objects.get(username="danguy")).count() == documents.count()


def test_documents_are_real_pdfs_with_questions_read_and_answered_over_the_year(demo, db):
    for document in Document.objects.all():
        assert document.is_demo
        with document.file.open("rb") as upload:
            assert check_document_file(upload) == "pdf"
    with_questions = Document.objects.filter(questions__isnull=False).distinct()
    assert with_questions.count() >= 3
    assert all(2 <= document.questions.count() <= 3 for document in with_questions.exclude(
        number="05-CT/ĐU"
    ))  # fmt: skip
    assert Question.objects.filter(answers__is_correct=True).exists()
    assert Answer.objects.filter(is_correct=False).exists()
    months = {reading.read_at.date().replace(day=1) for reading in Reading.objects.all()}
    assert len(months) >= 6
    assert not Reading.objects.filter(read_at__date__gte=AS_OF).exists()


def test_meetings_are_monthly_with_a_few_late_or_missing_and_a_thematic_one_each_quarter(demo, db):
    for cell in Organisation.objects.cells():
        regular = cell.meetings.filter(kind=Meeting.Kind.REGULAR, status=Meeting.Status.HELD)
        assert 10 <= regular.count() <= 12
        thematic = cell.meetings.filter(kind=Meeting.Kind.THEMATIC)
        assert thematic.count() >= 3
        assert cell.meetings.filter(status=Meeting.Status.PLANNED).count() == 1
        assert not cell.meetings.filter(held_on__gte=AS_OF).exists()
    held = Meeting.objects.filter(kind=Meeting.Kind.REGULAR, status=Meeting.Status.HELD)
    late = [meeting for meeting in held if not meeting.held_on_time]
    assert 1 <= len(late) < held.count() / 5
    assert Meeting.objects.filter(status=Meeting.Status.HELD, minutes="").count() == 0
    assert Invitation.objects.filter(attendance=Invitation.Attendance.ABSENT).exists()
    told = Invitation.objects.filter(member__person__reach__no_phone=True).exclude(informed_at=None)
    assert told.exists()


def test_a_probation_ends_within_a_month_in_binh_chien(demo, db):
    soon = [
        member
        for member in Member.objects.filter(
            status=Member.Status.PROBATIONARY, organisation=cell_of("Bình Chiến")
        )
        if AS_OF < member.probation_ends_on() <= AS_OF + timedelta(days=31)
    ]
    assert len(soon) == 1


def test_one_member_of_binh_chien_is_three_months_behind_with_the_fee(demo, db):
    cell = cell_of("Bình Chiến")
    warnings = unpaid_warnings(cell.members.all(), AS_OF.year, AS_OF)
    assert list(warnings.values()) == [3]
    everyone = unpaid_warnings(Member.objects.all(), AS_OF.year, AS_OF)
    assert everyone == warnings
    months = FeeMonth.objects.dates("month", "month")
    assert len(months) == 12 and months[len(months) - 1] == AS_OF.replace(day=1)
    assert (
        FeeMonth.objects.filter(paid__gt=0).count()
        > 5 * FeeMonth.objects.filter(paid=0, due__gt=0, month__lt=AS_OF.replace(day=1)).count()
    )
    assert FeeMonth.objects.filter(excused=True).exists()
    assert not FeeMonth.objects.filter(paid_on__gt=AS_OF).exists()


def test_admission_targets_candidates_and_last_years_ratings(commune, demo):
    committee = Organisation.objects.get(unit=commune)
    target = AdmissionTarget.objects.get(organisation=committee, term="2025–2030")
    assert target.target >= 5
    assert target.admitted() >= 1
    for cell in Organisation.objects.cells():
        stages = set(Candidate.objects.filter(organisation=cell).values_list("stage", flat=True))
        assert len(stages & set(Candidate.OPEN)) >= 2
    ratings = Rating.objects.filter(year=AS_OF.year - 1)
    assert set(ratings.values_list("stage", flat=True)) == {Rating.Stage.DECIDED}
    assert len(set(ratings.filter(member__isnull=False).values_list("level", flat=True))) >= 3
    cells = ratings.filter(organisation__kind=Organisation.Kind.CELL)
    assert cells.count() == 5
    assert len(set(cells.values_list("level", flat=True))) >= 2
