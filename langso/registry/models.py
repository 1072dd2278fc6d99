from datetime import date

from django.conf import settings
from django.db import connection, models
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.lib.bulk import chunked, insert_rows
from langso.lib.dates import completed_years
from langso.lib.jobs import BackgroundJob
from langso.lib.paths import PrefixField
from langso.lib.search import search_text
from langso.lib.versions import bump
from langso.lib.vietnamese import (
    clean_digits,
    fold,
    name_sort_key,
    normalize_name,
    split_name,
)


class HouseholdQuerySet(models.QuerySet):
    def within(self, unit):
        return self.filter(unit__path__within=unit.path)

    def in_units_in_force(self, on=None):
        """Households of units in force on `on` (today when not given).

        A merged hamlet keeps its household rows for the days before the merge; their
        people carry on in new rows of the unit it was merged into (`registry.units`).
        """
        on = on or timezone.localdate()
        return self.filter(Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gt=on))

    def count_by_unit(self):
        """{unit id: {"households": n}} in one grouped query."""
        rows = self.values("unit_id").annotate(n=Count("id")).order_by()
        return {row["unit_id"]: {"households": row["n"]} for row in rows}


# The relationship of a household's head to themself, as household books write it.
HEAD = "Chủ hộ"


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
    folded_address = models.CharField(max_length=220, editable=False, blank=True)
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
    # The day its last member died or moved away: the record stays, with no one in it.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # One more on every save: an edit started from an older version is refused
    # (langso/lib/versions.py).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        head = self.head.full_name if self.head_id else _("no head")
        return f"{head} – {self.address}" if self.address else str(head)

    def save(self, *args, **kwargs):
        self.house_number = normalize_name(self.house_number)
        self.address = normalize_name(self.address)
        self.folded_address = fold(f"{self.house_number} {self.address}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "folded_address"}
        bump(self, kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("registry:household-detail", args=[self.pk])

    @property
    def full_address(self):
        return " ".join(part for part in (self.house_number, self.address) if part)

    def members_in_order(self):
        """The head first, then the others from the eldest (the order of official lists)."""
        is_head = Case(When(pk=self.head_id, then=0), default=1)
        return self.members.order_by(is_head, "birth_date", "pk")


def official_order(*, local, prefix=""):
    """order_by() arguments for official name order, then birth date and key; `prefix`
    reaches the person through a relation ("person__").

    `local`: the rows come from a commune or less. They are then sorted by an expression
    no index holds, so the database reads the scope's few thousand rows and sorts them.
    Ordered by the column itself, PostgreSQL may walk the whole province's sort-key index
    hoping to meet the scope's people early, as its estimates sometimes prefer (a
    commune's first page: 130–230 ms instead of tens, measured on the benchmark
    province). A province's list keeps the index.
    """
    sort_key = F(f"{prefix}sort_key")
    if local:
        sort_key = Concat(sort_key, Value(""), output_field=models.CharField())
    return [sort_key, f"{prefix}birth_date", f"{prefix}pk"]


# The fewest digits a number is found by: its last four, or the whole of it.
MIN_SEARCH_DIGITS = 4


def search_terms(query):
    """(digits, words) of a search: the digits of a number query ("036 090 012 348"), or
    the folded words of a name query; ("", []) when the query cannot match anything
    (fewer than `MIN_SEARCH_DIGITS` digits, or nothing but spaces). The query is capped
    first (`lib.search.search_text`: a few words, no control characters)."""
    query = search_text(query)
    digits = clean_digits(query)
    if digits.isascii() and digits.isdigit():
        return (digits if len(digits) >= MIN_SEARCH_DIGITS else ""), []
    folded = fold(query)
    return "", folded.split(" ") if folded else []


def name_words_q(words, field="folded_name"):
    """Every word begins a part of the folded name in `field` (SQL LIKE, escaped)."""
    found = Q()
    for word in words:
        found &= Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})
    return found


# Family and middle names so common that walking the key index by them reads a large
# part of a province; a search walks by another of its words when it has one.
COMMON_NAME_WORDS = frozenset({
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui",
    "do", "ho", "ngo", "duong", "ly", "van", "thi", "duc", "dinh",
})  # fmt: skip


