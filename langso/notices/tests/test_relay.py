"""Relay down the hierarchy: the commune addresses its hamlets, each head forwards to
their residents with a local note, and the commune sees who has relayed (issue: notices)."""

import pytest
from django.urls import reverse

from langso.notices.models import Notice, Relay

# The worker runs in this process and closes its database connections when it is done,
# which a test inside one transaction would not survive on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sent_for_relay(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.official)
    client.post(
        reverse("notices:notice-create"),
        {
            "title": "Phòng chống bão số 5",
            "body": "Các hộ gia cố nhà cửa, chằng chống mái tôn trước 17 giờ.",
            "urgency": "urgent",
            "unit": world.commune.pk,
            "relay_units": [world.hamlet.pk, world.other_hamlet.pk],
        },
    )
    notice = Notice.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notices:notice-send", args=[notice.pk]))
    return notice


def test_each_hamlet_head_finds_the_notice_to_relay(client, world, sent_for_relay):
    assert sorted(Relay.objects.values_list("unit__name", flat=True)) == [
        "Bình Chiến",
        "Đồng Tâm",
    ]
    client.force_login(world.hamlet_head)
    page = client.get(reverse("notices:relay-list"))
    assert [r.unit for r in page.context["relays"]] == [world.hamlet]
    assert "(1)" in client.get(reverse("home")).content.decode()


def test_relaying_sends_to_the_hamlets_residents_with_the_local_note(
    client, world, sent_for_relay, django_capture_on_commit_callbacks
):
    relay = Relay.objects.get(unit=world.hamlet)
    client.force_login(world.hamlet_head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("notices:relay", args=[relay.pk]),
            {"local_note": "Tổ 1 tập trung tại nhà ông Phụng."},
        )
    relay.refresh_from_db()
    child = relay.relayed_as
    assert response.url == child.get_absolute_url()
    assert (child.parent, child.unit, child.local_note) == (
        sent_for_relay,
        world.hamlet,
        "Tổ 1 tập trung tại nhà ông Phụng.",
    )
    assert relay.relayed_by == world.hamlet_head
    from django.core.management import call_command

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    names = set(child.recipients.values_list("person__full_name", flat=True))
    assert "Nguyễn Văn Phụng" in names and "Lê Văn Hùng" not in names
    # Relaying twice is refused.
    again = client.post(reverse("notices:relay", args=[relay.pk]), {"local_note": ""})
    assert again.status_code == 200
    assert Notice.objects.filter(parent=sent_for_relay).count() == 1

    client.force_login(world.official)
    page = client.get(sent_for_relay.get_absolute_url())
    relays = {r.unit.name: r.relayed_at for r in page.context["relays"]}
    assert relays["Bình Chiến"] is not None and relays["Đồng Tâm"] is None


def test_a_hamlet_head_cannot_relay_another_hamlets_notice(client, world, sent_for_relay):
    other = Relay.objects.get(unit=world.other_hamlet)
    client.force_login(world.hamlet_head)
    assert client.get(reverse("notices:relay", args=[other.pk])).status_code == 404
    assert client.post(reverse("notices:relay", args=[other.pk]), {}).status_code == 404


def test_a_party_committee_has_no_relays_and_the_menu_asks_nothing_more(
    party_world, django_assert_num_queries
):
    """Relays are forwarded by the holders of the sending capability alone: a party
    committee, which may send to its organisations, has none, and counting them for the
    menu (on every page) asks the database nothing once the user's roles are read."""
    from langso.accounts.access import role_paths
    from langso.notices.access import may_send, waiting_relays

    user = party_world.committee_user
    assert may_send(user)
    role_paths(user)
    with django_assert_num_queries(0):
        assert waiting_relays(user).count() == 0
