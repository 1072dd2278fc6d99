"""Every write to the party handbook: atomic, audited, taking the acting user.

Rules checked here (domain.md §7): admission from full 18 to full 60 years counted in
months at the cell's consideration, older only with the provincial committee's
written approval (Regulation 232-QĐ/TW, 2025), probation of
12 months before full membership, one open candidacy per person, fee rules and
hardship cuts of 30/50/70 % for at most 12 months, one answer per question.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from langso.accounts.models import AuditEntry, RoleAssignment, User, recordable
from langso.accounts.roles import Role
from langso.lib.dates import add_months, month_start
from langso.lib.files import MAX_UPLOAD_DOCUMENT_BYTES, kind_of
from langso.notices import actions as notices
from langso.notices.models import Audience, Notice
from langso.party import notices as party_notices
from langso.party.models import (
    ADMISSION_AGES,
    HARDSHIP_CUTS,
    HARDSHIP_MAX_MONTHS,
    Activity,
    AdmissionTarget,
    Answer,
    Candidate,
    Document,
    FeeMonth,
    FeeSchedule,
    Invitation,
    Meeting,
    Member,
    Organisation,
    Question,
    Rating,
    Reading,
    Transfer,
    admission_age_check,
    rating_level,
)
from langso.party.statistics import PROBATION_NOTICE_DAYS
from langso.places.models import Unit
from langso.registry.models import Person


def _actor(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def _audit(
    acting_user: User | None,
    verb: str,
    target: Model,
    unit: Unit | None = None,
    changes: dict[str, list[object]] | None = None,
) -> None:
    AuditEntry.objects.record(
        acting_user, f"party.{verb}", target=target, unit=unit, changes=changes
    )


def _check_not_future(day: date) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")


# Organisations ----------------------------------------------------------------


@transaction.atomic
def create_organisation(
    *,
    acting_user: User | None,
    name: str,
    kind: str,
    unit: Unit,
    parent: Organisation | None = None,
    is_demo: bool = False,
) -> Organisation:
    if kind == Organisation.Kind.CELL and parent is None:
        raise ValidationError(_("A party cell belongs to a party committee."), code="no_parent")
    if parent is not None and parent.kind != Organisation.Kind.COMMITTEE:
        raise ValidationError(_("Only a party committee has organisations under it."))
    organisation = Organisation.objects.create(
        name=name, kind=kind, unit=unit, parent=parent, path=f"~{timezone.now().timestamp()}"
    )
    organisation.path = f"{parent.path}/{organisation.pk}" if parent else str(organisation.pk)
    organisation.is_demo = is_demo
    organisation.save(update_fields=["path", "is_demo"])
    _audit(acting_user, "organisation_created", organisation, unit)
    return organisation


# Members ----------------------------------------------------------------------


def _check_admission(
    person: Person, organisation: Organisation, admitted_on: date, *, returning_ok: bool = False
) -> None:
    if organisation.kind != Organisation.Kind.CELL:
        raise ValidationError(_("Members belong to a party cell."), code="not_cell")
    if person.died_on:
        raise ValidationError(
            _("%(name)s is recorded as deceased.") % {"name": person.full_name}, code="deceased"
        )
    existing = Member.objects.filter(person=person)
    if returning_ok:
        existing = existing.exclude(status=Member.Status.TRANSFERRED_OUT)
    if existing.exists():
        raise ValidationError(
            _("%(name)s is already recorded as a party member.") % {"name": person.full_name},
            code="already_member",
        )


def _check_admission_age(
    person: Person, considered_on: date, approval: dict[str, Any]
) -> dict[str, Any]:
    """Regulation 232-QĐ/TW (2025): from full 18 to full 60 years, counted in months, on
    the day the cell considers the admission; older only with the provincial committee's
    written approval, whose number, date and issuing body are recorded."""
    verdict = admission_age_check(person, considered_on)
    low, high = ADMISSION_AGES
    if verdict == "no_birth_date":
        raise ValidationError(
            _("The date of birth is needed to check the admission age."), code="no_birth_date"
        )
    if verdict == "too_young":
        raise ValidationError(
            _(
                "A person is admitted from full %(low)s years of age; %(name)s was %(age)s "
                "when the cell considered the admission."
            )
            % {"low": low, "name": person.full_name, "age": person.age_on(considered_on)},
            code="admission_age",
        )
    if verdict == "needs_approval" and not all(approval.values()):
        raise ValidationError(
            _(
                "%(name)s was over %(high)s years of age (counted in months) when the cell "
                "considered the admission: record the provincial committee's written "
                "approval (number, date and issuing body)."
            )
            % {"high": high, "name": person.full_name},
            code="admission_age",
        )
    if verdict == "ok":  # no approval needed: none recorded
        return {"age_approval_number": "", "age_approval_on": None, "age_approval_by": ""}
    return approval


@transaction.atomic
def admit_member(
    person: Person,
    *,
    acting_user: User | None,
    organisation: Organisation,
    admitted_on: date,
    considered_on: date | None = None,
    age_approval_number: str = "",
    age_approval_on: date | None = None,
    age_approval_by: str = "",
    card_number: str = "",
    no_phone: bool = False,
    is_demo: bool = False,
) -> Member:
    """Record the admission ceremony: a probationary member of `organisation`.

    `considered_on`: the day the cell considered the admission (the age is counted
    then; the ceremony's day when not given). Someone over 60 needs the provincial
    committee's written approval: `age_approval_number`, `_on` and `_by`.
    `no_phone`: the member cannot be reached by phone and is told in person (the
    person's Reach in notices)."""
    _check_admission(person, organisation, admitted_on)
    _check_not_future(admitted_on)
    considered_on = considered_on or admitted_on
    if considered_on > admitted_on:
        raise ValidationError(
            _("The cell considers the admission before the ceremony."), code="considered_after"
        )
    approval = {
        "age_approval_number": age_approval_number.strip(),
        "age_approval_on": age_approval_on,
        "age_approval_by": age_approval_by.strip(),
    }
    approval = _check_admission_age(person, considered_on, approval)
    member = Member.objects.create(
        person=person,
        organisation=organisation,
        admitted_on=admitted_on,
        considered_on=considered_on,
        card_number=card_number,
        status=Member.Status.PROBATIONARY,
        is_demo=is_demo,
        **approval,
    )
    if no_phone:
        _set_no_phone(person, acting_user=acting_user, no_phone=True)
    Candidate.objects.filter(person=person, stage__in=Candidate.OPEN).update(
        stage=Candidate.Stage.ADMITTED, since=admitted_on
    )
    _audit(
        acting_user,
        "member_admitted",
        member,
        organisation.unit,
        {
            "status": [None, member.status],
            "organisation": [None, str(organisation)],
            **{key: [None, str(value)] for key, value in approval.items() if value},
        },
    )
    return member


@transaction.atomic
def receive_member(
    person: Person,
    *,
    acting_user: User | None,
    organisation: Organisation,
    on: date,
    came_from: str,
    admitted_on: date,
    full_member_on: date | None = None,
    card_number: str = "",
    no_phone: bool = False,
) -> Member:
    """A member transferred in from an organisation outside the system.

    Someone who once transferred out of this system comes back as the same member,
    with their history.
    """
    _check_admission(person, organisation, on, returning_ok=True)
    _check_not_future(on)
    if not came_from:
        raise ValidationError(_("Say which organisation the member comes from."))
    if full_member_on and full_member_on < admitted_on:
        raise ValidationError(_("Full membership cannot come before admission."))
    status = Member.Status.FULL if full_member_on else Member.Status.PROBATIONARY
    fields: dict[str, Any] = {
        "organisation": organisation,
        "admitted_on": admitted_on,
        "full_member_on": full_member_on,
        "status": status,
        "position": Member.Position.NONE,
    }
    if card_number:
        fields["card_number"] = card_number
    member, _created = Member.objects.update_or_create(person=person, defaults=fields)
    if no_phone:
        _set_no_phone(person, acting_user=acting_user, no_phone=True)
    Transfer.objects.create(
        member=member,
        to_organisation=organisation,
        elsewhere=came_from,
        on=on,
        recorded_by=_actor(acting_user),
    )
    _audit(
        acting_user,
        "member_transferred_in",
        member,
        organisation.unit,
        {"organisation": [came_from, str(organisation)]},
    )
    return member


@transaction.atomic
def confirm_full_membership(member: Member, *, acting_user: User | None, on: date) -> Member:
    """End the probation: only a probationary member, and not before 12 months."""
    if member.status != Member.Status.PROBATIONARY:
        raise ValidationError(_("Only a probationary member becomes a full member."))
    if not member.probation_is_over(on):
        raise ValidationError(
            _("The probation ends on %(day)s.")
            % {"day": member.probation_ends_on().strftime("%d/%m/%Y")},
            code="probation",
        )
    _check_not_future(on)
    member.status = Member.Status.FULL
    member.full_member_on = on
    member.save(update_fields=["status", "full_member_on"])
    _audit(
        acting_user,
        "member_confirmed",
        member,
        member.organisation.unit,
        {"status": [Member.Status.PROBATIONARY, Member.Status.FULL]},
    )
    return member


@transaction.atomic
def transfer_member(
    member: Member,
    *,
    acting_user: User | None,
    on: date,
    to_organisation: Organisation | None = None,
    elsewhere: str = "",
) -> Member:
    """Move a member to another cell, or out to an organisation elsewhere."""
    if not member.is_current:
        raise ValidationError(_("Only a current member can be transferred."))
    if (to_organisation is None) == (not elsewhere):
        raise ValidationError(_("Choose a cell here or name the organisation elsewhere."))
    if to_organisation is not None and to_organisation.kind != Organisation.Kind.CELL:
        raise ValidationError(_("Members belong to a party cell."), code="not_cell")
    if to_organisation is not None and to_organisation.pk == member.organisation_id:
        raise ValidationError(_("The member is already in this cell."))
    _check_not_future(on)
    old = member.organisation
    Transfer.objects.create(
        member=member,
        from_organisation=old,
        to_organisation=to_organisation,
        elsewhere=elsewhere,
        on=on,
        recorded_by=_actor(acting_user),
    )
    member.position = Member.Position.NONE
    if to_organisation is not None:
        member.organisation = to_organisation
    else:
        member.status = Member.Status.TRANSFERRED_OUT
    member.save(update_fields=["organisation", "status", "position"])
    _audit(
        acting_user,
        "member_transferred",
        member,
        old.unit,
        {"organisation": [str(old), str(to_organisation or elsewhere)]},
    )
    return member


@transaction.atomic
def end_membership(
    member: Member, *, acting_user: User | None, status: str, on: date, note: str = ""
) -> Member:
    """Record a removal or a death."""
    if status not in (Member.Status.REMOVED, Member.Status.DECEASED):
        raise ValidationError(_("Choose removal or death."))
    if not member.is_current:
        raise ValidationError(_("Only a current member can leave."))
    _check_not_future(on)
    old = member.status
    member.status = status
    member.position = Member.Position.NONE
    member.save(update_fields=["status", "position"])
    _audit(
        acting_user,
        "member_left",
        member,
        member.organisation.unit,
        {"status": [old, status], "on": [None, on.isoformat()], "note": [None, note]},
    )
    return member


MEMBER_FIELDS = (
    "card_number",
    "position",
    "fee_basis",
    "fee_base",
    "exemption",
    "hardship_cut",
    "hardship_until",
)


def _set_no_phone(person: Person, *, acting_user: User | None, no_phone: bool) -> None:
    """Whether the person is told in person: their Reach in notices, the rest kept."""
    reach = getattr(person, "reach", None)
    person.reach = notices.set_reach(
        person,
        acting_user=acting_user,
        channels=reach.channels if reach else [],
        zalo_phone=reach.zalo_phone if reach else "",
        sms_phone=reach.sms_phone if reach else "",
        email=reach.email if reach else "",
        no_phone=no_phone,
    )


@transaction.atomic
def update_member(
    member: Member, *, acting_user: User | None, no_phone: bool | None = None, **fields: Any
) -> Member:
    """Change the profile's own fields; the audit row keeps old → new. `no_phone` (when
    given) says whether the member is told in person: the person's Reach."""
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"not member fields: {sorted(unknown)}")
    cut = fields.get("hardship_cut", member.hardship_cut)
    until = fields.get("hardship_until", member.hardship_until)
    if cut and cut not in HARDSHIP_CUTS:
        raise ValidationError(_("A hardship reduction is 30, 50 or 70 %."), code="hardship_cut")
    if cut and until is None:
        raise ValidationError(_("Say until when the hardship reduction lasts."))
    last_month = add_months(month_start(timezone.localdate()), HARDSHIP_MAX_MONTHS - 1)
    if cut and until is not None and month_start(until) > last_month:
        raise ValidationError(
            _("A hardship reduction lasts at most 12 months."), code="hardship_months"
        )
    changes: dict[str, list[object]] = {}
    for name, value in fields.items():
        old = getattr(member, name)
        if old != value:
            changes[name] = [recordable(old), recordable(value)]
            setattr(member, name, value)
    if changes:
        member.save(update_fields=list(changes))
    if no_phone is not None and no_phone != member.told_in_person:
        changes["no_phone"] = [member.told_in_person, no_phone]
        _set_no_phone(member.person, acting_user=acting_user, no_phone=no_phone)
    if changes:
        _audit(acting_user, "member_updated", member, member.organisation.unit, changes)
    return member


@transaction.atomic
def create_member_account(
    member: Member, *, acting_user: User | None, username: str, password: str
) -> User:
    """An account for the member's phone, holding the party-member role at the cell's unit."""
    if member.user_id:
        raise ValidationError(_("This member already has an account."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("This user name is taken."), code="username_taken")
    user = User.objects.create_user(
        username=username,
        password=password,
        full_name=member.person.full_name,
        email=member.person.email,
        phone=member.person.phone,
        person=member.person,
        # The secretary chose the password: the member chooses their own at first login.
        must_change_password=acting_user is not None,
    )
    RoleAssignment.objects.create(
        user=user, role=Role.PARTY_MEMBER, unit=member.organisation.unit, granted_by=acting_user
    )
    member.user = user
    member.save(update_fields=["user"])
    _audit(acting_user, "member_account_created", member, member.organisation.unit)
    return user


def log_member_view(member: Member, *, acting_user: User | None) -> None:
    """Party membership is sensitive (domain.md §8): every read of a profile is logged."""
    _audit(acting_user, "member_viewed", member, member.organisation.unit)


# Meetings ---------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(
    organisation: Organisation,
    *,
    acting_user: User | None,
    kind: str,
    title: str,
    starts_at: datetime,
    place: str,
    agenda: str = "",
    for_month: date | None = None,
) -> Meeting:
    """Create the meeting and invite every current member: the invitation goes out as a
    notice in the organisation's name (in the app, Zalo, SMS or e-mail, else in person
    by the cell secretary), once the transaction commits."""
    meeting = Meeting.objects.create(
        organisation=organisation,
        kind=kind,
        title=title,
        for_month=month_start(for_month or timezone.localdate(starts_at)),
        starts_at=starts_at,
        place=place,
        agenda=agenda,
        created_by=_actor(acting_user),
    )
    invited = list(organisation.current_members())
    Invitation.objects.bulk_create(Invitation(meeting=meeting, member=member) for member in invited)
    _audit(acting_user, "meeting_scheduled", meeting, organisation.unit)
    if invited:
        meeting.notice = _send_invitation(meeting, invited, acting_user=acting_user)
        meeting.save(update_fields=["notice"])
    return meeting


def _send_invitation(
    meeting: Meeting, invited: Sequence[Member], *, acting_user: User | None
) -> Notice:
    """The invitation as a notice to the cell (or to the members invited, for a committee)."""
    organisation = meeting.organisation
    if organisation.kind == Organisation.Kind.CELL:
        audiences = [Audience(kind=party_notices.KIND, target_id=organisation.pk)]
    else:
        audiences = [
            Audience(kind=Audience.Kind.PERSON, person_id=member.person_id) for member in invited
        ]
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("%(organisation)s invites you to its meeting:") % {"organisation": organisation},
            "",
            meeting.title,
            f"{_('Time')}: {timezone.localtime(meeting.starts_at):%H:%M %d/%m/%Y}",
            f"{_('Place')}: {meeting.place}",
        ]
        if meeting.agenda:
            lines += [f"{_('Agenda')}:", meeting.agenda]
        lines += [
            "",
            _(
                "Please confirm your attendance, or send the reason for your absence, "
                "in the party handbook."
            ),
        ]
        notice = notices.create_notice(
            acting_user=acting_user,
            unit=None,
            sender_kind=party_notices.KIND,
            sender_id=organisation.pk,
            title=_("Meeting invitation: %(title)s") % {"title": meeting.title},
            body="\n".join(lines),
            audiences=audiences,
        )
    return notices.send_notice(notice, acting_user=acting_user)


