"""Every write of the associations (design.md principle 5): atomic, audited, by a user."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from langso.accounts.models import AuditEntry, User
from langso.associations import counts, rules
from langso.associations import notices as association_notices
from langso.associations.models import (
    Activity,
    Attendance,
    Branch,
    DuesPayment,
    DuesRate,
    Fund,
    Instalment,
    Loan,
    Member,
    MemberEvent,
    Movement,
    MovementResult,
    Officer,
    Organisation,
    Photo,
    Repayment,
    Target,
)
from langso.lib.dates import add_months
from langso.lib.files import kind_of
from langso.notices import actions as notices
from langso.notices.models import Audience, Notice
from langso.places.models import Unit
from langso.registry.models import Person

MAX_PHOTO_BYTES = 10 * 1024 * 1024


def _actor(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def _audit(
    user: User | None,
    verb: str,
    target: object,
    unit: Unit | None,
    changes: dict | None = None,
) -> None:
    AuditEntry.objects.record(
        _actor(user), f"associations.{verb}", target=target, unit=unit, changes=changes
    )


# Organisations, branches, officers -----------------------------------------------------


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
    """An organisation at `unit` (the commune), with its kind's membership rule."""
    rule = rules.RULES[kind]
    organisation = Organisation.objects.create(
        name=name,
        kind=kind,
        unit=unit,
        parent=parent,
        min_age=rule.min_age,
        max_age=rule.max_age,
        sex=rule.sex,
        rule_source=rule.source,
        is_demo=is_demo,
    )
    _audit(acting_user, "organisation_created", organisation, unit)
    return organisation


@transaction.atomic
def create_branch(
    organisation: Organisation,
    *,
    acting_user: User | None,
    name: str,
    unit: Unit,
    parent: Branch | None = None,
) -> Branch:
    if not unit.path.startswith(organisation.unit.path):
        raise ValidationError(_("A branch belongs to a hamlet of the association's commune."))
    if parent is not None and parent.organisation_id != organisation.pk:
        raise ValidationError(_("A small group belongs to a branch of the same association."))
    branch = Branch.objects.create(organisation=organisation, name=name, unit=unit, parent=parent)
    _audit(acting_user, "branch_created", branch, unit)
    return branch


@transaction.atomic
def appoint_officer(
    user: User,
    *,
    acting_user: User | None,
    organisation: Organisation,
    branch: Branch | None = None,
) -> Officer:
    """Link an association leader's (or a branch head's) account to what they lead."""
    officer, _created = Officer.objects.get_or_create(
        user=user, organisation=organisation, branch=branch
    )
    _audit(acting_user, "officer_appointed", officer, (branch or organisation).unit)
    return officer


@transaction.atomic
def update_organisation(
    organisation: Organisation,
    *,
    acting_user: User | None,
    name: str,
    min_age: int | None,
    max_age: int | None,
    sex: str,
    rule_source: str,
) -> Organisation:
    """Rename an organisation or give it its own membership rule (rules.py: local
    practice varies); members already admitted stay, the rates follow the new rule."""
    if min_age is not None and max_age is not None and min_age > max_age:
        raise ValidationError(_("The minimum age is above the maximum age."))
    fields = {
        "name": name,
        "min_age": min_age,
        "max_age": max_age,
        "sex": sex,
        "rule_source": rule_source,
    }
    changes = {
        key: [getattr(organisation, key), value]
        for key, value in fields.items()
        if getattr(organisation, key) != value
    }
    for key, value in fields.items():
        setattr(organisation, key, value)
    organisation.save(update_fields=list(fields))
    _audit(acting_user, "organisation_updated", organisation, organisation.unit, changes)
    return organisation


@transaction.atomic
def update_branch(branch: Branch, *, acting_user: User | None, name: str) -> Branch:
    changes = {"name": [branch.name, name]} if branch.name != name else None
    branch.name = name
    branch.save(update_fields=["name"])
    _audit(acting_user, "branch_updated", branch, branch.unit, changes)
    return branch


@transaction.atomic
def end_officer(officer: Officer, *, acting_user: User | None) -> None:
    """The holder no longer leads that organisation (or branch): the Officer row goes,
    the role granted in accounts stays until an administrator revokes it."""
    unit = (officer.branch or officer.organisation).unit
    _audit(
        acting_user,
        "officer_ended",
        officer.organisation,
        unit,
        {"officer": [str(officer), None]},
    )
    officer.delete()


