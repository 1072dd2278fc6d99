from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from langso.lib.jobs import BackgroundJob


class Election(models.Model):
    """An election day; voter lists are drawn as of it (Law on Elections 85/2015)."""

    name = models.CharField(_("name"), max_length=200)
    day = models.DateField(_("election day"))

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.name} ({self.day:%d/%m/%Y})"


class PollingArea(models.Model):
    """A polling area of a commune for an election: a set of hamlets or groups.

    The commune People's Committee draws them (300–4,000 voters each); a person is
    on the list of the one area that holds their household's unit.
    """

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="areas"
    )
    commune = models.ForeignKey(
        "places.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=120, blank=True)
    units = models.ManyToManyField(
        "places.Unit", verbose_name=_("hamlets and groups"), related_name="polling_areas"
    )

    class Meta:
        verbose_name = _("polling area")
        verbose_name_plural = _("polling areas")
        ordering = ["election", "commune", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "commune", "number"], name="polling_area_number_once"
            ),
        ]

    def __str__(self):
        label = _("Polling area no. %(number)s") % {"number": self.number}
        return f"{label} – {self.name}" if self.name else str(label)

    def get_absolute_url(self):
        return reverse("reports:polling-area", args=[self.pk])


class VoterExclusion(models.Model):
    """Someone left off voter lists, and why (Law on Elections, art. 30)."""

    class Reason(models.TextChoices):
        DEPRIVED = "deprived", _("Deprived of the right to vote by a final judgment")
        DEATH_SENTENCE = "death_sentence", _("Sentenced to death, awaiting execution")
        PRISON = "prison", _("Serving an unsuspended prison sentence")
        NO_CAPACITY = "no_capacity", _("Without civil capacity")

    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="voter_exclusions",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("voter exclusion")
        verbose_name_plural = _("voter exclusions")

    def __str__(self):
        return f"{self.person} – {self.get_reason_display()}"


class MilitaryStatus(models.Model):
    """The military-service review's finding for a young man in a year (Law 2015, domain §5)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("military service", "Registered")
        FIT = "fit", _("Fit for service")
        DEFERRED = "deferred", _("Deferred")
        DEFERRED_STUDY = "deferred_study", _("Deferred for study")
        EXEMPT = "exempt", _("Exempt")
        CALLED_UP = "called_up", _("Called up")

    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="military_statuses",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("military service status")
        verbose_name_plural = _("military service statuses")
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="military_status_once_a_year")
        ]

    def __str__(self):
        return f"{self.person} {self.year}: {self.get_status_display()}"


class UnitSummary(models.Model):
    """A commune's indicators on a day, kept so that province pages read summaries, not
    people, and so that figures can be followed over time (one row per refresh day).

    Refreshed by `manage.py refresh_indicators` and in the background after imports;
    a commune's own page computes its current figures live.
    """

    unit = models.ForeignKey(
        "places.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="summaries"
    )
    day = models.DateField(_("as of"))
    figures = models.JSONField(default=dict)
    details = models.JSONField(default=dict, blank=True)  # ethnicity, religion, occupation…
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("unit summary")
        verbose_name_plural = _("unit summaries")
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="summary_once_a_day")]

    def __str__(self):
        return f"{self.unit} {self.day:%d/%m/%Y}"


class ExportJob(BackgroundJob):
    """A big list being written to Excel or PDF in the background, then downloaded."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Preparing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel"
        PDF = "pdf", "PDF"

    BUSY = (Status.RUNNING,)
    FILES_UNDER = "exports"
    STATUS_TEMPLATE = "reports/_export_status.html"

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    kind = models.CharField(_("list"), max_length=30)
    unit = models.ForeignKey("places.Unit", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(PollingArea, on_delete=models.CASCADE, null=True, blank=True)
    day = models.DateField(_("as of"))
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    show_ids = models.BooleanField(default=False)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("list export")
        verbose_name_plural = _("list exports")

    def __str__(self):
        return f"{self.kind} {self.unit} {self.day:%d/%m/%Y}.{self.format}"

    def get_absolute_url(self):
        return reverse("reports:export", args=[self.pk])

    @property
    def rows(self):
        """How many rows the list has, once drawn."""
        return self.counts.get("rows", 0)
