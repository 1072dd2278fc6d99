"""A commune notice from the form to every resident: preview, fan-out in the background,
in-app inbox with read receipts, the in-person list and `notice_status` (issue: notices)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from langso.notices.models import Delivery, Notice, Recipient
from langso.registry.models import Person

# The worker runs in this process and closes its database connections when it is done,
# which a test inside one transaction would not survive on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """Press "Send" and let the background worker do the fan-out."""

    def press(notice):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("notices:notice-send", args=[notice.pk]))
        run_worker()
        return response

    return press


def write(client, world, **fields):
    data = {
        "title": "Lịch tiêm phòng dại cho chó, mèo",
        "body": "Sáng thứ Bảy, 8 giờ, tại nhà văn hoá thôn.",
        "urgency": "normal",
        "unit": world.commune.pk,
        "units": [world.commune.pk],
        **fields,
    }
    return client.post(reverse("notices:notice-create"), data)


def test_the_preview_counts_people_by_channel_before_anything_is_sent(client, world):
    ann = Person.objects.get(full_name="Trần Thị Thuỷ")
    world.viewer.person = ann
    world.viewer.save(update_fields=["person"])
    client.force_login(world.official)
    response = write(client, world)
    notice = Notice.objects.get()
    assert response.url == notice.get_absolute_url()
    page = client.get(notice.get_absolute_url())
    living = Person.objects.filter(household__unit__path__startswith=world.commune.path).count()
    assert page.context["preview"]["people"] == living
    assert page.context["preview"]["app"] == 1
    assert page.context["preview"]["in_person"] == living - 1
    assert not Recipient.objects.exists()


def test_sending_reaches_account_holders_in_the_app_and_lists_the_rest(client, world, send):
    ann = Person.objects.get(full_name="Trần Thị Thuỷ")
    world.viewer.person = ann
    world.viewer.save(update_fields=["person"])
    client.force_login(world.official)
    write(client, world)
    notice = Notice.objects.get()
    assert send(notice).status_code == 302
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    app = Delivery.objects.get(channel="app")
    assert app.recipient.person == ann
    in_person = Recipient.objects.filter(status=Recipient.Status.IN_PERSON)
    assert in_person.count() == notice.recipients.count() - 1

    client.force_login(world.viewer)
    inbox = client.get(reverse("notices:inbox"))
    assert [r.notice for r in inbox.context["received"]] == [notice]
    assert "(1)" in client.get(reverse("home")).content.decode()
    client.get(notice.get_absolute_url())
    app.refresh_from_db()
    assert (app.status, app.read_at is not None) == ("read", True)

    out = StringIO()
    call_command("notice_status", notice.pk, stdout=out)
    text = out.getvalue()
    assert "app" in text and "in_person" in text
    assert f"in_person {in_person.count()}" in text


def test_the_hamlet_head_ticks_off_people_told_in_person(client, world, send):
    client.force_login(world.official)
    write(client, world)
    send(Notice.objects.get())
    notice = Notice.objects.get()

    client.force_login(world.hamlet_head)
    page = client.get(reverse("notices:in-person", args=[notice.pk]))
    names = {r.person.full_name for r in page.context["recipients"]}
    assert "Nguyễn Văn Phụng" in names
    assert "Lê Văn Hùng" not in names  # Đồng Tâm is not this hamlet head's
    first = page.context["recipients"][0]
    client.post(reverse("notices:told", args=[first.pk]), {"told": "1"})
    first.refresh_from_db()
    assert first.status == Recipient.Status.TOLD
    assert first.told_by == world.hamlet_head


def test_a_hamlet_head_cannot_address_another_hamlet(client, world):
    client.force_login(world.hamlet_head)
    response = write(client, world, unit=world.hamlet.pk, units=[world.other_hamlet.pk])
    assert response.status_code == 200
    assert response.context["form"].errors["units"]
    assert not Notice.objects.exists()


def test_people_outside_the_commune_get_404(client, world):
    client.force_login(world.official)
    write(client, world)
    notice = Notice.objects.get()
    client.force_login(world.outsider)
    assert client.get(notice.get_absolute_url()).status_code == 404
    assert client.post(reverse("notices:notice-send", args=[notice.pk])).status_code == 404
    assert client.get(reverse("notices:in-person", args=[notice.pk])).status_code == 404


def test_a_form_with_no_audience_keeps_what_was_typed(client, world):
    client.force_login(world.official)
    response = write(client, world, units=[])
    assert response.status_code == 200
    assert "Lịch tiêm phòng dại cho chó, mèo" in response.content.decode()
    assert response.context["form"].non_field_errors()


def test_a_notice_set_for_later_waits_for_its_time(client, world, send):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    later = timezone.localtime() + timedelta(days=1)
    client.force_login(world.official)
    write(client, world, send_at=later.strftime("%d/%m/%Y %H:%M"))
    notice = Notice.objects.get()
    send(notice)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SCHEDULED
    assert not notice.recipients.exists()
    task = DBTaskResult.objects.get(task_path__endswith="fan_out")
    assert task.run_after.replace(second=0) == later.replace(second=0, microsecond=0)
