"""Changes to the unit tree. Each is atomic, takes the acting user and leaves an audit row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.models import AuditEntry
from langso.lib.paths import SEPARATOR
from langso.places.models import Unit


@transaction.atomic
def create_unit(parent, *, name, type_name, acting_user, valid_from=None, is_demo=False):
    """Create a hamlet under a commune, or a self-managed group under a hamlet."""
    kind = parent.child_kind()
    if kind is None:
        raise ValidationError(_("Hamlets are created under a commune, groups under a hamlet."))
    if not parent.is_current():
        raise ValidationError(_("%(unit)s is no longer in force.") % {"unit": parent})
    name = " ".join(name.split())
    if Unit.objects.current().filter(parent=parent, name__iexact=name).exists():
        raise ValidationError(
            _("%(parent)s already has a unit named “%(name)s”.") % {"parent": parent, "name": name}
        )
    unit = Unit.objects.create(
        kind=kind,
        type_name=type_name,
        name=name,
        parent=parent,
        path=parent.path + SEPARATOR + parent.next_child_segment(),
        valid_from=valid_from or timezone.localdate(),
        is_demo=is_demo,
    )
    AuditEntry.objects.record(acting_user, "unit.create", target=unit, unit=parent)
    return unit


@transaction.atomic
def rename_unit(unit, *, name, type_name, acting_user):
    name = " ".join(name.split())
    changes = {}
    if name != unit.name:
        changes["name"] = [unit.name, name]
    if type_name != unit.type_name:
        changes["type_name"] = [unit.type_name, type_name]
    if not changes:
        return unit
    if (
        Unit.objects.current()
        .filter(parent=unit.parent_id, name__iexact=name)
        .exclude(pk=unit.pk)
        .exists()
    ):
        raise ValidationError(
            _("%(parent)s already has a unit named “%(name)s”.")
            % {"parent": unit.parent, "name": name}
        )
    unit.name, unit.type_name = name, type_name
    unit.save(update_fields=["name", "type_name"])
    AuditEntry.objects.record(acting_user, "unit.rename", target=unit, unit=unit, changes=changes)
    return unit


def _check_can_end(unit, on):
    if unit.kind not in (Unit.Kind.HAMLET, Unit.Kind.GROUP):
        raise ValidationError(_("Only hamlets and groups are merged or retired here."))
    if not unit.is_current(on):
        raise ValidationError(_("%(unit)s is no longer in force.") % {"unit": unit})
    if unit.valid_from and on <= unit.valid_from:
        raise ValidationError(_("The date must be after the unit came into force."))


def _reparent(unit, new_parent):
    """Move `unit` and its subtree under `new_parent`, rewriting their paths."""
    old_path = unit.path
    new_path = new_parent.path + SEPARATOR + new_parent.next_child_segment()
    subtree = list(Unit.objects.within(old_path).order_by("-path"))
    for row in subtree:
        row.path = new_path + row.path[len(old_path) :]
    # Longest paths first, so a rewritten row never collides with one not yet moved.
    for row in subtree:
        row.save(update_fields=["path"])
    unit.refresh_from_db(fields=["path"])
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.parent = new_parent
    return old_path


@transaction.atomic
def merge_units(source, *, into, on, acting_user):
    """Merge `source` into `into` (same kind, same parent) from day `on`.

    The source stays in the tree with `valid_to = on` and `successor = into`, so its
    history remains reportable. Its households move to the target; its current
    self-managed groups carry on under the target, keeping their households.
    """
    from langso.registry.models import Household

    _check_can_end(source, on)
    if into.pk == source.pk or into.kind != source.kind or into.parent_id != source.parent_id:
        raise ValidationError(_("A unit can only be merged into another of the same commune."))
    if not into.is_current(on):
        raise ValidationError(_("%(unit)s is no longer in force.") % {"unit": into})

    moved_households = Household.objects.filter(unit=source).update(unit=into)
    moved_groups = []
    for group in Unit.objects.current(on).filter(parent=source):
        old_path = _reparent(group, into)
        moved_groups.append([old_path, group.path])
    source.valid_to = on
    source.successor = into
    source.save(update_fields=["valid_to", "successor"])
    AuditEntry.objects.record(
        acting_user,
        "unit.merge",
        target=source,
        unit=into,
        changes={
            "valid_to": [None, on.isoformat()],
            "successor": [None, str(into)],
            "households_moved": [0, moved_households],
            "groups_moved": moved_groups,
        },
    )
    return source


@transaction.atomic
def retire_unit(unit, *, on, acting_user):
    """End a hamlet or group from day `on`. It must be empty: merge it otherwise."""
    from langso.registry.models import Household

    _check_can_end(unit, on)
    if Household.objects.filter(unit__path__within=unit.path).exists():
        raise ValidationError(
            _("%(unit)s still has households. Merge it into another unit instead.") % {"unit": unit}
        )
    if Unit.objects.current(on).filter(parent=unit).exists():
        raise ValidationError(
            _("%(unit)s still has groups in force. Retire or move them first.") % {"unit": unit}
        )
    unit.valid_to = on
    unit.save(update_fields=["valid_to"])
    AuditEntry.objects.record(
        acting_user, "unit.retire", target=unit, unit=unit, changes={"valid_to": [None, str(on)]}
    )
    return unit