# Members ------------------------------------------------------------------------------


@transaction.atomic
def add_member(
    organisation: Organisation,
    person: Person,
    *,
    acting_user: User | None,
    joined_on: date,
    branch: Branch | None = None,
    card_number: str = "",
    position: str = "",
) -> Member:
    """Admit `person`. Outside the organisation's rule is a warning on the returned
    member (`member.warnings`), never a refusal (rules.py)."""
    if person.died_on and person.died_on <= joined_on:
        raise ValidationError(_("The registry records this person as deceased."))
    if branch is not None and branch.organisation_id != organisation.pk:
        raise ValidationError(_("Choose a branch of this association."))
    if Member.objects.filter(
        organisation=organisation, person=person, left_on__isnull=True
    ).exists():
        raise ValidationError(
            _("%(name)s is already a member of %(org)s.")
            % {"name": person.full_name, "org": organisation}
        )
    warnings = organisation.rule_warnings(person, joined_on)
    member = Member.objects.create(
        organisation=organisation,
        branch=branch,
        person=person,
        joined_on=joined_on,
        card_number=card_number,
        position=position,
    )
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.JOINED,
        on=joined_on,
        to_branch=branch,
        note="; ".join(str(w) for w in warnings),
        recorded_by=_actor(acting_user),
    )
    counts.members_changed([organisation.pk])
    _audit(acting_user, "member_added", member, (branch or organisation).unit)
    member.warnings = warnings  # type: ignore[attr-defined]  # shown by the page that adds
    return member


@transaction.atomic
def move_member(member: Member, *, acting_user: User | None, to_branch: Branch, on: date) -> Member:
    if to_branch.organisation_id != member.organisation_id:
        raise ValidationError(_("Choose a branch of this association."))
    if member.left_on is not None:
        raise ValidationError(_("This membership has ended."))
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.MOVED,
        on=on,
        from_branch=member.branch,
        to_branch=to_branch,
        recorded_by=_actor(acting_user),
    )
    member.branch = to_branch
    member.save(update_fields=["branch"])
    counts.members_changed([member.organisation_id])
    _audit(acting_user, "member_moved", member, to_branch.unit)
    return member


@transaction.atomic
def set_position(member: Member, *, acting_user: User | None, position: str, on: date) -> Member:
    old = member.position
    member.position = position
    member.save(update_fields=["position"])
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.POSITION,
        on=on,
        note=f"{Member.Position(old).label} → {Member.Position(position).label}",
        recorded_by=_actor(acting_user),
    )
    _audit(acting_user, "member_position", member, member.organisation.unit)
    return member


@transaction.atomic
def end_membership(
    member: Member, *, acting_user: User | None, on: date, ending: str, note: str = ""
) -> Member:
    """The membership ends on `on` (left, moved away, or died)."""
    if member.left_on is not None:
        raise ValidationError(_("This membership has ended."))
    if on < member.joined_on:
        raise ValidationError(_("A membership cannot end before it began."))
    member.left_on = on
    member.ending = ending
    member.save(update_fields=["left_on", "ending"])
    counts.members_changed([member.organisation_id])
    kind = MemberEvent.Kind.DIED if ending == Member.Ending.DIED else MemberEvent.Kind.LEFT
    MemberEvent.objects.create(
        member=member, kind=kind, on=on, note=note, recorded_by=_actor(acting_user)
    )
    _audit(
        acting_user, "member_ended", member, member.organisation.unit, {"ending": [None, ending]}
    )
    return member


@transaction.atomic
def end_memberships_of_deceased(person: Person, *, on: date) -> int:
    """A death recorded in the registry ends the person's memberships that day."""
    ended = 0
    for member in Member.objects.filter(person=person, left_on__isnull=True).select_related(
        "organisation__unit"
    ):
        end_membership(
            member,
            acting_user=None,
            on=max(on, member.joined_on),
            ending=Member.Ending.DIED,
            note=_("Recorded as deceased in the registry."),
        )
        ended += 1
    return ended


def on_person_died(sender: object, *, person: Person, on: date, **kwargs: object) -> None:
    """Receiver of `registry.signals.person_died`."""
    end_memberships_of_deceased(person, on=on)


