"""Every handbook page opens for those who need it and is a 404 for everyone else."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from langso.accounts.models import AuditEntry
from langso.party import actions
from langso.party.models import Meeting
from langso.test import vietnam_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw(party_world):
    return party_world


@pytest.fixture
def june(time_machine):
    """A fixed day, so that the month and year the pages show are known."""
    time_machine.move_to(vietnam_time(date(2026, 6, 10)), tick=False)


@pytest.fixture
def meeting(pw):
    return actions.schedule_meeting(
        pw.cell,
        acting_user=pw.secretary_user,
        kind=Meeting.Kind.REGULAR,
        title="Sinh hoạt chi bộ tháng",
        starts_at=timezone.now() + timedelta(days=3),
        place="Nhà văn hoá thôn",
    )


def manager_pages(pw, meeting):
    """{url: (the page's heading, something else it shows)} of the cell's managers' pages."""
    cell = pw.cell.pk
    thuy = "Trần Thị Thuỷ"
    return {
        reverse("party:organisation-detail", args=[cell]): ("Chi bộ thôn Bình Chiến", thuy),
        reverse("party:member-admit", args=[cell]) + "?q=phung": ("Kết nạp đảng viên", None),
        reverse("party:meeting-create", args=[cell]): ("Buổi sinh hoạt mới", "Địa điểm"),
        reverse("party:admission", args=[cell]): ("Phát triển đảng viên", None),
        reverse("party:ratings", args=[cell]): ("Đánh giá, xếp loại chất lượng năm 2025", thuy),
        reverse("party:fees", args=[cell]): ("Đảng phí tháng 06/2026", None),
        reverse("party:statistics", args=[cell]): ("Sinh hoạt chi bộ tháng 06/2026", None),
        reverse("party:usage", args=[cell]): (
            "Tình hình sử dụng Sổ tay đảng viên điện tử tháng 06/2026",
            None,
        ),
        reverse("party:member-edit", args=[pw.member.pk]): (f"Hồ sơ: {thuy}", None),
        reverse("party:member-transfer", args=[pw.member.pk]): (
            f"Chuyển sinh hoạt đảng: {thuy}",
            None,
        ),
        reverse("party:member-end", args=[pw.member.pk]): (
            f"Ra khỏi danh sách đảng viên: {thuy}",
            None,
        ),
        reverse("party:meeting-record", args=[meeting.pk]): ("Sinh hoạt chi bộ tháng", thuy),
    }


def headings(page):
    return [
        " ".join(re.sub(r"<[^>]+>", "", h1).split())
        for h1 in re.findall(r"<h1[^>]*>(.*?)</h1>", page.content.decode(), re.S)
    ]


def test_the_committee_and_the_secretary_open_every_page_of_the_cell(client, june, pw, meeting):
    for user in (pw.committee_user, pw.secretary_user):
        client.force_login(user)
        for url, (heading, shown) in manager_pages(pw, meeting).items():
            page = client.get(url)
            assert page.status_code == 200, url
            assert headings(page) == [heading], url
            assert shown is None or shown in page.content.decode(), url


def test_the_committee_sees_its_cells_with_their_member_counts(client, pw):
    client.force_login(pw.committee_user)
    page = client.get(reverse("party:organisation-detail", args=[pw.committee.pk]))
    assert page.status_code == 200
    assert [(child.name, count) for child, count, _points in page.context["children"]] == [
        ("Chi bộ thôn Bình Chiến", 3),
        ("Chi bộ thôn Đồng Tâm", 1),
    ]


def test_a_plain_member_sees_only_their_own_profile_and_meetings(client, pw, meeting):
    client.force_login(pw.world.party_member)
    home = client.get(reverse("party:home"))
    assert headings(home) == ["Sổ tay đảng viên điện tử"]
    assert "Sinh hoạt chi bộ tháng" in home.content.decode()  # the coming meeting
    profile = client.get(pw.member.get_absolute_url())
    assert headings(profile) == ["Trần Thị Thuỷ"] and "Chi bộ thôn Bình Chiến" in (
        profile.content.decode()
    )
    page = client.get(meeting.get_absolute_url())
    assert headings(page) == ["Sinh hoạt chi bộ tháng"]
    assert "Nhà văn hoá thôn" in page.content.decode()
    assert client.get(pw.secretary.get_absolute_url()).status_code == 404
    assert client.get(pw.other_member.get_absolute_url()).status_code == 404
    for url in manager_pages(pw, meeting):
        assert client.get(url).status_code == 404, url


def test_a_member_of_one_cell_cannot_see_another_cells_members_or_meetings(client, pw):
    other_meeting = actions.schedule_meeting(
        pw.other_cell,
        acting_user=None,
        kind=Meeting.Kind.REGULAR,
        title="Sinh hoạt chi bộ Đồng Tâm",
        starts_at=timezone.now() + timedelta(days=2),
        place="Nhà văn hoá",
    )
    client.force_login(pw.secretary_user)
    assert client.get(pw.other_member.get_absolute_url()).status_code == 404
    assert client.get(other_meeting.get_absolute_url()).status_code == 404
    other = pw.other_cell.pk
    assert client.get(reverse("party:organisation-detail", args=[other])).status_code == 404


@pytest.mark.parametrize("who", ["hamlet_head", "official", "viewer", "outsider"])
def test_people_without_a_party_role_see_nothing_of_it(client, pw, meeting, who):
    client.force_login(getattr(pw.world, who))
    assert client.get(reverse("party:home")).status_code == 404
    assert client.get(reverse("party:document-list")).status_code == 404
    assert client.get(pw.member.get_absolute_url()).status_code == 404
    assert client.get(meeting.get_absolute_url()).status_code == 404
    for url in manager_pages(pw, meeting):
        assert client.get(url).status_code == 404, url
    home = client.get(reverse("home"))
    assert reverse("party:home") not in home.content.decode()


def test_reading_a_member_profile_is_logged(client, pw):
    client.force_login(pw.committee_user)
    client.get(pw.member.get_absolute_url())
    entry = AuditEntry.objects.get(verb="party.member_viewed")
    assert entry.actor == pw.committee_user
    assert entry.target_id == str(pw.member.pk)


def test_the_profile_masks_the_id_number_for_the_committee(client, pw):
    person = pw.member.person
    person.id_number = "014172001234"
    person.save(update_fields=["id_number"])
    client.force_login(pw.committee_user)
    page = client.get(pw.member.get_absolute_url()).content.decode()
    assert "014172001234" not in page
    client.force_login(pw.world.party_member)
    assert "014172001234" in client.get(pw.member.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "today, year",
    [
        (date(2026, 6, 30), 2025),  # ratings are made at the year's end: before July, last year
        (date(2026, 7, 1), 2026),
        (date(2026, 12, 31), 2026),
        (date(2027, 1, 1), 2026),
    ],
)
def test_the_ratings_page_opens_on_the_year_being_rated(client, pw, time_machine, today, year):
    time_machine.move_to(vietnam_time(today), tick=False)
    client.force_login(pw.secretary_user)

    page = client.get(reverse("party:ratings", args=[pw.cell.pk]))

    assert headings(page) == [f"Đánh giá, xếp loại chất lượng năm {year}"]
