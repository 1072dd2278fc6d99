"""Community campaigns: pledges, the append-only ledger, the committee and bank statements.

Money is integer đồng; labour in days (halves allowed); land in m². The ledger
(`Entry`) is never edited: a correction is a new entry that reverses an old one, with
who, when and why (issue 15, item 3).
"""

import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.lib import vietqr

ANONYMOUS_LABEL = _("Nhà hảo tâm")
# Reference codes avoid letters that read alike (0/O, 1/I/L) when typed into a bank app.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
PLEDGE_PREFIX = "LS"  # Làng Số: marks a pledge code in a transfer's content


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class Campaign(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")

    class Asks(models.TextChoices):
        HOUSEHOLD = "household", _("per household")
        PERSON = "person", _("per person")

    unit = models.ForeignKey(
        "places.Unit",
        verbose_name=_("hamlet or commune"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    target_money = models.BigIntegerField(_("money target (đồng)"), default=0)
    target_labour_days = models.DecimalField(
        _("labour target (days)"), max_digits=10, decimal_places=1, default=Decimal(0)
    )
    target_land_m2 = models.DecimalField(
        _("land target (m²)"), max_digits=12, decimal_places=1, default=Decimal(0)
    )
    asks = models.CharField(
        _("suggested amount is"), max_length=10, choices=Asks.choices, default=Asks.HOUSEHOLD
    )
    suggested_amount = models.BigIntegerField(_("suggested amount (đồng)"), default=0)
    exempt_poor = models.BooleanField(_("poor households are exempt"), default=True)
    # A BIN of `vietqr.BANKS` (checked by the actions; no choices here, so that a bank
    # added to the list needs no migration).
    bank_bin = models.CharField(_("bank"), max_length=6, blank=True)
    bank_account = models.CharField(_("account number"), max_length=19, blank=True)
    account_name = models.CharField(_("account holder"), max_length=100, blank=True)
    # The last receipt number given; raised under a row lock (see actions.next_receipt).
    last_receipt = models.PositiveIntegerField(default=0, editable=False)
    is_public = models.BooleanField(_("shown on the public pages"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaigns:campaign-detail", args=[self.pk])

    @property
    def bank(self) -> vietqr.Bank | None:
        return vietqr.BANKS_BY_BIN.get(self.bank_bin)

    @property
    def takes_transfers(self) -> bool:
        return bool(self.bank_bin and self.bank_account)

    def qr_payload(self, amount: int | None, reference: str) -> str:
        return vietqr.payload(
            bin=self.bank_bin, account=self.bank_account, amount=amount, purpose=reference
        )


class CommitteeMember(models.Model):
    class Role(models.TextChoices):
        HEAD = "head", _("head")
        TREASURER = "treasurer", _("treasurer")
        ACCOUNTANT = "accountant", _("accountant")
        MEMBER = "member", _("member")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="committee")
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    # The account through which this member manages the campaign (none: on paper only).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_committees",
    )

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["campaign", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="committee_person_once")
        ]

    def __str__(self):
        return f"{self.person.full_name} ({self.get_role_display()})"


class Exemption(models.Model):
    """A household the committee does not ask, set by hand.

    `POOR` stands for the poverty status while no app provides it
    (`registry.hooks.poverty_status` answers None); `OTHER` always applies.
    """

    class Reason(models.TextChoices):
        POOR = "poor", _("poor household (set by hand)")
        OTHER = "other", _("other reason")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="exemptions")
    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "household"], name="exemption_once")
        ]

    def __str__(self):
        return f"{self.household_id}: {self.get_reason_display()}"


class Giver(models.Model):
    """Who pledged or gave: a household, a person, an organisation or an outside donor."""

    class GiverKind(models.TextChoices):
        HOUSEHOLD = "household", _("household")
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("organisation")
        DONOR = "donor", _("outside donor")

    giver_kind = models.CharField(_("given by"), max_length=12, choices=GiverKind.choices)
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # An organisation's or outside donor's name (residents are named by the registry).
    giver_name = models.CharField(_("name"), max_length=200, blank=True)
    anonymous = models.BooleanField(_("anonymous (“nhà hảo tâm”)"), default=False)
    # A resident who gives but asks not to be named: counted in totals only.
    unnamed = models.BooleanField(_("not named in public"), default=False)

    class Meta:
        abstract = True

    def clean_giver(self) -> None:
        kind = self.giver_kind
        if kind == self.GiverKind.HOUSEHOLD and not self.household_id:
            raise ValidationError(_("Choose the household."))
        if kind == self.GiverKind.PERSON and not self.person_id:
            raise ValidationError(_("Choose the person."))
        named = bool(self.giver_name.strip()) or self.anonymous
        if kind in (self.GiverKind.ORGANISATION, self.GiverKind.DONOR) and not named:
            raise ValidationError(_("Give the donor's name or mark the gift anonymous."))

    def giver_display(self) -> str:
        """The giver's name for the committee (anonymous donors as “nhà hảo tâm”)."""
        if self.anonymous:
            return str(ANONYMOUS_LABEL)
        if self.household is not None:
            head = self.household.head
            return head.full_name if head else str(self.household)
        if self.person is not None:
            return self.person.full_name
        return self.giver_name