@transaction.atomic
def respond_to_invitation(
    invitation: Invitation, *, acting_user: User | None, response: str, excuse: str = ""
) -> Invitation:
    """The member's own answer: they will come, or they send a reason for absence."""
    if response not in (Invitation.Response.CONFIRMED, Invitation.Response.EXCUSED):
        raise ValidationError(_("Choose whether you will attend."))
    excuse = excuse.strip()
    if response == Invitation.Response.EXCUSED and not excuse:
        raise ValidationError(_("Give the reason for your absence."), code="no_reason")
    if invitation.meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("This meeting is no longer open for answers."))
    invitation.response = response
    invitation.excuse = excuse if response == Invitation.Response.EXCUSED else ""
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "excuse", "responded_at"])
    Activity.note(invitation.member, at=invitation.responded_at, responses=1)
    _audit(
        acting_user, "invitation_answered", invitation.meeting, None, {"response": [None, response]}
    )
    return invitation


@transaction.atomic
def record_meeting(
    meeting: Meeting,
    *,
    acting_user: User | None,
    held_on: date,
    attendance: Mapping[int, str],
    minutes: str = "",
    minutes_file: File | None = None,
) -> Meeting:
    """The meeting was held: attendance per invitation ({invitation id: value}) and minutes."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    _check_not_future(held_on)
    valid = set(Invitation.Attendance.values) - {""}
    invitations = {inv.pk: inv for inv in meeting.invitations.all()}
    for invitation_id, value in attendance.items():
        if invitation_id not in invitations or value not in valid:
            raise ValidationError(_("Record each member as present, excused or absent."))
    for invitation_id, value in attendance.items():
        invitation = invitations[invitation_id]
        if invitation.attendance != value:
            invitation.attendance = value
            invitation.save(update_fields=["attendance"])
    meeting.status = Meeting.Status.HELD
    meeting.held_on = held_on
    meeting.minutes = minutes
    fields = ["status", "held_on", "minutes"]
    if minutes_file is not None:
        check_document_file(minutes_file)
        meeting.minutes_file = minutes_file
        fields.append("minutes_file")
    meeting.save(update_fields=fields)
    _audit(acting_user, "meeting_recorded", meeting, meeting.organisation.unit)
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, acting_user: User | None) -> Meeting:
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    _audit(acting_user, "meeting_cancelled", meeting, meeting.organisation.unit)
    return meeting


# Documents and study ----------------------------------------------------------


def check_document_file(upload: File) -> str:
    """PDF or DOCX by content, not by name, and at most 20 MB."""
    if upload.size > MAX_UPLOAD_DOCUMENT_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."), code="too_big")
    kind = kind_of(upload)
    if kind not in ("pdf", "docx"):
        raise ValidationError(_("Upload a PDF or a Word (DOCX) file."), code="file_type")
    return kind


@transaction.atomic
def add_document(
    *,
    acting_user: User | None,
    kind: str,
    title: str,
    issuing_body: str,
    issued_on: date,
    file: File,
    organisations: Sequence[Organisation],
    number: str = "",
    tags: str = "",
    summary: str = "",
    meeting: Meeting | None = None,
    is_demo: bool = False,
) -> Document:
    check_document_file(file)
    if not organisations:
        raise ValidationError(_("Choose at least one organisation the document is for."))
    document = Document.objects.create(
        kind=kind,
        number=number,
        title=title,
        issuing_body=issuing_body,
        issued_on=issued_on,
        tags=tags,
        summary=summary,
        file=file,
        meeting=meeting,
        uploaded_by=_actor(acting_user),
        is_demo=is_demo,
    )
    document.organisations.set(organisations)
    _audit(acting_user, "document_added", document, organisations[0].unit)
    return document


@transaction.atomic
def add_question(
    document: Document,
    *,
    acting_user: User | None,
    text: str,
    choices: Iterable[str],
    correct: int,
    points: int = 10,
) -> Question:
    choices = [choice.strip() for choice in choices if choice and choice.strip()]
    if len(choices) < 2:
        raise ValidationError(_("A question needs at least two choices."))
    if not 1 <= correct <= len(choices):
        raise ValidationError(_("Mark which choice is correct."))
    order = (document.questions.aggregate(last=Max("order"))["last"] or 0) + 1
    question = Question.objects.create(
        document=document, text=text, choices=choices, correct=correct, points=points, order=order
    )
    _audit(acting_user, "question_added", document)
    return question


@transaction.atomic
def record_reading(document: Document, member: Member) -> Reading:
    """The member opened the document: kept once, at the first time."""
    reading, created = Reading.objects.get_or_create(document=document, member=member)
    if created:
        Activity.note(member, at=reading.read_at, documents_read=1)
    return reading


@transaction.atomic
def answer_question(question: Question, member: Member, *, choice: int) -> Answer:
    """One answer per member and question; a right one earns the question's points."""
    if not 1 <= choice <= len(question.choices):
        raise ValidationError(_("Choose one of the answers."))
    is_correct = choice == question.correct
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                question=question,
                member=member,
                choice=choice,
                is_correct=is_correct,
                points=question.points if is_correct else 0,
            )
    except IntegrityError:
        raise ValidationError(
            _("You have already answered this question."), code="answered"
        ) from None
    Activity.note(member, at=answer.answered_at, answers=1, points=answer.points)
    return answer


