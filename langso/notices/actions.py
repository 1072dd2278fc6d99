"""What users do with notices: write, send, relay, tick off those told in person, say
how a person is reached, and the receipts providers report.

Sending queues the fan-out (tasks.fan_out) once the transaction commits; the
pipeline itself is delivery.py, the notice's status machine status.py.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.models import AuditEntry, User
from langso.lib import tts
from langso.notices import access, delivery, loudspeakers, status
from langso.notices import audiences as audience_kinds
from langso.notices.models import (
    Attachment,
    Audience,
    Broadcast,
    Channel,
    Delivery,
    LoudspeakerSystem,
    Notice,
    NoticeAudio,
    Reach,
    Recipient,
    Relay,
)
from langso.notices.tasks import dispatch_due, fan_out, push_broadcasts
from langso.places.models import Unit
from langso.registry.models import Person


def _audit(
    acting_user: User | None,
    verb: str,
    notice: Notice,
    changes: dict[str, list[object]] | None = None,
) -> None:
    AuditEntry.objects.record(
        acting_user, f"notices.{verb}", target=notice, unit=notice.unit, changes=changes
    )


# Writing and sending -------------------------------------------------------------


@transaction.atomic
def create_notice(
    *,
    acting_user: User | None,
    unit: Unit | None,
    title: str,
    body: str,
    audiences: Sequence[Audience],
    urgency: str = Notice.Urgency.NORMAL,
    send_at: datetime | None = None,
    expires_at: datetime | None = None,
    is_public: bool = False,
    attachments: Iterable[UploadedFile] = (),
    parent: Notice | None = None,
    local_note: str = "",
    sender_kind: str = "",
    sender_id: int | None = None,
    loudspeaker: bool = False,
    speech_text: str = "",
) -> Notice:
    """A draft notice with its audience (unsaved `Audience` objects, checked by the caller).

    `sender_kind`/`sender_id` send it in the name of a registered target (a party
    organisation): then `unit` may be None, the target's own unit issues it.
    """
    if sender_kind:
        registered = audience_kinds.get(sender_kind)
        target = registered.get(sender_id) if registered and sender_id else None
        if target is None:
            raise ValidationError(_("Choose in whose name the notice is sent."), code="sender")
        unit = unit or target.unit
    if not audiences:
        raise ValidationError(_("Choose who the notice is for."), code="no_audience")
    if expires_at and send_at and expires_at <= send_at:
        raise ValidationError(_("The notice must expire after it is sent."))
    if unit is None:
        raise ValueError("A notice is issued by a unit: give `unit`, or a sender that has one.")
    notice = Notice.objects.create(
        title=title,
        body=body,
        unit=unit,
        author=acting_user if acting_user and acting_user.is_authenticated else None,
        urgency=urgency,
        send_at=send_at,
        expires_at=expires_at,
        is_public=is_public,
        parent=parent,
        local_note=local_note,
        sender_kind=sender_kind,
        sender_id=sender_id if sender_kind else None,
        loudspeaker=loudspeaker,
        speech_text=speech_text.strip(),
    )
    for audience in audiences:
        audience.notice = notice
    Audience.objects.bulk_create(audiences)
    for upload in attachments:
        Attachment.objects.create(notice=notice, file=upload, name=(upload.name or "")[:200])
    _audit(acting_user, "written", notice)
    return notice


@transaction.atomic
def send_notice(notice: Notice, *, acting_user: User | None) -> Notice:
    """Send now, or at the notice's set time: the fan-out runs in the background."""
    status.move(notice, Notice.Status.SCHEDULED)
    Relay.objects.bulk_create(
        Relay(notice=notice, unit_id=unit_id)
        for unit_id in notice.audiences.filter(kind=Audience.Kind.RELAY).values_list(
            "unit_id", flat=True
        )
    )
    _audit(acting_user, "sent", notice)
    if loudspeakers.plan_broadcasts(notice):
        _queue_push(notice)
    run_after = notice.send_at if notice.send_at and notice.send_at > timezone.now() else None
    transaction.on_commit(
        lambda: (
            fan_out.using(run_after=run_after).enqueue(notice.pk)
            if run_after
            else fan_out.enqueue(notice.pk)
        )
    )
    return notice


def _queue_push(notice: Notice) -> None:
    due = loudspeakers.next_due(notice)
    if due is None:
        return
    run_after = due if due > timezone.now() else None
    transaction.on_commit(
        lambda: (
            push_broadcasts.using(run_after=run_after).enqueue(notice.pk)
            if run_after
            else push_broadcasts.enqueue(notice.pk)
        )
    )


@transaction.atomic
def relay_notice(
    relay: Relay,
    *,
    acting_user: User,
    local_note: str = "",
    loudspeaker: bool = False,
    speech_text: str = "",
) -> Notice:
    """The hamlet head forwards a notice to the hamlet's residents, with a note of their own,
    and if they wish on the hamlet's loudspeakers."""
    if relay.relayed_at is not None:
        raise ValidationError(_("This notice has already been relayed."), code="relayed")
    parent = relay.notice
    child = create_notice(
        acting_user=acting_user,
        unit=relay.unit,
        title=parent.title,
        body=parent.body,
        audiences=[Audience(kind=Audience.Kind.UNIT, unit=relay.unit)],
        urgency=parent.urgency,
        expires_at=parent.expires_at,
        is_public=False,
        parent=parent,
        local_note=local_note.strip(),
        loudspeaker=loudspeaker,
        speech_text=speech_text or parent.speech_text,
    )
    for attachment in parent.attachments.all():
        Attachment.objects.create(notice=child, file=attachment.file.name, name=attachment.name)
    relay.relayed_as = child
    relay.relayed_at = timezone.now()
    relay.relayed_by = acting_user
    relay.save(update_fields=["relayed_as", "relayed_at", "relayed_by"])
    send_notice(child, acting_user=acting_user)
    return child


