"""The loudspeaker channel: a notice read aloud on a hamlet's loudspeakers (issue 19).

- **Audio.** A notice's `NoticeAudio` is made when first asked for (the page's player,
  or the push): its `text_to_read()`, normalised (`lib.speech`), spoken by the unit's
  engine (`lib.tts`: the system's HTTP voice service if it has one, else espeak-ng in
  the voice of the commune's region or the one chosen), as the chimed MP3. A hamlet head
  may replace it with a recording of their own.
- **Slots.** `play_times` gives the plays of a notice: the next `repeat` broadcast slots
  from when it is sent (an urgent notice at once, then the next slots), in the local time
  zone and across midnight; plays after the notice expires are dropped, and a play whose
  notice expired meanwhile is not sent.
- **Broadcasts.** `plan_broadcasts` writes a `Broadcast` row (the channel's delivery row)
  per play on each loudspeaker system of the units the notice is addressed to, due to be
  pushed `LEAD` before it plays; `dispatch` pushes the due ones with the same claim,
  backoff and attempt limit as the other channels (delivery.py); `record_report` applies
  the controller's report that it played (or could not).
- **Push protocol** (docs/notices.md): `POST push_url`, `Authorization: Bearer <token>`,
  multipart form data with `schedule` (JSON: id, notice, unit, title, play_at, expires_at,
  urgent, duration) and `audio` (the MP3). 2xx or 409 (an id it has already) is accepted;
  429, 5xx and no answer are retried; any other answer fails.
"""

import hmac
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from langso.accounts.models import User
from langso.lib import tts
from langso.lib.speech import normalise
from langso.notices.channels import Outcome, fall_back, retry, sent
from langso.notices.models import Audience, Broadcast, LoudspeakerSystem, Notice, NoticeAudio
from langso.places.models import Unit

LEAD = timedelta(minutes=10)
HTTP_TIMEOUT = 30
REGIONS = {"vi": "north", "vi-vn-x-central": "central", "vi-vn-x-south": "south"}


# Slots -------------------------------------------------------------------------------


def parse_slot(text: str) -> time:
    """ "17:00", "6:30" or "17h" as a time of day; ValueError otherwise."""
    cleaned = text.strip().lower().replace("h", ":")
    hours, _, minutes = cleaned.partition(":")
    return time(int(hours), int(minutes or 0))


def play_times(
    start: datetime, slots: Sequence[str], repeat: int, *, urgent: bool = False
) -> list[datetime]:
    """When a notice sent at `start` plays: at the next `repeat` slots, or at once and
    then the next slots if it is urgent. Slots are local times of day; the days roll
    over midnight. A system without slots plays at once."""
    zone = timezone.get_current_timezone()
    start = timezone.localtime(start, zone)
    repeat = max(repeat, 1)
    times: list[datetime] = [start] if urgent or not slots else []
    day_times = sorted({parse_slot(slot) for slot in slots})
    day = start.date()
    while day_times and len(times) < repeat:
        for slot in day_times:
            at = datetime.combine(day, slot, tzinfo=zone)
            if (at > start or (at == start and not times)) and len(times) < repeat:
                times.append(at)
        day += timedelta(days=1)
    return times


# Systems and engines -----------------------------------------------------------------


def province_code(unit: Unit) -> str:
    found = unit.ancestors().filter(kind=Unit.Kind.PROVINCE).values_list("code", flat=True)
    return next(iter(found), "")


def system_for(unit: Unit | None) -> LoudspeakerSystem | None:
    """The loudspeaker system of `unit`, or of the nearest unit above it that has one."""
    if unit is None:
        return None
    paths = [unit.path, *unit.ancestors().values_list("path", flat=True)]
    systems = {s.unit.path: s for s in LoudspeakerSystem.objects.filter(unit__path__in=paths)}
    nearest = max(systems, key=len, default=None)
    return systems[nearest] if nearest is not None else None


def voice_for(unit: Unit, system: LoudspeakerSystem | None = None) -> str:
    if system is not None and system.voice in tts.VOICES:
        return system.voice
    return tts.voice_for_province(province_code(unit))


def engine_for(unit: Unit) -> tuple[tts.Engine, str]:
    """(engine, voice name) for a notice issued by `unit`."""
    system = system_for(unit)
    if system is not None and system.tts_url:
        return (
            tts.HttpEngine(url=system.tts_url, token=system.tts_token, voice=system.tts_voice),
            system.tts_voice or "http",
        )
    voice = voice_for(unit, system)
    return tts.EspeakEngine(voice=voice), voice


# Audio -------------------------------------------------------------------------------