# Admission --------------------------------------------------------------------


@transaction.atomic
def set_admission_target(
    organisation: Organisation,
    *,
    acting_user: User | None,
    term: str,
    starts_on: date,
    ends_on: date,
    target: int,
) -> AdmissionTarget:
    if ends_on <= starts_on:
        raise ValidationError(_("The term must end after it starts."))
    record, _created = AdmissionTarget.objects.update_or_create(
        organisation=organisation,
        term=term,
        defaults={"starts_on": starts_on, "ends_on": ends_on, "target": target},
    )
    _audit(
        acting_user, "admission_target", organisation, organisation.unit, {"target": [None, target]}
    )
    return record


@transaction.atomic
def add_candidate(
    person: Person, *, acting_user: User | None, organisation: Organisation, note: str = ""
) -> Candidate:
    if organisation.kind != Organisation.Kind.CELL:
        raise ValidationError(_("Candidates are fostered by a party cell."), code="not_cell")
    if Member.objects.filter(person=person).exists():
        raise ValidationError(
            _("%(name)s is already recorded as a party member.") % {"name": person.full_name}
        )
    if Candidate.objects.filter(person=person, stage__in=Candidate.OPEN).exists():
        raise ValidationError(
            _("%(name)s is already a candidate.") % {"name": person.full_name},
            code="already_candidate",
        )
    candidate = Candidate.objects.create(person=person, organisation=organisation, note=note)
    _audit(
        acting_user,
        "candidate_added",
        organisation,
        organisation.unit,
        {"candidate": [None, person.full_name]},
    )
    return candidate


