"""Meetings from the phone: invitations in-app and by e-mail, answers, the in-person list,
attendance and the month's statistics (domain.md §7)."""

import email
import email.policy
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from langso.party.models import Invitation, Meeting
from langso.party.tasks import email_invitations
from langso.test import vietnam_time


def schedule(client, pw, **fields):
    day = timezone.localdate() + timedelta(days=5)
    data = {
        "kind": "regular",
        "title": "Sinh hoạt chi bộ tháng",
        "day": f"{day:%d/%m/%Y}",
        "time": "19:30",
        "place": "Nhà văn hoá thôn Bình Chiến",
        "agenda": "1. Kiểm điểm công việc tháng\n2. Phổ biến nghị quyết",
        **fields,
    }
    client.force_login(pw.secretary_user)
    return client.post(reverse("party:meeting-create", args=[pw.cell.pk]), data)


@pytest.mark.django_db(transaction=True)
def test_the_invitation_is_e_mailed_once_to_members_with_an_address(client, party_world, smtp):
    pw = party_world
    person = pw.member.person
    person.email = "thuy@example.invalid"
    person.save(update_fields=["email"])
    response = schedule(client, pw)
    meeting = Meeting.objects.get()
    assert response.url == meeting.get_absolute_url()
    assert meeting.invitations.count() == 3

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert [message.rcpt_tos for message in smtp.messages] == [["thuy@example.invalid"]]
    message = email.message_from_bytes(smtp.messages[0].content, policy=email.policy.default)
    assert "Sinh hoạt chi bộ tháng" in message["Subject"]
    assert "Nhà văn hoá thôn Bình Chiến" in message.get_content()
    # A retried task sends nothing twice.
    assert email_invitations.call(meeting.pk) == 0
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_a_bad_meeting_form_keeps_what_was_typed(client, party_world):
    response = schedule(client, party_world, time="7 giờ tối")
    assert response.status_code == 200
    assert Meeting.objects.count() == 0
    html = response.content.decode()
    assert "Nhà văn hoá thôn Bình Chiến" in html
    assert response.context["form"].errors["time"]


@pytest.mark.django_db
def test_a_member_confirms_or_sends_a_reason_and_the_secretary_sees_it(client, party_world):
    pw = party_world
    schedule(client, pw)
    meeting = Meeting.objects.get()
    respond = reverse("party:meeting-respond", args=[meeting.pk])

    client.force_login(pw.world.party_member)
    client.post(respond, {"response": "excused", "excuse": ""})
    invitation = meeting.invitations.get(member=pw.member)
    assert invitation.response == ""
    client.post(respond, {"response": "excused", "excuse": "Đi viện thăm mẹ"})
    invitation.refresh_from_db()
    assert (invitation.response, invitation.excuse) == ("excused", "Đi viện thăm mẹ")
    client.post(respond, {"response": "confirmed"})
    invitation.refresh_from_db()
    assert (invitation.response, invitation.excuse) == ("confirmed", "")

    client.force_login(pw.secretary_user)
    page = client.get(meeting.get_absolute_url())
    assert page.context["counts"]["confirmed"] == 1
    assert page.context["counts"]["pending"] == 2


@pytest.mark.django_db
def test_only_the_invited_member_may_answer(client, party_world):
    pw = party_world
    schedule(client, pw)
    meeting = Meeting.objects.get()
    client.force_login(pw.world.outsider)
    response = client.post(
        reverse("party:meeting-respond", args=[meeting.pk]), {"response": "confirmed"}
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_members_without_a_smartphone_are_listed_and_ticked_off(client, party_world):
    pw = party_world
    schedule(client, pw)
    meeting = Meeting.objects.get()
    page = client.get(reverse("party:meeting-inform", args=[meeting.pk]))
    names = [i.member.person.full_name for i in page.context["invitations"]]
    assert names == ["Hà Văn Khải"]
    invitation = page.context["invitations"][0]
    client.post(reverse("party:invitation-informed", args=[invitation.pk]), {"informed": "1"})
    invitation.refresh_from_db()
    assert invitation.informed_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today, on_time",
    [
        (date(2026, 6, 10), True),  # the meeting, five days on, is in the same month
        (date(2026, 12, 29), False),  # ... is on 3 January: held in December, not on time
    ],
)
def test_recording_attendance_feeds_the_months_statistics(
    client, party_world, time_machine, today, on_time
):
    time_machine.move_to(vietnam_time(today), tick=False)
    pw = party_world
    schedule(client, pw)
    meeting = Meeting.objects.get()
    invitations = {i.member_id: i.pk for i in meeting.invitations.all()}
    data = {"held_on": f"{today:%d/%m/%Y}", "minutes": "Chi bộ thống nhất…"}
    for member_id, invitation_id in invitations.items():
        data[f"attendance_{invitation_id}"] = "absent" if member_id == pw.no_phone.pk else "present"
    client.post(reverse("party:meeting-record", args=[meeting.pk]), data)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert Invitation.objects.filter(attendance="present").count() == 2

    client.force_login(pw.committee_user)
    stats = client.get(
        reverse("party:statistics", args=[pw.committee.pk]),
        {"month": f"{meeting.for_month:%m/%Y}"},
    )
    rows = {row["organisation"].name: row for row in stats.context["rows"]}
    assert meeting.for_month == (today + timedelta(days=5)).replace(day=1)
    assert rows["Chi bộ thôn Bình Chiến"]["on_time"] is on_time
    assert rows["Chi bộ thôn Bình Chiến"]["rate"] == 67
    assert rows["Chi bộ thôn Đồng Tâm"]["held"] == 0