@transaction.atomic
def mark_told(recipient: Recipient, *, acting_user: User, told: bool = True) -> Recipient:
    """Tick off a person told in person (or undo the tick): only whoever is to tell them."""
    if not access.in_person_for_user(acting_user).filter(pk=recipient.pk).exists():
        raise PermissionDenied
    recipient.status = Recipient.Status.TOLD if told else Recipient.Status.IN_PERSON
    recipient.told_at = timezone.now() if told else None
    recipient.told_by = acting_user if told else None
    recipient.save(update_fields=["status", "told_at", "told_by"])
    return recipient


@transaction.atomic
def mark_household_told(
    recipients: Sequence[Recipient], *, acting_user: User, told: bool = True
) -> int:
    """Tick off (or undo) a whole household on the in-person list in one go."""
    for recipient in recipients:
        mark_told(recipient, acting_user=acting_user, told=told)
    return len(recipients)


def mark_read(recipient: Recipient) -> None:
    """The read receipt of an in-app notice, at the first opening."""
    Delivery.objects.filter(recipient=recipient, channel=Channel.APP, read_at__isnull=True).update(
        status=Delivery.Status.READ, read_at=timezone.now()
    )


@transaction.atomic
def set_reach(
    person: Person,
    *,
    acting_user: User | None,
    channels: Iterable[str],
    zalo_phone: str = "",
    sms_phone: str = "",
    email: str = "",
    no_phone: bool = False,
) -> Reach:
    reach, _created = Reach.objects.update_or_create(
        person=person,
        defaults={
            "channels": list(channels),
            "zalo_phone": zalo_phone,
            "sms_phone": sms_phone,
            "email": email,
            "no_phone": no_phone,
        },
    )
    AuditEntry.objects.record(
        acting_user,
        "notices.reach",
        target=person,
        unit=person.household.unit if person.household is not None else None,
    )
    return reach


def receive_receipt(tracking_id: str, *, delivered: bool) -> Delivery | None:
    """A provider's delivery report (delivery.record_receipt); a message that was not
    delivered after all has the person tried on their next channel, in the background."""
    with transaction.atomic():
        found = delivery.record_receipt(tracking_id, delivered=delivered)
        if found is not None and not delivered:
            transaction.on_commit(lambda: dispatch_due.enqueue(found.notice_id))
    return found


# The loudspeakers ------------------------------------------------------------------------


def _may_manage(acting_user: User, notice: Notice) -> None:
    if not access.can_manage_notice(acting_user, notice):
        raise PermissionDenied


def replace_audio(notice: Notice, data: bytes, *, acting_user: User) -> NoticeAudio:
    """Replace the notice's loudspeaker audio with a recording (checked by its content with
    ffprobe, converted to the loudspeaker MP3). tts.SpeechError if it is not sound."""
    _may_manage(acting_user, notice)
    if notice.broadcasts.exclude(status=Broadcast.Status.QUEUED).exists():
        raise ValidationError(_("The notice has already gone out on the loudspeakers."))
    mp3 = tts.recording_mp3(data)
    audio = loudspeakers.save_audio(
        notice, mp3, source=NoticeAudio.Source.RECORDING, text="", voice="", by=acting_user
    )
    _audit(acting_user, "recorded", notice)
    return audio


def speak_again(notice: Notice, *, acting_user: User) -> NoticeAudio:
    """Drop a recording (or the speech made before) and make the speech from the text again."""
    _may_manage(acting_user, notice)
    if notice.broadcasts.exclude(status=Broadcast.Status.QUEUED).exists():
        raise ValidationError(_("The notice has already gone out on the loudspeakers."))
    existing = NoticeAudio.objects.filter(notice=notice).first()
    if existing is not None:
        existing.file.delete(save=False)
        existing.delete()
    audio = loudspeakers.ensure_audio(notice)
    _audit(acting_user, "spoken", notice)
    return audio


@transaction.atomic
def save_loudspeaker_system(
    unit: Unit, *, acting_user: User, token: str | None = None, **fields: object
) -> LoudspeakerSystem:
    """Create or change the loudspeaker system of a hamlet or commune. `token`: a new
    controller token, None to keep the one saved (it is never shown back in full)."""
    if not access.can_manage_loudspeakers(acting_user, unit):
        raise PermissionDenied
    system = LoudspeakerSystem.objects.filter(unit=unit).first() or LoudspeakerSystem(unit=unit)
    before = {name: getattr(system, name) for name in fields}
    for name, value in fields.items():
        setattr(system, name, value)
    if token is not None:
        system.push_token = token
    system.full_clean()
    system.save()
    changes: dict[str, list[object]] = {
        name: [before[name], value] for name, value in fields.items() if before[name] != value
    }
    if token is not None:
        changes["push_token"] = ["•", "•"]
    AuditEntry.objects.record(
        acting_user,
        "notices.loudspeakers",
        target=system,
        unit=unit,
        changes=changes,
    )
    return system


def record_broadcast_report(tracking_id: str, token: str, *, played: bool, error: str = "") -> bool:
    """A loudspeaker controller reports that a broadcast played (or could not)."""
    return loudspeakers.record_report(tracking_id, token, played=played, error=error)
