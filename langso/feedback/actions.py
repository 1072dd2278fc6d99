"""Everything that changes a report: receive, assign, work, note, answer, close, decline or
merge, reopen, rate, and the escalation of overdue reports (issue 14).

Each action is atomic, audited, and tells people through notices: the reporter of each
change of state and of the answer (by in-app, Zalo, SMS or e-mail, whichever they gave),
the handler of an assignment, the handler's superior of an overdue report.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.access import AnyUser, can
from langso.accounts.models import AuditEntry, RoleAssignment, User
from langso.accounts.roles import CAPABILITIES, Capability, Role
from langso.feedback import tallies
from langso.feedback.models import Category, Holiday, Note, Photo, Report
from langso.feedback.photos import MAX_PHOTOS, clean_photo
from langso.lib.paths import is_within
from langso.notices import actions as notice_actions
from langso.notices.models import Audience
from langso.places.models import Unit
from langso.registry.models import Person

TEXT_MAX = 2000
ANSWER_MAX = 4000
REOPEN_DAYS = 7
ON_BEHALF = (
    Report.Channel.IN_PERSON,
    Report.Channel.PHONE,
    Report.Channel.MEETING,
    Report.Channel.ZALO,
)
ANONYMOUS = (Report.Channel.WEB, Report.Channel.OPEN311)


@dataclass
class Upload:
    """A photo as received: its name (for messages) and its bytes."""

    name: str
    file: IO[bytes]


def _audit(acting_user: AnyUser | None, verb: str, report: Report, **changes: object) -> None:
    AuditEntry.objects.record(
        acting_user if isinstance(acting_user, User) else None,
        f"feedback.{verb}",
        target=report,
        unit=report.hamlet,
        changes={key: [None, value] for key, value in changes.items()} or None,
    )


def _user(acting_user: AnyUser | None) -> User | None:
    return acting_user if isinstance(acting_user, User) else None


# Telling people --------------------------------------------------------------------------


def _reporter_audiences(report: Report) -> list[Audience]:
    person = report.reporter_person
    if person is not None and person.household_id:
        return [Audience(kind=Audience.Kind.PERSON, person=person)]
    if report.reporter_user_id:
        return [Audience(kind=Audience.Kind.ACCOUNT, user=report.reporter_user)]
    if report.reporter_phone or report.reporter_email:
        return [
            Audience(
                kind=Audience.Kind.CONTACT,
                contact_phone=report.reporter_phone,
                contact_email=report.reporter_email,
            )
        ]
    return []


def _send(report: Report, audiences: Sequence[Audience], title: str, body: str) -> None:
    if not audiences:
        return
    notice = notice_actions.create_notice(
        acting_user=None, unit=report.commune, title=title[:200], body=body, audiences=audiences
    )
    notice_actions.send_notice(notice, acting_user=None)


def tell_reporters(report: Report, title: str, body: str, *, with_duplicates: bool = True) -> None:
    """The reporter, and those of the reports merged into this one, each by their channel."""
    audiences = _reporter_audiences(report)
    if with_duplicates:
        for duplicate in report.duplicates.select_related("reporter_person", "reporter_user"):
            audiences += _reporter_audiences(duplicate)
    _send(report, audiences, title, body)


def _state_text(report: Report) -> str:
    return _("Your report %(code)s (%(category)s) is now: %(state)s.") % {
        "code": report.tracking_display,
        "category": report.category.name,
        "state": report.get_state_display(),
    }


# Receiving -------------------------------------------------------------------------------


def due_on(received: date, category: Category) -> date:
    return Holiday.calendar().add_working_days(received, category.deadline_days)


def _check_rate(source_ip: str | None, phone: str) -> None:
    limit = getattr(settings, "LANGSO_FEEDBACK_REPORTS_PER_HOUR", 5)
    since = timezone.now() - timedelta(hours=1)
    recent = Report.objects.filter(received_at__gte=since, channel__in=ANONYMOUS)
    if source_ip and recent.filter(source_ip=source_ip).count() >= limit:
        raise ValidationError(
            _(
                "Too many reports were sent from this connection in the last hour "
                "(at most %(limit)d). Please try again later, or call the commune office."
            )
            % {"limit": limit},
            code="rate_limit",
        )
    if phone and recent.filter(reporter_phone=phone).count() >= limit:
        raise ValidationError(
            _(
                "Too many reports were sent with this phone number in the last hour "
                "(at most %(limit)d). Please try again later."
            )
            % {"limit": limit},
            code="rate_limit",
        )


def _store_photos(
    report: Report, uploads: Iterable[Upload], kind: str, *, keep_position: bool = False
) -> list[Photo]:
    uploads = list(uploads)
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(_("At most 3 photos."), code="photos")
    cleaned = [
        clean_photo(upload.file, name=upload.name, keep_position=keep_position)
        for upload in uploads
    ]
    photos = []
    for index, photo in enumerate(cleaned, start=1):
        stored = Photo(report=report, kind=kind, width=photo.width, height=photo.height)
        stored.image.save(f"{report.code}-{kind}-{index}.jpg", ContentFile(photo.content), False)
        stored.save()
        photos.append(stored)
        if keep_position and report.latitude is None and photo.latitude is not None:
            report.latitude, report.longitude = photo.latitude, photo.longitude
            report.save(update_fields=["latitude", "longitude"])
    return photos


@transaction.atomic
def submit_report(
    *,
    acting_user: AnyUser | None,
    hamlet: Unit,
    category: Category,
    text: str,
    channel: str,
    landmark: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    share_location: bool = False,
    photos: Iterable[Upload] = (),
    reporter_phone: str = "",
    reporter_email: str = "",
    reporter_name: str = "",
    reporter_person: Person | None = None,
    is_public: bool = True,
    source_ip: str | None = None,
    media_url: str = "",
) -> Report:
    """Receive a report once: its code, its deadline in working days, its default handler.

    Anonymous channels (the public page, Open311) are rate-limited per IP address and per
    phone number. A report received in person, by phone, at a meeting or in a Zalo group
    is entered by someone who handles the hamlet's reports, on the resident's behalf.
    """
    commune = hamlet.commune()
    if hamlet.kind != Unit.Kind.HAMLET or commune is None:
        raise ValidationError(_("Choose a hamlet of the commune."), code="hamlet")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Say what is wrong."), code="text")
    if len(text) > TEXT_MAX:
        raise ValidationError(
            _("Please keep the report under %(n)d characters.") % {"n": TEXT_MAX}, code="text"
        )
    user = _user(acting_user)
    entered_by = None
    reporter_user = None
    if channel in ON_BEHALF:
        if user is None or not can(user, Capability.HANDLE_FEEDBACK, hamlet):
            raise PermissionDenied
        entered_by = user
    elif channel == Report.Channel.APP:
        if user is None:
            raise PermissionDenied
        reporter_user = user
        reporter_person = reporter_person or user.person
        reporter_phone = reporter_phone or user.phone
        reporter_email = reporter_email or user.email
    elif channel in ANONYMOUS:
        _check_rate(source_ip, reporter_phone)
    else:
        raise ValidationError(_("Unknown channel."), code="channel")
    received = timezone.now()
    report = Report.objects.create(
        commune=commune,
        hamlet=hamlet,
        unit_path=hamlet.path,
        category=category,
        text=text,
        landmark=(landmark or "").strip()[:200],
        latitude=latitude if share_location else None,
        longitude=longitude if share_location else None,
        channel=channel,
        is_public=is_public,
        reporter_user=reporter_user,
        reporter_person=reporter_person,
        reporter_name=reporter_name[:150],
        reporter_phone=reporter_phone[:20],
        reporter_email=reporter_email,
        entered_by=entered_by,
        source_ip=source_ip,
        media_url=media_url[:500],
        received_at=received,
        due_on=due_on(timezone.localdate(received), category),
        assigned_unit=hamlet if category.handler_kind == Category.HandlerKind.HAMLET else commune,
    )
    _store_photos(report, photos, Photo.Kind.REPORT, keep_position=share_location)
    tallies.count_new(report.pk)
    _audit(user, "received", report, channel=channel)
    # The default handler (the hamlet's head or the commune's officials) is told of the new
    # report waiting for them, as of any assignment.
    _tell_handler(
        report,
        _("New report to handle: %(code)s") % {"code": report.tracking_display},
        _("%(category)s in %(hamlet)s, due by %(due)s: %(text)s")
        % {
            "category": category.name,
            "hamlet": hamlet.name,
            "due": report.due_on.strftime("%d/%m/%Y"),
            "text": report.text[:300],
        },
    )
    tell_reporters(
        report,
        _("Report received: %(code)s") % {"code": report.tracking_display},
        _(
            "The commune received your report (%(category)s). Your tracking code is "
            "%(code)s; the answer is due by %(due)s."
        )
        % {
            "category": category.name,
            "code": report.tracking_display,
            "due": report.due_on.strftime("%d/%m/%Y"),
        },
    )
    return report


# Handling --------------------------------------------------------------------------------


def _require_handler(user: AnyUser, report: Report) -> User:
    if not isinstance(user, User) or not can(user, Capability.HANDLE_FEEDBACK, report.hamlet):
        raise PermissionDenied
    return user


def _move(report: Report, state: str, *fields: str) -> None:
    report.state = state
    report.save(update_fields=["state", *fields])


@transaction.atomic
def assign_report(
    report: Report, *, acting_user: AnyUser, unit: Unit | None = None, user: User | None = None
) -> Report:
    """Give the report to a unit (the hamlet or the commune) or a person who handles it."""
    _require_handler(acting_user, report)
    if not report.is_open:
        raise ValidationError(_("This report is no longer open."), code="state")
    if unit is None and user is None:
        raise ValidationError(_("Choose a unit or a person."), code="assignee")
    if unit is not None and not (
        is_within(report.hamlet.path, unit.path) and is_within(unit.path, report.commune.path)
    ):
        raise ValidationError(_("Choose the hamlet or the commune."), code="assignee")
    if user is not None and not can(user, Capability.HANDLE_FEEDBACK, report.hamlet):
        raise ValidationError(_("This person does not handle this hamlet's reports."))
    report.assigned_unit = unit or report.assigned_unit
    report.assigned_user = user
    report.assigned_at = timezone.now()
    with tallies.counted(report):
        _move(report, Report.State.ASSIGNED, "assigned_unit", "assigned_user", "assigned_at")
    _audit(acting_user, "assigned", report, unit=str(report.assigned_unit), user=str(user or ""))
    title = _("New report to handle: %(code)s") % {"code": report.tracking_display}
    body = _("%(category)s in %(hamlet)s, due by %(due)s: %(text)s") % {
        "category": report.category.name,
        "hamlet": report.hamlet.name,
        "due": report.due_on.strftime("%d/%m/%Y"),
        "text": report.text[:300],
    }
    if user is not None:
        _send(report, [Audience(kind=Audience.Kind.ACCOUNT, user=user)], title, body)
    elif report.assigned_unit is not None:
        role = (
            Role.HAMLET_HEAD
            if report.assigned_unit.kind == Unit.Kind.HAMLET
            else Role.COMMUNE_OFFICIAL
        )
        _send(
            report,
            [Audience(kind=Audience.Kind.ROLE, role=role, unit=report.assigned_unit)],
            title,
            body,
        )
    tell_reporters(report, _("Your report is being handled"), _state_text(report))
    return report


@transaction.atomic
def start_work(report: Report, *, acting_user: AnyUser) -> Report:
    _require_handler(acting_user, report)
    if report.state not in (Report.State.RECEIVED, Report.State.ASSIGNED):
        raise ValidationError(_("This report is not waiting to be worked on."), code="state")
    with tallies.counted(report):
        _move(report, Report.State.IN_PROGRESS)
    _audit(acting_user, "in_progress", report)
    tell_reporters(report, _("Your report is being handled"), _state_text(report))
    return report


@transaction.atomic
def add_note(report: Report, *, acting_user: AnyUser, text: str) -> Note:
    user = _require_handler(acting_user, report)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the note."), code="note")
    note = Note.objects.create(report=report, author=user, text=text[:2000])
    _audit(acting_user, "note", report)
    return note


@transaction.atomic
def answer_report(
    report: Report, *, acting_user: AnyUser, text: str, photos: Iterable[Upload] = ()
) -> Report:
    """The public answer, with photos of the fix; every reporter is told."""
    user = _require_handler(acting_user, report)
    if not report.is_open:
        raise ValidationError(_("This report is no longer open."), code="state")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the answer."), code="answer")
    if len(text) > ANSWER_MAX:
        raise ValidationError(_("The answer is too long."), code="answer")
    _store_photos(report, photos, Photo.Kind.ANSWER)
    now = timezone.now()
    today = timezone.localdate(now)
    report.answer = text
    report.answered_at = now
    report.answered_by = user
    report.days_to_answer = Holiday.calendar().working_days_between(
        timezone.localdate(report.received_at), today
    )
    report.answered_on_time = today <= report.due_on
    with tallies.counted(report):
        _move(
            report,
            Report.State.ANSWERED,
            "answer",
            "answered_at",
            "answered_by",
            "days_to_answer",
            "answered_on_time",
        )
    _audit(acting_user, "answered", report)
    tell_reporters(
        report,
        _("Your report %(code)s has been answered") % {"code": report.tracking_display},
        text,
    )
    return report


@transaction.atomic
def close_report(report: Report, *, acting_user: AnyUser) -> Report:
    _require_handler(acting_user, report)
    if report.state != Report.State.ANSWERED:
        raise ValidationError(_("Only an answered report can be closed."), code="state")
    report.closed_at = timezone.now()
    with tallies.counted(report):
        _move(report, Report.State.CLOSED, "closed_at")
    _audit(acting_user, "closed", report)
    return report


@transaction.atomic
def decline_report(
    report: Report,
    *,
    acting_user: AnyUser,
    reason: str,
    note: str = "",
    duplicate_of: Report | None = None,
) -> Report:
    """Decline with a reason; a duplicate is merged into the original and both told."""
    _require_handler(acting_user, report)
    if not report.is_open:
        raise ValidationError(_("This report is no longer open."), code="state")
    if reason not in Report.Decline.values:
        raise ValidationError(_("Choose why the report is declined."), code="reason")
    if reason == Report.Decline.DUPLICATE:
        if (
            duplicate_of is None
            or duplicate_of.pk == report.pk
            or duplicate_of.commune_id != report.commune_id
            or duplicate_of.state == Report.State.DECLINED
        ):
            raise ValidationError(_("Give the code of the original report."), code="original")
        report.duplicate_of = duplicate_of
    elif not (note or "").strip():
        raise ValidationError(_("Give the reason."), code="reason")
    report.decline_reason = reason
    report.decline_note = (note or "").strip()[:500]
    report.closed_at = timezone.now()
    with tallies.counted(report):
        _move(
            report,
            Report.State.DECLINED,
            "duplicate_of",
            "decline_reason",
            "decline_note",
            "closed_at",
        )
    _audit(acting_user, "declined", report, reason=reason)
    if duplicate_of is not None:
        merged = _(
            "Your report %(code)s was about the same problem as report %(original)s; the "
            "two are handled as one and you will both be told the answer."
        ) % {"code": report.tracking_display, "original": duplicate_of.tracking_display}
        tell_reporters(report, _("Your report was merged"), merged, with_duplicates=False)
        tell_reporters(
            duplicate_of,
            _("Another resident reported the same problem"),
            _(
                "Another resident reported the same problem as your report %(code)s; the "
                "reports are handled as one."
            )
            % {"code": duplicate_of.tracking_display},
            with_duplicates=False,
        )
    else:
        tell_reporters(
            report,
            _("Your report %(code)s was declined") % {"code": report.tracking_display},
            f"{report.get_decline_reason_display()}: {report.decline_note}",
        )
    return report


# The resident's side -----------------------------------------------------------------------


def _reopen(report: Report, acting_user: AnyUser | None, note: str, **fields: object) -> None:
    """Back to work with a new deadline from today; the note says why, for the handlers."""
    report.reopened_at = timezone.now()
    report.due_on = due_on(timezone.localdate(), report.category)
    report.closed_at = None
    report.escalated_at = None
    for name, value in fields.items():
        setattr(report, name, value)
    Note.objects.create(report=report, author=_user(acting_user), text=note[:2000])
    with tallies.counted(report):
        _move(
            report,
            Report.State.IN_PROGRESS,
            "reopened_at",
            "due_on",
            "closed_at",
            "escalated_at",
            *fields,
        )


def _tell_handler(report: Report, title: str, body: str) -> None:
    """The person the report is assigned to, or the holders of its unit's handling role."""
    if report.assigned_user_id:
        audience = Audience(kind=Audience.Kind.ACCOUNT, user=report.assigned_user)
    else:
        unit = report.assigned_unit or report.commune
        role = Role.HAMLET_HEAD if unit.kind == Unit.Kind.HAMLET else Role.COMMUNE_OFFICIAL
        audience = Audience(kind=Audience.Kind.ROLE, role=role, unit=unit)
    _send(report, [audience], title, body)