@transaction.atomic
def reopen_memberships_of_withdrawn_death(person: Person, *, died_on: date) -> int:
    """A death withdrawn in the registry reopens the memberships that death ended (ended
    "died" on the day it gave, or on the joining day when they joined later), unless
    the person has joined the organisation again since."""
    reopened = 0
    for member in Member.objects.filter(
        person=person, ending=Member.Ending.DIED, left_on__gte=died_on
    ).select_related("organisation__unit"):
        if member.left_on != max(died_on, member.joined_on):
            continue
        if Member.objects.filter(
            organisation=member.organisation_id, person=person, left_on__isnull=True
        ).exists():
            continue
        member.left_on = None
        member.ending = ""
        member.save(update_fields=["left_on", "ending"])
        MemberEvent.objects.create(
            member=member,
            kind=MemberEvent.Kind.RESTORED,
            on=timezone.localdate(),
            note=_("The registry withdrew the death recorded on %(day)s.")
            % {"day": f"{died_on:%d/%m/%Y}"},
        )
        counts.members_changed([member.organisation_id])
        _audit(
            None,
            "member_restored",
            member,
            member.organisation.unit,
            {"left_on": [died_on.isoformat(), None]},
        )
        reopened += 1
    return reopened


def on_death_withdrawn(sender: object, *, person: Person, died_on: date, **kwargs: object) -> None:
    """Receiver of `registry.signals.death_withdrawn`."""
    reopen_memberships_of_withdrawn_death(person, died_on=died_on)


@transaction.atomic
def set_target(
    organisation: Organisation,
    *,
    acting_user: User | None,
    year: int,
    rate: int,
    unit: Unit | None = None,
) -> Target:
    if not 0 <= rate <= 100:
        raise ValidationError(_("A rate is between 0 and 100 %."))
    target, _created = Target.objects.update_or_create(
        organisation=organisation, unit=unit, year=year, defaults={"rate": rate}
    )
    _audit(acting_user, "target_set", target, unit or organisation.unit)
    return target


# Activities ---------------------------------------------------------------------------


@transaction.atomic
def schedule_activity(
    organisation: Organisation,
    *,
    acting_user: User | None,
    title: str,
    starts_at: datetime,
    place: str,
    branch: Branch | None = None,
    kind: str = Activity.Kind.MEETING,
    agenda: str = "",
    notify: bool = True,
) -> Activity:
    """Create the meeting or event and invite the current members of the branch (or of
    the whole organisation): the invitation goes out as a notice in its name through
    the notices channels once the transaction commits."""
    if branch is not None and branch.organisation_id != organisation.pk:
        raise ValidationError(_("Choose a branch of this association."))
    activity = Activity.objects.create(
        organisation=organisation,
        branch=branch,
        kind=kind,
        title=title,
        starts_at=starts_at,
        place=place,
        agenda=agenda,
        created_by=_actor(acting_user),
    )
    members = organisation.members.current()
    if branch is not None:
        members = members.filter(branch__in=[branch, *branch.small_groups.all()])
    Attendance.objects.bulk_create(Attendance(activity=activity, member=m) for m in members)
    _audit(acting_user, "activity_scheduled", activity, (branch or organisation).unit)
    if notify and activity.attendance.exists():
        activity.notice = _send_invitation(activity, acting_user=acting_user)
        activity.save(update_fields=["notice"])
    return activity


def _send_invitation(activity: Activity, *, acting_user: User | None) -> Notice:
    target: Branch | Organisation
    if activity.branch is not None:
        key, target = association_notices.BRANCH, activity.branch
    else:
        key, target = association_notices.ORGANISATION, activity.organisation
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("%(organisation)s invites you:") % {"organisation": target},
            "",
            activity.title,
            f"{_('Time')}: {timezone.localtime(activity.starts_at):%H:%M %d/%m/%Y}",
            f"{_('Place')}: {activity.place}",
        ]
        if activity.agenda:
            lines += [f"{_('Agenda')}:", activity.agenda]
        notice = notices.create_notice(
            acting_user=acting_user,
            unit=None,
            sender_kind=key,
            sender_id=target.pk,
            title=_("Invitation: %(title)s") % {"title": activity.title},
            body="\n".join(lines),
            audiences=[Audience(kind=key, target_id=target.pk)],
        )
    return notices.send_notice(notice, acting_user=acting_user)


