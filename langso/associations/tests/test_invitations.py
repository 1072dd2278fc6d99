"""A branch's meeting invitation goes through notices (an audience registered by the
associations): it reaches a member with a mobile number by SMS, here the local SMS
stand-in, and is sent in the branch's name."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from langso.associations import actions
from langso.associations.models import Activity
from langso.notices.models import Delivery, Notice
from langso.registry.models import Person
from langso.test import make_household

# The worker runs in this process and closes its database connections when it is done.
pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "0987654321"


def test_an_invitation_reaches_a_member_by_sms(
    client, assoc, sms, django_capture_on_commit_callbacks
):
    # Thuỷ has an account and reads it in the app; Cầm Thị Lả has only a mobile number.
    la = make_household(assoc.world.hamlet, "Cầm Thị Lả", sex=Person.Sex.FEMALE).head
    la.phone = PHONE
    la.save(update_fields=["phone"])
    la_member = actions.add_member(
        assoc.women, la, acting_user=None, joined_on=date(2020, 3, 8), branch=assoc.branch
    )
    day = timezone.localdate() + timedelta(days=4)
    client.force_login(assoc.branch_head)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("associations:branch-activity-create", args=[assoc.branch.pk]),
            {
                "kind": "meeting",
                "title": "Sinh hoạt chi hội phụ nữ",
                "starts_at_0": f"{day:%d/%m/%Y}",
                "starts_at_1": "19:30",
                "place": "Nhà văn hoá thôn Bình Chiến",
                "agenda": "Bình xét hộ vay vốn",
            },
        )
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    activity = Activity.objects.get()
    notice = activity.notice
    assert (notice.sender_kind, notice.sender_id) == ("assoc_branch", assoc.branch.pk)
    assert notice.status == Notice.Status.SENT
    assert [message["Phone"] for message in sms.sent] == [PHONE]
    assert "Sinh hoạt chi hội phụ nữ" in sms.sent[0]["Content"]
    delivery = Delivery.objects.get(channel="sms")
    assert (delivery.recipient.person, delivery.status) == (la, Delivery.Status.SENT)
    assert {row.member for row in activity.attendance.all()} == {assoc.thuy, la_member}
    client.force_login(assoc.thuy_user)
    inbox = client.get(reverse("notices:inbox"))
    assert [r.notice for r in inbox.context["received"]] == [notice]