@transaction.atomic
def advance_candidate(
    candidate: Candidate, *, acting_user: User | None, stage: str, on: date
) -> Candidate:
    """Move a candidate along; admission goes through `admit_member` with its age rule."""
    if candidate.stage not in Candidate.OPEN:
        raise ValidationError(_("This candidacy is closed."))
    if stage == Candidate.Stage.ADMITTED:
        admit_member(
            candidate.person,
            acting_user=acting_user,
            organisation=candidate.organisation,
            admitted_on=on,
        )
        candidate.refresh_from_db()
        return candidate
    old = candidate.stage
    candidate.stage = stage
    candidate.since = on
    candidate.save(update_fields=["stage", "since"])
    _audit(
        acting_user,
        "candidate_advanced",
        candidate.organisation,
        candidate.organisation.unit,
        {"stage": [old, stage], "candidate": [None, candidate.person.full_name]},
    )
    return candidate


# Ratings ----------------------------------------------------------------------


def _score(value: Decimal | float | str) -> Decimal:
    try:
        score = Decimal(str(value)).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise ValidationError(_("A score is a number from 0 to 100.")) from None
    if not 0 <= score <= 100:
        raise ValidationError(_("A score is a number from 0 to 100."), code="score_range")
    return score


def _rating_for(subject: Member | Organisation, year: int) -> Rating:
    field = "member" if isinstance(subject, Member) else "organisation"
    rating, _created = Rating.objects.get_or_create(
        **{field: subject, "year": year}, defaults={"stage": Rating.Stage.SELF}
    )
    return rating


