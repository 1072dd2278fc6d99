"""Every write to a campaign: atomic, audited, taking the acting user.

The ledger is append-only (issue 15, item 3): contributions and expenses are added,
never changed; a correction is `reverse_entry`, a new entry with the opposite amounts
that names the old one, who made it and why. Cash receipts are numbered per campaign
under a row lock, so two treasurers writing at once never get the same number.
"""

import contextlib
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Field, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.models import AuditEntry, User
from langso.campaigns import statements
from langso.campaigns.models import (
    Campaign,
    CommitteeMember,
    Entry,
    Exemption,
    Photo,
    Pledge,
    StatementImport,
    StatementMapping,
    UnmatchedLine,
    new_reference,
)
from langso.lib import vietqr
from langso.lib.bulk import insert_rows
from langso.lib.excel import SpreadsheetError
from langso.lib.files import MAX_UPLOAD_DOCUMENT_BYTES, is_active_content, kind_of
from langso.notices import actions as notices
from langso.notices.models import Audience
from langso.places.models import Unit
from langso.registry.models import Household, Person


def _actor(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def _audit(
    acting_user: User | None,
    verb: str,
    target: Model,
    unit: Unit,
    changes: dict[str, list[object]] | None = None,
) -> None:
    AuditEntry.objects.record(
        _actor(acting_user), f"campaigns.{verb}", target=target, unit=unit, changes=changes
    )


def _check_not_future(day: date) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")


# Campaigns and committees ----------------------------------------------------------


CAMPAIGN_FIELDS = (
    "name",
    "purpose",
    "starts_on",
    "ends_on",
    "target_money",
    "target_labour_days",
    "target_land_m2",
    "asks",
    "suggested_amount",
    "exempt_poor",
    "bank_bin",
    "bank_account",
    "account_name",
    "is_public",
)


def _check_campaign(campaign: Campaign) -> None:
    if campaign.unit.kind not in (Unit.Kind.HAMLET, Unit.Kind.COMMUNE):
        raise ValidationError(_("A campaign belongs to a hamlet or a commune."))
    if campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise ValidationError(_("The campaign cannot end before it starts."))
    if min(campaign.target_money, campaign.suggested_amount) < 0:
        raise ValidationError(_("Amounts cannot be negative."))
    if campaign.bank_bin and campaign.bank_bin not in vietqr.BANKS_BY_BIN:
        raise ValidationError(_("Choose the bank from the list."))
    if campaign.bank_bin or campaign.bank_account:
        try:
            vietqr.payload(bin=campaign.bank_bin, account=campaign.bank_account)
        except vietqr.VietQRError:
            raise ValidationError(
                _("Give both the bank and an account number of letters and digits.")
            ) from None


@transaction.atomic
def create_campaign(unit: Unit, *, acting_user: User | None, **fields: Any) -> Campaign:
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    campaign = Campaign(unit=unit, created_by=_actor(acting_user), **fields)
    _check_campaign(campaign)
    campaign.save()
    _audit(acting_user, "campaign_created", campaign, unit)
    return campaign


@transaction.atomic
def update_campaign(campaign: Campaign, *, acting_user: User | None, **fields: Any) -> Campaign:
    changes: dict[str, list[object]] = {}
    for name, value in fields.items():
        if name not in CAMPAIGN_FIELDS and name != "status":
            raise TypeError(f"unknown campaign field: {name}")
        old = getattr(campaign, name)
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(campaign, name, value)
    _check_campaign(campaign)
    campaign.save(update_fields=list(fields))
    _audit(acting_user, "campaign_changed", campaign, campaign.unit, changes)
    return campaign


@transaction.atomic
def add_committee_member(
    campaign: Campaign,
    *,
    acting_user: User | None,
    person: Person,
    role: str,
    user: User | None = None,
) -> CommitteeMember:
    if role not in CommitteeMember.Role.values:
        raise ValidationError(_("Choose the member's role."))
    if user is not None and user.person_id and user.person_id != person.pk:
        raise ValidationError(_("This account belongs to another person."))
    member, _created = CommitteeMember.objects.update_or_create(
        campaign=campaign, person=person, defaults={"role": role, "user": user}
    )
    _audit(
        acting_user,
        "committee_member_set",
        campaign,
        campaign.unit,
        {"committee": [None, f"{person.full_name}: {role}"]},
    )
    return member


@transaction.atomic
def remove_committee_member(member: CommitteeMember, *, acting_user: User | None) -> None:
    campaign = member.campaign
    _audit(
        acting_user,
        "committee_member_removed",
        campaign,
        campaign.unit,
        {"committee": [member.person.full_name, None]},
    )
    member.delete()


@transaction.atomic
def set_exemption(
    campaign: Campaign,
    household: Household,
    *,
    acting_user: User | None,
    reason: str | None,
    note: str = "",
) -> None:
    """Exempt a household by hand (`reason` None lifts the exemption)."""
    if reason is None:
        Exemption.objects.filter(campaign=campaign, household=household).delete()
    else:
        if reason not in Exemption.Reason.values:
            raise ValidationError(_("Choose the reason."))
        Exemption.objects.update_or_create(
            campaign=campaign, household=household, defaults={"reason": reason, "note": note}
        )
    _audit(
        acting_user,
        "exemption_set",
        campaign,
        campaign.unit,
        {"household": [None, household.pk], "reason": [None, reason]},
    )


# Pledges ---------------------------------------------------------------------------


def _giver_fields(
    *,
    household: Household | None = None,
    person: Person | None = None,
    giver_name: str = "",
    organisation: bool = False,
    anonymous: bool = False,
    unnamed: bool = False,
) -> dict[str, Any]:
    if household is not None:
        kind = Pledge.GiverKind.HOUSEHOLD
    elif person is not None:
        kind = Pledge.GiverKind.PERSON
    elif organisation:
        kind = Pledge.GiverKind.ORGANISATION
    else:
        kind = Pledge.GiverKind.DONOR
    return {
        "giver_kind": kind,
        "household": household,
        "person": person,
        "giver_name": giver_name.strip()[:200],
        "anonymous": anonymous,
        "unnamed": unnamed,
    }


def _check_giver_in_campaign(campaign: Campaign, fields: dict[str, Any]) -> None:
    household, person = fields["household"], fields["person"]
    unit_path = campaign.unit.path
    if (
        household is not None
        and not Household.objects.filter(pk=household.pk, unit__path__within=unit_path).exists()
    ):
        raise ValidationError(_("This household is not in the campaign's area."))
    lives_there = Person.objects.filter(household__unit__path__within=unit_path)
    if person is not None and not lives_there.filter(pk=person.pk).exists():
        raise ValidationError(_("This person does not live in the campaign's area."))


def _decimal(value: object) -> Decimal:
    return Decimal(str(value or 0))


@transaction.atomic
def pledge(
    campaign: Campaign,
    *,
    acting_user: User | None,
    amount: int = 0,
    labour_days: object = 0,
    land_m2: object = 0,
    plot: str = "",
    note: str = "",
    **giver: Any,
) -> Pledge:
    """Record what a giver promises; the pledge gets a reference code for bank transfers."""
    if campaign.status != Campaign.Status.RUNNING:
        raise ValidationError(_("The campaign is finished."))
    fields = _giver_fields(**giver)
    _check_giver_in_campaign(campaign, fields)
    labour, land = _decimal(labour_days), _decimal(land_m2)
    if amount < 0 or labour < 0 or land < 0:
        raise ValidationError(_("Amounts cannot be negative."))
    if not (amount or labour or land):
        raise ValidationError(_("Pledge money, labour days or land."))
    if land and not plot.strip():
        raise ValidationError(_("Describe the plot of land."))
    new = Pledge(
        campaign=campaign,
        amount=amount,
        labour_days=labour,
        land_m2=land,
        plot=plot.strip(),
        note=note.strip(),
        created_by=_actor(acting_user),
        **fields,
    )
    new.clean_giver()
    for _attempt in range(5):
        new.reference = new_reference()
        try:
            with transaction.atomic():
                new.save()
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - 31^6 codes
        raise ValidationError(_("Try again."))
    _audit(
        acting_user,
        "pledged",
        new,
        campaign.unit,
        {
            "amount": [None, amount],
            "labour_days": [None, str(labour)],
            "land_m2": [None, str(land)],
        },
    )
    return new


@transaction.atomic
def cancel_pledge(item: Pledge, *, acting_user: User | None, reason: str) -> Pledge:
    if not reason.strip():
        raise ValidationError(_("Say why the pledge is cancelled."))
    if item.cancelled_at:
        raise ValidationError(_("This pledge is already cancelled."))
    item.cancelled_at = timezone.now()
    item.cancelled_reason = reason.strip()[:300]
    item.cancelled_by = _actor(acting_user)
    item.save(update_fields=["cancelled_at", "cancelled_reason", "cancelled_by"])
    _audit(acting_user, "pledge_cancelled", item, item.campaign.unit, {"reason": [None, reason]})
    return item


# The ledger ------------------------------------------------------------------------


def next_receipt(campaign: Campaign) -> int:
    """The campaign's next cash receipt number, inside the caller's transaction.

    The UPDATE holds the campaign's row until the transaction ends, so a concurrent
    writer waits and then reads the number after ours (PostgreSQL); SQLite serialises
    writers on the database. The unique constraint on (campaign, receipt_number) is the
    last guard.
    """
    Campaign.objects.filter(pk=campaign.pk).update(last_receipt=F("last_receipt") + 1)
    number = Campaign.objects.filter(pk=campaign.pk).values_list("last_receipt", flat=True).get()
    campaign.last_receipt = number
    return number


def _check_upload(upload: UploadedFile, allowed: Iterable[str]) -> str:
    if upload.size and upload.size > MAX_UPLOAD_DOCUMENT_BYTES:
        raise ValidationError(_("The file is too large."))
    kind = kind_of(upload)
    if kind not in allowed or is_active_content(upload):
        raise ValidationError(_("Attach a PDF or a photo (JPEG or PNG)."))
    upload.seek(0)
    return kind


@transaction.atomic
def record_contribution(
    campaign: Campaign,
    *,
    acting_user: User | None,
    kind: str,
    on: date,
    amount: int = 0,
    labour_days: object = 0,
    land_m2: object = 0,
    pledge: Pledge | None = None,
    description: str = "",
    worker: str = "",
    plot: str = "",
    minutes_number: str = "",
    signed_by_household: bool = False,
    bank_transaction: str = "",
    **giver: Any,
) -> Entry:
    """What was actually given: cash (with a numbered receipt), a transfer, goods with
    their value, labour days worked, or land handed over with its minutes."""
    if kind not in Entry.Kind.values or kind == Entry.Kind.EXPENSE:
        raise ValidationError(_("Choose what was given."))
    _check_not_future(on)
    if pledge is not None:
        if pledge.campaign_id != campaign.pk:
            raise ValidationError(_("The pledge belongs to another campaign."))
        giver = {
            "household": pledge.household,
            "person": pledge.person,
            "giver_name": pledge.giver_name,
            "organisation": pledge.giver_kind == Pledge.GiverKind.ORGANISATION,
            "anonymous": pledge.anonymous,
            "unnamed": pledge.unnamed,
        }
    fields = _giver_fields(**giver)
    _check_giver_in_campaign(campaign, fields)
    labour, land = _decimal(labour_days), _decimal(land_m2)
    if kind in (Entry.Kind.CASH, Entry.Kind.TRANSFER, Entry.Kind.GOODS):
        if amount <= 0:
            raise ValidationError(_("Give the amount in đồng."))
        labour = land = Decimal(0)
    elif kind == Entry.Kind.LABOUR:
        if labour <= 0 or not worker.strip():
            raise ValidationError(_("Give who worked and how many days."))
        amount, land = 0, Decimal(0)
    elif kind == Entry.Kind.LAND:
        if land <= 0 or not plot.strip():
            raise ValidationError(_("Give the area and the plot handed over."))
        amount, labour = 0, Decimal(0)
    if kind == Entry.Kind.GOODS and not description.strip():
        raise ValidationError(_("Describe the goods given."))
    entry = Entry(
        campaign=campaign,
        kind=kind,
        on=on,
        amount=amount,
        labour_days=labour,
        land_m2=land,
        pledge=pledge,
        description=description.strip()[:300],
        worker=worker.strip()[:200],
        plot=plot.strip()[:200],
        minutes_number=minutes_number.strip()[:40],
        signed_by_household=signed_by_household,
        bank_transaction=bank_transaction.strip()[:80],
        recorded_by=_actor(acting_user),
        **fields,
    )
    entry.clean_giver()
    if kind == Entry.Kind.CASH:
        entry.receipt_number = next_receipt(campaign)
    entry.save()
    _audit(
        acting_user,
        "contribution_recorded",
        entry,
        campaign.unit,
        {"kind": [None, kind], "amount": [None, amount], "receipt": [None, entry.receipt_number]},
    )
    return entry


@transaction.atomic
def record_expense(
    campaign: Campaign,
    *,
    acting_user: User | None,
    on: date,
    amount: int,
    description: str,
    supplier: str = "",
    document: UploadedFile | None = None,
) -> Entry:
    _check_not_future(on)
    if amount <= 0:
        raise ValidationError(_("Give the amount in đồng."))
    if not description.strip():
        raise ValidationError(_("Say what the money was spent on."))
    entry = Entry(
        campaign=campaign,
        kind=Entry.Kind.EXPENSE,
        on=on,
        amount=amount,
        description=description.strip()[:300],
        supplier=supplier.strip()[:200],
        recorded_by=_actor(acting_user),
    )
    if document is not None:
        entry.document_kind = _check_upload(document, ("pdf", "jpeg", "png"))
        entry.document.save(document.name or "document", document, save=False)
    entry.save()
    _audit(acting_user, "expense_recorded", entry, campaign.unit, {"amount": [None, amount]})
    return entry


@transaction.atomic
def reverse_entry(entry: Entry, *, acting_user: User | None, reason: str) -> Entry:
    """Correct a ledger line: a new entry with the opposite amounts, naming the old one."""
    if not reason.strip():
        raise ValidationError(_("Say why the entry is corrected."))
    # Lock the line so that two treasurers cannot both reverse it.
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.reverses_id:
        raise ValidationError(_("A correction cannot itself be reversed; record the entry again."))
    if Entry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."))
    reversal = Entry(
        campaign_id=entry.campaign_id,
        kind=entry.kind,
        on=timezone.localdate(),
        amount=-entry.amount,
        labour_days=-entry.labour_days,
        land_m2=-entry.land_m2,
        pledge_id=entry.pledge_id,
        giver_kind=entry.giver_kind,
        household_id=entry.household_id,
        person_id=entry.person_id,
        giver_name=entry.giver_name,
        anonymous=entry.anonymous,
        unnamed=entry.unnamed,
        description=entry.description,
        reverses=entry,
        reason=reason.strip()[:300],
        recorded_by=_actor(acting_user),
    )
    reversal.save()
    _audit(
        acting_user,
        "entry_reversed",
        entry,
        entry.campaign.unit,
        {"reversed_by": [None, reversal.pk], "reason": [None, reason]},
    )
    return reversal


@transaction.atomic
def add_photo(
    campaign: Campaign,
    *,
    acting_user: User | None,
    image: UploadedFile,
    caption: str = "",
    taken_on: date | None = None,
) -> Photo:
    kind = _check_upload(image, ("jpeg", "png"))
    photo = Photo(
        campaign=campaign,
        image_kind=kind,
        caption=caption.strip()[:200],
        taken_on=taken_on,
        added_by=_actor(acting_user),
    )
    photo.image.save(image.name or "photo", image, save=False)
    photo.save()
    _audit(acting_user, "photo_added", photo, campaign.unit)
    return photo


@transaction.atomic
def match_by_hand(line: UnmatchedLine, *, acting_user: User | None, pledge: Pledge) -> Entry:
    """Record an unmatched statement credit as a transfer towards `pledge`."""
    if line.resolved:
        raise ValidationError(_("This line has already been matched."))
    entry = record_contribution(
        line.campaign,
        acting_user=acting_user,
        kind=Entry.Kind.TRANSFER,
        on=line.on,
        amount=line.amount,
        pledge=pledge,
        description=line.description[:300],
        bank_transaction=line.bank_transaction,
    )
    line.resolved = True
    line.save(update_fields=["resolved"])
    return entry


# Reminders -------------------------------------------------------------------------


@transaction.atomic
def remind_unfulfilled(campaign: Campaign, *, acting_user: User | None) -> int:
    """Send each household or person whose pledge is not yet fulfilled a notice (through
    notices' channels, in the campaign unit's name) with what is owed and how to pay."""
    sent = 0
    pledges = campaign.pledges.filter(cancelled_at__isnull=True).select_related(
        "household__head", "person", "campaign"
    )
    for item in pledges:
        to = item.person or (item.household.head if item.household is not None else None)
        if to is None or item.is_fulfilled():
            continue
        owed = item.owed()
        lines = [_("Campaign: %(name)s.") % {"name": campaign.name}]
        if owed["money"]:
            lines.append(
                _("Money still to give: %(amount)s đồng.")
                % {"amount": f"{owed['money']:,}".replace(",", ".")}
            )
        if owed["labour"]:
            lines.append(_("Labour days still to give: %(days)s.") % {"days": owed["labour"]})
        if owed["land"]:
            lines.append(_("Land still to hand over: %(area)s m².") % {"area": owed["land"]})
        if campaign.takes_transfers and owed["money"]:
            lines.append(
                _(
                    "Pay by bank transfer with the content %(ref)s, "
                    "or scan the QR on your pledge page: %(url)s"
                )
                % {
                    "ref": item.qr_purpose,
                    "url": reverse("campaigns:pledge-detail", args=[item.pk]),
                }
            )
        # The QR itself travels with the notice (a picture the app, Zalo and e-mail
        # show): a household scans it from the message without opening the site.
        attachments = []
        if campaign.takes_transfers and owed["money"]:
            payload = campaign.qr_payload(owed["money"], item.qr_purpose)
            attachments.append(
                SimpleUploadedFile(
                    f"vietqr-{item.qr_purpose}.png", vietqr.png(payload), "image/png"
                )
            )
        notice = notices.create_notice(
            acting_user=acting_user,
            unit=campaign.unit,
            title=_("Reminder: your pledge to %(name)s") % {"name": campaign.name},
            body="\n".join(lines),
            audiences=[Audience(kind=Audience.Kind.PERSON, person=to)],
            attachments=attachments,
        )
        notices.send_notice(notice, acting_user=acting_user)
        item.reminded_at = timezone.now()
        item.save(update_fields=["reminded_at"])
        sent += 1
    _audit(acting_user, "reminders_sent", campaign, campaign.unit, {"sent": [None, sent]})
    return sent


# Bank statements -------------------------------------------------------------------


CHUNK = 500  # ids per IN (...) query: below every database's limit of parameters


def _known_transactions(campaign: Campaign, transactions: Iterable[str]) -> set[str]:
    """Which of `transactions` the campaign's ledger or unmatched lines already hold.

    Plain SQL, 500 numbers a query: the ORM spent longer preparing 10,000 parameters
    than the database spent finding them. The ledger's condition repeats that of its
    partial unique index on (campaign, bank transaction), without any ordering, so that
    the database reads that index alone (SQLite uses a partial index only when the query
    states its condition; the ledger's default order made it walk the campaign by date).
    """
    wanted = sorted(set(transactions))
    quote = connection.ops.quote_name
    tables = (
        (Entry, " AND NOT (bank_transaction = '')"),
        (UnmatchedLine, ""),
    )
    known: set[str] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            for model, condition in tables:
                cursor.execute(
                    f"SELECT bank_transaction FROM {quote(model._meta.db_table)} "
                    f"WHERE campaign_id = %s AND bank_transaction IN ({marks}){condition}",
                    [campaign.pk, *chunk],
                )
                known |= {row[0] for row in cursor.fetchall()}
    return known


def mapping_for(campaign: Campaign) -> dict[str, str] | None:
    """The columns the treasurer mapped for the campaign's account, if any."""
    found = StatementMapping.objects.filter(
        bank_bin=campaign.bank_bin, account=campaign.bank_account
    ).first()
    return dict(found.columns) if found else None


@transaction.atomic
def remember_mapping(
    campaign: Campaign, *, acting_user: User | None, columns: dict[str, str]
) -> StatementMapping:
    mapping, _created = StatementMapping.objects.update_or_create(
        bank_bin=campaign.bank_bin,
        account=campaign.bank_account,
        defaults={"columns": {k: v for k, v in columns.items() if v}},
    )
    _audit(acting_user, "statement_columns_mapped", campaign, campaign.unit)
    return mapping


@transaction.atomic
def upload_statement(
    campaign: Campaign, *, acting_user: User | None, upload: UploadedFile
) -> StatementImport:
    """Keep an uploaded statement and its preview; nothing reaches the ledger yet.

    The file is read and matched here, once; the plan is kept with the upload and the
    import writes it as the treasurer saw it. A file whose columns are not found (or that
    is no spreadsheet) is kept without a plan: the preview page says why.
    """
    item = StatementImport(
        campaign=campaign,
        filename=(upload.name or "statement")[:200],
        uploaded_by=_actor(acting_user),
    )
    item.file.save(item.filename, upload, save=False)
    item.save()
    with contextlib.suppress(SpreadsheetError, statements.ColumnsNotFound):
        replan_statement(item)
    return item


def _plan(item: StatementImport) -> statements.Plan:
    """Read and match the statement: pledges by code (one query), the lines the ledger
    already holds (a query per 500 lines); matched lines carry the pledge's id."""
    campaign = item.campaign
    with item.file.open("rb") as handle:
        data = handle.read()
    statement = statements.read_statement(data, item.filename, mapping=mapping_for(campaign))
    references = dict(
        campaign.pledges.filter(cancelled_at__isnull=True).values_list("reference", "pk")
    )
    known = _known_transactions(campaign, (line.transaction for line in statement.lines))
    return statements.plan_statement(references, statement, known)


@transaction.atomic
def replan_statement(item: StatementImport) -> statements.Plan:
    """Read the statement again (after its columns were mapped) and keep the new plan.

    Raises as `statements.read_statement`; the upload then keeps the plan it had.
    """
    if item.status == StatementImport.Status.DONE:
        raise ValidationError(_("This statement has already been imported."))
    plan = _plan(item)
    item.plan = plan.to_json()
    item.save(update_fields=["plan"])
    return plan


def preview_statement(item: StatementImport) -> statements.Plan:
    """What importing `item` would do: the plan kept at upload, its matched lines paired
    with the pledges' ids (read without writing; raises as `statements.read_statement`
    when there is no plan kept)."""
    if item.plan is not None:
        return statements.Plan.from_json(item.plan)
    return _plan(item)


_PLEDGE_FIELDS = (
    "pk",
    "giver_kind",
    "household_id",
    "person_id",
    "giver_name",
    "anonymous",
    "unnamed",
)


def _live_pledges(campaign: Campaign, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The giver fields of the campaign's pledges `ids` still standing (not cancelled)."""
    wanted = sorted(set(ids))
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), CHUNK):
        rows = Pledge.objects.filter(
            campaign=campaign, cancelled_at__isnull=True, pk__in=wanted[start : start + CHUNK]
        ).values(*_PLEDGE_FIELDS)
        found |= {row["pk"]: row for row in rows}
    return found


