"""The party cell's electronic handbook (domain.md §7).

A member is a registry `Person` (design.md principle 3); everything here points
at people and never copies their names or birth dates. Organisations form their
own tree (provincial committee → commune committee → cell) stored as a
materialised `path` of primary keys, and each is attached to a place unit so
that party roles held at units reach them.
"""

import zipfile
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from xml.etree import ElementTree

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from langso.lib.dates import add_months, completed_months, completed_years, month_start
from langso.lib.paths import PathField

PROBATION_MONTHS = 12
ADMISSION_AGES = (18, 60)  # full years, counted in months (Regulation 232-QĐ/TW, 2025)
EXEMPT_AFTER_YEARS = 50
UNPAID_MONTHS_WARNING = 3
HARDSHIP_CUTS = (30, 50, 70)
HARDSHIP_MAX_MONTHS = 12
DOCX_TEXT_LIMIT = 10 * 1024 * 1024


def age_in_months(person, day):
    """Completed months of age on `day`, None without a birth date.

    A month is complete on the same day of a later month, or on the last day of a
    shorter one (Civil Code 2015, art. 148); a year-only birth date counts from 1 January.
    """
    if person.birth_date is None:
        return None
    born = person.birth_date
    if person.birth_precision == person.BirthPrecision.YEAR:
        born = date(born.year, 1, 1)
    return completed_months(born, day)


def admission_age_check(person, considered_on):
    """Whether `person`'s age allows admission when the cell considers it.

    Regulation 232-QĐ/TW (2025) on the Party Charter: from full 18 to full 60 years,
    counted in months, at the cell's consideration. Returns "ok", "too_young",
    "needs_approval" (older than 60: only with the provincial committee's written
    approval) or "no_birth_date".
    """
    months = age_in_months(person, considered_on)
    low, high = ADMISSION_AGES
    if months is None:
        return "no_birth_date"
    if months < low * 12:
        return "too_young"
    if months > high * 12:
        return "needs_approval"
    return "ok"


class OrganisationQuerySet(models.QuerySet):
    def within(self, organisation):
        return self.filter(path__within=organisation.path)

    def cells(self):
        return self.filter(kind=Organisation.Kind.CELL)


