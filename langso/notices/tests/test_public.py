"""Public notices: a page per commune anyone reads without logging in (issue: notices)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from langso.notices import actions, delivery
from langso.notices.models import Audience, Notice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_day")]


def sent(world, title, *, is_public, expires_at=None):
    notice = actions.create_notice(
        acting_user=world.official,
        unit=world.commune,
        title=title,
        body="Nội dung",
        audiences=[Audience(kind=Audience.Kind.UNIT, unit=world.hamlet)],
        is_public=is_public,
        expires_at=expires_at,
    )
    actions.send_notice(notice, acting_user=world.official)
    delivery.mark_sent(notice)
    return notice


def test_anyone_reads_the_communes_public_notices_without_logging_in(client, world):
    sent(world, "Lịch tiếp công dân tháng 12", is_public=True)
    sent(world, "Danh sách hộ nghèo dự kiến", is_public=False)
    sent(
        world,
        "Thông báo cũ đã hết hạn",
        is_public=True,
        expires_at=timezone.now() + timedelta(seconds=1),
    )
    Notice.objects.filter(title="Thông báo cũ đã hết hạn").update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    page = client.get(reverse("public:public-notices", args=["04000"]))
    assert page.status_code == 200
    assert [n.title for n in page.context["notices"]] == ["Lịch tiếp công dân tháng 12"]
    other = client.get(reverse("public:public-notices", args=["04009"]))
    assert list(other.context["notices"]) == []
    assert client.get(reverse("public:public-notices", args=["99999"])).status_code == 404


def test_a_public_notices_attachment_is_for_anyone_and_a_private_ones_is_not(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def with_attachment(title, is_public):
        notice = actions.create_notice(
            acting_user=world.official,
            unit=world.commune,
            title=title,
            body="Nội dung",
            audiences=[Audience(kind=Audience.Kind.UNIT, unit=world.hamlet)],
            is_public=is_public,
            attachments=[SimpleUploadedFile("lich.pdf", b"%PDF-1.4 lich")],
        )
        actions.send_notice(notice, acting_user=world.official)
        delivery.mark_sent(notice)
        return reverse("notices:attachment", args=[notice.attachments.get().pk])

    public = with_attachment("Lịch tiếp công dân", True)
    private = with_attachment("Danh sách nội bộ", False)
    assert b"".join(client.get(public).streaming_content).startswith(b"%PDF")
    assert client.get(private).status_code == 404
    client.force_login(world.outsider)
    assert client.get(private).status_code == 404
    client.force_login(world.official)
    assert client.get(private).status_code == 200
