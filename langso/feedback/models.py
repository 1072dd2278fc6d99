"""Residents' reports of a problem, handled within a deadline and answered in public.

A `Report` is received once (from the public page without an account, from the app, or
entered by a hamlet head or official on a resident's behalf, with the channel it came
by), gets a tracking code and a deadline in working days from its `Category`, and moves
received → assigned → in progress → answered → closed, or is declined with a reason.
A duplicate is declined and merged into the original, whose answer then reaches every
reporter. `Note`s are internal; the answer and its photos are public unless the resident
asked otherwise. `Holiday` keeps the days off (and make-up Saturdays) that deadlines skip.
"""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.lib.paths import PathField, Unindexed
from langso.lib.workdays import Calendar

# No 0/O, 1/I/L: a code read aloud over the phone or copied from a note cannot be misread.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(text: str) -> str:
    """A code as typed: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:20]


class Category(models.Model):
    """What a report is about, who handles it by default and within how many working days."""

    class HandlerKind(models.TextChoices):
        HAMLET = "hamlet", _("The hamlet")
        COMMUNE = "commune", _("The commune")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    handler_kind = models.CharField(
        _("handled by default by"),
        max_length=10,
        choices=HandlerKind.choices,
        default=HandlerKind.COMMUNE,
    )
    deadline_days = models.PositiveSmallIntegerField(_("deadline in working days"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("feedback category")
        verbose_name_plural = _("feedback categories")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class Holiday(models.Model):
    """A public holiday (or a Saturday worked in exchange) that deadlines count with."""

    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_working_day = models.BooleanField(
        _("worked (make-up day)"),
        default=False,
        help_text=_("A Saturday worked in exchange for a day off."),
    )

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.name}"

    @classmethod
    def calendar(cls) -> Calendar:
        off: list[date] = []
        worked: list[date] = []
        for day, is_worked in cls.objects.values_list("day", "is_working_day"):
            (worked if is_worked else off).append(day)
        return Calendar(off, worked)


class ReportQuerySet(models.QuerySet):
    def within(self, unit):
        """Reports of a hamlet, a commune or a province (by its communes: indexed)."""
        if unit.kind == "commune":
            return self.filter(commune=unit)
        if unit.kind == "province":
            return self.filter(commune__in=unit.children.values("pk"))
        return self.filter(unit_path__within=unit.path)

    def open(self):
        return self.filter(state__in=Report.OPEN)

    def overdue(self, today: date | None = None):
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def answered_publicly(self):
        """The published answers, read through `feedback_public_answers_idx` newest first:
        `answered_at` is set by every answer, said here so that the index skips the
        unanswered reports (PostgreSQL sorts their NULL first); the states are checked on
        each row, never used to find them (on SQLite they would lead it to the overdue
        index and a sort of every answer of the commune)."""
        return (
            self.alias(answered_state=Unindexed("state", models.CharField()))
            .filter(
                answered_state__in=[Report.State.ANSWERED, Report.State.CLOSED],
                is_public=True,
                answered_at__isnull=False,
            )
            .exclude(answer="")
        )


class Report(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Public web page")
        APP = "app", _("The app")
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        MEETING = "meeting", _("At a meeting")
        ZALO = "zalo", _("Zalo group")
        OPEN311 = "open311", _("Open311 interface")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        DECLINED = "declined", _("Declined")

    class Decline(models.TextChoices):
        OUT_OF_SCOPE = "out_of_scope", _("Outside the commune's remit")
        DUPLICATE = "duplicate", _("Already reported (merged)")
        NOT_ENOUGH = "not_enough", _("Not enough information")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        NOT_SATISFIED = "not_satisfied", _("Not satisfied")

    OPEN = (State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS)

    code = models.CharField(_("tracking code"), max_length=12, unique=True, default=new_code)
    commune = models.ForeignKey(
        "places.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    hamlet = models.ForeignKey(
        "places.Unit", verbose_name=_("hamlet"), on_delete=models.PROTECT, related_name="+"
    )
    # The hamlet's path, copied so that scope and roll-ups are one indexed range query.
    unit_path = PathField(db_index=True, editable=False)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    text = models.TextField(_("what is wrong"), max_length=2000)
    landmark = models.CharField(_("where (landmark)"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RECEIVED
    )
    is_public = models.BooleanField(
        _("answer may be published"),
        default=True,
        help_text=_("The answer and the photos are shown on the public page, never the name."),
    )
    # Who reported: an account, a resident, or a phone number only; all empty = anonymous.
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by (account)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reporter_person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("reported by (resident)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("phone for the answer"), max_length=20, blank=True)
    reporter_email = models.EmailField(_("e-mail for the answer"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)

    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    due_on = models.DateField(_("due on"))
    assigned_unit = models.ForeignKey(
        "places.Unit",
        verbose_name=_("assigned to unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    days_to_answer = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    answered_on_time = models.BooleanField(null=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    decline_reason = models.CharField(
        _("declined because"), max_length=15, choices=Decline.choices, blank=True
    )
    decline_note = models.CharField(_("reason given"), max_length=500, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=15, choices=Rating.choices, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # A link to a photo elsewhere, given through Open311 (`media_url`): kept as a link for
    # the handlers, never fetched by the server (docs/feedback.md, "Open311").
    media_url = models.URLField(_("photo link given"), max_length=500, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["commune", "-received_at"], name="feedback_commune_recent_idx"),
            # A hamlet's reports by path prefix: on PostgreSQL (a non-C collation) only
            # the pattern operator class serves LIKE 'path/%' (lib/paths.py).
            models.Index(
                fields=["unit_path", "category"],
                name="feedback_path_category_idx",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            ),
            models.Index(fields=["reporter_user", "-received_at"], name="feedback_user_idx"),
            # A commune's published answers, newest first: the public list's page and the
            # three on the public home page, without sorting every answer of the commune.
            models.Index(
                fields=["commune", "-answered_at", "-id"],
                name="feedback_public_answers_idx",
            ),
            # The overdue figures and lists: a commune (or every commune of a province),
            # then the open states, then the due day, carrying what the figures group by
            # and the id, so that they are counted and listed by due day from this index
            # alone (an index-only scan on PostgreSQL too). The commune leads: SQLite, with
            # or without statistics, otherwise starts from the commune index above and
            # reads every report of a province (test_figures checks the plan). Not a
            # partial index: SQLite ignores one when the states are bound parameters.
            models.Index(
                fields=["commune", "state", "due_on", "hamlet", "category", "id"],
                name="feedback_commune_open_idx",
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.category}"

    def get_absolute_url(self):
        return reverse("feedback:report-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    def may_reopen(self, now=None) -> bool:
        """Once, within 7 days of the answer (issue 14, item 3)."""
        now = now or timezone.now()
        return (
            self.state in (self.State.ANSWERED, self.State.CLOSED)
            and self.reopened_at is None
            and self.answered_at is not None
            and now - self.answered_at <= timedelta(days=7)
        )

    @property
    def tracking_display(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


class Photo(models.Model):
    """A re-encoded photo without its metadata: of the problem, or of the fix."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Of the problem")
        ANSWER = "answer", _("Of the fix")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REPORT)
    image = models.FileField(_("photo"), upload_to="feedback/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self):
        return self.image.name


class Note(models.Model):
    """An internal note on a report: the resident never sees it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class TallyQuerySet(models.QuerySet):
    def within(self, unit):
        """Tallies of a hamlet, a commune or a province: one indexed range on the path."""
        return self.filter(unit_path__within=unit.path)


class Tally(models.Model):
    """How many reports a hamlet received in a month in a category, and what became of
    them: the figures' source (figures.py), kept by the actions in their own transaction
    (tallies.py) and rebuilt from the reports by `manage.py feedback_recount`.

    `days` is the sum of working days to answer of the answered ones; `open` those still
    waiting (received, assigned or in progress); `published` the answers on the public
    list. What is overdue depends on the day, so it is counted from the open reports.
    """

    commune = models.ForeignKey(
        "places.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    hamlet = models.ForeignKey(
        "places.Unit", verbose_name=_("hamlet"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = PathField(editable=False)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    month = models.DateField(_("month"))
    received = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    days = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    published = models.IntegerField(default=0)

    objects = TallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback tally")
        verbose_name_plural = _("feedback tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["hamlet", "category", "month"], name="feedback_tally_unique"
            )
        ]
        # By path prefix on both databases: the pattern operator class on PostgreSQL,
        # where an ordinary index does not serve LIKE 'path/%' (lib/paths.py).
        indexes = [
            models.Index(
                fields=["unit_path", "month"],
                name="feedback_tally_path_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            )
        ]

    def __str__(self):
        return f"{self.hamlet_id} · {self.category_id} · {self.month:%m/%Y}"
