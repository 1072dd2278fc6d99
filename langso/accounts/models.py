import json

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.accounts import chain
from langso.accounts.chain import AuditLogIsAppendOnly
from langso.accounts.roles import Role
from langso.lib.bulk import insert_rows


class User(AbstractUser):
    """An account. Vietnamese names do not split into first / last: one full name."""

    first_name = None  # type: ignore[assignment]  # one full name instead
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    person = models.OneToOneField(
        "registry.Person",
        verbose_name=_("resident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account",
        help_text=_("The resident this account belongs to, for their own notices and records."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for a new account or a temporary password: asked at the next login."),
    )

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.username


class RoleAssignment(models.Model):
    """`user` holds `role` at `unit`, and so over the unit's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "places.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_once_per_unit"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


def recordable(value):
    """A value as a record of changes keeps it in JSON: dates as dd/mm/yyyy text."""
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else value


class AuditEntryQuerySet(models.QuerySet):
    """Rows are only ever added: updates and deletes are refused here as in the database."""

    def record(self, actor, verb, *, target=None, unit=None, changes=None):
        """Write one audit row. `changes` maps a field to [old, new]."""
        target_type, target_id, target_repr = _target_columns(target)
        return self.create(
            actor=actor if actor and actor.is_authenticated else None,
            verb=verb,
            unit=unit,
            target_type=target_type,
            target_id=target_id,
            target_repr=target_repr,
            changes=changes or {},
        )

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("Audit rows cannot be changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("Audit rows cannot be deleted.")

    def _raw_delete(self, using):
        raise AuditLogIsAppendOnly("Audit rows cannot be deleted.")

    def bulk_create(self, objs, *args, **kwargs):
        raise AuditLogIsAppendOnly("Write audit rows one by one, or with AuditEntry.insert_plain.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogIsAppendOnly("Audit rows cannot be changed.")


def _target_columns(target):
    """How an audit row names its object: model label, primary key, and its text."""
    if target is None:
        return "", "", ""
    return target._meta.label, str(target.pk), str(target)[:200]


class AuditEntry(models.Model):
    """Who did what to which object, when, with the old and new values.

    Append-only and hash-chained (see `langso/accounts/chain.py`): the actor and unit keep
    their keys even after the account or unit is deleted, so they are not database
    foreign keys and nothing cascades into this table.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    verb = models.CharField(_("action"), max_length=60)
    unit = models.ForeignKey(
        "places.Unit",
        verbose_name=_("unit"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    target_type = models.CharField(_("object type"), max_length=60, blank=True)
    target_id = models.CharField(_("object id"), max_length=40, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)
    prev_hash = models.CharField(_("previous row's hash"), max_length=64, editable=False)
    row_hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor} {self.verb} {self.target_repr}"

    def save(self, *args, **kwargs):
        """Append the row to the chain; an existing row is never saved again."""
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit rows cannot be changed.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            self.prev_hash = chain.lock_and_read_last(using)
            self.row_hash = chain.digest(self.prev_hash, self.chained_values())
            kwargs["force_insert"] = True
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Audit rows cannot be deleted.")

    def chained_values(self):
        return [getattr(self, name) for name in chain.CHAINED]

    # The columns of a plain row, in order, for writes of many rows at once.
    ROW_FIELDS = (
        "actor",
        "verb",
        "unit",
        "target_type",
        "target_id",
        "target_repr",
        "changes",
        "at",
    )

    @classmethod
    def plain_row(cls, *, actor_id, verb, unit_id, target, changes, at):
        """One audit row as a tuple of `ROW_FIELDS`, the same as `objects.record` writes.

        `changes` is JSON text and `at` a value adapted for the database, both made once
        by the caller for many rows.
        """
        return (actor_id, verb, unit_id, *_target_columns(target), changes, at)

    @classmethod
    def insert_plain(cls, rows):
        """Write `plain_row` tuples, many per statement, appended to the chain in order."""
        if not rows:
            return
        with transaction.atomic():
            last = chain.lock_and_read_last()
            values = (
                (actor_id, verb, unit_id, t_type, t_id, t_repr, json.loads(changes), at)
                for actor_id, verb, unit_id, t_type, t_id, t_repr, changes, at in rows
            )
            linked = [
                (*row, *hashes) for row, hashes in zip(rows, chain.link(last, values), strict=True)
            ]
            insert_rows(cls, (*cls.ROW_FIELDS, "prev_hash", "row_hash"), linked)
