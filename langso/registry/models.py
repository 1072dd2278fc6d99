from datetime import date

from django.db import models
from django.db.models import Case, Count, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.lib.vietnamese import fold, normalize_name, split_name


class HouseholdQuerySet(models.QuerySet):
    def within(self, unit):
        return self.filter(unit__path__within=unit.path)

    def count_by_unit(self):
        """{unit id: {"households": n}} in one grouped query."""
        rows = self.values("unit_id").annotate(n=Count("id")).order_by()
        return {row["unit_id"]: {"households": row["n"]} for row in rows}


class Household(models.Model):
    """A residence record: a head and members at an address in a hamlet or group."""

    unit = models.ForeignKey(
        "places.Unit",
        verbose_name=_("hamlet or group"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    head = models.ForeignKey(
        "Person",
        verbose_name=_("head of household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        head = self.head.full_name if self.head_id else _("no head")
        return f"{head} – {self.address}" if self.address else str(head)

    def get_absolute_url(self):
        return reverse("registry:household-detail", args=[self.pk])

    def members_in_order(self):
        """The head first, then the others from the eldest (the order of official lists)."""
        is_head = Case(When(pk=self.head_id, then=0), default=1)
        return self.members.order_by(is_head, "birth_date", "pk")


class PersonQuerySet(models.QuerySet):
    def within(self, unit):
        return self.filter(household__unit__path__within=unit.path)

    def living(self):
        return self.filter(died_on__isnull=True)

    def residents(self):
        """People living in their household now: alive and not temporarily absent."""
        return self.living().exclude(residence_status=Person.Residence.ABSENT)

    def count_by_unit(self):
        """{unit id: {"residents", "temporary", "absent"}} of living people, one grouped query."""
        residence = Person.Residence
        rows = (
            self.living()
            .values("household__unit_id")
            .annotate(
                residents=Count("id", filter=~Q(residence_status=residence.ABSENT)),
                temporary=Count("id", filter=Q(residence_status=residence.TEMPORARY)),
                absent=Count("id", filter=Q(residence_status=residence.ABSENT)),
            )
            .order_by()
        )
        return {row.pop("household__unit_id"): row for row in rows if row["household__unit_id"]}


class Person(models.Model):
    """One row per human (design.md principle 3): the name as on the ID card, and its parts."""

    class Sex(models.TextChoices):
        MALE = "m", _("Male")
        FEMALE = "f", _("Female")

    class BirthPrecision(models.TextChoices):
        DAY = "day", _("Full date")
        YEAR = "year", _("Year only")

    class Residence(models.TextChoices):
        PERMANENT = "permanent", _("Permanent resident")
        TEMPORARY = "temporary", _("Temporary resident")
        ABSENT = "absent", _("Temporarily absent")

    full_name = models.CharField(_("full name"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=40, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=60, blank=True)
    given_name = models.CharField(_("given name"), max_length=40, blank=True)
    folded_name = models.CharField(max_length=120, editable=False, db_index=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_precision = models.CharField(
        _("birth date precision"),
        max_length=4,
        choices=BirthPrecision.choices,
        default=BirthPrecision.DAY,
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=40, default="Kinh")
    id_number = models.CharField(
        _("personal ID number"), max_length=12, null=True, blank=True, unique=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    relationship = models.CharField(_("relationship to the head"), max_length=40, blank=True)
    residence_status = models.CharField(
        _("residence"), max_length=10, choices=Residence.choices, default=Residence.PERMANENT
    )
    died_on = models.DateField(_("date of death"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = normalize_name(self.full_name)
        if not (self.family_name or self.middle_name or self.given_name):
            self.family_name, self.middle_name, self.given_name = split_name(self.full_name)
        self.folded_name = fold(self.full_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "full_name", "folded_name"}
        super().save(*args, **kwargs)

    def age_on(self, day):
        """Completed years on `day`; a year-only birth date counts from 1 January."""
        if self.birth_date is None:
            return None
        born = self.birth_date
        if self.birth_precision == self.BirthPrecision.YEAR:
            born = date(born.year, 1, 1)
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def birth_display(self):
        if self.birth_date is None:
            return ""
        if self.birth_precision == self.BirthPrecision.YEAR:
            return str(self.birth_date.year)
        return self.birth_date.strftime("%d/%m/%Y")