# The columns of a transfer written from a statement, and those left blank ('').
_TRANSFER_FIELDS = (
    "campaign",
    "kind",
    "on",
    "amount",
    "labour_days",
    "land_m2",
    "pledge",
    "giver_kind",
    "household",
    "person",
    "giver_name",
    "anonymous",
    "unnamed",
    "description",
    "bank_transaction",
    "signed_by_household",
    "recorded_by",
    "recorded_at",
)
_TRANSFER_BLANKS = (
    "worker",
    "plot",
    "minutes_number",
    "supplier",
    "document",
    "document_kind",
    "reason",
)


def _write_lines(
    campaign: Campaign,
    matched: list[tuple[statements.Line, dict[str, Any]]],
    unmatched: list[statements.Line],
    *,
    actor: User | None,
) -> None:
    """Write a statement's transfers and unmatched lines as plain rows, many per INSERT
    (COPY on PostgreSQL): building a model instance per line cost more than the
    database's own work. The ledger only grows, so no instance's save() is skipped
    that would refuse or check anything the actions have not checked."""
    now = timezone.now()

    def prep(model: type[Model], name: str, value: object) -> object:
        field = model._meta.get_field(name)
        assert isinstance(field, Field)  # a column, not a relation's other side
        return field.get_db_prep_save(value, connection)

    stamp, zero = prep(Entry, "recorded_at", now), prep(Entry, "labour_days", Decimal(0))
    actor_id = actor.pk if actor is not None else None
    insert_rows(
        Entry,
        _TRANSFER_FIELDS,
        [
            (
                campaign.pk,
                Entry.Kind.TRANSFER.value,
                prep(Entry, "on", line.on),
                line.amount,
                zero,
                zero,
                giver["pk"],
                giver["giver_kind"],
                giver["household_id"],
                giver["person_id"],
                giver["giver_name"],
                giver["anonymous"],
                giver["unnamed"],
                line.description[:300],
                line.transaction,
                False,
                actor_id,
                stamp,
            )
            for line, giver in matched
        ],
        blanks=_TRANSFER_BLANKS,
    )
    insert_rows(
        UnmatchedLine,
        ("campaign", "on", "amount", "description", "bank_transaction", "imported_at", "resolved"),
        [
            (
                campaign.pk,
                prep(UnmatchedLine, "on", line.on),
                line.amount,
                line.description,
                line.transaction,
                prep(UnmatchedLine, "imported_at", now),
                False,
            )
            for line in unmatched
        ],
    )


