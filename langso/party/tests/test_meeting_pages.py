"""Meetings from the phone: answers, attendance and the month's statistics (domain.md §7).
The invitations themselves go out as notices: test_meeting_notices.py."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from langso.party.models import Invitation, Meeting
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


@pytest.mark.django_db
def test_a_bad_meeting_form_keeps_what_was_typed(client, party_world):
    response = schedule(client, party_world, time="7 giờ tối")
    assert response.status_code == 200
    assert Meeting.objects.count() == 0
    html = response.content.decode()
    assert "Nhà văn hoá thôn Bình Chiến" in html
    assert response.context["form"].errors["time"]


@pytest.mark.django_db
def test_a_meeting_time_typed_as_19h30_is_read_and_a_bad_one_says_the_format(client, party_world):
    wrong = schedule(client, party_world, time="7 giờ tối")
    schedule(client, party_world, time="19h30")

    assert wrong.context["form"].errors["time"] == [
        "Nhập giờ theo dạng giờ:phút (hh:mm), ví dụ 19:30 hoặc 19h30."
    ]
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "19:30"
    assert 'inputmode="numeric"' in wrong.content.decode()


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
