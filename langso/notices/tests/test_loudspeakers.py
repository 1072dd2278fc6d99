"""Notices read aloud on the hamlets' loudspeakers (issue 19): broadcast slots across
midnight and for urgent notices, the push to the controller with a failure and a retry,
the controller's report, expiry, the notice page, recordings and the systems' settings."""

import io
import json
import subprocess
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from langso.accounts.models import AuditEntry
from langso.lib.tts import probe
from langso.notices import actions, loudspeakers
from langso.notices.models import Audience, Broadcast, LoudspeakerSystem, Notice, NoticeAudio
from langso.notices.tests.standins import LoudspeakerStandIn
from langso.test import vietnam_time

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = date(2026, 3, 14)


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


# The slot scheduler --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "slots", "repeat", "urgent", "plays"),
    [
        # Before the evening slot: this evening, then tomorrow morning.
        (at(DAY, 16), ["06:00", "17:00"], 2, False, [at(DAY, 17), at(DAY + timedelta(1), 6)]),
        # After the last slot of the day: across midnight to tomorrow's slots.
        (
            at(DAY, 23, 30),
            ["06:00", "17:00"],
            2,
            False,
            [at(DAY + timedelta(1), 6), at(DAY + timedelta(1), 17)],
        ),
        # A slot just after midnight, seen from just before it.
        (at(DAY, 23, 50), ["00:15", "17:00"], 1, False, [at(DAY + timedelta(1), 0, 15)]),
        # Three plays with one slot a day: three days, two midnights.
        (
            at(DAY, 18),
            ["17:00"],
            3,
            False,
            [at(DAY + timedelta(d), 17) for d in (1, 2, 3)],
        ),
        # Exactly at a slot: that slot.
        (at(DAY, 17), ["06:00", "17:00"], 1, False, [at(DAY, 17)]),
        # Urgent: at once, then the next slot (after midnight).
        (
            at(DAY, 23, 30),
            ["06:00", "17:00"],
            2,
            True,
            [at(DAY, 23, 30), at(DAY + timedelta(1), 6)],
        ),
        # Slots written in any order, "17h" too.
        (at(DAY, 5), ["17h", "06:00"], 2, False, [at(DAY, 6), at(DAY, 17)]),
        # No slots: at once.
        (at(DAY, 9), [], 2, False, [at(DAY, 9)]),
    ],
)
def test_plays_fall_on_the_next_slots(now, slots, repeat, urgent, plays):
    assert loudspeakers.play_times(now, slots, repeat, urgent=urgent) == plays


def test_a_slot_read_from_utc_is_still_the_local_slot():
    # 16:00 UTC is 23:00 in Vietnam: the next 06:00 slot is the next local morning.
    utc = datetime(2026, 3, 14, 16, 0, tzinfo=ZoneInfo("UTC"))
    assert loudspeakers.play_times(utc, ["06:00"], 1) == [at(date(2026, 3, 15), 6)]


# Planning from a sent notice --------------------------------------------------------


@pytest.fixture
def systems(world):
    hamlet = LoudspeakerSystem.objects.create(
        unit=world.hamlet, slots=["06:00", "17:00"], repeat=2, push_token=LoudspeakerStandIn.TOKEN
    )
    return hamlet


def send(world, django_capture_on_commit_callbacks, *, urgency="normal", expires_at=None, **kw):
    with django_capture_on_commit_callbacks(execute=True):
        notice = actions.create_notice(
            acting_user=world.hamlet_head,
            unit=world.hamlet,
            title="Họp thôn",
            body="Họp lúc 19h30 ngày 15/03/2026 tại nhà văn hóa thôn.",
            audiences=[Audience(kind=Audience.Kind.UNIT, unit=world.hamlet)],
            urgency=urgency,
            expires_at=expires_at,
            loudspeaker=kw.pop("loudspeaker", True),
            **kw,
        )
        actions.send_notice(notice, acting_user=world.hamlet_head)
    return notice


def plays(notice):
    return list(
        notice.broadcasts.order_by("play_at").values_list("play_at", "status", "repetition")
    )


