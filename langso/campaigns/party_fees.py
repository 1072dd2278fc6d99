"""Party fees by QR (issue 15, item 7): the same VietQR and statement matching as pledges.

A member's monthly fee (`party.FeeMonth`) has a reference code "DP" + its id written in
the campaigns' alphabet, so that a statement line is matched to exactly one month of one
member. The cell's treasurer (whoever manages the cell in the party's access rules)
imports the cell account's statement; each matched credit is recorded through the
party's own `record_payment`. Campaigns may import the party; the party knows nothing of
this module.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.models import AuditEntry, User
from langso.campaigns.models import (
    REFERENCE_ALPHABET,
    FeeAccount,
    FeeTransfer,
    StatementMapping,
)
from langso.campaigns.statements import Line, Statement
from langso.lib import vietqr
from langso.lib.dates import month_start
from langso.lib.vietnamese import fold
from langso.party import actions as party_actions
from langso.party.models import FeeMonth, Member, Organisation

PREFIX = "DP"  # đảng phí
_BASE = len(REFERENCE_ALPHABET)
_WIDTH = 5
_CODE = re.compile(PREFIX + f"([{REFERENCE_ALPHABET}]{{{_WIDTH}}})")


def fee_reference(fee: FeeMonth) -> str:
    number, digits = fee.pk, []
    for _digit in range(_WIDTH):
        number, rest = divmod(number, _BASE)
        digits.append(REFERENCE_ALPHABET[rest])
    return PREFIX + "".join(reversed(digits))


def fee_ids_in(description: str) -> list[int]:
    joined = re.sub(r"[^A-Z0-9]", "", fold(description).upper())
    found = []
    for match in _CODE.finditer(joined):
        number = 0
        for char in match.group(1):
            number = number * _BASE + REFERENCE_ALPHABET.index(char)
        found.append(number)
    return found


def this_months_fee(member: Member, today: date | None = None) -> FeeMonth | None:
    month = month_start(today or timezone.localdate())
    return FeeMonth.objects.filter(member=member, month=month).first()


def qr_for(fee: FeeMonth) -> str | None:
    """The VietQR payload of what is still owed for `fee`, if the cell has an account."""
    account = FeeAccount.objects.filter(organisation_id=fee.member.organisation_id).first()
    if account is None or not fee.outstanding:
        return None
    return vietqr.payload(
        bin=account.bank_bin,
        account=account.bank_account,
        amount=fee.outstanding,
        purpose=fee_reference(fee),
    )


@transaction.atomic
def set_fee_account(
    organisation: Organisation,
    *,
    acting_user: User | None,
    bank_bin: str,
    bank_account: str,
    account_name: str = "",
) -> FeeAccount:
    vietqr.payload(bin=bank_bin, account=bank_account)  # raises VietQRError if unusable
    if bank_bin not in vietqr.BANKS_BY_BIN:
        raise vietqr.VietQRError("unknown bank")
    account, _created = FeeAccount.objects.update_or_create(
        organisation=organisation,
        defaults={"bank_bin": bank_bin, "bank_account": bank_account, "account_name": account_name},
    )
    AuditEntry.objects.record(
        acting_user, "campaigns.fee_account_set", target=organisation, unit=organisation.unit
    )
    return account


@dataclass
class FeePlan:
    statement: Statement
    matched: list[tuple[Line, FeeMonth]] = field(default_factory=list)
    unmatched: list[Line] = field(default_factory=list)
    already: list[Line] = field(default_factory=list)


def plan_fees(organisation: Organisation, statement: Statement) -> FeePlan:
    known = set(
        FeeTransfer.objects.filter(organisation=organisation).values_list(
            "bank_transaction", flat=True
        )
    )
    fees = {
        fee.pk: fee
        for fee in FeeMonth.objects.filter(member__organisation=organisation).select_related(
            "member__person"
        )
    }
    plan = FeePlan(statement)
    for line in statement.lines:
        if line.transaction in known:
            plan.already.append(line)
            continue
        known.add(line.transaction)
        fee = next((fees[i] for i in fee_ids_in(line.description) if i in fees), None)
        if fee is None:
            plan.unmatched.append(line)
        else:
            plan.matched.append((line, fee))
    return plan


@transaction.atomic
def import_fees(
    organisation: Organisation, statement: Statement, *, acting_user: User | None
) -> FeePlan:
    """Mark matched fees paid (through the party's action); keep every line once."""
    plan = plan_fees(organisation, statement)
    actor = acting_user if acting_user is not None and acting_user.is_authenticated else None
    for line, fee in plan.matched:
        fee.refresh_from_db()
        party_actions.record_payment(
            fee,
            acting_user=acting_user,
            amount=fee.paid + line.amount,
            paid_on=min(line.on, timezone.localdate()),
        )
    FeeTransfer.objects.bulk_create(
        [
            FeeTransfer(
                organisation=organisation,
                fee=fee,
                on=line.on,
                amount=line.amount,
                description=line.description,
                bank_transaction=line.transaction,
                imported_by=actor,
            )
            for line, fee in [*plan.matched, *((line, None) for line in plan.unmatched)]
        ]
    )
    AuditEntry.objects.record(
        actor,
        "campaigns.fee_statement_imported",
        target=organisation,
        unit=organisation.unit,
        changes={"matched": [None, len(plan.matched)], "unmatched": [None, len(plan.unmatched)]},
    )
    return plan


def mapping_for(organisation: Organisation) -> dict[str, str] | None:
    """The columns mapped for the cell's account (the same table as campaigns' accounts:
    a mapping belongs to a bank account, whoever imports its statements)."""
    account = FeeAccount.objects.filter(organisation=organisation).first()
    if account is None:
        return None
    found = StatementMapping.objects.filter(
        bank_bin=account.bank_bin, account=account.bank_account
    ).first()
    return dict(found.columns) if found else None


@transaction.atomic
def remember_fee_mapping(
    organisation: Organisation, *, acting_user: User | None, columns: dict[str, str]
) -> StatementMapping:
    account = FeeAccount.objects.filter(organisation=organisation).first()
    if account is None:
        raise ValidationError(_("Save the cell's bank account first."))
    mapping, _created = StatementMapping.objects.update_or_create(
        bank_bin=account.bank_bin,
        account=account.bank_account,
        defaults={"columns": {k: v for k, v in columns.items() if v}},
    )
    AuditEntry.objects.record(
        acting_user if acting_user is not None and acting_user.is_authenticated else None,
        "campaigns.fee_statement_columns_mapped",
        target=organisation,
        unit=organisation.unit,
    )
    return mapping


def fee_for_reference(organisation: Organisation, reference: str) -> FeeMonth | None:
    """The cell's fee month named by a code as the treasurer types it ("dp 2b3c4")."""
    ids = fee_ids_in(
        reference if reference.upper().lstrip().startswith(PREFIX) else PREFIX + reference
    )
    if not ids:
        return None
    return (
        FeeMonth.objects.filter(pk=ids[0], member__organisation=organisation)
        .select_related("member__person")
        .first()
    )


@transaction.atomic
def match_fee_by_hand(
    transfer: FeeTransfer, *, acting_user: User | None, fee: FeeMonth
) -> FeeTransfer:
    """Count an unmatched credit of the cell's statement towards a member's fee month."""
    transfer = FeeTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.fee_id is not None:
        raise ValidationError(_("This line has already been matched."))
    if fee.member.organisation_id != transfer.organisation_id:
        raise ValidationError(_("This fee belongs to another cell."))
    fee = FeeMonth.objects.select_for_update().get(pk=fee.pk)
    party_actions.record_payment(
        fee,
        acting_user=acting_user,
        amount=fee.paid + transfer.amount,
        paid_on=min(transfer.on, timezone.localdate()),
    )
    transfer.fee = fee
    transfer.save(update_fields=["fee"])
    AuditEntry.objects.record(
        acting_user if acting_user is not None and acting_user.is_authenticated else None,
        "campaigns.fee_transfer_matched",
        target=fee.member.organisation,
        unit=fee.member.organisation.unit,
        changes={"transfer": [None, transfer.bank_transaction], "fee": [None, fee.pk]},
    )
    return transfer
