"""What waits for the user is at the top of the home page (issue 12, item 14): relays to
forward, party meeting invitations to answer, urgent notices not yet read; and every
to-do count links to the list it counts, with the same number of rows."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from langso.notices import actions as notices
from langso.notices import delivery
from langso.notices.models import Audience, Notice, Recipient
from langso.party import actions as party
from langso.party.models import Invitation, Meeting
from langso.registry import actions as registry
from langso.registry.figures import TO_DO_KEYS

pytestmark = pytest.mark.django_db


def test_a_relay_waiting_for_the_hamlet_head_is_at_the_top_of_the_home_page(client, world):
    notice = notices.create_notice(
        acting_user=world.official,
        unit=world.commune,
        title="Phòng chống bão số 3",
        body="Chằng chống nhà cửa trước 18 giờ.",
        urgency=Notice.Urgency.URGENT,
        audiences=[Audience(kind=Audience.Kind.RELAY, unit=world.hamlet)],
    )
    notices.send_notice(notice, acting_user=world.official)
    relay = notice.relays.get()
    client.force_login(world.hamlet_head)

    page = client.get(reverse("home")).content.decode()

    link = reverse("notices:relay", args=[relay.pk])
    assert link in page
    assert page.index(link) < page.index("Việc cần làm")  # above the hamlet's figures


def test_an_unanswered_meeting_invitation_is_listed_with_a_link(client, party_world):
    pw = party_world
    meeting = party.schedule_meeting(
        pw.cell,
        acting_user=pw.secretary_user,
        kind=Meeting.Kind.REGULAR,
        title="Sinh hoạt chi bộ tháng 7",
        starts_at=timezone.now() + timedelta(days=3),
        place="Nhà văn hóa thôn",
    )
    client.force_login(pw.world.party_member)

    page = client.get(reverse("home")).content.decode()

    assert "Sinh hoạt chi bộ tháng 7" in page
    assert reverse("party:meeting-detail", args=[meeting.pk]) in page
    invitation = meeting.invitations.get(member=pw.member)
    party.respond_to_invitation(
        invitation, acting_user=pw.world.party_member, response=Invitation.Response.CONFIRMED
    )
    assert "Sinh hoạt chi bộ tháng 7" not in client.get(reverse("home")).content.decode()


def test_an_unread_urgent_notice_is_listed_until_it_is_read(client, world):
    person = world.household.members_in_order()[1]  # Trần Thị Thuỷ
    world.viewer.person = person
    world.viewer.save(update_fields=["person"])
    notice = notices.create_notice(
        acting_user=world.official,
        unit=world.commune,
        title="Cắt điện khẩn cấp",
        body="Từ 14 giờ hôm nay.",
        urgency=Notice.Urgency.URGENT,
        audiences=[Audience(kind=Audience.Kind.PERSON, person=person)],
    )
    delivery.resolve_recipients(notice)
    delivery.plan_deliveries(notice)
    client.force_login(world.viewer)

    page = client.get(reverse("home")).content.decode()

    assert "Cắt điện khẩn cấp" in page
    assert notice.get_absolute_url() in page
    notices.mark_read(Recipient.objects.get(notice=notice))
    assert "Cắt điện khẩn cấp" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("today", [date(2026, 1, 5), date(2026, 6, 15), date(2026, 11, 30)])
def test_every_to_do_count_links_to_a_list_of_that_many_people(client, world, today):
    """The count and the list use one condition (`registry.figures.to_do_q`)."""
    for name, born in [
        ("Lò Văn Một", date(2009, 2, 1)),  # turns 17 in 2026, no ID number
        ("Lò Thị Hai", None),  # no date of birth
        ("Lò Văn Ba", date(2011, 12, 31)),  # 14 since 31/12/2025, no ID number
    ]:
        registry.register_person(
            world.household,
            acting_user=None,
            on=date(2012, 1, 1),
            relationship="Con",
            full_name=name,
            sex="m",
            birth_date=born,
        )
    client.force_login(world.hamlet_head)

    with time_machine.travel(today):
        home = client.get(reverse("home"))
        [panel] = home.context["panels"]
        items = panel["to_do"]
        assert [item["key"] for item in items] == list(TO_DO_KEYS)
        for item in items:
            assert item["url"] in home.content.decode().replace("&amp;", "&")
            listed = client.get(item["url"])
            assert listed.context["page"].paginator.count == item["count"], item["key"]
        unit_page = client.get(world.hamlet.get_absolute_url())
        assert unit_page.context["to_do"] == items
    assert sum(item["count"] for item in items) > 0