def test_a_notice_for_the_hamlet_is_queued_for_its_next_slots(
    world, systems, django_capture_on_commit_callbacks
):
    with time_machine.travel(vietnam_time(DAY, 9), tick=False):
        notice = send(world, django_capture_on_commit_callbacks)
    assert [(p.astimezone(VN), s, r) for p, s, r in plays(notice)] == [
        (at(DAY, 17), "queued", 1),
        (at(DAY + timedelta(1), 6), "queued", 2),
    ]
    broadcast = notice.broadcasts.first()
    assert broadcast.next_attempt_at == at(DAY, 17) - loudspeakers.LEAD


def test_an_urgent_notice_plays_at_once(world, systems, django_capture_on_commit_callbacks):
    with time_machine.travel(at(DAY, 23, 40), tick=False):
        notice = send(world, django_capture_on_commit_callbacks, urgency="urgent")
    assert [p.astimezone(VN) for p, _s, _r in plays(notice)] == [
        at(DAY, 23, 40),
        at(DAY + timedelta(1), 6),
    ]


def test_no_play_is_planned_after_the_notice_expires(
    world, systems, django_capture_on_commit_callbacks
):
    with time_machine.travel(vietnam_time(DAY, 9), tick=False):
        notice = send(world, django_capture_on_commit_callbacks, expires_at=at(DAY, 20))
    assert [p.astimezone(VN) for p, _s, _r in plays(notice)] == [at(DAY, 17)]


def test_a_notice_not_marked_for_the_loudspeakers_is_not_broadcast(
    world, systems, django_capture_on_commit_callbacks
):
    notice = send(world, django_capture_on_commit_callbacks, loudspeaker=False)
    assert not notice.broadcasts.exists()


# The push ----------------------------------------------------------------------------


def test_the_push_fails_then_is_retried_and_the_controller_gets_audio_and_schedule(
    world, systems, django_capture_on_commit_callbacks
):
    with LoudspeakerStandIn(fail_first=1) as controller:
        systems.push_url = controller.url
        systems.save()
        with time_machine.travel(vietnam_time(DAY, 9), tick=False):
            notice = send(world, django_capture_on_commit_callbacks)
            assert loudspeakers.dispatch(notice) == at(DAY, 17) - loudspeakers.LEAD
            assert controller.attempts == 0  # nothing is pushed before its slot is near
        with time_machine.travel(at(DAY, 16, 52), tick=False):
            later = loudspeakers.dispatch(notice)
            first = notice.broadcasts.get(repetition=1)
            assert (first.status, first.attempts) == ("queued", 1)
            assert "503" in first.error
            assert later == first.next_attempt_at
        with time_machine.travel(later + timedelta(seconds=1), tick=False):
            loudspeakers.dispatch(notice)
    first.refresh_from_db()
    assert (first.status, first.attempts, first.external_id) == ("sent", 2, "ctl-1")
    assert notice.broadcasts.get(repetition=2).status == "queued"
    schedule, audio = controller.received[0]
    assert schedule["id"] == first.tracking_id
    assert schedule["play_at"] == "2026-03-14T17:00:00+07:00"
    assert schedule["unit"] == "Bình Chiến" and schedule["title"] == "Họp thôn"
    found = probe(audio)
    assert (found.codec, found.channels) == ("mp3", 1)
    assert abs(found.duration - schedule["duration"]) < 0.2
    # The audio is the speech of the text, its numbers said in words.
    spoken = NoticeAudio.objects.get(notice=notice).spoken_text
    assert "mười chín giờ ba mươi phút ngày mười lăm tháng ba" in spoken


def test_a_wrong_token_fails_without_retrying(world, systems, django_capture_on_commit_callbacks):
    with LoudspeakerStandIn() as controller:
        systems.push_url = controller.url
        systems.push_token = "sai"
        systems.save()
        with time_machine.travel(at(DAY, 23), tick=False):
            notice = send(world, django_capture_on_commit_callbacks, urgency="urgent")
            loudspeakers.dispatch(notice)
    now = notice.broadcasts.get(repetition=1)
    assert (now.status, now.attempts) == ("failed", 1)
    assert "401" in now.error
    assert controller.received == []


