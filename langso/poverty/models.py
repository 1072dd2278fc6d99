"""The poverty review (domain.md §6): standards as dated data, surveys, the yearly and
ad-hoc reviews, each household's dated classification, support given and targets.

Every figure of a standard is a row (shipped by a data migration, editable in the
admin), never a constant in code: a survey is judged by the standard in force on its
date (`Standard.objects.valid_on`).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Result(models.TextChoices):
    POOR = "poor", _("Poor")
    NEAR_POOR = "near_poor", _("Near-poor")
    NOT_POOR = "not_poor", _("Not poor")


class StandardQuerySet(models.QuerySet):
    def valid_on(self, day: date):
        """The standard in force on `day`, or None."""
        return (
            self.filter(valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
            .order_by("-valid_from")
            .first()
        )


class Standard(models.Model):
    """A multidimensional poverty standard: income lines and the deprivation indicators.

    Poor: income per person per month at or below the line of the area and lacking at
    least `poor_min_lacking` indicators; near-poor: at or below the line and lacking
    fewer (Decree 07/2021, art. 3).
    """

    name = models.CharField(_("name"), max_length=120)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("The first day it is no more.")
    )
    rural_line = models.PositiveIntegerField(_("income line, rural (đồng/person/month)"))
    urban_line = models.PositiveIntegerField(_("income line, urban (đồng/person/month)"))
    rural_middle_line = models.PositiveIntegerField(
        _("middle-income upper line, rural"), null=True, blank=True
    )
    urban_middle_line = models.PositiveIntegerField(
        _("middle-income upper line, urban"), null=True, blank=True
    )
    poor_min_lacking = models.PositiveSmallIntegerField(
        _("indicators lacking for poor (at least)"), default=3
    )
    indicators_provisional = models.BooleanField(
        _("indicator list provisional"),
        default=False,
        help_text=_("The indicator list is not yet confirmed by the implementing circular."),
    )
    source = models.TextField(_("source of the figures"), blank=True)

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("poverty standard")
        verbose_name_plural = _("poverty standards")
        ordering = ["valid_from"]

    def __str__(self):
        return self.name

    def line(self, urban: bool) -> int:
        return self.urban_line if urban else self.rural_line


class Indicator(models.Model):
    """One deprivation indicator of a standard, in its service dimension."""

    class Dimension(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment")
        HEALTH = "health", _("Health")
        EDUCATION = "education", _("Education")
        HOUSING = "housing", _("Housing")
        WATER = "water", _("Water and sanitation")
        INFORMATION = "information", _("Information")

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=30)
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    name = models.CharField(_("indicator"), max_length=120)
    definition = models.TextField(_("lacking when"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("deprivation indicator")
        verbose_name_plural = _("deprivation indicators")
        ordering = ["standard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="indicator_code_once")
        ]

    def __str__(self):
        return self.name


class AreaSetting(models.Model):
    """Whether a commune counts as urban for the income line; by default a phường is
    urban and a xã (or đặc khu) rural."""

    commune = models.OneToOneField(
        "places.Unit", on_delete=models.CASCADE, related_name="poverty_area"
    )
    urban = models.BooleanField(_("urban"))

    class Meta:
        verbose_name = _("commune area")
        verbose_name_plural = _("commune areas")

    def __str__(self):
        return f"{self.commune}: {'urban' if self.urban else 'rural'}"


class Reason(models.TextChoices):
    """Why a household is poor, as review forms list them."""

    NO_LAND = "no_land", _("No land for production")
    NO_CAPITAL = "no_capital", _("No capital")
    NO_LABOUR = "no_labour", _("No labour")
    ILLNESS = "illness", _("Illness")
    DISABILITY = "disability", _("Disability")
    DEPENDANTS = "dependants", _("Many dependants")
    NO_SKILLS = "no_skills", _("Lack of skills or know-how")
    OTHER = "other", _("Other")


class Review(models.Model):
    """A commune's yearly review (Decision 24/2021/QĐ-TTg) or an ad-hoc one-household review."""

    class Kind(models.TextChoices):
        YEARLY = "yearly", _("Yearly review")
        ADHOC = "adhoc", _("Ad-hoc review")

    class Stage(models.TextChoices):
        LISTING = "listing", _("Listing households")
        SURVEYING = "surveying", _("Surveying")
        MEETING = "meeting", _("Hamlet meetings")
        POSTING = "posting", _("Public posting")
        RECOGNISED = "recognised", _("Recognised")

    commune = models.ForeignKey(
        "places.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.YEARLY)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    posting_days = models.PositiveSmallIntegerField(_("working days of posting"), default=3)
    posting_from = models.DateField(_("posted from"), null=True, blank=True)
    posting_until = models.DateField(
        _("posted until"), null=True, blank=True, help_text=_("The last day of the posting.")
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.LISTING
    )
    decision_number = models.CharField(_("decision number"), max_length=40, blank=True)
    decision_on = models.DateField(_("decision dated"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notice = models.ForeignKey(
        "notices.Notice",
        verbose_name=_("notice to residents"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("poverty review")
        verbose_name_plural = _("poverty reviews")
        ordering = ["-year", "-opens_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year"],
                condition=Q(kind="yearly"),
                name="poverty_one_yearly_review",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} – {self.commune}"

    @property
    def unit(self):
        """The commune holding the review (what notices call a target's unit)."""
        return self.commune

    def is_posted_on(self, day: date) -> bool:
        return (
            self.posting_from is not None
            and self.posting_until is not None
            and self.posting_from <= day <= self.posting_until
        )


class Entry(models.Model):
    """A household on a review's list, and how its review went."""

    class Source(models.TextChoices):
        CURRENT = "current", _("Currently poor or near-poor")
        APPLIED = "applied", _("Applied")
        PROPOSED = "proposed", _("Proposed by the hamlet head")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="entries")
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    hamlet = models.ForeignKey(
        "places.Unit", verbose_name=_("hamlet"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("why listed"), max_length=10, choices=Source.choices)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    proposed_by = models.CharField(_("proposed by"), max_length=120, blank=True)
    previous = models.CharField(
        _("classification before"), max_length=10, choices=Result.choices, default=Result.NOT_POOR
    )
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("surveyor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    survey = models.ForeignKey(
        "Survey",
        verbose_name=_("survey"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    agreed = models.CharField(
        _("agreed at the hamlet meeting"), max_length=10, choices=Result.choices, blank=True
    )
    votes_for = models.PositiveIntegerField(_("votes in favour"), null=True, blank=True)
    votes_cast = models.PositiveIntegerField(_("votes cast"), null=True, blank=True)
    final = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)

    class Meta:
        verbose_name = _("household under review")
        verbose_name_plural = _("households under review")
        ordering = ["hamlet__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "household"], name="poverty_entry_once")
        ]

    def __str__(self):
        return f"{self.household} ({self.review})"

    @property
    def vote_share(self):
        if not self.votes_cast:
            return None
        return round(100 * (self.votes_for or 0) / self.votes_cast, 1)


class Survey(models.Model):
    """A household survey (Circular 07/2021: B1 quick identification, B2 full), scored on
    save: income per person per month against the line, and the indicators lacking."""

    class Form(models.TextChoices):
        B1 = "B1", _("B1 – quick identification")
        B2 = "B2", _("B2 – full survey")

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="surveys"
    )
    form = models.CharField(_("form"), max_length=2, choices=Form.choices, default=Form.B2)
    on = models.DateField(_("surveyed on"))
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    urban = models.BooleanField(_("urban"))
    members = models.PositiveSmallIntegerField(_("members"))
    income_total = models.BigIntegerField(_("household income (đồng/month)"), default=0)
    income_per_person = models.BigIntegerField(_("income per person (đồng/month)"), default=0)
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    lacking = models.JSONField(_("indicators lacking"), default=list, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    reasons = models.JSONField(_("reasons for poverty"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    surveyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("surveyed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("household survey")
        verbose_name_plural = _("household surveys")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["household", "on"], name="poverty_survey_household_idx")]

    def __str__(self):
        return f"{self.form} {self.household} {self.on:%d/%m/%Y}"

    @property
    def lacking_count(self):
        return len(self.lacking)


class SurveyMember(models.Model):
    """A member as the survey found them: income per month and what the indicators ask."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    income = models.BigIntegerField(_("income (đồng/month)"), default=0)
    insured = models.BooleanField(_("has a health insurance card"), default=False)
    education = models.CharField(_("education"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("surveyed member")
        verbose_name_plural = _("surveyed members")

    def __str__(self):
        return str(self.person_id)


class Complaint(models.Model):
    """A complaint against a household's preliminary result, received during posting."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="complaints")
    received_on = models.DateField(_("received on"))
    complainant = models.CharField(_("from"), max_length=120)
    text = models.TextField(_("complaint"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("result of the re-check"), blank=True)
    recheck = models.ForeignKey(
        Survey,
        verbose_name=_("re-check survey"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["received_on", "pk"]

    def __str__(self):
        return f"{self.complainant} – {self.entry}"


class HamletMeeting(models.Model):
    """The hamlet meeting that agrees the review's results (minutes)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="meetings")
    hamlet = models.ForeignKey("places.Unit", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("held on"))
    chaired_by = models.CharField(_("chaired by"), max_length=120, blank=True)
    attendance = models.PositiveIntegerField(_("attendance"))
    households_represented = models.PositiveIntegerField(
        _("households represented"), null=True, blank=True
    )
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("hamlet meeting")
        verbose_name_plural = _("hamlet meetings")
        constraints = [
            models.UniqueConstraint(fields=["review", "hamlet"], name="poverty_meeting_once")
        ]

    def __str__(self):
        return f"{self.hamlet} {self.held_on:%d/%m/%Y}"


class StatusQuerySet(models.QuerySet):
    def on(self, day: date):
        return self.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gt=day))


class Status(models.Model):
    """A household's classification from `start` to `end` (exclusive), by a recognition.

    Only poor and near-poor periods are rows; a household without a row covering a day
    was neither that day.
    """

    household = models.ForeignKey(
        "registry.Household", on_delete=models.CASCADE, related_name="poverty_statuses"
    )
    status = models.CharField(_("classification"), max_length=10, choices=Result.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="statuses")
    ended_by = models.ForeignKey(
        Review, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reasons = models.JSONField(_("reasons for poverty"), default=list, blank=True)

    objects = StatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("poverty classification")
        verbose_name_plural = _("poverty classifications")
        ordering = ["household", "start"]
        indexes = [models.Index(fields=["household", "start"], name="poverty_status_hh_idx")]

    def __str__(self):
        return f"{self.household_id} {self.status} {self.start}–{self.end or ''}"


class Support(models.Model):
    """Support given to a household or one of its members."""

    class Programme(models.TextChoices):
        LOAN = "loan", _("Social Policy Bank loan")
        LIVESTOCK = "livestock", _("Livestock or seedlings")
        HOUSING = "housing", _("Housing support")
        HEALTH_INSURANCE = "health_insurance", _("Health insurance card")
        SCHOOL_FEES = "school_fees", _("School-fee relief")
        VOCATIONAL = "vocational", _("Vocational training")
        OTHER = "other", _("Other support")

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    description = models.CharField(_("what"), max_length=200, blank=True)
    given_on = models.DateField(_("given on"))
    amount = models.BigIntegerField(_("amount (đồng)"), default=0)
    term_months = models.PositiveSmallIntegerField(_("term (months)"), null=True, blank=True)
    balance = models.BigIntegerField(_("outstanding balance (đồng)"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    overdue = models.BigIntegerField(_("overdue (đồng)"), default=0)
    state_share = models.PositiveSmallIntegerField(_("state share (%)"), null=True, blank=True)
    family_share = models.PositiveSmallIntegerField(_("family share (%)"), null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("support given")
        verbose_name_plural = _("support given")
        ordering = ["-given_on", "pk"]

    def __str__(self):
        return f"{self.get_programme_display()} {self.given_on:%d/%m/%Y}"


class Target(models.Model):
    """A unit's target for a year: poor and near-poor households, and the poverty rate."""

    unit = models.ForeignKey("places.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    poor = models.PositiveIntegerField(_("poor households"), null=True, blank=True)
    near_poor = models.PositiveIntegerField(_("near-poor households"), null=True, blank=True)
    rate = models.DecimalField(
        _("poverty rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("poverty target")
        verbose_name_plural = _("poverty targets")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="poverty_target_once")]

    def __str__(self):
        return f"{self.unit} {self.year}"


class HouseholdCount(models.Model):
    """How many households a unit had on a past day (the registry's own count, as of
    that day), and how many of them were poor and near-poor, kept once counted: the rate
    of a past year is its poor households against the households of that year, and a
    province would otherwise read a million people's stays for every year of its chart.
    Only past days are kept; today is counted live or read from the indicators' stored
    summaries. A recognition dated on or before a kept day blanks its poor and near-poor
    counts (they are counted again on the next page)."""

    unit = models.ForeignKey("places.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("as of"))
    households = models.PositiveIntegerField(_("households"))
    poor = models.PositiveIntegerField(_("poor households"), null=True, blank=True)
    near_poor = models.PositiveIntegerField(_("near-poor households"), null=True, blank=True)

    class Meta:
        verbose_name = _("household count")
        verbose_name_plural = _("household counts")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="poverty_household_count_once")
        ]

    def __str__(self):
        return f"{self.unit_id} {self.day}: {self.households}"