def spoken_text(notice: Notice) -> str:
    voice = voice_for(notice.unit, system_for(notice.unit))
    return normalise(notice.text_to_read(), REGIONS.get(voice, "north"))  # type: ignore[arg-type]


def ensure_audio(notice: Notice) -> NoticeAudio:
    """The notice's audio, made now if it has none (tts.SpeechError if it cannot be)."""
    existing = NoticeAudio.objects.filter(notice=notice).first()
    if existing is not None and existing.file:
        return existing
    text = spoken_text(notice)
    engine, voice = engine_for(notice.unit)
    mp3 = tts.broadcast_mp3(text, engine)
    return save_audio(
        notice, mp3, source=NoticeAudio.Source.SPEECH, text=text, voice=voice, by=None
    )


def save_audio(
    notice: Notice, mp3: bytes, *, source: str, text: str, voice: str, by: User | None
) -> NoticeAudio:
    duration = tts.probe(mp3).duration
    with transaction.atomic():
        audio, _created = NoticeAudio.objects.select_for_update().get_or_create(
            notice=notice, defaults={"source": source}
        )
        old = audio.file.name if audio.file else ""
        audio.file.save(f"notice-{notice.pk}-{uuid.uuid4().hex[:8]}.mp3", ContentFile(mp3), False)
        audio.source = source
        audio.spoken_text = text
        audio.voice = voice
        audio.duration = duration
        audio.made_at = timezone.now()
        audio.made_by = by
        audio.save()
    if old:
        audio.file.storage.delete(old)
    return audio


# Planning ----------------------------------------------------------------------------


def addressed_units(notice: Notice) -> list[Unit]:
    """The hamlets and communes a notice is addressed to as residents of a unit."""
    return [
        audience.unit
        for audience in notice.audiences.filter(kind=Audience.Kind.UNIT).select_related("unit")
        if audience.unit is not None
    ]


def systems_of(notice: Notice) -> tuple[list[LoudspeakerSystem], list[Unit]]:
    """(active systems the notice plays on, addressed units that have none)."""
    units = addressed_units(notice)
    systems = {
        s.unit_id: s
        for s in LoudspeakerSystem.objects.filter(unit__in=units, is_active=True).select_related(
            "unit"
        )
    }
    return [systems[u.pk] for u in units if u.pk in systems], [
        u for u in units if u.pk not in systems
    ]


def plan_broadcasts(notice: Notice, *, start: datetime | None = None) -> list[Broadcast]:
    """A broadcast row per play on each loudspeaker system the notice is addressed to."""
    if not notice.loudspeaker:
        return []
    now = timezone.now()
    start = start or max(notice.send_at or now, now)
    urgent = notice.urgency == Notice.Urgency.URGENT
    made = []
    systems, _without = systems_of(notice)
    for system in systems:
        for number, at in enumerate(
            play_times(start, system.slots, system.repeat, urgent=urgent), start=1
        ):
            if notice.expires_at is not None and at >= notice.expires_at:
                break
            row, created = Broadcast.objects.get_or_create(
                notice=notice,
                system=system,
                repetition=number,
                defaults={"play_at": at, "next_attempt_at": at - LEAD},
            )
            if created:
                made.append(row)
    return made