@transaction.atomic
def reopen_report(report: Report, *, acting_user: AnyUser | None, reason: str) -> Report:
    """The resident is not satisfied: once, within 7 days of the answer. The handler is
    told."""
    if not report.may_reopen():
        raise ValidationError(
            _("A report can be reopened once, within 7 days of its answer."), code="reopen"
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the answer does not solve the problem."), code="reason")
    _reopen(
        report, acting_user, _("Reopened: ") + reason[:1900], rating=Report.Rating.NOT_SATISFIED
    )
    _audit(acting_user, "reopened", report)
    _tell_handler(
        report,
        _("Report reopened by the resident: %(code)s") % {"code": report.tracking_display},
        _("The resident is not satisfied with the answer: %(reason)s. New due day: %(due)s.")
        % {"reason": reason[:500], "due": report.due_on.strftime("%d/%m/%Y")},
    )
    return report


REOPENABLE = (Report.State.ANSWERED, Report.State.CLOSED, Report.State.DECLINED)


@transaction.atomic
def reopen_by_handler(report: Report, *, acting_user: AnyUser, reason: str) -> Report:
    """A handler takes an answered, closed or declined report back to work (the fix did
    not hold, a decline was wrong, a merge was a mistake): with a reason, a new deadline,
    audited, and the reporter told. A merged duplicate becomes a report of its own."""
    _require_handler(acting_user, report)
    if report.state not in REOPENABLE:
        raise ValidationError(_("This report is still open."), code="state")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for reopening."), code="reason")
    previous = report.state
    _reopen(
        report,
        acting_user,
        _("Reopened by the handler: ") + reason[:1900],
        duplicate_of=None,
        decline_reason="",
        decline_note="",
    )
    _audit(acting_user, "reopened_by_handler", report, state=previous, reason=reason[:500])
    tell_reporters(
        report,
        _("Your report %(code)s was reopened") % {"code": report.tracking_display},
        _("The commune is handling your report again: %(reason)s. New due day: %(due)s.")
        % {"reason": reason[:500], "due": report.due_on.strftime("%d/%m/%Y")},
        with_duplicates=False,
    )
    return report


@transaction.atomic
def rate_report(report: Report, *, acting_user: AnyUser | None, rating: str) -> Report:
    if report.state not in (Report.State.ANSWERED, Report.State.CLOSED):
        raise ValidationError(_("Only an answer can be rated."), code="state")
    if rating not in Report.Rating.values:
        raise ValidationError(_("Choose satisfied or not satisfied."), code="rating")
    report.rating = rating
    with tallies.counted(report):
        report.save(update_fields=["rating"])
    _audit(acting_user, "rated", report, rating=rating)
    return report


# Escalation ------------------------------------------------------------------------------


def _superior_audience(report: Report) -> Audience:
    """Who is above the handler: the commune's officials above a hamlet, its leaders above
    the commune's own officials."""
    if report.assigned_unit_id and report.assigned_unit_id != report.commune_id:
        return Audience(kind=Audience.Kind.ROLE, role=Role.COMMUNE_OFFICIAL, unit=report.commune)
    leaders = RoleAssignment.objects.filter(role=Role.COMMUNE_LEADER, unit=report.commune)
    role = Role.COMMUNE_LEADER if leaders.exists() else Role.COMMUNE_ADMIN
    return Audience(kind=Audience.Kind.ROLE, role=role, unit=report.commune)


def escalate_overdue(today: date | None = None) -> int:
    """Tell the handler's superior of each report past its deadline, once per deadline."""
    today = today or timezone.localdate()
    count = 0
    overdue = (
        Report.objects.overdue(today)
        .filter(escalated_at__isnull=True)
        .select_related("commune", "hamlet", "category", "assigned_unit")
    )
    for report in overdue.iterator():
        with transaction.atomic():
            Report.objects.filter(pk=report.pk).update(escalated_at=timezone.now())
            _send(
                report,
                [_superior_audience(report)],
                _("Overdue report: %(code)s") % {"code": report.tracking_display},
                _(
                    "The report %(code)s (%(category)s, %(hamlet)s) was due by %(due)s and "
                    "is not answered yet. Handled by: %(handler)s."
                )
                % {
                    "code": report.tracking_display,
                    "category": report.category.name,
                    "hamlet": report.hamlet.name,
                    "due": report.due_on.strftime("%d/%m/%Y"),
                    "handler": report.assigned_unit or "—",
                },
            )
            _audit(None, "escalated", report)
        count += 1
    return count


def handlers_for(report: Report) -> list[User]:
    """Accounts that may be given the report: HANDLE_FEEDBACK holders over its hamlet."""
    roles = [role for role in Role if Capability.HANDLE_FEEDBACK in CAPABILITIES[role]]
    paths = [report.hamlet.path, report.commune.path]
    return list(
        User.objects.filter(
            Q(role_assignments__unit__path__in=paths), role_assignments__role__in=roles
        )
        .distinct()
        .order_by("full_name", "username")
    )
