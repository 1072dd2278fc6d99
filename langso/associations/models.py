"""The Fatherland Front's member organisations and local groups (domain.md §8).

An organisation works at commune level; its branches (chi hội, chi đoàn) are attached to
hamlets and may have small groups (tổ hội) under them. A member is a registry `Person`
(design.md principle 3): nothing here copies a name or a birth date. Money is integer
đồng.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from langso.associations import rules
from langso.lib.dates import add_months, born_by


class Organisation(models.Model):
    """A commune's Fatherland Front committee, a member organisation, or a local group."""

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=rules.KIND_CHOICES)
    unit = models.ForeignKey(
        "places.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        help_text=_("For a local group: the organisation that runs it."),
    )
    # The membership rule, copied from the kind's and editable (rules.py).
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    sex = models.CharField(_("members' sex"), max_length=1, blank=True)
    rule_source = models.CharField(_("source of the rule"), max_length=200, blank=True)
    # The bank account dues are paid into by transfer (VietQR, domain.md §9); empty: cash only.
    bank_bin = models.CharField(_("bank"), max_length=6, blank=True)
    bank_account = models.CharField(_("account number"), max_length=19, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # The day its `MemberCount` rows were counted for; None: a membership changed since.
    members_counted_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["unit__path", "kind", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("associations:organisation-detail", args=[self.pk])

    def rule_warnings(self, person, on: date) -> list[str]:
        """Why `person` falls outside the membership rule on `on` ([] when inside).

        A warning, never a refusal: local practice varies (rules.py)."""
        warnings: list = []
        if self.sex and person.sex != self.sex:
            warnings.append(
                _("%(org)s admits women only.") % {"org": self}
                if self.sex == "f"
                else _("%(org)s admits men only.") % {"org": self}
            )
        if self.min_age is not None or self.max_age is not None:
            age = person.age_on(on)
            if age is None:
                warnings.append(_("The registry has no date of birth to check the age against."))
            elif self.min_age is not None and age < self.min_age:
                warnings.append(
                    _("%(age)s years old: under the minimum age of %(min)s.")
                    % {"age": age, "min": self.min_age}
                )
            elif self.max_age is not None and age > self.max_age:
                warnings.append(
                    _("%(age)s years old: over the maximum age of %(max)s.")
                    % {"age": age, "max": self.max_age}
                )
        return warnings

    def eligible(self, people, on: date):
        """Narrow a `Person` queryset to those the rule admits on `on` (for the rates)."""
        people = people.filter(Q(died_on__isnull=True) | Q(died_on__gt=on))
        if self.sex:
            people = people.filter(sex=self.sex)
        if self.min_age is not None:
            people = people.filter(birth_date__lte=born_by(on, self.min_age))
        if self.max_age is not None:
            # Still max_age on `on`: born after the day they would turn max_age + 1.
            people = people.filter(birth_date__gt=born_by(on, self.max_age + 1))
        return people


class Branch(models.Model):
    """A branch in a hamlet (chi hội, chi đoàn), or a small group under a branch (tổ hội)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="branches",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="small_groups",
    )
    name = models.CharField(_("name"), max_length=150)
    unit = models.ForeignKey(
        "places.Unit", verbose_name=_("hamlet"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["organisation", "unit__path", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("associations:branch-detail", args=[self.pk])


class Officer(models.Model):
    """Whom an association-leader or branch-head role stands for: roles are held at units,
    so this says which organisation (or branch) the holder leads."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="association_offices"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="officers"
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, null=True, blank=True, related_name="officers"
    )

    class Meta:
        verbose_name = _("association officer")
        verbose_name_plural = _("association officers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "branch"], name="officer_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.branch or self.organisation}"


class AssociationMemberQuerySet(models.QuerySet):
    def on(self, day: date):
        """Members on `day`: joined on or before it, not yet left."""
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))

    def current(self):
        return self.filter(left_on__isnull=True)