def next_due(notice: Notice) -> datetime | None:
    return (
        Broadcast.objects.filter(notice=notice, status=Broadcast.Status.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )


# The push ------------------------------------------------------------------------------


def _multipart(fields: dict[str, tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = f"langso-{uuid.uuid4().hex}"
    parts = []
    for name, (filename, kind, data) in fields.items():
        disposition = f'form-data; name="{name}"'
        if filename:
            disposition += f'; filename="{filename}"'
        head = f"--{boundary}\r\nContent-Disposition: {disposition}\r\nContent-Type: {kind}\r\n\r\n"
        parts.append(head.encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def schedule(broadcast: Broadcast, audio: NoticeAudio) -> dict[str, object]:
    notice = broadcast.notice
    return {
        "id": broadcast.tracking_id,
        "notice": notice.pk,
        "unit": broadcast.system.unit.name,
        "title": notice.title,
        "play_at": timezone.localtime(broadcast.play_at).isoformat(),
        "play": broadcast.repetition,
        "expires_at": (
            timezone.localtime(notice.expires_at).isoformat() if notice.expires_at else None
        ),
        "urgent": notice.urgency == Notice.Urgency.URGENT,
        "duration": round(audio.duration, 1),
    }


def push(broadcast: Broadcast) -> Outcome:
    """One attempt to hand a broadcast to the loudspeaker controller."""
    system = broadcast.system
    if not system.push_url:
        return fall_back("The loudspeaker system has no controller address: play it by hand.")
    try:
        audio = ensure_audio(broadcast.notice)
    except tts.SpeechError as error:
        return retry(f"Speech: {error}")
    body, boundary = _multipart(
        {
            "schedule": ("", "application/json", json.dumps(schedule(broadcast, audio)).encode()),
            "audio": (f"{broadcast.tracking_id}.mp3", "audio/mpeg", audio.file.read()),
        }
    )
    audio.file.close()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    if system.push_token:
        headers["Authorization"] = f"Bearer {system.push_token}"
    request = urllib.request.Request(system.push_url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except OSError as error:
        return retry(f"Controller unreachable: {error}")
    try:
        reply = json.loads(raw.decode() or "null")
    except ValueError:
        reply = None
    if 200 <= status < 300 or status == 409:
        external = reply.get("id", "") if isinstance(reply, dict) else ""
        return sent(str(external)[:100])
    message = reply.get("error", "") if isinstance(reply, dict) else ""
    if status == 429 or status >= 500:
        return retry(f"Controller answered HTTP {status} {message}".strip())
    return fall_back(f"Controller refused (HTTP {status}) {message}".strip())


def _backoff(attempts: int) -> timedelta:
    base = getattr(settings, "LANGSO_NOTICE_RETRY_SECONDS", 30)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def _claim(broadcast_id: int) -> int:
    with transaction.atomic():
        return Broadcast.objects.filter(
            pk=broadcast_id, status=Broadcast.Status.QUEUED, next_attempt_at__lte=timezone.now()
        ).update(status=Broadcast.Status.SENDING, next_attempt_at=timezone.now() + LEAD)


def _finish(broadcast: Broadcast, outcome: Outcome) -> None:
    max_attempts = getattr(settings, "LANGSO_NOTICE_MAX_ATTEMPTS", 5)
    broadcast.attempts += 1
    broadcast.error = outcome.error
    if outcome.external_id:
        broadcast.external_id = outcome.external_id
    if outcome.retry and broadcast.attempts < max_attempts:
        broadcast.status = Broadcast.Status.QUEUED
        broadcast.next_attempt_at = timezone.now() + _backoff(broadcast.attempts)
    elif outcome.retry or outcome.fall_back:
        broadcast.status = Broadcast.Status.FAILED
        broadcast.next_attempt_at = None
    else:
        broadcast.status = Broadcast.Status.SENT
        broadcast.sent_at = timezone.now()
        broadcast.next_attempt_at = None
    broadcast.save(
        update_fields=["attempts", "error", "external_id", "status", "next_attempt_at", "sent_at"]
    )


def dispatch(notice: Notice) -> datetime | None:
    """Push the notice's due broadcasts; returns when the next one is due (or None)."""
    now = timezone.now()
    Broadcast.objects.filter(
        notice=notice, status=Broadcast.Status.SENDING, next_attempt_at__lt=now
    ).update(status=Broadcast.Status.QUEUED, next_attempt_at=now)
    if notice.expires_at is not None:
        Broadcast.objects.filter(
            Q(play_at__gte=notice.expires_at) | Q(notice__expires_at__lte=now),
            notice=notice,
            status=Broadcast.Status.QUEUED,
        ).update(status=Broadcast.Status.EXPIRED, next_attempt_at=None)
    due = Broadcast.objects.filter(
        notice=notice, status=Broadcast.Status.QUEUED, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    for broadcast_id in list(due):
        if not _claim(broadcast_id):
            continue
        broadcast = Broadcast.objects.select_related("notice", "system__unit").get(pk=broadcast_id)
        _finish(broadcast, push(broadcast))
    return next_due(notice)


def record_report(tracking_id: str, token: str, *, played: bool, error: str = "") -> bool:
    """The controller's report on a broadcast it was sent; its token proves who it is."""
    if not tracking_id.startswith("langso-b") or not tracking_id[8:].isdigit():
        return False
    with transaction.atomic():
        broadcast = (
            Broadcast.objects.select_for_update()
            .select_related("system")
            .filter(pk=int(tracking_id[8:]), status=Broadcast.Status.SENT)
            .first()
        )
        if broadcast is None or not broadcast.system.push_token:
            return False
        if not hmac.compare_digest(broadcast.system.push_token, token):
            return False
        if played:
            broadcast.status = Broadcast.Status.PLAYED
            broadcast.played_at = timezone.now()
        else:
            broadcast.status = Broadcast.Status.FAILED
            broadcast.error = (error or "The controller could not play it.")[:300]
        broadcast.save(update_fields=["status", "played_at", "error"])
    return True
