from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.lib.paths import SEPARATOR, PathField, ancestors_of, roll_up


class UnitQuerySet(models.QuerySet):
    def within(self, unit_or_path):
        """The unit and everything under it: one indexed range query on `path`."""
        path = getattr(unit_or_path, "path", unit_or_path)
        return self.filter(path__within=path)

    def roll_up(self, *figures_by_unit_id):
        """Sum per-unit figures ({unit id: {name: n}}) into each unit of this queryset.

        Loops over units, never over people: the figures come from grouped queries.
        Returns {unit id: {name: total}}, every name present (0 when nothing).
        """
        units = dict(self.values_list("pk", "path"))
        leaf_paths = {}
        if units:
            leaf_ids = {uid for figures in figures_by_unit_id for uid in figures}
            leaf_paths = dict(Unit.objects.filter(pk__in=leaf_ids).values_list("pk", "path"))
        return roll_up(units, leaf_paths, *figures_by_unit_id)

    def current(self, on=None):
        """Units in force on `on` (today when not given); retired ones keep their rows."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=on)
        )


class Unit(models.Model):
    """A place in the one tree: province → commune → hamlet → self-managed group.

    Provinces and communes come from the official list (domain.md §1) and carry its
    code; hamlets and groups are created by their commune and have none. A unit that
    is merged or retired gets `valid_to` and keeps its row, so last year's figures
    of a hamlet that no longer exists stay reportable.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        COMMUNE = "commune", _("Commune")
        HAMLET = "hamlet", _("Hamlet")
        GROUP = "group", _("Self-managed group")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    type_name = models.CharField(
        _("local type"),
        max_length=40,
        help_text=_("As the place calls itself: tỉnh, xã, phường, thôn, bản, tổ dân phố…"),
    )
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(
        _("official code"), max_length=10, blank=True, help_text=_("Zero-padded, as issued.")
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
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("The first day it is no more.")
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=~Q(code=""),
                name="unit_official_code_unique",
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("units:unit-detail", args=[self.pk])

    @property
    def display_name(self):
        """ "Thôn Bình Chiến", "Xã Tân Lập": the local type in front unless already there."""
        if self.name.casefold().startswith(self.type_name.casefold()):
            return self.name
        return f"{self.type_name.capitalize()} {self.name}"

    @property
    def segment(self):
        return self.path.rsplit(SEPARATOR, 1)[-1]

    @property
    def depth(self):
        return self.path.count(SEPARATOR)

    def is_current(self, on=None):
        on = on or timezone.localdate()
        started = self.valid_from is None or self.valid_from <= on
        return started and (self.valid_to is None or self.valid_to > on)

    def ancestors(self):
        """The units above this one, top first, in one query."""
        return Unit.objects.filter(path__in=ancestors_of(self.path)[:-1]).order_by("path")

    def commune(self):
        """The commune this unit is, or lies in; None above commune level."""
        if self.kind == self.Kind.COMMUNE:
            return self
        if self.kind in (self.Kind.HAMLET, self.Kind.GROUP):
            return self.ancestors().filter(kind=self.Kind.COMMUNE).first()
        return None

    def child_kind(self):
        """The kind a commune creates under this unit, if any."""
        return {self.Kind.COMMUNE: self.Kind.HAMLET, self.Kind.HAMLET: self.Kind.GROUP}.get(
            self.kind
        )

    def next_child_segment(self):
        """The path segment for a new hamlet (h01, h02…) or group (g01…) under this unit."""
        prefix = "h" if self.kind == self.Kind.COMMUNE else "g"
        taken = {
            child.rsplit(SEPARATOR, 1)[-1]
            for child in Unit.objects.filter(parent=self).values_list("path", flat=True)
        }
        number = 1
        while f"{prefix}{number:02d}" in taken:
            number += 1
        return f"{prefix}{number:02d}"