class PersonQuerySet(models.QuerySet):
    def within(self, unit):
        return self.filter(household__unit__path__within=unit.path)

    def living(self):
        return self.filter(died_on__isnull=True)

    def residents(self):
        """People living in their household now: alive, not absent, not moved away."""
        return self.living().filter(residence_status__in=Person.Residence.present())

    def registered(self):
        """Residents and the temporarily absent: everyone the hamlet still counts as its own."""
        return self.living().exclude(residence_status=Person.Residence.MOVED_OUT)

    def best_matches(self, query, limit=30):
        """The first `limit` people matching `query` in name order, as an unsliced queryset
        (a form's choices can be limited to it)."""
        found = self.matching(query).order_by("sort_key").values_list("pk", flat=True)[:limit]
        return self.filter(pk__in=list(found))

    def matching(self, query):
        """People whose name or number matches `query` (`search_terms`: every word begins
        a part of the folded name; digits are a whole ID, CMND or phone number or its last
        4+ digits).

        Meant for a queryset already narrowed to a commune or less: the scope's rows are
        read and their folded names compared (LIKE 'w%' OR LIKE '% w%' per word); numbers
        are looked up through the indexed `SearchKey` rows. The answer is the one
        `SearchKey.matching` gives across a province.
        """
        digits, words = search_terms(query)
        if digits:
            return self.filter(pk__in=SearchKey.matching(query).values("person_id"))
        if not words:
            return self.none()
        return self.filter(name_words_q(words))

    def count_by_unit(self):
        """{unit id: {"residents", "temporary", "absent"}} of living people, one grouped query."""
        residence = Person.Residence
        rows = (
            self.living()
            .values("household__unit_id")
            .annotate(
                residents=Count("id", filter=Q(residence_status__in=residence.present())),
                temporary=Count("id", filter=Q(residence_status=residence.TEMPORARY)),
                absent=Count("id", filter=Q(residence_status=residence.ABSENT)),
            )
            .order_by()
        )
        return {row.pop("household__unit_id"): row for row in rows if row["household__unit_id"]}