def test_the_controller_reports_a_play(client, world, systems, django_capture_on_commit_callbacks):
    with LoudspeakerStandIn() as controller:
        systems.push_url = controller.url
        systems.save()
        notice = send(world, django_capture_on_commit_callbacks, urgency="urgent")
        loudspeakers.dispatch(notice)
    broadcast = notice.broadcasts.get(repetition=1)
    url = reverse("notices:loudspeaker-report")
    report = json.dumps({"id": broadcast.tracking_id, "status": "played"})
    wrong = client.post(
        url, report, content_type="application/json", headers={"Authorization": "Bearer sai"}
    )
    assert wrong.status_code == 404
    broadcast.refresh_from_db()
    assert broadcast.status == "sent"
    client.post(
        url,
        report,
        content_type="application/json",
        headers={"Authorization": f"Bearer {LoudspeakerStandIn.TOKEN}"},
    )
    broadcast.refresh_from_db()
    assert broadcast.status == "played" and broadcast.played_at is not None
    assert client.post(url, "{}", content_type="application/json").status_code == 400


def test_a_play_whose_notice_expired_is_not_pushed(
    world, systems, django_capture_on_commit_callbacks
):
    with LoudspeakerStandIn() as controller:
        systems.push_url = controller.url
        systems.save()
        with time_machine.travel(vietnam_time(DAY, 9), tick=False):
            notice = send(world, django_capture_on_commit_callbacks)
        Notice.objects.filter(pk=notice.pk).update(expires_at=at(DAY, 12))
        notice.refresh_from_db()
        with time_machine.travel(at(DAY, 16, 55), tick=False):
            assert loudspeakers.dispatch(notice) is None
    assert set(notice.broadcasts.values_list("status", flat=True)) == {"expired"}
    assert controller.attempts == 0


# Pages -------------------------------------------------------------------------------


def test_the_notice_page_shows_the_queue_and_plays_the_audio(
    client, world, systems, django_capture_on_commit_callbacks
):
    with time_machine.travel(vietnam_time(DAY, 9), tick=False):
        notice = send(world, django_capture_on_commit_callbacks)
    client.force_login(world.hamlet_head)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert reverse("notices:notice-audio", args=[notice.pk]) in page
    assert "17:00 14/03/2026" in page and "06:00 15/03/2026" in page
    audio = client.get(reverse("notices:notice-audio", args=[notice.pk]))
    assert audio["Content-Type"] == "audio/mpeg"
    mp3 = b"".join(audio.streaming_content)
    assert probe(mp3).duration > 3


def test_a_hamlet_without_a_system_gets_the_mp3_to_download(
    client, world, django_capture_on_commit_callbacks
):
    notice = send(world, django_capture_on_commit_callbacks)
    client.force_login(world.hamlet_head)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "Bình Chiến" in page and "?download=1" in page
    assert not notice.broadcasts.exists()
    download = client.get(reverse("notices:notice-audio", args=[notice.pk]) + "?download=1")
    assert "attachment" in download["Content-Disposition"]


def _browser_recording():
    return subprocess.run(
        [
            *("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=2"),
            *("-c:a", "libopus", "-f", "webm", "pipe:1"),
        ],
        capture_output=True,
        check=True,
    ).stdout


def test_the_hamlet_head_replaces_the_speech_with_a_recording(
    client, world, systems, django_capture_on_commit_callbacks
):
    notice = send(world, django_capture_on_commit_callbacks)
    client.force_login(world.hamlet_head)
    upload = io.BytesIO(_browser_recording())
    upload.name = "recording.webm"
    client.post(reverse("notices:notice-recording", args=[notice.pk]), {"recording": upload})
    audio = NoticeAudio.objects.get(notice=notice)
    assert audio.source == "recording" and audio.made_by == world.hamlet_head
    found = probe(audio.file.read())
    assert (found.codec, found.channels) == ("mp3", 1) and 3 < found.duration < 4.5
    assert AuditEntry.objects.filter(verb="notices.recorded").exists()

    bad = io.BytesIO(b"<html><script>alert(1)</script></html>")
    bad.name = "recording.webm"
    response = client.post(
        reverse("notices:notice-recording", args=[notice.pk]), {"recording": bad}, follow=True
    )
    assert "not a sound recording" in response.content.decode() or "ghi âm" in (
        response.content.decode()
    )
    audio.refresh_from_db()
    assert audio.source == "recording"