class Member(models.Model):
    """A person's membership of one organisation."""

    class Position(models.TextChoices):
        MEMBER = "", _("Member")
        CHAIR = "chair", _("Chair")
        DEPUTY = "deputy", _("Deputy chair")
        BRANCH_HEAD = "branch_head", _("Branch head")
        GROUP_HEAD = "group_head", _("Group head")

    class Ending(models.TextChoices):
        LEFT = "left", _("Left")
        DIED = "died", _("Died")
        MOVED_AWAY = "moved_away", _("Moved away")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="association_members",
    )
    joined_on = models.DateField(_("joined on"))
    card_number = models.CharField(_("card number"), max_length=30, blank=True)
    position = models.CharField(
        _("position"), max_length=12, choices=Position.choices, blank=True, default=""
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    ending = models.CharField(_("reason"), max_length=12, choices=Ending.choices, blank=True)

    objects = AssociationMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("association member")
        verbose_name_plural = _("association members")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"],
                condition=Q(left_on__isnull=True),
                name="association_member_current_unique",
            )
        ]
        indexes = [
            models.Index(fields=["branch", "joined_on"], name="assoc_member_branch_idx"),
            models.Index(fields=["organisation", "left_on"], name="assoc_member_org_idx"),
        ]

    def __str__(self):
        return f"{self.person} – {self.organisation}"

    def get_absolute_url(self):
        return reverse("associations:member-detail", args=[self.pk])