class Pledge(Giver):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="pledges")
    amount = models.BigIntegerField(_("money (đồng)"), default=0)
    labour_days = models.DecimalField(
        _("labour (days)"), max_digits=8, decimal_places=1, default=Decimal(0)
    )
    land_m2 = models.DecimalField(
        _("land (m²)"), max_digits=10, decimal_places=1, default=Decimal(0)
    )
    plot = models.CharField(_("plot"), max_length=200, blank=True)
    reference = models.CharField(_("reference code"), max_length=12, unique=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(_("why it was cancelled"), max_length=300, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.reference} {self.giver_display()}"

    def get_absolute_url(self):
        return reverse("campaigns:pledge-detail", args=[self.pk])

    @property
    def qr_purpose(self) -> str:
        """What the payer's bank app writes as the transfer's content ("LS" + code)."""
        return PLEDGE_PREFIX + self.reference

    def given(self) -> dict[str, Any]:
        return totals(self.campaign.entries.filter(pledge=self))

    def owed(self) -> dict[str, Any]:
        given = self.given()
        return {
            "money": max(self.amount - given["money"], 0),
            "labour": max(self.labour_days - given["labour"], Decimal(0)),
            "land": max(self.land_m2 - given["land"], Decimal(0)),
        }

    def is_fulfilled(self) -> bool:
        return not any(self.owed().values())


def _entry_upload(entry: "Entry", filename: str) -> str:
    return f"campaigns/{entry.campaign_id}/{timezone.now():%Y%m}/{secrets.token_hex(8)}"


class EntryQuerySet(models.QuerySet):
    def on_or_before(self, day: date) -> "EntryQuerySet":
        return self.filter(on__lte=day)


MONEY_IN = ("cash", "transfer")
GIFTS = ("cash", "transfer", "goods", "labour", "land")


class Entry(Giver):
    """One line of a campaign's ledger: a contribution or an expense. Never changed."""

    class Kind(models.TextChoices):
        CASH = "cash", _("cash")
        TRANSFER = "transfer", _("bank transfer")
        GOODS = "goods", _("goods in kind")
        LABOUR = "labour", _("labour days")
        LAND = "land", _("land handed over")
        EXPENSE = "expense", _("expense")

    giver_kind = models.CharField(
        _("given by"), max_length=12, choices=Giver.GiverKind.choices, blank=True
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("date"))
    # Đồng: cash and transfers given, goods' valuation, an expense's amount (all positive;
    # a reversal carries the opposite sign).
    amount = models.BigIntegerField(_("amount (đồng)"), default=0)
    labour_days = models.DecimalField(
        _("labour (days)"), max_digits=8, decimal_places=1, default=Decimal(0)
    )
    land_m2 = models.DecimalField(
        _("land (m²)"), max_digits=10, decimal_places=1, default=Decimal(0)
    )
    pledge = models.ForeignKey(
        Pledge, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    # Labour: who worked (a member of the household, or the giver); land: the plot and the
    # minutes of handing over; expense: the supplier and the invoice.
    worker = models.CharField(_("who worked"), max_length=200, blank=True)
    plot = models.CharField(_("plot"), max_length=200, blank=True)
    minutes_number = models.CharField(_("minutes no."), max_length=40, blank=True)
    signed_by_household = models.BooleanField(_("minutes signed by the household"), default=False)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    document = models.FileField(_("invoice or document"), upload_to=_entry_upload, blank=True)
    document_kind = models.CharField(max_length=8, blank=True)
    receipt_number = models.PositiveIntegerField(_("receipt no."), null=True, blank=True)
    bank_transaction = models.CharField(_("bank transaction no."), max_length=80, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["on", "pk"]
        # Covers the sums of `totals` up to a day: the balance reads the index alone.
        indexes = [
            models.Index(
                fields=["campaign", "on", "kind", "amount", "labour_days", "land_m2"],
                name="campaign_entry_totals_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "receipt_number"],
                condition=Q(receipt_number__isnull=False),
                name="receipt_number_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "bank_transaction"],
                condition=~Q(bank_transaction=""),
                name="bank_transaction_once",
            ),
        ]

    def __str__(self):
        return f"{self.on:%d/%m/%Y} {self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        # The ledger is append-only: a correction is a reversing entry (actions.reverse_entry).
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Ledger entries cannot be changed; reverse them instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Ledger entries cannot be deleted; reverse them instead."))

    @property
    def is_gift(self) -> bool:
        return self.kind != self.Kind.EXPENSE

    @property
    def is_reversed(self) -> bool:
        return hasattr(self, "reversed_by")


def totals(entries: models.QuerySet) -> dict[str, Any]:
    """Money given (cash + transfer + goods' value), labour days, land and expenses.

    One aggregate query, so that it stays fast for a campaign of 50,000 entries.
    """
    zero_d = models.Value(Decimal(0), output_field=models.DecimalField())
    zero = models.Value(0, output_field=models.BigIntegerField())
    figures = entries.aggregate(
        cash=Coalesce(Sum("amount", filter=Q(kind__in=MONEY_IN)), zero),
        goods=Coalesce(Sum("amount", filter=Q(kind="goods")), zero),
        expenses=Coalesce(Sum("amount", filter=Q(kind="expense")), zero),
        labour=Coalesce(Sum("labour_days", filter=Q(kind="labour")), zero_d),
        land=Coalesce(Sum("land_m2", filter=Q(kind="land")), zero_d),
    )
    figures["money"] = figures["cash"] + figures["goods"]
    figures["balance"] = figures["cash"] - figures["expenses"]
    return figures


class Photo(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=_entry_upload)
    image_kind = models.CharField(max_length=8)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-taken_on", "-pk"]

    def __str__(self):
        return self.caption or self.image.name


class StatementMapping(models.Model):
    """The columns of one bank account's statements, as the treasurer mapped them once."""

    bank_bin = models.CharField(max_length=6, blank=True)
    account = models.CharField(max_length=19)
    columns = models.JSONField(default=dict)  # field → column heading as written
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bank_bin", "account"], name="mapping_per_account")
        ]

    def __str__(self):
        return f"{self.bank_bin} {self.account}"


class UnmatchedLine(models.Model):
    """A statement credit no reference matched, kept for the treasurer to match by hand."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="unmatched")
    on = models.DateField()
    amount = models.BigIntegerField()
    description = models.CharField(max_length=500, blank=True)
    bank_transaction = models.CharField(max_length=80)
    imported_at = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "bank_transaction"], name="unmatched_line_once"
            )
        ]

    def __str__(self):
        return f"{self.on:%d/%m/%Y} {self.amount} {self.description}"


def _statement_upload(item: "StatementImport", filename: str) -> str:
    return f"campaigns/statements/{timezone.now():%Y%m}/{secrets.token_hex(8)}"


class StatementImport(models.Model):
    """An uploaded bank statement: previewed first, written when the treasurer confirms."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("waiting for confirmation")
        DONE = "done", _("imported")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="statements")
    file = models.FileField(upload_to=_statement_upload)
    filename = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    matched = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)
    already = models.PositiveIntegerField(default=0)
    # What the preview showed (statements.Plan.to_json), read once at upload: the import
    # writes it without reading the file again. None: the columns are still to be mapped.
    plan = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.filename


class FeeAccount(models.Model):
    """The bank account into which a party cell's members pay their fee by QR."""

    organisation = models.OneToOneField(
        "party.Organisation", on_delete=models.CASCADE, related_name="fee_account"
    )
    bank_bin = models.CharField(_("bank"), max_length=6)
    bank_account = models.CharField(_("account number"), max_length=19)
    account_name = models.CharField(_("account holder"), max_length=100, blank=True)

    def __str__(self):
        return f"{self.organisation_id}: {self.bank_bin} {self.bank_account}"


class FeeTransfer(models.Model):
    """A credit of a cell's statement: matched to a member's monthly fee, or not."""

    organisation = models.ForeignKey(
        "party.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    fee = models.ForeignKey(
        "party.FeeMonth", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    on = models.DateField()
    amount = models.BigIntegerField()
    description = models.CharField(max_length=500, blank=True)
    bank_transaction = models.CharField(max_length=80)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "bank_transaction"], name="fee_transfer_once"
            )
        ]

    def __str__(self):
        return f"{self.on:%d/%m/%Y} {self.amount}"
