"""Demo loudspeakers: two hamlets of the demo commune with loudspeaker systems, a notice
already played on both and one of Bình Chiến's queued for its next slots (issue 19).

The systems point at a controller on 127.0.0.1 that nothing runs: the rows are written
as the pipeline leaves them, no push is queued, and the audio is made only when someone
opens the notice's player.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from langso.accounts.models import User
from langso.notices.models import Audience, Broadcast, LoudspeakerSystem, Notice
from langso.places.models import Unit

ORDER = 50
HAMLETS = ("Bình Chiến", "Tân Lập")
STAND_IN = "http://127.0.0.1:8765/loudspeakers/push"


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _notice(unit, author, *, title, body, sent_at, audience_units, urgency="normal"):
    notice = Notice.objects.create(
        title=title,
        body=body,
        unit=unit,
        author=author,
        urgency=urgency,
        status=Notice.Status.SENT,
        sent_at=sent_at,
        created_at=sent_at - timedelta(minutes=20),
        loudspeaker=True,
    )
    Audience.objects.bulk_create(
        Audience(notice=notice, kind=Audience.Kind.UNIT, unit=u) for u in audience_units
    )
    return notice


def build(commune, *, as_of, seed, log):
    hamlets = list(Unit.objects.filter(parent=commune, name__in=HAMLETS).order_by("path"))
    if not hamlets:
        return
    users = {u.username: u for u in User.objects.filter(username__in=["canbo", "truongthon"])}
    systems = [
        LoudspeakerSystem.objects.create(
            unit=hamlet,
            slots=["06:00", "17:00"],
            repeat=2,
            push_url=STAND_IN,
            push_token=f"demo-loa-{hamlet.pk:04d}-khong-dung-that",
        )
        for hamlet in hamlets
    ]
    yesterday = as_of - timedelta(days=1)
    played = _notice(
        commune,
        users.get("canbo"),
        title="Lịch tiêm vắc xin sởi cho trẻ em",
        body=(
            "Trạm y tế xã tổ chức tiêm vắc xin sởi cho trẻ từ 9 tháng đến 5 tuổi vào 7h30"
            f" ngày {as_of + timedelta(days=3):%d/%m/%Y} tại trạm y tế. Phụ huynh mang theo"
            " sổ tiêm chủng và thẻ BHYT của trẻ. Liên hệ 0912 345 678."
        ),
        sent_at=_at(yesterday, 8),
        audience_units=hamlets,
    )
    rows = []
    for system in systems:
        for number, play_at in enumerate((_at(yesterday, 17), _at(as_of, 6)), start=1):
            rows.append(
                Broadcast(
                    notice=played,
                    system=system,
                    play_at=play_at,
                    repetition=number,
                    status=Broadcast.Status.PLAYED,
                    attempts=1,
                    external_id=f"demo-{system.pk}-{number}",
                    sent_at=play_at - timedelta(minutes=10),
                    played_at=play_at,
                )
            )
    binh_chien = systems[0]
    queued = _notice(
        binh_chien.unit,
        users.get("truongthon"),
        title="Họp thôn bàn kế hoạch làm đường bê tông",
        body=(
            f"Mời đại diện các hộ dự họp lúc 19h30 ngày {as_of + timedelta(days=2):%d/%m/%Y}"
            " tại nhà văn hóa thôn. Dự kiến mỗi hộ đóng góp 500.000 đ, đường dài 1,2km."
        ),
        sent_at=_at(as_of, 8),
        audience_units=[binh_chien.unit],
    )
    for number, play_at in enumerate((_at(as_of, 17), _at(as_of + timedelta(days=1), 6)), 1):
        rows.append(
            Broadcast(
                notice=queued,
                system=binh_chien,
                play_at=play_at,
                repetition=number,
                next_attempt_at=play_at - timedelta(minutes=10),
            )
        )
    Broadcast.objects.bulk_create(rows)
    log(f"Loudspeakers: {len(systems)} systems, {len(rows)} broadcasts.")