@transaction.atomic
def import_statement(item: StatementImport, *, acting_user: User | None) -> statements.Plan:
    """Write the previewed plan: matched credits as transfers, the unmatched kept for
    matching by hand. Nothing is read or matched again line by line: the pledges and the
    transaction numbers are read in bulk and the rows written in bulk, so the number of
    queries does not grow with the statement.

    Lines imported before (by the bank's transaction number), also by an import that
    finished since the preview, add nothing; a credit whose pledge was cancelled since
    the preview is kept to match by hand.
    """
    campaign = Campaign.objects.select_for_update().get(pk=item.campaign_id)
    item = StatementImport.objects.select_for_update().get(pk=item.pk)
    if item.status == StatementImport.Status.DONE:
        raise ValidationError(_("This statement has already been imported."))
    plan = preview_statement(item)
    lines = [line for line, _pk in plan.matched] + plan.unmatched
    known = _known_transactions(campaign, (line.transaction for line in lines))
    pledges = _live_pledges(campaign, (pk for _line, pk in plan.matched))
    matched, unmatched = [], []
    for line, pk in plan.matched:
        if line.transaction in known:
            plan.already.append(line)
        elif pk in pledges:
            matched.append((line, pledges[pk]))
        else:
            unmatched.append(line)
    for line in plan.unmatched:
        if line.transaction in known:
            plan.already.append(line)
        else:
            unmatched.append(line)
    _write_lines(campaign, matched, unmatched, actor=_actor(acting_user))
    plan.matched = [(line, giver["pk"]) for line, giver in matched]
    plan.unmatched = unmatched
    item.status = StatementImport.Status.DONE
    item.matched, item.unmatched, item.already = (
        len(plan.matched),
        len(plan.unmatched),
        len(plan.already),
    )
    item.save(update_fields=["status", "matched", "unmatched", "already"])
    _audit(
        acting_user,
        "statement_imported",
        campaign,
        campaign.unit,
        {
            "file": [None, item.filename],
            "matched": [None, item.matched],
            "unmatched": [None, item.unmatched],
            "already": [None, item.already],
        },
    )
    return plan