class MemberEvent(models.Model):
    """The dated history of a membership."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("Joined")
        MOVED = "moved", _("Moved branch")
        POSITION = "position", _("Position changed")
        LEFT = "left", _("Left")
        DIED = "died", _("Died")
        RESTORED = "restored", _("Death withdrawn")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("date"))
    from_branch = models.ForeignKey(
        Branch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_branch = models.ForeignKey(
        Branch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"


class Target(models.Model):
    """The membership rate an organisation aims at in a year, commune-wide or per hamlet."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        "places.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rate = models.PositiveSmallIntegerField(_("target rate (%)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "unit", "year"], name="target_unique")
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}: {self.rate} %"


class Activity(models.Model):
    """A meeting or an event of an organisation or of one branch."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        EVENT = "event", _("Event")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="activities"
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, null=True, blank=True, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("associations:activity-detail", args=[self.pk])


class Attendance(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.INVITED)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="attendance_unique")
        ]

    def __str__(self):
        return f"{self.member} – {self.get_status_display()}"


def _photo_path(instance, filename):
    return f"associations/photos/{instance.activity_id}/{filename}"


class Photo(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        return self.caption or self.file.name


class Movement(models.Model):
    """An emulation movement ("Clean house, green garden") and what it aims at."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="movements"
    )
    name = models.CharField(_("name"), max_length=200)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    measure = models.CharField(_("what is counted"), max_length=150)
    goal = models.PositiveIntegerField(_("goal"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]

    def __str__(self):
        return self.name

    def total(self) -> int:
        return self.results.aggregate(total=Sum("count"))["total"] or 0


class MovementResult(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="results")
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, null=True, blank=True)
    on = models.DateField(_("date"))
    count = models.PositiveIntegerField(_("count"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    def __str__(self):
        return f"{self.movement}: {self.count}"


class DuesRate(models.Model):
    """What each member owes per year or month, from a date."""

    class Period(models.TextChoices):
        YEARLY = "yearly", _("Yearly")
        MONTHLY = "monthly", _("Monthly")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="dues_rates"
    )
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    amount = models.PositiveIntegerField(_("amount (đ)"))
    valid_from = models.DateField(_("from"))

    class Meta:
        ordering = ["valid_from"]

    def __str__(self):
        return f"{self.amount:,} đ / {self.get_period_display()}"


class DuesPayment(models.Model):
    """Dues paid by a member for one period (the first day of its year or month)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="dues")
    period = models.DateField(_("period"))
    amount = models.PositiveIntegerField(_("amount (đ)"))
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "period"], name="dues_payment_unique")
        ]

    def __str__(self):
        return f"{self.member} {self.period:%m/%Y}: {self.amount:,} đ"


class Fund(models.Model):
    """A revolving fund: money lent to members and lent again when repaid."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="funds")
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=200)
    amount = models.PositiveBigIntegerField(_("amount (đ)"))
    received_on = models.DateField(_("received on"))

    class Meta:
        verbose_name = _("revolving fund")
        ordering = ["received_on"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("associations:fund-detail", args=[self.pk])

    def balance_on(self, day: date) -> int:
        """Cash in the fund at the end of `day`: capital, plus repayments and interest,
        less what was lent."""
        lent = self.loans.filter(lent_on__lte=day).aggregate(s=Sum("amount"))["s"] or 0
        back = Repayment.objects.filter(loan__fund=self, paid_on__lte=day).aggregate(
            p=Sum("principal"), i=Sum("interest")
        )
        capital = self.amount if self.received_on <= day else 0
        return capital - lent + (back["p"] or 0) + (back["i"] or 0)

    def ledger(self, until: date) -> list[dict]:
        """Every movement of money up to `until`, oldest first, with the running balance."""
        rows: list[dict] = []
        if self.received_on <= until:
            rows.append({"on": self.received_on, "what": self.source, "in": self.amount, "out": 0})
        for loan in self.loans.filter(lent_on__lte=until).select_related("person"):
            rows.append(
                {
                    "on": loan.lent_on,
                    "what": f"{loan.person} – {loan.purpose}",
                    "in": 0,
                    "out": loan.amount,
                }
            )
        for r in Repayment.objects.filter(loan__fund=self, paid_on__lte=until).select_related(
            "loan__person"
        ):
            rows.append(
                {
                    "on": r.paid_on,
                    "what": str(r.loan.person),
                    "in": r.principal + r.interest,
                    "out": 0,
                }
            )
        rows.sort(key=lambda row: row["on"])
        balance = 0
        for row in rows:
            balance += row["in"] - row["out"]
            row["balance"] = balance
        return rows


class Loan(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="loans")
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.PositiveBigIntegerField(_("amount (đ)"))
    purpose = models.CharField(_("purpose"), max_length=200)
    lent_on = models.DateField(_("lent on"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    interest_rate = models.DecimalField(
        _("interest (% a year)"), max_digits=5, decimal_places=2, default=0
    )

    class Meta:
        ordering = ["lent_on", "pk"]

    def __str__(self):
        return f"{self.person} – {self.amount:,} đ"

    def get_absolute_url(self):
        return reverse("associations:loan-detail", args=[self.pk])

    @property
    def due_on(self) -> date:
        return add_months(self.lent_on, self.term_months)

    def repaid_on(self, day: date) -> int:
        return self.repayments.filter(paid_on__lte=day).aggregate(s=Sum("principal"))["s"] or 0

    def outstanding_on(self, day: date) -> int:
        return self.amount - self.repaid_on(day)

    def overdue_on(self, day: date) -> int:
        """Principal due before `day` by the schedule and not yet repaid."""
        due = self.instalments.filter(due_on__lt=day).aggregate(s=Sum("principal"))["s"] or 0
        return max(0, due - self.repaid_on(day))


class Instalment(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField(_("due on"))
    principal = models.PositiveBigIntegerField(_("principal (đ)"))
    interest = models.PositiveBigIntegerField(_("interest (đ)"), default=0)

    class Meta:
        ordering = ["due_on"]

    def __str__(self):
        return f"{self.due_on:%d/%m/%Y}: {self.principal:,} đ"


class Repayment(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    paid_on = models.DateField(_("paid on"))
    principal = models.PositiveBigIntegerField(_("principal (đ)"))
    interest = models.PositiveBigIntegerField(_("interest (đ)"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["paid_on", "pk"]

    def __str__(self):
        return f"{self.paid_on:%d/%m/%Y}: {self.principal:,} đ"


# The small tables behind the rates (counts.py): kept for today, refreshed on reading
# whatever a write marked stale. Never edited by hand.


class PopulationCount(models.Model):
    """Registered people of a commune by sex and age on the day its `CountedCommune`
    says, per hamlet (`hamlet` None: households outside any hamlet) and, in the rows
    marked `whole_commune`, for the whole commune; `age` is -1 for an unknown birth date."""

    UNKNOWN_AGE = -1

    commune = models.ForeignKey("places.Unit", on_delete=models.CASCADE, related_name="+")
    hamlet = models.ForeignKey("places.Unit", on_delete=models.CASCADE, null=True, related_name="+")
    whole_commune = models.BooleanField(default=False)
    sex = models.CharField(max_length=1, blank=True)
    age = models.SmallIntegerField()
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["commune", "whole_commune"], name="population_commune_idx"),
            models.Index(fields=["whole_commune", "commune"], name="population_whole_idx"),
        ]

    def __str__(self):
        return f"{self.commune_id}/{self.hamlet_id} {self.sex} {self.age}: {self.n}"


class CountedCommune(models.Model):
    """The day a commune's `PopulationCount` rows were counted for (None: the registry
    changed there since)."""

    commune = models.OneToOneField(
        "places.Unit", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    counted_on = models.DateField(null=True)

    def __str__(self):
        return f"{self.commune_id}: {self.counted_on}"


class MemberCount(models.Model):
    """Members of an organisation per branch (and the branch's hamlet) on the day
    `Organisation.members_counted_on` says."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, null=True, related_name="+")
    unit = models.ForeignKey("places.Unit", on_delete=models.CASCADE, null=True, related_name="+")
    n = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.organisation_id}/{self.branch_id}: {self.n}"
