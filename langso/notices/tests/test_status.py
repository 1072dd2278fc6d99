"""The notice's status machine (status.py): draft → scheduled → sending → sent, one way."""

import pytest
from django.core.exceptions import ValidationError

from langso.notices import actions, delivery, status
from langso.notices.models import Audience, Notice

pytestmark = pytest.mark.django_db


def draft(world):
    return actions.create_notice(
        acting_user=world.official,
        unit=world.commune,
        title="Lịch cắt điện",
        body="Thứ Ba, từ 7 giờ đến 11 giờ.",
        audiences=[Audience(kind=Audience.Kind.UNIT, unit=world.hamlet)],
    )


def test_a_notice_goes_from_draft_to_sent_and_is_not_sent_twice(world):
    notice = draft(world)
    with pytest.raises(ValidationError):
        delivery.mark_sent(notice)  # a draft is not sent behind the sender's back
    actions.send_notice(notice, acting_user=world.official)
    assert Notice.objects.get().status == Notice.Status.SCHEDULED
    delivery.start(notice)
    delivery.mark_sent(notice)
    sent_at = Notice.objects.get().sent_at
    assert (Notice.objects.get().status, sent_at is not None) == (Notice.Status.SENT, True)
    # A fan-out run again after a crash changes nothing.
    delivery.mark_sent(notice)
    assert Notice.objects.get().sent_at == sent_at
    with pytest.raises(ValidationError, match="đã được gửi"):
        actions.send_notice(notice, acting_user=world.official)


def test_every_status_has_its_moves():
    assert set(status.MOVES) == set(Notice.Status.values)
    assert not status.MOVES[Notice.Status.SENT]
