"""Notices to a party organisation and in its name: the party registers its organisations
as an audience of notices (langso.party.notices), notices itself knows no party."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from langso.notices.models import Notice, Recipient

# The worker runs in this process and closes its database connections when it is done,
# which a test inside one transaction would not survive on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def write(client, pw, **fields):
    data = {
        "title": "Họp chi bộ đột xuất",
        "body": "Tối thứ Năm, 19 giờ 30, tại nhà văn hoá thôn.",
        "urgency": "normal",
        "sender": f"organisation:{pw.cell.pk}",
        "audience_organisation": [pw.cell.pk],
        **fields,
    }
    return client.post(reverse("notices:notice-create"), data)


def send(client, notice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notices:notice-send", args=[notice.pk]))
    run_worker()


def test_a_cell_secretary_notifies_the_cells_members_and_tells_the_others_in_person(
    client, party_world, django_capture_on_commit_callbacks
):
    pw = party_world
    client.force_login(pw.secretary_user)
    form = client.get(reverse("notices:notice-create")).context["form"]
    assert "unit" not in form.fields  # no unit role: the cell issues it
    assert list(form.fields["audience_organisation"].queryset) == [pw.cell]
    assert list(form.fields["units"].queryset) == []
    response = write(client, pw)
    notice = Notice.objects.get()
    assert response.url == notice.get_absolute_url()
    assert (notice.sender_kind, notice.sender_id, notice.unit) == (
        "organisation",
        pw.cell.pk,
        pw.world.hamlet,
    )
    send(client, notice, django_capture_on_commit_callbacks)
    names = dict(notice.recipients.values_list("person__full_name", "status"))
    assert names == {
        "Nguyễn Văn Phụng": Recipient.Status.REACHED,  # the secretary's own account
        "Trần Thị Thuỷ": Recipient.Status.REACHED,  # dangvien
        "Hà Văn Khải": Recipient.Status.IN_PERSON,  # no phone, no account
    }
    page = client.get(reverse("notices:in-person", args=[notice.pk]))
    assert [r.person.full_name for r in page.context["recipients"]] == ["Hà Văn Khải"]
    assert "Hà Văn Khải" in page.content.decode()


def test_the_secretary_cannot_address_another_cell(client, party_world):
    pw = party_world
    client.force_login(pw.secretary_user)
    refused = write(client, pw, audience_organisation=[pw.other_cell.pk])
    assert refused.status_code == 200
    assert refused.context["form"].errors["audience_organisation"]
    refused = write(client, pw, sender=f"organisation:{pw.other_cell.pk}")
    assert refused.context["form"].errors["sender"]
    assert not Notice.objects.exists()


def test_a_party_notice_is_not_seen_by_the_hamlet_head_or_the_commune_official(
    client, party_world, django_capture_on_commit_callbacks
):
    pw = party_world
    client.force_login(pw.secretary_user)
    write(client, pw)
    notice = Notice.objects.get()
    send(client, notice, django_capture_on_commit_callbacks)
    for user in (pw.world.hamlet_head, pw.world.official):
        client.force_login(user)
        assert client.get(notice.get_absolute_url()).status_code == 404
        assert (
            "Họp chi bộ đột xuất" not in client.get(reverse("notices:notice-list")).content.decode()
        )
        assert client.get(reverse("notices:in-person", args=[notice.pk])).status_code == 404
    # The commune's party committee manages the cell: it sees the notice and its list.
    client.force_login(pw.committee_user)
    page = client.get(notice.get_absolute_url())
    assert "Họp chi bộ đột xuất" in page.content.decode()
    listed = client.get(reverse("notices:in-person", args=[notice.pk]))
    assert [r.person.full_name for r in listed.context["recipients"]] == ["Hà Văn Khải"]
