"""Party messages go through notices: a meeting's invitation and the probation reminder
are notices in the cell's name, sent by the notices channels (here the local SMS
stand-in), and the members no channel reaches are on the cell secretary's in-person
list, which no one without a party role sees."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from langso.notices.models import Delivery, Notice, Recipient
from langso.party import actions
from langso.party.models import Meeting
from langso.test import make_household

# The worker runs in this process and closes its database connections when it is done,
# which a test inside one transaction would not survive on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "0912345678"


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def member_with_a_phone(pw):
    """Đinh Văn Lực, a member of Bình Chiến's cell with a mobile number and no account."""
    person = make_household(pw.world.hamlet, "Đinh Văn Lực").head
    person.phone = PHONE
    person.save(update_fields=["phone"])
    return actions.admit_member(
        person, acting_user=None, organisation=pw.cell, admitted_on=date(2015, 9, 2)
    )


def schedule(client, pw, django_capture_on_commit_callbacks):
    day = timezone.localdate() + timedelta(days=5)
    client.force_login(pw.secretary_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("party:meeting-create", args=[pw.cell.pk]),
            {
                "kind": "regular",
                "title": "Sinh hoạt chi bộ tháng",
                "day": f"{day:%d/%m/%Y}",
                "time": "19:30",
                "place": "Nhà văn hoá thôn Bình Chiến",
                "agenda": "1. Kiểm điểm công việc tháng",
            },
        )
    run_worker()
    return Meeting.objects.get()


def test_a_meeting_invitation_reaches_a_member_by_sms(
    client, party_world, sms, django_capture_on_commit_callbacks
):
    pw = party_world
    luc = member_with_a_phone(pw)
    meeting = schedule(client, pw, django_capture_on_commit_callbacks)

    notice = meeting.notice
    assert (notice.sender_kind, notice.sender_id) == ("organisation", pw.cell.pk)
    assert notice.status == Notice.Status.SENT
    assert [message["Phone"] for message in sms.sent] == [PHONE]
    assert "Sinh hoạt chi bộ tháng" in sms.sent[0]["Content"]
    delivery = Delivery.objects.get(channel="sms")
    assert (delivery.recipient.person, delivery.status) == (luc.person, Delivery.Status.SENT)
    # Members with an account read it in the app; the answers stay on the meeting.
    assert meeting.invitations.count() == 4
    client.force_login(pw.world.party_member)
    inbox = client.get(reverse("notices:inbox"))
    assert [r.notice for r in inbox.context["received"]] == [notice]

    # The meeting page links the invitation's delivery.
    client.force_login(pw.secretary_user)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert notice.get_absolute_url() in page
    assert reverse("notices:in-person", args=[notice.pk]) in page


def test_a_member_no_channel_reaches_is_on_the_secretarys_in_person_list(
    client, party_world, sms, django_capture_on_commit_callbacks
):
    pw = party_world
    member_with_a_phone(pw)
    meeting = schedule(client, pw, django_capture_on_commit_callbacks)
    notice = meeting.notice
    # Hà Văn Khải's Reach says he cannot be reached by phone; he has no account.
    khai = notice.recipients.get(person=pw.no_phone.person)
    assert (khai.status, khai.teller_kind, khai.teller_id) == (
        Recipient.Status.IN_PERSON,
        "organisation",
        pw.cell.pk,
    )

    page = client.get(reverse("notices:in-person", args=[notice.pk]))
    assert [r.person.full_name for r in page.context["recipients"]] == ["Hà Văn Khải"]
    client.post(reverse("notices:told", args=[khai.pk]), {"told": "1"})
    khai.refresh_from_db()
    assert (khai.status, khai.told_by) == (Recipient.Status.TOLD, pw.secretary_user)
    detail = client.get(meeting.get_absolute_url())
    assert detail.context["notice_status"]["told"] == 1


def test_the_probation_reminder_arrives_as_a_notice_to_the_secretary(
    client, party_world, django_capture_on_commit_callbacks
):
    pw = party_world
    person = make_household(pw.world.hamlet, "Lò Văn Sáng").head
    today = timezone.localdate()
    ceremony = date(today.year - 1, today.month, min(today.day, 28)) + timedelta(days=10)
    actions.admit_member(person, acting_user=None, organisation=pw.cell, admitted_on=ceremony)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("party_reminders", stdout=StringIO())
    run_worker()

    notice = Notice.objects.get()
    assert (notice.sender_kind, notice.sender_id) == ("organisation", pw.cell.pk)
    assert "Lò Văn Sáng" in notice.body
    client.force_login(pw.secretary_user)
    inbox = client.get(reverse("notices:inbox"))
    assert [r.notice for r in inbox.context["received"]] == [notice]
    assert "Lò Văn Sáng" in client.get(notice.get_absolute_url()).content.decode()


def test_a_party_notice_is_not_visible_without_a_party_role(
    client, party_world, sms, django_capture_on_commit_callbacks
):
    pw = party_world
    meeting = schedule(client, pw, django_capture_on_commit_callbacks)
    notice = meeting.notice
    for user in (pw.world.hamlet_head, pw.world.official):
        client.force_login(user)
        assert client.get(notice.get_absolute_url()).status_code == 404
        assert client.get(reverse("notices:in-person", args=[notice.pk])).status_code == 404
        listed = client.get(reverse("notices:notice-list")).content.decode()
        assert "Sinh hoạt chi bộ tháng" not in listed