@transaction.atomic
def self_assess(
    subject: Member | Organisation,
    *,
    acting_user: User | None,
    year: int,
    score: Decimal | float | str,
    comment: str = "",
    tasks_exceeded: bool = False,
) -> Rating:
    """The member's (or organisation's) own assessment, first of the three steps."""
    rating = _rating_for(subject, year)
    if rating.stage == Rating.Stage.DECIDED:
        raise ValidationError(_("The committee has already decided this year's rating."))
    if rating.stage == Rating.Stage.REVIEWED:
        raise ValidationError(_("The cell has already reviewed this year's rating."))
    rating.self_score = _score(score)
    rating.self_comment = comment
    rating.tasks_exceeded = tasks_exceeded
    rating.level = rating_level(rating.score, tasks_exceeded=rating.tasks_exceeded)
    rating.updated_at = timezone.now()
    rating.save()
    _audit(acting_user, "rating_self", subject, None, {"score": [None, str(rating.self_score)]})
    return rating


@transaction.atomic
def review_rating(
    subject: Member | Organisation,
    *,
    acting_user: User | None,
    year: int,
    score: Decimal | float | str,
    tasks_exceeded: bool = False,
) -> Rating:
    """The cell's review of a member's self-assessment (or the committee's of a cell's)."""
    rating = _rating_for(subject, year)
    if rating.stage == Rating.Stage.DECIDED:
        raise ValidationError(_("The committee has already decided this year's rating."))
    rating.review_score = _score(score)
    rating.tasks_exceeded = tasks_exceeded
    rating.stage = Rating.Stage.REVIEWED
    rating.level = rating_level(rating.score, tasks_exceeded=tasks_exceeded)
    rating.updated_at = timezone.now()
    rating.save()
    _audit(
        acting_user, "rating_reviewed", subject, None, {"score": [None, str(rating.review_score)]}
    )
    return rating