@transaction.atomic
def record_attendance(
    activity: Activity,
    *,
    acting_user: User | None,
    present: Iterable[int],
    minutes: str | None = None,
) -> Activity:
    """Mark who came (member ids in `present`); everyone else invited was absent."""
    present_ids = set(present)
    rows = list(activity.attendance.all())
    for row in rows:
        row.status = (
            Attendance.Status.PRESENT if row.member_id in present_ids else Attendance.Status.ABSENT
        )
    Attendance.objects.bulk_update(rows, ["status"])
    if minutes is not None:
        activity.minutes = minutes
        activity.save(update_fields=["minutes"])
    _audit(
        acting_user,
        "attendance_recorded",
        activity,
        (activity.branch or activity.organisation).unit,
        {"present": [None, len([r for r in rows if r.member_id in present_ids])]},
    )
    return activity


@transaction.atomic
def add_photo(
    activity: Activity, upload: UploadedFile, *, acting_user: User | None, caption: str = ""
) -> Photo:
    """A photo of the activity: a JPEG or PNG by its content, whatever its name says."""
    if (upload.size or 0) > MAX_PHOTO_BYTES:
        raise ValidationError(_("The photo is larger than 10 MB."))
    if kind_of(upload) not in ("jpeg", "png"):
        raise ValidationError(_("Upload a photo (JPEG or PNG)."))
    upload.seek(0)
    photo = Photo.objects.create(
        activity=activity, file=upload, caption=caption, uploaded_by=_actor(acting_user)
    )
    _audit(acting_user, "photo_added", activity, activity.organisation.unit)
    return photo


@transaction.atomic
def create_movement(
    organisation: Organisation,
    *,
    acting_user: User | None,
    name: str,
    started_on: date,
    measure: str,
    goal: int | None = None,
    ended_on: date | None = None,
) -> Movement:
    movement = Movement.objects.create(
        organisation=organisation,
        name=name,
        started_on=started_on,
        ended_on=ended_on,
        measure=measure,
        goal=goal,
    )
    _audit(acting_user, "movement_created", movement, organisation.unit)
    return movement


@transaction.atomic
def record_movement_result(
    movement: Movement,
    *,
    acting_user: User | None,
    on: date,
    count: int,
    branch: Branch | None = None,
    note: str = "",
) -> MovementResult:
    result = MovementResult.objects.create(
        movement=movement, branch=branch, on=on, count=count, note=note
    )
    _audit(acting_user, "movement_result", movement, (branch or movement.organisation).unit)
    return result


# Dues ---------------------------------------------------------------------------------


@transaction.atomic
def set_dues_rate(
    organisation: Organisation,
    *,
    acting_user: User | None,
    period: str,
    amount: int,
    valid_from: date,
) -> DuesRate:
    rate = DuesRate.objects.create(
        organisation=organisation, period=period, amount=amount, valid_from=valid_from
    )
    _audit(acting_user, "dues_rate_set", rate, organisation.unit)
    return rate


@transaction.atomic
def set_dues_account(
    organisation: Organisation, *, acting_user: User | None, bank_bin: str, bank_account: str
) -> Organisation:
    """The bank account the members pay their dues into by QR ("" and "": cash only)."""
    changes = {
        "bank_account": [organisation.bank_account, bank_account],
        "bank_bin": [organisation.bank_bin, bank_bin],
    }
    organisation.bank_bin, organisation.bank_account = bank_bin, bank_account
    organisation.save(update_fields=["bank_bin", "bank_account"])
    AuditEntry.objects.record(
        acting_user, "associations.dues_account", target=organisation, unit=organisation.unit,
        changes=changes,
    )  # fmt: skip
    return organisation


@transaction.atomic
def record_dues(
    member: Member, *, acting_user: User | None, period: date, amount: int, paid_on: date
) -> DuesPayment:
    """Dues paid for the period beginning `period` (a year's 1 January or a month's 1st)."""
    if amount <= 0:
        raise ValidationError(_("Enter the amount paid."))
    if DuesPayment.objects.filter(member=member, period=period).exists():
        raise ValidationError(_("The dues for this period are already recorded."))
    payment = DuesPayment.objects.create(
        member=member,
        period=period,
        amount=amount,
        paid_on=paid_on,
        recorded_by=_actor(acting_user),
    )
    _audit(acting_user, "dues_paid", member, member.organisation.unit, {"amount": [None, amount]})
    return payment


# Revolving funds ----------------------------------------------------------------------