def test_neither_the_viewer_nor_an_outsider_replaces_the_audio(
    client, world, systems, django_capture_on_commit_callbacks
):
    notice = send(world, django_capture_on_commit_callbacks)
    client.force_login(world.viewer)
    upload = io.BytesIO(_browser_recording())
    upload.name = "recording.webm"
    response = client.post(
        reverse("notices:notice-recording", args=[notice.pk]), {"recording": upload}
    )
    assert response.status_code in (403, 404)
    assert client.post(reverse("notices:notice-speak", args=[notice.pk])).status_code in (403, 404)
    assert not NoticeAudio.objects.filter(source="recording").exists()
    client.force_login(world.outsider)
    assert client.get(reverse("notices:notice-audio", args=[notice.pk])).status_code == 404


def test_the_system_settings_keep_the_token_secret(client, world):
    client.force_login(world.official)
    url = reverse("notices:loudspeaker-edit", args=[world.other_hamlet.pk])
    client.post(
        url,
        {
            "slots": "17:00, 6h",
            "repeat": 3,
            "voice": "",
            "push_url": "http://127.0.0.1:9/push",
            "push_token": "bi-mat-rat-dai-1234",
            "is_active": "on",
        },
    )
    system = LoudspeakerSystem.objects.get(unit=world.other_hamlet)
    assert (system.slots, system.repeat, system.push_token) == (
        ["06:00", "17:00"],
        3,
        "bi-mat-rat-dai-1234",
    )
    page = client.get(url).content.decode()
    listing = client.get(reverse("notices:loudspeaker-list")).content.decode()
    assert "bi-mat-rat-dai-1234" not in page + listing
    assert "••••1234" in page and "••••1234" in listing
    # Saving again without a token keeps it.
    client.post(url, {"slots": "06:00", "repeat": 1, "push_url": "", "is_active": "on"})
    system.refresh_from_db()
    assert (system.slots, system.push_token) == (["06:00"], "bi-mat-rat-dai-1234")
    entry = AuditEntry.objects.filter(verb="notices.loudspeakers").first()
    assert "bi-mat" not in json.dumps(entry.changes)


def test_only_units_in_scope_have_their_loudspeakers_set_up(client, world):
    client.force_login(world.hamlet_head)
    assert (
        client.get(reverse("notices:loudspeaker-edit", args=[world.other_hamlet.pk])).status_code
        == 404
    )
    client.force_login(world.viewer)
    response = client.post(
        reverse("notices:loudspeaker-edit", args=[world.hamlet.pk]), {"slots": "06:00", "repeat": 1}
    )
    assert response.status_code == 404
    assert not LoudspeakerSystem.objects.exists()


def test_bad_slots_are_refused_with_a_message(client, world):
    client.force_login(world.hamlet_head)
    response = client.post(
        reverse("notices:loudspeaker-edit", args=[world.hamlet.pk]), {"slots": "25:99", "repeat": 1}
    )
    assert response.status_code == 200
    assert not LoudspeakerSystem.objects.exists()


def test_the_relayed_notice_goes_to_the_loudspeakers(
    client, world, systems, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        parent = actions.create_notice(
            acting_user=world.official,
            unit=world.commune,
            title="Tiêm phòng dại",
            body="Tiêm phòng cho chó mèo lúc 7h30 thứ 4, phí 50.000 đ một con.",
            audiences=[Audience(kind=Audience.Kind.RELAY, unit=world.hamlet)],
        )
        actions.send_notice(parent, acting_user=world.official)
    relay = parent.relays.get()
    client.force_login(world.hamlet_head)
    with (
        time_machine.travel(vietnam_time(DAY, 10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("notices:relay", args=[relay.pk]),
            {"local_note": "Tập trung ở sân nhà văn hóa.", "loudspeaker": "on"},
        )
    child = Notice.objects.get(parent=parent)
    assert response.url == child.get_absolute_url()
    assert child.loudspeaker
    assert next(p.astimezone(VN) for p, _s, _r in plays(child)) == at(DAY, 17)
    text = loudspeakers.spoken_text(child)
    assert text.startswith("Tiêm phòng dại. Tập trung ở sân nhà văn hóa.")
    assert "bảy giờ ba mươi phút thứ tư" in text and "năm mươi nghìn đồng" in text
    assert Broadcast.objects.count() == 2