@transaction.atomic
def decide_rating(
    subject: Member | Organisation,
    *,
    acting_user: User | None,
    year: int,
    score: Decimal | float | str,
    tasks_exceeded: bool = False,
) -> Rating:
    """The committee's decision: the year's level."""
    rating = _rating_for(subject, year)
    rating.decided_score = _score(score)
    rating.tasks_exceeded = tasks_exceeded
    rating.stage = Rating.Stage.DECIDED
    rating.level = rating_level(rating.decided_score, tasks_exceeded=tasks_exceeded)
    rating.decided_by = _actor(acting_user)
    rating.updated_at = timezone.now()
    rating.save()
    _audit(acting_user, "rating_decided", subject, None, {"level": [None, rating.level]})
    return rating


# Fees -------------------------------------------------------------------------


@transaction.atomic
def open_fee_month(organisation: Organisation, *, acting_user: User | None, month: date) -> int:
    """Work out every current member's fee for `month`; months already open keep their rows."""
    month = month_start(month)
    schedule = FeeSchedule.for_month(month)
    have = set(
        FeeMonth.objects.filter(member__organisation=organisation, month=month).values_list(
            "member_id", flat=True
        )
    )
    rows: list[FeeMonth] = []
    for member in organisation.current_members():
        if member.pk in have or member.admitted_on >= add_months(month, 1):
            continue
        due, reason = member.fee_for(month, schedule)
        rows.append(FeeMonth(member=member, month=month, due=due, reason=reason))
    FeeMonth.objects.bulk_create(rows)
    _audit(
        acting_user,
        "fee_month_opened",
        organisation,
        organisation.unit,
        {"month": [None, month.isoformat()]},
    )
    return len(rows)