class Organisation(models.Model):
    """A party committee (đảng bộ) or a party cell (chi bộ)."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", pgettext_lazy("organisation", "Party committee")
        CELL = "cell", _("Party cell")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(
        "places.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = PathField(_("path"), unique=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:organisation-detail", args=[self.pk])

    def current_members(self):
        return self.members.filter(status__in=Member.CURRENT).select_related("person__reach")

    def full_member_count(self):
        return self.members.filter(status=Member.Status.FULL).count()


class MemberQuerySet(models.QuerySet):
    def in_tree(self, organisation):
        return self.filter(organisation__path__within=organisation.path)


class Member(models.Model):
    """A party member: a registry person with a card, a cell and a status."""

    class Status(models.TextChoices):
        PROBATIONARY = "probationary", _("Probationary")
        FULL = "full", _("Full member")
        TRANSFERRED_OUT = "transferred_out", _("Transferred out")
        REMOVED = "removed", _("Removed")
        DECEASED = "deceased", _("Deceased")

    class Position(models.TextChoices):
        NONE = "", _("Member")
        SECRETARY = "secretary", _("Secretary")
        DEPUTY = "deputy", _("Deputy secretary")
        COMMITTEE = "committee", _("Committee member")

    class FeeBasis(models.TextChoices):
        SALARIED = "salaried", _("Salaried, under compulsory social insurance")
        PENSIONER = "pensioner", _("Pensioner")
        STUDENT = "student", _("Student")
        OTHER = "other", _("Other")

    class Exemption(models.TextChoices):
        NONE = "", _("None")
        POOR_HOUSEHOLD = "poor_household", _("Poor or near-poor household")
        SERIOUS_ILLNESS = "serious_illness", _("Serious illness")
        SOCIAL_PENSION = "social_pension", _("Receives a social pension")

    CURRENT = (Status.PROBATIONARY, Status.FULL)
    MANAGING_POSITIONS = (Position.SECRETARY, Position.DEPUTY)

    person = models.OneToOneField(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="party_member",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_member",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("party cell"), on_delete=models.PROTECT, related_name="members"
    )
    card_number = models.CharField(_("party card number"), max_length=30, blank=True)
    admitted_on = models.DateField(_("admitted on"))
    full_member_on = models.DateField(_("full member since"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROBATIONARY
    )
    position = models.CharField(
        _("position in the cell"), max_length=20, choices=Position.choices, blank=True
    )
    fee_basis = models.CharField(
        _("fee basis"), max_length=20, choices=FeeBasis.choices, default=FeeBasis.OTHER
    )
    fee_base = models.PositiveIntegerField(
        _("insured salary or pension (đồng)"),
        default=0,
        help_text=_("The monthly amount the percentage applies to, in đồng."),
    )
    exemption = models.CharField(
        _("exemption"), max_length=20, choices=Exemption.choices, blank=True
    )
    hardship_cut = models.PositiveSmallIntegerField(_("hardship reduction (%)"), default=0)
    hardship_until = models.DateField(_("hardship reduction until"), null=True, blank=True)
    considered_on = models.DateField(
        _("considered by the cell on"),
        null=True,
        blank=True,
        help_text=_("The day the cell considered the admission; the age is counted then."),
    )
    age_approval_number = models.CharField(
        _("number of the written approval for an admission over 60"), max_length=50, blank=True
    )
    age_approval_on = models.DateField(_("approval dated"), null=True, blank=True)
    age_approval_by = models.CharField(_("approval issued by"), max_length=200, blank=True)
    probation_reminded_on = models.DateField(
        _("reminded of the probation's end on"), null=True, blank=True, editable=False
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        indexes = [models.Index(fields=["organisation", "status"], name="member_org_status_idx")]

    def __str__(self):
        return self.person.full_name

    def get_absolute_url(self):
        return reverse("party:member-detail", args=[self.pk])

    @property
    def is_current(self):
        return self.status in self.CURRENT

    @property
    def told_in_person(self):
        """The person cannot be reached by phone (notices' Reach): told in person."""
        reach = getattr(self.person, "reach", None)
        return reach is not None and reach.no_phone

    @property
    def manages_cell(self):
        return self.is_current and self.position in self.MANAGING_POSITIONS

    def probation_ends_on(self):
        """Twelve months from the admission ceremony (domain.md §7)."""
        return add_months(self.admitted_on, PROBATION_MONTHS)

    def probation_is_over(self, on):
        return on >= self.probation_ends_on()

    def membership_years(self, on):
        return completed_years(self.admitted_on, on)

    def fee_for(self, month, schedule):
        """(amount in đồng, reason code) the member owes for `month` (Regulation 01-QĐ/TW).

        Exemptions first (50 years of membership counted to the month's first day,
        then the recorded ones), then the rate of the member's basis, then a hardship
        cut while it lasts. The reason is a code (`fee_reason_label` words it in the
        reader's language), so a stored month reads right in Vietnamese and English.
        """
        month = month_start(month)
        if self.membership_years(month) >= EXEMPT_AFTER_YEARS:
            return 0, "exempt:50_years"
        if self.exemption:
            return 0, f"exempt:{self.exemption}"
        if self.fee_basis == self.FeeBasis.SALARIED:
            amount = _per_mille(self.fee_base, schedule.salaried_per_mille)
            reason = f"salaried:{schedule.salaried_per_mille}"
        elif self.fee_basis == self.FeeBasis.PENSIONER:
            amount = _per_mille(self.fee_base, schedule.pension_per_mille)
            reason = f"pension:{schedule.pension_per_mille}"
        elif self.fee_basis == self.FeeBasis.STUDENT:
            amount, reason = schedule.student_amount, "student"
        else:
            amount, reason = schedule.other_amount, "standard"
        if self.hardship_cut and self.hardship_until and month <= self.hardship_until:
            amount = _per_mille(amount, 1000 - self.hardship_cut * 10)
            reason = f"{reason};cut:{self.hardship_cut}"
        return amount, reason


def fee_reason_label(code):
    """The words for a fee reason code of `Member.fee_for`, in the active language.

    An unknown code (text typed by hand) is shown as it is."""
    if not code:
        return ""
    base, _sep, cut = code.partition(";cut:")
    kind, _sep, value = base.partition(":")
    if kind == "exempt" and value == "50_years":
        label = _("Exempt: 50 years of membership")
    elif kind == "exempt" and value in Member.Exemption.values:
        label = _("Exempt: %(reason)s") % {"reason": Member.Exemption(value).label}
    elif kind == "salaried" and value.isdigit():
        label = _("%(rate)s %% of the insured salary") % {
            "rate": FeeSchedule.rate_display(int(value))
        }
    elif kind == "pension" and value.isdigit():
        label = _("%(rate)s %% of the pension") % {"rate": FeeSchedule.rate_display(int(value))}
    elif base == "student":
        label = _("Student rate")
    elif base == "standard":
        label = _("Standard rate")
    else:
        return code
    if cut:
        label = _("%(reason)s, cut by %(cut)s %% for hardship") % {"reason": label, "cut": cut}
    return str(label)


def _per_mille(amount, per_mille):
    """`amount` × per_mille / 1000 in whole đồng, halves rounded up."""
    value = Decimal(amount) * Decimal(per_mille) / Decimal(1000)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class Transfer(models.Model):
    """A member's move between cells, or in from / out to an organisation elsewhere."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    from_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    elsewhere = models.CharField(
        _("organisation elsewhere"),
        max_length=200,
        blank=True,
        help_text=_("Where the member came from or went to, outside this system."),
    )
    on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["on", "pk"]

    def __str__(self):
        source = self.from_organisation or self.elsewhere
        target = self.to_organisation or self.elsewhere
        return f"{self.on:%d/%m/%Y}: {source} → {target}"


class Meeting(models.Model):
    """A cell's regular (monthly) or thematic meeting."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular monthly meeting")
        THEMATIC = "thematic", _("Thematic meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    title = models.CharField(_("title"), max_length=200)
    for_month = models.DateField(
        _("for the month of"), help_text=_("The month whose regular meeting this is.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_file = models.FileField(_("minutes file"), upload_to="party/minutes/%Y/", blank=True)
    notice = models.ForeignKey(
        "notices.Notice",
        verbose_name=_("invitation notice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The notice that invited the members: its delivery and in-person list."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["organisation", "for_month"], name="meeting_org_month_idx")]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("party:meeting-detail", args=[self.pk])

    @property
    def held_on_time(self):
        """Held within the month it is for (domain.md §7: a regular meeting every month)."""
        return (
            self.status == self.Status.HELD
            and self.held_on is not None
            and month_start(self.held_on) == month_start(self.for_month)
        )


class Invitation(models.Model):
    """One member invited to one meeting: their answer, and whether they came."""

    class Response(models.TextChoices):
        PENDING = "", _("No answer yet")
        CONFIRMED = "confirmed", _("Will attend")
        EXCUSED = "excused", _("Excused absence")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Absent with leave")
        ABSENT = "absent", _("Absent without leave")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    response = models.CharField(
        _("answer"), max_length=10, choices=Response.choices, blank=True, default=""
    )
    excuse = models.CharField(_("reason for absence"), max_length=300, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    # Told in person before invitations went out as notices; since then the meeting's
    # notice keeps who was told in person (Meeting.notice, its in-person list).
    informed_at = models.DateTimeField(_("told in person at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="invitation_once"),
        ]
        indexes = [models.Index(fields=["member", "responded_at"], name="invitation_member_idx")]

    def __str__(self):
        return f"{self.member} – {self.meeting}"


class Document(models.Model):
    """A directive, resolution or guidance in the library, addressed to organisations."""

    class Kind(models.TextChoices):
        DIRECTIVE = "directive", _("Directive")
        RESOLUTION = "resolution", _("Resolution")
        GUIDANCE = "guidance", _("Guidance")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300)
    issuing_body = models.CharField(_("issued by"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    tags = models.CharField(
        _("tags"), max_length=200, blank=True, help_text=_("Separated by commas.")
    )
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(_("file (PDF or DOCX)"), upload_to="party/documents/%Y/")
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("for"),
        related_name="documents",
        help_text=_("Each organisation chosen and every organisation under it."),
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "-pk"]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("party:document-detail", args=[self.pk])

    def tag_list(self):
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    @property
    def file_kind(self):
        return "DOCX" if self.file.name.lower().endswith(".docx") else "PDF"

    def docx_paragraphs(self):
        """The text of a Word file, paragraph by paragraph, to read on a phone without Word.

        Read from the file's word/document.xml with the standard library; empty for a PDF
        (the phone's browser shows those) or a file that cannot be read.
        """
        if self.file_kind != "DOCX":
            return []
        namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        try:
            with self.file.open("rb") as upload, zipfile.ZipFile(upload) as archive:
                # A small zip can unpack to gigabytes: read only a text a person could.
                if archive.getinfo("word/document.xml").file_size > DOCX_TEXT_LIMIT:
                    return []
                root = ElementTree.fromstring(archive.read("word/document.xml"))
        except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
            return []
        paragraphs = []
        for paragraph in root.iter(f"{namespace}p"):
            text = "".join(node.text or "" for node in paragraph.iter(f"{namespace}t"))
            if text.strip():
                paragraphs.append(text)
        return paragraphs


class Reading(models.Model):
    """The first time a member opened a document."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="readings")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="readings")
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "member"], name="read_once")]
        indexes = [models.Index(fields=["read_at"], name="reading_at_idx")]

    def __str__(self):
        return f"{self.member} – {self.document}"


class Question(models.Model):
    """A short study question on a document, with choices and the right one."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(_("choices"), default=list)
    correct = models.PositiveSmallIntegerField(_("correct choice (from 1)"))
    points = models.PositiveSmallIntegerField(_("points"), default=10)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class Answer(models.Model):
    """A member's one answer to a question; right answers earn the question's points."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="answers")
    choice = models.PositiveSmallIntegerField(_("choice"))
    is_correct = models.BooleanField(_("correct"))
    points = models.PositiveSmallIntegerField(_("points"))
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "member"], name="answer_once"),
        ]
        indexes = [models.Index(fields=["answered_at"], name="answer_at_idx")]

    def __str__(self):
        return f"{self.member} – {self.question}"


class Activity(models.Model):
    """A member's use of the handbook in one month, kept as it happens.

    The monthly usage report reads these rows (one per active member) instead of
    scanning every reading, answer and invitation of a province.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="activity")
    # The member's cell in that month, so a later transfer does not move past activity.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    documents_read = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)
    points = models.PositiveIntegerField(default=0)
    responses = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="activity_once_a_month")
        ]
        indexes = [models.Index(fields=["month", "organisation"], name="activity_month_idx")]

    def __str__(self):
        return f"{self.member} {self.month:%m/%Y}"

    @classmethod
    def note(cls, member, *, at, **counts):
        """Add `counts` (documents_read, answers, points, responses) to the month of `at`."""
        month = month_start(timezone.localdate(at))
        row, _created = cls.objects.get_or_create(
            member=member, month=month, defaults={"organisation_id": member.organisation_id}
        )
        cls.objects.filter(pk=row.pk).update(
            **{name: F(name) + value for name, value in counts.items()}
        )

    @classmethod
    def rebuild(cls, members):
        """Recompute the rows of `members` from their readings, answers and invitation answers
        (after data was written in bulk, as the demo and the benchmark do)."""
        rows = {}
        cells = dict(members.values_list("pk", "organisation_id"))

        def add(queryset, field, name, value):
            grouped = (
                queryset.filter(member__in=members)
                .annotate(month=TruncMonth(field))
                .values_list("member_id", "month")
                .annotate(n=value)
                .order_by()
            )
            for member_id, month, n in grouped:
                key = (member_id, _as_date(month))
                rows.setdefault(key, dict.fromkeys(_ACTIVITY_COUNTS, 0))[name] += n or 0

        add(Reading.objects, "read_at", "documents_read", Count("pk"))
        add(Answer.objects, "answered_at", "answers", Count("pk"))
        add(Answer.objects, "answered_at", "points", Sum("points"))
        add(
            Invitation.objects.filter(responded_at__isnull=False),
            "responded_at",
            "responses",
            Count("pk"),
        )
        cls.objects.filter(member__in=members).delete()
        cls.objects.bulk_create(
            (
                cls(member_id=member_id, month=month, organisation_id=cells[member_id], **counts)
                for (member_id, month), counts in rows.items()
            ),
            batch_size=2000,
        )
        return len(rows)


_ACTIVITY_COUNTS = ("documents_read", "answers", "points", "responses")


def _as_date(value):
    return value.date() if isinstance(value, datetime) else value


class AdmissionTarget(models.Model):
    """How many new members an organisation means to admit in a term."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="admission_targets"
    )
    term = models.CharField(_("term"), max_length=20, help_text=_("For example 2025–2030."))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    target = models.PositiveIntegerField(_("target"))

    class Meta:
        verbose_name = _("admission target")
        verbose_name_plural = _("admission targets")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "term"], name="target_once_per_term"),
        ]

    def __str__(self):
        return f"{self.organisation} {self.term}: {self.target}"

    def admitted(self):
        """Admissions in the term in the organisation and every organisation under it."""
        return (
            Member.objects.in_tree(self.organisation)
            .filter(admitted_on__gte=self.starts_on, admitted_on__lte=self.ends_on)
            .count()
        )


class Candidate(models.Model):
    """An outstanding person on the way to admission."""

    class Stage(models.TextChoices):
        OUTSTANDING = "outstanding", _("Outstanding person, being fostered")
        STUDYING = "studying", _("Attended the course on the Party")
        PROPOSED = "proposed", _("Proposed by the cell")
        ADMITTED = "admitted", _("Admitted")
        WITHDRAWN = "withdrawn", _("No longer a candidate")

    OPEN = (Stage.OUTSTANDING, Stage.STUDYING, Stage.PROPOSED)

    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("party cell"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.OUTSTANDING
    )
    since = models.DateField(_("in this stage since"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("admission candidate")
        verbose_name_plural = _("admission candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(stage__in=["outstanding", "studying", "proposed"]),
                name="one_open_candidacy",
            ),
        ]

    def __str__(self):
        return str(self.person)


class Rating(models.Model):
    """The annual quality rating of a member or an organisation (Regulation 366-QĐ/TW)."""

    class Level(models.TextChoices):
        EXCELLENT = "excellent", _("Excellently completed")
        GOOD = "good", _("Well completed")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")

    class Stage(models.TextChoices):
        SELF = "self", _("Self-assessed")
        REVIEWED = "reviewed", _("Reviewed by the cell")
        DECIDED = "decided", _("Decided by the committee")

    year = models.PositiveSmallIntegerField(_("year"))
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, null=True, blank=True, related_name="ratings"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="ratings"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    self_score = models.DecimalField(
        _("self-assessed score"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    self_comment = models.TextField(_("self-assessment"), blank=True)
    review_score = models.DecimalField(
        _("cell's score"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    decided_score = models.DecimalField(
        _("committee's score"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    tasks_exceeded = models.BooleanField(
        _("every task done, 30 per cent or more exceeded"),
        default=False,
        help_text=_("Needed, beside 90 points, for the excellent level."),
    )
    level = models.CharField(_("level"), max_length=15, choices=Level.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("quality rating")
        verbose_name_plural = _("quality ratings")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=True) ^ Q(organisation__isnull=True),
                name="rating_of_member_or_organisation",
            ),
            models.UniqueConstraint(fields=["member", "year"], name="member_rated_once_a_year"),
            models.UniqueConstraint(
                fields=["organisation", "year"], name="organisation_rated_once_a_year"
            ),
        ]

    def __str__(self):
        return f"{self.member or self.organisation} {self.year}"

    @property
    def score(self):
        """The latest score given: the committee's, else the cell's, else the member's own."""
        for value in (self.decided_score, self.review_score, self.self_score):
            if value is not None:
                return value
        return None


def rating_level(score, *, tasks_exceeded):
    """The level of a 100-point score (domain.md §7).

    Excellent needs 90 points and every task done with 30 % or more exceeded;
    90 points without that is good.
    """
    score = Decimal(str(score))
    if not Decimal(0) <= score <= Decimal(100):
        raise ValueError(score)
    if score >= 90:
        return Rating.Level.EXCELLENT if tasks_exceeded else Rating.Level.GOOD
    if score >= 70:
        return Rating.Level.GOOD
    if score >= 50:
        return Rating.Level.COMPLETED
    return Rating.Level.NOT_COMPLETED


class FeeSchedule(models.Model):
    """The fee rates in force from a day (Regulation 01-QĐ/TW; other rates unconfirmed)."""

    valid_from = models.DateField(_("in force from"), unique=True)
    salaried_per_mille = models.PositiveSmallIntegerField(
        _("salaried members (‰ of the insured salary)"), default=10
    )
    pension_per_mille = models.PositiveSmallIntegerField(
        _("pensioners (‰ of the pension)"), default=5
    )
    student_amount = models.PositiveIntegerField(_("students (đồng a month)"), default=5000)
    other_amount = models.PositiveIntegerField(
        _("other members (đồng a month)"),
        default=5000,
        help_text=_("Not fixed by the regulation as we read it; set it as your committee decides."),
    )

    class Meta:
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.valid_from:%d/%m/%Y}"

    @classmethod
    def for_month(cls, month):
        """The schedule in force on the month's first day (the defaults when none is)."""
        schedule = cls.objects.filter(valid_from__lte=month_start(month)).first()
        return schedule or cls(valid_from=date(2026, 2, 3))

    @staticmethod
    def rate_display(per_mille):
        return f"{Decimal(per_mille) / 10:g}".replace(".", ",")


class FeeMonth(models.Model):
    """What a member owed for a month, and what they paid."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="fee_months")
    month = models.DateField(_("month"))
    due = models.PositiveIntegerField(_("due (đồng)"))
    reason = models.CharField(_("basis"), max_length=200, blank=True)  # a fee_for code
    paid = models.PositiveIntegerField(_("paid (đồng)"), default=0)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    excused = models.BooleanField(
        _("unpaid with a reason"),
        default=False,
        help_text=_("The cell accepted the reason; the month does not count towards removal."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("monthly fee")
        verbose_name_plural = _("monthly fees")
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="fee_once_a_month")]

    def __str__(self):
        return f"{self.member} {self.month:%m/%Y}"

    @property
    def outstanding(self):
        return max(self.due - self.paid, 0)

    @property
    def reason_label(self):
        return fee_reason_label(self.reason)