# The fields the search keys are made of: saving any of them refreshes the keys.
SEARCHED_FIELDS = {"full_name", "id_number", "old_id_number", "phone"}


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
        MOVED_OUT = "moved_out", _("Moved away")

        @classmethod
        def present(cls):
            """The statuses of people living in their household now."""
            return [cls.PERMANENT, cls.TEMPORARY]

    class Employment(models.TextChoices):
        EMPLOYED = "employed", _("Employed")
        SELF_EMPLOYED = "self_employed", _("Self-employed or farming")
        UNEMPLOYED = "unemployed", _("Unemployed, looking for work")
        STUDENT = "student", _("Pupil or student")
        RETIRED = "retired", _("Retired")
        HOMEMAKER = "homemaker", _("Homemaker")
        UNABLE = "unable", _("Unable to work")

    class Education(models.TextChoices):
        NONE = "none", _("No schooling")
        PRIMARY = "primary", _("Primary school")
        LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
        UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
        VOCATIONAL = "vocational", _("Vocational training")
        COLLEGE = "college", _("College")
        UNIVERSITY = "university", _("University")
        POSTGRADUATE = "postgraduate", _("Postgraduate")

    class Disability(models.TextChoices):
        # Law on Persons with Disabilities 2010, art. 3: the three degrees.
        MILD = "mild", _("Mild disability")
        SEVERE = "severe", _("Severe disability")
        ESPECIALLY_SEVERE = "especially_severe", _("Especially severe disability")

    full_name = models.CharField(_("full name"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=40, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=60, blank=True)
    given_name = models.CharField(_("given name"), max_length=40, blank=True)
    folded_name = models.CharField(max_length=120, editable=False)
    sort_key = models.CharField(max_length=400, editable=False, default="")
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_precision = models.CharField(
        _("birth date precision"),
        max_length=4,
        choices=BirthPrecision.choices,
        default=BirthPrecision.DAY,
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=40, default="Kinh")
    # NULL rather than "" for people without one: the unique constraint allows many NULLs.
    id_number = models.CharField(  # noqa: DJ001
        _("personal ID number"), max_length=12, null=True, blank=True
    )
    old_id_number = models.CharField(_("old ID card number (CMND)"), max_length=9, blank=True)
    religion = models.CharField(_("religion"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    employment = models.CharField(
        _("employment"), max_length=20, choices=Employment.choices, blank=True
    )
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    health_insurance_number = models.CharField(
        _("health insurance card number"), max_length=15, blank=True
    )
    health_insurance_expiry = models.DateField(
        _("health insurance valid until"), null=True, blank=True
    )
    disability = models.CharField(
        _("disability"), max_length=20, choices=Disability.choices, blank=True
    )
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
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # One more on every save: a correction started from an older version is refused
    # (langso/lib/versions.py).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # Indexes and the unique ID number are declared here rather than on the fields:
        # on PostgreSQL a field's db_index or unique adds a second, LIKE-ready index that
        # nothing here uses (numbers are found by their endings through SearchKey), and
        # each index is upkeep on every insert of a 100,000-row import.
        indexes = [
            # Likely duplicates: the same folded name and birth date.
            models.Index(fields=["folded_name", "birth_date"], name="person_folded_birth_idx"),
            models.Index(fields=["sort_key"], name="person_sort_key_idx"),
            models.Index(fields=["old_id_number"], name="person_old_id_number_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                name="person_id_number_unique",
                violation_error_message=_("This ID number is already registered."),
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = normalize_name(self.full_name)
        if not (self.family_name or self.middle_name or self.given_name):
            self.family_name, self.middle_name, self.given_name = split_name(self.full_name)
        self.folded_name = fold(self.full_name)
        self.sort_key = name_sort_key(
            self.full_name, (self.family_name, self.middle_name, self.given_name)
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "full_name",
                "folded_name",
                "sort_key",
            }
        bump(self, kwargs)
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if fields is None or not SEARCHED_FIELDS.isdisjoint(fields):
            SearchKey.refresh([self])

    def get_absolute_url(self):
        return reverse("registry:person-detail", args=[self.pk])

    def age_on(self, day):
        """Completed years on `day` (Civil Code 2015, arts. 147–148: born on 29 February,
        a year older on 28 February of a common year); a year-only birth date counts
        from 1 January."""
        if self.birth_date is None:
            return None
        born = self.birth_date
        if self.birth_precision == self.BirthPrecision.YEAR:
            born = date(born.year, 1, 1)
        return completed_years(born, day)

    @property
    def birth_display(self):
        if self.birth_date is None:
            return ""
        if self.birth_precision == self.BirthPrecision.YEAR:
            return str(self.birth_date.year)
        return self.birth_date.strftime("%d/%m/%Y")


class MembershipQuerySet(models.QuerySet):
    def on(self, day):
        """The stays that cover `day` (start on or before it, end after it)."""
        return self.filter(Q(start__isnull=True) | Q(start__lte=day)).filter(
            Q(end__isnull=True) | Q(end__gt=day)
        )

    def within(self, unit):
        return self.filter(household__unit__path__within=unit.path)

    def open(self):
        return self.filter(end__isnull=True)

    def count_by_unit(self):
        """{unit id: {"households", "residents", "temporary", "absent"}} of these stays
        (meant for `as_of(day)`), in one grouped query.

        The one definition of these figures for the home page, the indicators and the
        household list: a household counts on a day when someone lives in it or is
        temporarily away from it that day, so one whose only member died or moved away
        no longer counts.
        """
        rows = self.values("household__unit_id").annotate(**self.unit_counts()).order_by()
        return {row.pop("household__unit_id"): row for row in rows}

    @staticmethod
    def unit_counts():
        """The aggregates of `count_by_unit`, for a grouped query that counts more."""
        residence = Person.Residence
        return {
            "households": Count("household_id", distinct=True),
            "residents": Count("id", filter=Q(residence_status__in=residence.present())),
            "temporary": Count("id", filter=Q(residence_status=residence.TEMPORARY)),
            "absent": Count("id", filter=Q(residence_status=residence.ABSENT)),
        }

    def as_of(self, day, unit=None):
        """The registry on `day`: one stay per person alive that day, with its household,
        relationship and residence status as they were then (not as they are now)."""
        stays = (
            self.on(day)
            .filter(Q(person__birth_date__isnull=True) | Q(person__birth_date__lte=day))
            .filter(Q(person__died_on__isnull=True) | Q(person__died_on__gt=day))
        )
        if unit is not None:
            stays = stays.within(unit)
        return stays.select_related("person", "household__unit")


class Membership(models.Model):
    """A person's stay in a household, from `start` to `end` (exclusive), with its terms.

    A change of relationship or of residence status (leaving for temporary absence,
    coming back) closes the row and opens a new one, so that the registry can be
    read as of any day: who lived where, in which household, with what status.
    `Person.household`, `relationship` and `residence_status` hold the open row's values.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    relationship = models.CharField(_("relationship to the head"), max_length=40, blank=True)
    residence_status = models.CharField(
        _("residence"), max_length=10, choices=Person.Residence.choices
    )
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("household membership")
        verbose_name_plural = _("household memberships")
        indexes = [
            models.Index(fields=["household", "start"], name="membership_household_idx"),
            models.Index(fields=["person", "start"], name="membership_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gt=F("start")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.household} ({self.start}–{self.end or ''})"

    def covers(self, day):
        return (self.start is None or self.start <= day) and (self.end is None or self.end > day)


class LifeEvent(models.Model):
    """A dated fact in a person's or a household's life, with who recorded it and when."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Registered")
        BIRTH = "birth", _("Birth")
        DEATH = "death", _("Death")
        MOVE_IN = "move_in", _("Moved in")
        MOVE_OUT = "move_out", _("Moved out")
        ABSENCE = "absence", _("Temporarily absent")
        RETURN = "return", _("Returned")
        SPLIT = "split", _("New household split off")
        HEAD_CHANGE = "head_change", _("Change of head of household")
        CORRECTION = "correction", _("Correction")
        MERGE = "merge", _("Duplicate records merged")
        UNIT_MERGE = "unit_merge", _("Hamlet or group merged into another")
        CLOSED = "closed", _("Household closed")
        DEATH_WITHDRAWN = "death_withdrawn", _("Death record withdrawn")

    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    on = models.DateField(_("date"))
    place = models.CharField(
        _("from or to"), max_length=200, blank=True, help_text=_("Where from, or where to.")
    )
    note = models.TextField(_("note"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["on", "recorded_at", "pk"]
        indexes = [models.Index(fields=["kind", "on"], name="lifeevent_kind_on_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"

    # The columns of a plain row, in order, for writes of many rows at once.
    ROW_FIELDS = (
        "kind", "person", "household", "on", "place", "note", "changes", "recorded_at",
        "recorded_by",
    )  # fmt: skip

    @classmethod
    def plain_row(cls, kind, *, person_id, household_id, on, at, by_id, place="", note="",
                  changes="{}"):  # fmt: skip
        """One event as a tuple of `ROW_FIELDS`. `changes` is JSON text; `on` and `at` are
        values adapted for the database, made once by the caller for many rows."""
        return (kind, person_id, household_id, on, place, note, changes, at, by_id)

    @classmethod
    def insert_plain(cls, rows):
        """Write `plain_row` tuples, many per statement."""
        insert_rows(cls, cls.ROW_FIELDS, rows)


class Immunisation(models.Model):
    class Vaccine(models.TextChoices):
        """The vaccines of the Expanded Programme on Immunization, stored by code.

        One table for the form, the demo and the lists, so that a list never counts a
        name the form does not record (docs/registry.md, "Vaccines").
        """

        HEPATITIS_B_BIRTH = "hepb_birth", _("Hepatitis B (birth dose)")
        BCG = "bcg", _("BCG (tuberculosis)")
        FIVE_IN_ONE = "dtp_hepb_hib", _("DTP-HepB-Hib (5-in-1)")
        BOPV = "bopv", _("bOPV (oral polio)")
        IPV = "ipv", _("IPV (injected polio)")
        MEASLES = "measles", _("Measles")
        MEASLES_RUBELLA = "mr", _("Measles-rubella")
        DTP = "dtp", _("DTP (booster)")
        JAPANESE_ENCEPHALITIS = "je", _("Japanese encephalitis")
        TD = "td", _("Td (tetanus-diphtheria)")
        TETANUS = "tt", _("Tetanus")
        COVID_19 = "covid19", _("COVID-19")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="immunisations"
    )
    vaccine = models.CharField(_("vaccine"), max_length=60, choices=Vaccine.choices)
    dose = models.PositiveSmallIntegerField(_("dose"), default=1)
    given_on = models.DateField(_("date given"), null=True, blank=True)

    class Meta:
        verbose_name = _("immunisation")
        verbose_name_plural = _("immunisations")
        ordering = ["given_on", "vaccine", "dose"]

    def __str__(self):
        return f"{self.get_vaccine_display()} ({self.dose})"


class Benefit(models.Model):
    """A policy group a person belongs to, and since when (người có công, social allowance…)."""

    class Kind(models.TextChoices):
        MERITORIOUS = "meritorious", _("Person with meritorious services to the revolution")
        MARTYR_FAMILY = "martyr_family", _("Relative of a martyr")
        WAR_INVALID = "war_invalid", _("War invalid or sick soldier")
        SOCIAL_ALLOWANCE = "social_allowance", _("Monthly social allowance")
        ELDERLY_ALLOWANCE = "elderly_allowance", _("Old-age social pension")
        DISABILITY_ALLOWANCE = "disability_allowance", _("Disability allowance")
        ORPHAN = "orphan", _("Child without parental care")
        OTHER = "other", _("Other support")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="benefits"
    )
    kind = models.CharField(_("policy group"), max_length=30, choices=Kind.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("policy benefit")
        verbose_name_plural = _("policy benefits")

    def __str__(self):
        return self.get_kind_display()


class SearchKey(models.Model):
    """Index rows for the search box: every key is found by an indexed prefix range.

    For a name, the folded name turned to start at each of its words ("nguyen van
    phung", "van phung nguyen", "phung nguyen van"), so every part's start is the start
    of a key and every key holds the whole name: the other words of a search are checked
    on the key itself, in the index, without reading the person. For numbers, the
    personal ID number, the old CMND number and the phone digits, each reversed after
    `REVERSED_NUMBER`, so that a number is found whole or by its last digits.
    """

    REVERSED_NUMBER = "~"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    key = PrefixField(max_length=120)

    class Meta:
        # One index: `key__prefix` is LIKE 'P%' on PostgreSQL (the pattern operator class
        # serves it and equality) and a range on SQLite (the operator class is ignored).
        indexes = [
            models.Index(
                fields=["key"], name="searchkey_key_idx", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self):
        return self.key

    # How many keys of a word's range are counted, at most, to choose the word to walk:
    # the first round counts each range up to `RANGE_COUNT_FIRST`, and every further
    # round four times as far, up to `RANGE_COUNT_CAP`. Past that, counting a range costs
    # about what walking it does (both read the index alone), so it is not counted on.
    RANGE_COUNT_FIRST = 500
    RANGE_COUNT_CAP = 2_000

    @classmethod
    def matching(cls, query):
        """Keys of the people matching `query`, with the meaning of `search_terms`.

        One indexed prefix range: the reversed digits of a number, or one word of a name
        (`walked_word`: the one with the fewest keys), the name's other words checked on
        the key (which holds the whole name, `keys_of`) in the same statement: the index
        alone answers, a person's row is read only for a key that matches, and a scan
        with a LIMIT stops as soon as enough people are found.
        """
        digits, words = search_terms(query)
        if digits:
            return cls.objects.filter(key__prefix=cls.REVERSED_NUMBER + digits[::-1])
        if not words:
            return cls.objects.none()
        walk = cls.walked_word(words)
        others = [word for i, word in enumerate(words) if i != walk]
        return cls.objects.filter(Q(key__prefix=words[walk]) & name_words_q(others, "key"))

    @classmethod
    def phrase_matching(cls, query):
        """Keys that start with the whole of a name query of several words ("minh quy"):
        people who match it, though not all of them (the words may be apart or in another
        order in a name), found by one short range. None when the query is a number or a
        single word (`matching` is then as short)."""
        digits, words = search_terms(query)
        if digits or len(words) < 2:
            return None
        return cls.objects.filter(key__prefix=" ".join(words))

    @classmethod
    def walked_word(cls, words):
        """The index of the word of `words` whose key range is the shortest, counted up to
        `RANGE_COUNT_CAP` keys each (the index alone, no table row; the very common family
        and middle names are not counted); among ranges longer than that, the longest word
        that is not a very common name.

        The ranges are counted side by side, each round four times as far as the last,
        until one of them ends: the counting reads a few times the shortest range, not
        every word's range up to the cap. With one word, or only one that is not very
        common, there is nothing to count."""
        counted = [
            i for i, word in enumerate(words) if len(words) > 1 and word not in COMMON_NAME_WORDS
        ]
        keys = dict.fromkeys(range(len(words)), cls.RANGE_COUNT_CAP)
        if len(counted) > 1:
            cap = cls.RANGE_COUNT_FIRST
            while True:
                sizes = cls.range_sizes([words[i] for i in counted], cap)
                keys.update(zip(counted, sizes, strict=True))
                if cap >= cls.RANGE_COUNT_CAP or min(keys[i] for i in counted) < cap:
                    break
                cap = min(cap * 4, cls.RANGE_COUNT_CAP)

        def rank(i):
            word = words[i]
            return (keys[i], word in COMMON_NAME_WORDS, -len(word), -i)

        return min(range(len(words)), key=rank)

    @classmethod
    def range_sizes(cls, prefixes, cap):
        """How many keys begin with each of `prefixes`, counted up to `cap` each on the
        index alone, in one statement (a statement per word cost more to build than to
        run)."""
        counts, params = [], []
        for i, prefix in enumerate(prefixes):
            keys = cls.objects.filter(key__prefix=prefix).values("pk")[:cap]
            sql, sql_params = keys.query.sql_with_params()
            counts.append(f"(SELECT COUNT(*) FROM ({sql}) range_{i})")
            params.extend(sql_params)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(counts)}", params)
            return list(cursor.fetchone())

    @classmethod
    def keys_of(cls, folded_name, id_number=None, old_id_number=None, phone=None):
        """The keys of a person's folded name (the name turned to start at each word),
        ID numbers and phone digits."""
        words = folded_name.split(" ") if folded_name else []
        keys = [" ".join(words[i:] + words[:i]) for i in range(len(words))]
        numbers = (id_number, old_id_number, phone)
        keys += [cls.REVERSED_NUMBER + number[::-1] for number in numbers if number]
        return sorted({key[:120] for key in keys if key})

    @classmethod
    def keys_for(cls, person):
        return cls.keys_of(
            person.folded_name, person.id_number, person.old_id_number, clean_digits(person.phone)
        )

    @classmethod
    def refresh(cls, people):
        """Make `people`'s keys again (plain rows: an import may refresh thousands)."""
        people = list(people)
        for chunk in chunked([p.pk for p in people], 500):
            cls.objects.filter(person__in=chunk).delete()
        cls.insert_plain([(person.pk, key) for person in people for key in cls.keys_for(person)])

    # The columns of a plain row, in order, for writes of many rows at once.
    ROW_FIELDS = ("person", "key")

    @classmethod
    def plain_rows(cls, person_id, folded_name, id_number=None, old_id_number=None, phone=None):
        """The rows (`ROW_FIELDS` tuples) of `keys_of` these values for one person."""
        keys = cls.keys_of(folded_name, id_number, old_id_number, phone)
        return [(person_id, key) for key in keys]

    @classmethod
    def insert_plain(cls, rows):
        """Write `plain_rows` tuples, many per statement."""
        insert_rows(cls, cls.ROW_FIELDS, rows)


class DuplicateFlag(models.Model):
    """Two records that may be one person, waiting for someone to merge or dismiss them."""

    class Reason(models.TextChoices):
        NAME_AND_BIRTH = "name_birth", _("Same name and date of birth")

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        MERGED = "merged", _("Merged")
        DISMISSED = "dismissed", _("Not the same person")

    # SET_NULL: after a merge the flag stays, as a record of the review, without the
    # record that was folded into the other.
    first = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("flagged at"), default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_once"),
        ]

    def __str__(self):
        return f"{self.first} ~ {self.second}"


class ImportJob(BackgroundJob):
    """An uploaded spreadsheet of residents, checked in the background, then committed whole."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking the file")
        CHECKED = "checked", _("Ready to import")
        REFUSED = "refused", _("Has errors")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    BUSY = (Status.CHECKING, Status.IMPORTING)
    FILES_UNDER = "imports"
    STATUS_TEMPLATE = "registry/_import_status.html"

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    unit = models.ForeignKey(
        "places.Unit", verbose_name=_("into"), on_delete=models.CASCADE, related_name="+"
    )
    original_name = models.CharField(_("file name"), max_length=200)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    preview = models.JSONField(default=dict, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("resident import")
        verbose_name_plural = _("resident imports")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("registry:import-detail", args=[self.pk])

    @property
    def error_count(self):
        """How many errors the file has: all of them, though only the first are kept."""
        return self.counts.get("errors") or len(self.problems)

    def recover(self):
        """A worker died on this job. The write is one transaction, so an import cut off
        wrote nothing: the checked file is ready to import again. A check cut off fails,
        to be uploaded again."""
        if self.status != self.Status.IMPORTING:
            super().recover()
            return
        self.status, self.progress, self.finished_at = self.Status.CHECKED, 100, timezone.now()
        self.worker, self.heartbeat_at = "", None
        self.message = str(
            _(
                "The import was cut off when the background worker stopped; nothing was "
                "written. Import it again."
            )
        )
        self.save(
            update_fields=["status", "progress", "finished_at", "worker", "heartbeat_at", "message"]
        )