@transaction.atomic
def record_payment(
    fee: FeeMonth, *, acting_user: User | None, amount: int, paid_on: date
) -> FeeMonth:
    if amount < 0:
        raise ValidationError(_("The amount cannot be negative."))
    _check_not_future(paid_on)
    old = fee.paid
    fee.paid = amount
    fee.paid_on = paid_on if amount else None
    fee.recorded_by = _actor(acting_user)
    fee.save(update_fields=["paid", "paid_on", "recorded_by"])
    _audit(
        acting_user, "fee_paid", fee.member, fee.member.organisation.unit, {"paid": [old, amount]}
    )
    return fee


@transaction.atomic
def excuse_fee_month(fee: FeeMonth, *, acting_user: User | None, excused: bool = True) -> FeeMonth:
    fee.excused = excused
    fee.save(update_fields=["excused"])
    _audit(
        acting_user,
        "fee_excused",
        fee.member,
        fee.member.organisation.unit,
        {"excused": [not excused, excused]},
    )
    return fee


# Reminders --------------------------------------------------------------------


def remind_probations(today: date) -> int:
    """Tell each cell's secretary and deputy, by a notice in the cell's name, whose
    probation ends within 30 days (or has ended without a decision). Each member is the
    subject of one reminder.
    """
    due = (
        Member.objects.filter(
            status=Member.Status.PROBATIONARY,
            probation_reminded_on__isnull=True,
            admitted_on__lte=add_months(today + timedelta(days=PROBATION_NOTICE_DAYS), -12),
        )
        .select_related("person", "organisation__unit")
        .order_by("organisation_id", "person__sort_key")
    )
    by_cell: dict[Organisation, list[Member]] = {}
    for member in due:
        by_cell.setdefault(member.organisation, []).append(member)
    sent = 0
    for cell, members in by_cell.items():
        managers = list(
            cell.members.filter(
                status__in=Member.CURRENT, position__in=Member.MANAGING_POSITIONS
            ).select_related("person")
        )
        if not managers:
            continue
        lines = [
            _("%(name)s: probation ends on %(day)s.")
            % {"name": m.person.full_name, "day": f"{m.probation_ends_on():%d/%m/%Y}"}
            for m in members
        ]
        with transaction.atomic():
            notice = notices.create_notice(
                acting_user=None,
                unit=None,
                sender_kind=party_notices.KIND,
                sender_id=cell.pk,
                title=_("Probation ending in %(cell)s") % {"cell": cell.name},
                body="\n".join(
                    [
                        *lines,
                        _(
                            "The cell reviews each of them and decides whether to propose "
                            "recognition as a full member."
                        ),
                    ]
                ),
                audiences=[
                    Audience(kind=Audience.Kind.PERSON, person=manager.person)
                    for manager in managers
                ],
            )
            notices.send_notice(notice, acting_user=None)
            Member.objects.filter(pk__in=[m.pk for m in members]).update(
                probation_reminded_on=today
            )
        sent += len(members)
    return sent
