"""A party notice stays inside the party (issue 12, item 10; docs/party.md, "Notices").

A notice sent in a party organisation's name, or to party audiences, is seen only by its
recipients and by the party roles that have the organisation in scope. The probation
reminder (naming the member and the day) and a meeting invitation are listed and opened
by every persona of langso/test.py that holds no party role: each must find neither in
the inbox, the notice list, the notice and its status, nor its in-person list. The
same holds for a notice addressed to a cell that someone holding both a commune and a
party role issued from the commune (that one was shown to the commune's officials).
"""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from langso.accounts.models import RoleAssignment
from langso.accounts.roles import Role
from langso.notices import delivery
from langso.notices.models import Notice, Recipient
from langso.party import actions
from langso.party.models import Meeting
from langso.party.notices import KIND as PARTY_AUDIENCE
from langso.registry.actions import register_person
from langso.registry.models import Person
from langso.test import make_user

pytestmark = pytest.mark.django_db

NON_PARTY = ["hamlet_head", "official", "admin", "viewer", "outsider"]
TODAY = date(2026, 3, 2)


def fan_out(notice):
    """What the background worker does, done here: recipients, channels, in-person list."""
    delivery.resolve_recipients(notice)
    delivery.plan_deliveries(notice)
    delivery.mark_sent(notice)
    notice.refresh_from_db()
    return notice


@pytest.fixture
def party_notices(party_world):
    """The probation reminder of Bình Chiến's cell and the invitation to its meeting."""
    pw = party_world
    with time_machine.travel(timezone.make_aware(datetime(2026, 3, 2, 8)), tick=False):
        newcomer = register_person(
            pw.world.household,
            acting_user=None,
            on=date(2020, 1, 1),
            relationship="Con dâu",
            full_name="Lường Thị Mai",
            sex=Person.Sex.FEMALE,
            birth_date=date(1998, 4, 9),
        )
        actions.admit_member(
            newcomer, acting_user=None, organisation=pw.cell, admitted_on=date(2025, 3, 20)
        )
        assert actions.remind_probations(TODAY) == 1
        reminder = fan_out(Notice.objects.get(title__contains="Bình Chiến"))
        meeting = actions.schedule_meeting(
            pw.cell,
            acting_user=pw.secretary_user,
            kind=Meeting.Kind.REGULAR,
            title="Sinh hoạt chi bộ tháng 3",
            starts_at=timezone.now() + timedelta(days=5),
            place="Nhà văn hoá thôn",
        )
        invitation = fan_out(meeting.notice)
    assert "Lường Thị Mai" in reminder.body
    # The member without a phone is on the invitation's in-person list.
    assert invitation.recipients.filter(status=Recipient.Status.IN_PERSON).exists()
    return reminder, invitation


def pages_about(notice):
    return [
        reverse("notices:notice-detail", args=[notice.pk]),
        reverse("notices:in-person", args=[notice.pk]),
    ]


@pytest.mark.parametrize("persona", NON_PARTY)
def test_no_one_without_a_party_role_lists_or_opens_a_party_notice(
    client, party_world, party_notices, persona
):
    client.force_login(getattr(party_world.world, persona))
    for url in (reverse("home"), reverse("notices:inbox"), reverse("notices:notice-list")):
        response = client.get(url)
        if response.status_code == 200:
            page = response.content.decode()
            for notice in party_notices:
                assert notice.title not in page, (persona, url)
                assert reverse("notices:notice-detail", args=[notice.pk]) not in page
            assert "Lường Thị Mai" not in page or url == reverse("home")
        else:
            assert response.status_code in (403, 404)
    for notice in party_notices:
        for url in pages_about(notice):
            assert client.get(url).status_code == 404, (persona, url)
        recipients = notice.recipients.filter(status=Recipient.Status.IN_PERSON)
        for recipient in recipients:
            told = reverse("notices:told", args=[recipient.pk])
            assert client.post(told, {"told": "1"}).status_code == 404
        for attachment in notice.attachments.all():
            url = reverse("notices:attachment", args=[attachment.pk])
            assert client.get(url).status_code == 404


def test_the_party_roles_in_scope_still_see_them(client, party_world, party_notices):
    """The guard above is not a blanket refusal: the cell's secretary and the commune's
    party committee open both, and the secretary keeps the in-person list."""
    _reminder, invitation = party_notices
    pw = party_world
    for user in (pw.secretary_user, pw.committee_user):
        client.force_login(user)
        for notice in party_notices:
            page = client.get(notice.get_absolute_url())
            assert page.status_code == 200 and notice.title in page.content.decode()
    client.force_login(pw.secretary_user)
    in_person = client.get(reverse("notices:in-person", args=[invitation.pk]))
    assert pw.no_phone.person.full_name in in_person.content.decode()


@pytest.fixture
def to_the_cell_from_the_commune(client, party_world):
    """A notice to the cell's members that a commune official who also sits on the party
    committee issued from the commune (not in the cell's name), through the real form."""
    pw = party_world
    both = make_user("kiemnhiem", "Đinh Văn Quân", Role.COMMUNE_OFFICIAL, pw.world.commune)
    RoleAssignment.objects.create(user=both, role=Role.PARTY_COMMITTEE, unit=pw.world.commune)
    client.force_login(both)
    response = client.post(
        reverse("notices:notice-create"),
        {
            "title": "Kiểm điểm đảng viên dự bị Lường Thị Mai",
            "body": "Chi bộ họp xét công nhận đảng viên chính thức.",
            "urgency": "normal",
            "unit": pw.world.commune.pk,
            "sender": "",
            f"audience_{PARTY_AUDIENCE}": [pw.cell.pk],
        },
    )
    notice = Notice.objects.get(title__startswith="Kiểm điểm")
    assert response.url == notice.get_absolute_url()
    assert notice.sender_kind == "" and notice.unit == pw.world.commune
    client.post(reverse("notices:notice-send", args=[notice.pk]))
    client.logout()
    notice.refresh_from_db()
    return fan_out(notice)


@pytest.mark.parametrize("persona", NON_PARTY)
def test_a_notice_to_party_audiences_issued_from_the_commune_stays_in_the_party(
    client, party_world, to_the_cell_from_the_commune, persona
):
    notice = to_the_cell_from_the_commune
    client.force_login(getattr(party_world.world, persona))
    listing = client.get(reverse("notices:notice-list"))
    if listing.status_code == 200:
        assert notice.title not in listing.content.decode()
    assert notice.title not in client.get(reverse("notices:inbox")).content.decode()
    for url in pages_about(notice):
        assert client.get(url).status_code == 404, (persona, url)
    client.force_login(party_world.secretary_user)  # the cell's secretary: in scope
    assert notice.title in client.get(notice.get_absolute_url()).content.decode()
