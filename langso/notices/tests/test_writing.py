"""What writing a notice refuses outright: a caller's mistake, not a user's choice."""

import pytest

from langso.accounts.roles import Role
from langso.notices import actions, delivery
from langso.notices.models import Audience, Notice

pytestmark = pytest.mark.django_db


def test_a_notice_with_no_issuing_unit_and_no_sender_is_refused(world):
    with pytest.raises(ValueError, match="issued by a unit"):
        actions.create_notice(
            acting_user=world.official,
            unit=None,
            title="Lịch cắt điện",
            body="Thứ Ba, từ 7 giờ đến 11 giờ.",
            audiences=[Audience(kind=Audience.Kind.UNIT, unit=world.hamlet)],
        )
    assert not Notice.objects.exists()


def test_role_holders_with_no_unit_are_refused_when_the_audience_is_resolved(world):
    notice = actions.create_notice(
        acting_user=world.official,
        unit=world.commune,
        title="Họp trưởng thôn",
        body="Chiều thứ Sáu, 14 giờ.",
        audiences=[Audience(kind=Audience.Kind.ROLE, role=Role.HAMLET_HEAD)],
    )
    with pytest.raises(ValueError, match="names no unit"):
        delivery.audience_rows(notice)