@transaction.atomic
def create_fund(
    organisation: Organisation,
    *,
    acting_user: User | None,
    name: str,
    source: str,
    amount: int,
    received_on: date,
) -> Fund:
    if amount <= 0:
        raise ValidationError(_("Enter the fund's amount."))
    fund = Fund.objects.create(
        organisation=organisation, name=name, source=source, amount=amount, received_on=received_on
    )
    _audit(acting_user, "fund_created", fund, organisation.unit, {"amount": [None, amount]})
    return fund


def repayment_schedule(
    amount: int, *, lent_on: date, term_months: int, interest_rate: Decimal, instalments: int
) -> list[tuple[date, int, int]]:
    """[(due on, principal, interest)]: equal principal instalments spread over the term,
    the last taking the remainder so that they sum exactly to `amount`; interest on the
    outstanding balance for each instalment's months, in whole đồng (half up)."""
    if instalments < 1 or term_months < 1:
        raise ValidationError(_("A loan needs a term and at least one instalment."))
    if instalments > term_months:
        raise ValidationError(_("At most one instalment a month."))
    share = amount // instalments
    rows = []
    outstanding = amount
    previous = 0
    for i in range(1, instalments + 1):
        months = term_months * i // instalments
        principal = share if i < instalments else outstanding
        interest = (
            Decimal(outstanding) * Decimal(interest_rate) / 100 * (months - previous) / 12
        ).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        rows.append((add_months(lent_on, months), principal, int(interest)))
        outstanding -= principal
        previous = months
    return rows


def available_on(fund: Fund, day: date) -> int:
    """What may be lent on `day` without the fund's cash going negative on that day or
    on any later day already recorded (loans and repayments entered after the fact)."""
    ledger = fund.ledger(date.max)
    balance = fund.balance_on(day)
    lowest = balance
    for row in ledger:
        if row["on"] > day:
            lowest = min(lowest, row["balance"])
    return max(0, lowest)


@transaction.atomic
def make_loan(
    fund: Fund,
    person: Person,
    *,
    acting_user: User | None,
    amount: int,
    purpose: str,
    lent_on: date,
    term_months: int,
    interest_rate: Decimal = Decimal(0),
    instalments: int = 1,
) -> Loan:
    """Lend from the fund. The fund row is locked first (PostgreSQL: SELECT … FOR UPDATE;
    SQLite serialises write transactions), so two loans made at once cannot both take
    the same money: the second sees the first and is refused if the balance is short."""
    locked = Fund.objects.select_for_update().get(pk=fund.pk)
    if amount <= 0:
        raise ValidationError(_("Enter the amount lent."))
    if lent_on < locked.received_on:
        raise ValidationError(_("A loan cannot be made before the fund was received."))
    if person.died_on and person.died_on <= lent_on:
        raise ValidationError(_("The registry records this person as deceased."))
    available = available_on(locked, lent_on)
    if amount > available:
        raise ValidationError(
            _("The fund has only %(available)s đ available on that day.")
            % {"available": f"{available:,}".replace(",", ".")}
        )
    schedule = repayment_schedule(
        amount,
        lent_on=lent_on,
        term_months=term_months,
        interest_rate=interest_rate,
        instalments=instalments,
    )
    loan = Loan.objects.create(
        fund=locked,
        person=person,
        amount=amount,
        purpose=purpose,
        lent_on=lent_on,
        term_months=term_months,
        interest_rate=interest_rate,
    )
    Instalment.objects.bulk_create(
        Instalment(loan=loan, due_on=due, principal=principal, interest=interest)
        for due, principal, interest in schedule
    )
    _audit(acting_user, "loan_made", loan, locked.organisation.unit, {"amount": [None, amount]})
    return loan


@transaction.atomic
def record_repayment(
    loan: Loan, *, acting_user: User | None, paid_on: date, principal: int, interest: int = 0
) -> Repayment:
    Loan.objects.select_for_update().filter(pk=loan.pk).first()
    if principal < 0 or interest < 0 or principal + interest == 0:
        raise ValidationError(_("Enter the amount repaid."))
    if paid_on < loan.lent_on:
        raise ValidationError(_("A repayment cannot come before the loan."))
    if principal > loan.outstanding_on(date.max):
        raise ValidationError(_("That is more than the loan's outstanding balance."))
    repayment = Repayment.objects.create(
        loan=loan,
        paid_on=paid_on,
        principal=principal,
        interest=interest,
        recorded_by=_actor(acting_user),
    )
    _audit(
        acting_user,
        "loan_repaid",
        loan,
        loan.fund.organisation.unit,
        {"principal": [None, principal], "interest": [None, interest]},
    )
    return repayment
