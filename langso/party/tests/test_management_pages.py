"""The secretary's and committee's pages: admission targets and candidates, ratings,
fees and members' changes (domain.md §7)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from langso.lib.dates import add_months, month_start
from langso.party import actions as party_actions
from langso.party.models import Candidate, FeeMonth, Member, Rating
from langso.test import make_household, vietnam_time

pytestmark = pytest.mark.django_db


def test_a_candidate_goes_from_outstanding_to_admitted_and_the_target_counts_them(
    client, party_world
):
    pw = party_world
    young = make_household(pw.world.hamlet, "Đinh Văn Quyết").head
    client.force_login(pw.committee_user)
    client.post(
        reverse("party:admission-target", args=[pw.committee.pk]),
        {"term": "2025–2030", "starts_on": "01/07/2025", "ends_on": "30/06/2030", "target": "70"},
    )
    client.force_login(pw.secretary_user)
    search = client.get(reverse("party:admission", args=[pw.cell.pk]), {"q": "quyet"})
    assert list(search.context["people"]) == [young]
    client.post(reverse("party:candidate-create", args=[pw.cell.pk]), {"person": young.pk})
    candidate = Candidate.objects.get()
    today = f"{timezone.localdate():%d/%m/%Y}"
    advance = reverse("party:candidate-advance", args=[candidate.pk])
    client.post(advance, {"stage": "studying", "on": today})
    client.post(advance, {"stage": "admitted", "on": today})
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.ADMITTED
    assert Member.objects.get(person=young).status == Member.Status.PROBATIONARY

    client.force_login(pw.committee_user)
    page = client.get(reverse("party:admission", args=[pw.committee.pk]))
    [(target, done)] = page.context["targets"]
    assert (target.target, done) == (70, 1)
    assert "70" in page.content.decode()


def test_the_cell_reviews_and_the_committee_decides_a_rating(client, party_world):
    pw = party_world
    url = reverse("party:rating-record", args=[pw.cell.pk, "member", pw.member.pk])
    client.force_login(pw.secretary_user)
    client.post(url, {"year": "2025", "score": "69.5", "step": "review"})
    rating = Rating.objects.get(member=pw.member, year=2025)
    assert (rating.stage, rating.level) == ("reviewed", Rating.Level.COMPLETED)
    client.force_login(pw.committee_user)
    client.post(url, {"year": "2025", "score": "90", "step": "decide"})
    rating.refresh_from_db()
    assert (rating.stage, rating.level) == ("decided", Rating.Level.GOOD)
    page = client.get(reverse("party:ratings", args=[pw.cell.pk]), {"year": "2025"})
    assert dict(page.context["levels"])[Rating.Level.GOOD.label] == 1


def test_a_member_sends_their_own_self_assessment(client, party_world):
    pw = party_world
    client.force_login(pw.world.party_member)
    response = client.post(
        reverse("party:self-assessment", args=[pw.member.pk]),
        {"score": "92", "tasks_exceeded": "on", "comment": "Hoàn thành tốt"},
    )
    assert response.status_code == 302
    rating = Rating.objects.get(member=pw.member)
    assert (rating.self_score, rating.level) == (92, Rating.Level.EXCELLENT)
    other = reverse("party:self-assessment", args=[pw.secretary.pk])
    assert client.post(other, {"score": "100"}).status_code == 404


def test_the_months_fees_are_worked_out_and_paid(client, party_world):
    pw = party_world
    client.force_login(pw.secretary_user)
    pw.secretary.fee_basis = Member.FeeBasis.PENSIONER
    pw.secretary.fee_base = 4_960_000
    pw.secretary.save()
    month = month_start(timezone.localdate())
    client.post(f"{reverse('party:fees-open', args=[pw.cell.pk])}?month={month:%m/%Y}")
    dues = {fee.member_id: fee.due for fee in FeeMonth.objects.all()}
    assert dues[pw.secretary.pk] == 24_800  # 0.5 % of the pension
    fee = FeeMonth.objects.get(member=pw.secretary)
    client.post(
        reverse("party:fee-pay", args=[fee.pk]),
        {"amount": "24800", "paid_on": f"{timezone.localdate():%d/%m/%Y}"},
    )
    fee.refresh_from_db()
    assert fee.paid == 24_800
    page = client.get(reverse("party:fees", args=[pw.cell.pk]), {"month": f"{month:%m/%Y}"})
    assert page.context["totals"]["paid"] == 24_800


@time_machine.travel(vietnam_time(date(2026, 5, 20)))
def test_three_unpaid_months_show_the_warning(client, party_world):
    pw = party_world
    for month in (1, 2, 3):
        FeeMonth.objects.create(member=pw.member, month=date(2026, month, 1), due=5000)
    client.force_login(pw.secretary_user)
    page = client.get(reverse("party:fees", args=[pw.cell.pk]))
    assert [m.pk for m in page.context["warned"]] == [pw.member.pk]
    assert pw.member.person.full_name in page.content.decode()
    home = client.get(reverse("party:home"))
    assert [m.pk for m in home.context["fee_warnings"]] == [pw.member.pk]


@time_machine.travel(vietnam_time(date(2027, 1, 2)))
def test_last_years_unpaid_months_warn_nobody_in_january(client, party_world):
    pw = party_world
    for month in (9, 10, 11):
        FeeMonth.objects.create(member=pw.member, month=date(2026, month, 1), due=5000)
    client.force_login(pw.secretary_user)
    page = client.get(reverse("party:fees", args=[pw.cell.pk]))
    assert list(page.context["warned"]) == []


def test_a_member_moves_to_another_cell_and_leaves_the_secretarys_list(client, party_world):
    pw = party_world
    client.force_login(pw.committee_user)
    client.post(
        reverse("party:member-transfer", args=[pw.member.pk]),
        {"to_organisation": pw.other_cell.pk, "on": f"{timezone.localdate():%d/%m/%Y}"},
    )
    pw.member.refresh_from_db()
    assert pw.member.organisation == pw.other_cell
    client.force_login(pw.secretary_user)
    cell = client.get(pw.cell.get_absolute_url())
    assert pw.member not in list(cell.context["members"])
    assert client.get(pw.member.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("today", [date(2026, 6, 10), date(2026, 12, 31), date(2027, 1, 1)])
def test_a_probation_ending_soon_is_a_reminder_on_the_handbook_home(
    client, party_world, time_machine, today
):
    time_machine.move_to(vietnam_time(today), tick=False)
    pw = party_world
    newcomer = make_household(pw.world.hamlet, "Đinh Văn Lực").head
    admitted = date(today.year - 1, today.month, today.day)
    from langso.party import actions

    member = actions.admit_member(
        newcomer, acting_user=None, organisation=pw.cell, admitted_on=admitted
    )
    client.force_login(pw.secretary_user)
    home = client.get(reverse("party:home"))
    assert member in home.context["probations"]
    client.post(
        reverse("party:member-confirm", args=[member.pk]),
        {"on": f"{member.probation_ends_on():%d/%m/%Y}"},
    )
    member.refresh_from_db()
    assert member.probation_ends_on() == today
    assert member.status == "full"


def test_each_what_needs_doing_count_links_to_a_list_of_that_many_members(
    client, party_world, time_machine
):
    """The first page's counts and the lists they link to come from one function
    (`statistics.to_do_members`); twelve probations are all listed, not only the first ten."""
    time_machine.move_to(vietnam_time(date(2026, 6, 15)), tick=False)
    pw = party_world
    today = timezone.localdate()
    admitted = add_months(today, -12) + timedelta(days=5)
    for number in range(12):
        person = make_household(pw.world.hamlet, f"Lò Văn Dự Bị {number:02d}").head
        party_actions.admit_member(
            person, acting_user=None, organisation=pw.cell, admitted_on=admitted
        )
    for month in (1, 2, 3):
        FeeMonth.objects.create(member=pw.member, month=date(today.year, month, 1), due=5000)
    client.force_login(pw.secretary_user)

    home = client.get(reverse("party:home"))

    items = {item["key"]: item for item in home.context["to_do"]}
    assert items["probations"]["count"] == 12
    assert len(items["probations"]["first"]) == 10
    for item in items.values():
        listed = client.get(item["url"])
        assert len(listed.context["members"]) == item["count"]
        if item["count"]:
            assert item["url"] in home.content.decode().replace("&amp;", "&")
    listed = client.get(items["probations"]["url"]).content.decode()
    assert "Lò Văn Dự Bị 11" in listed
