"""Managing the tree of hamlets and groups: create, rename, merge, retire.

Each action is atomic, takes the acting user and leaves an audit row. They live in the
registry, not in places, because a unit's life is its households': merging moves
them (with their dated history) and retiring needs the unit empty.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.models import AuditEntry, RoleAssignment, User
from langso.lib.paths import SEPARATOR
from langso.lib.vietnamese import normalize_name
from langso.places.models import Unit
from langso.registry.models import Household, LifeEvent, Membership, Person
from langso.registry.signals import announce_change


@transaction.atomic
def create_unit(
    parent: Unit,
    *,
    name: str,
    type_name: str,
    acting_user: User | None,
    valid_from: date | None = None,
    is_demo: bool = False,
) -> Unit:
    """Create a hamlet under a commune, or a self-managed group under a hamlet."""
    kind = parent.child_kind()
    if kind is None:
        raise ValidationError(_("Hamlets are created under a commune, groups under a hamlet."))
    if not parent.is_current():
        raise ValidationError(_("%(unit)s is no longer in force.") % {"unit": parent})
    name = normalize_name(name)
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
def rename_unit(unit: Unit, *, name: str, type_name: str, acting_user: User) -> Unit:
    name = normalize_name(name)
    changes: dict[str, list[str]] = {}
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


def _check_can_end(unit: Unit, on: date) -> None:
    if unit.kind not in (Unit.Kind.HAMLET, Unit.Kind.GROUP):
        raise ValidationError(_("Only hamlets and groups are merged or retired here."))
    if not unit.is_current(on):
        raise ValidationError(_("%(unit)s is no longer in force.") % {"unit": unit})
    if unit.valid_from and on <= unit.valid_from:
        raise ValidationError(_("The date must be after the unit came into force."))


def _successor_group(group: Unit, into: Unit, on: date) -> Unit:
    """A group in force from `on` under `into`, carrying on `group` by name and type."""
    return Unit.objects.create(
        kind=group.kind,
        type_name=group.type_name,
        name=group.name,
        parent=into,
        path=into.path + SEPARATOR + into.next_child_segment(),
        valid_from=on,
        is_demo=group.is_demo,
    )


def _label(unit: Unit) -> str:
    """ "Tổ 1, Thôn Bình Chiến": a group is named with its hamlet, whose names repeat."""
    if unit.kind == Unit.Kind.GROUP and unit.parent_id:
        return f"{unit}, {unit.parent}"
    return str(unit)


def _move_household(
    household: Household, target: Unit, *, on: date, acting_user: User | None, source: Unit
) -> Household | None:
    """Carry `household` on in `target` from `on`, the registry's way.

    The household row stays in `source` with the stays that ended before `on`, so that a
    list drawn for an earlier day still finds its people there; a new household row in
    `target` takes over every stay that runs on or after `on` (a stay across `on` is
    cut in two). Each person who moves gets a dated life event, the household an audit
    row. Returns the new household, or None when nobody lived there on or after `on`.
    """
    stays = list(household.memberships.filter(Q(end__isnull=True) | Q(end__gt=on)))
    if not stays:
        return None
    new = Household.objects.create(
        unit=target,
        house_number=household.house_number,
        address=household.address,
        is_demo=household.is_demo,
    )
    movers: set[int] = set()
    for stay in stays:
        if stay.start is not None and stay.start >= on:
            stay.household = new
            stay.save(update_fields=["household"])
        else:
            Membership.objects.create(
                person_id=stay.person_id,
                household=new,
                relationship=stay.relationship,
                residence_status=stay.residence_status,
                start=on,
                end=stay.end,
            )
            stay.end = on
            stay.save(update_fields=["end"])
        movers.add(stay.person_id)
    Person.objects.filter(pk__in=movers, household=household).update(household=new)
    if household.head_id in movers:
        new.head_id = household.head_id
        new.save(update_fields=["head"])
    recorded_by = acting_user if acting_user and acting_user.is_authenticated else None
    changes = {"unit": [_label(source), _label(target)], "household": [household.pk, new.pk]}
    LifeEvent.objects.bulk_create(
        LifeEvent(
            kind=LifeEvent.Kind.UNIT_MERGE,
            person_id=person_id,
            household=new,
            on=on,
            place=_label(target),
            changes=changes,
            recorded_by=recorded_by,
        )
        for person_id in sorted(movers)
    )
    AuditEntry.objects.record(
        acting_user,
        "registry.unit_merge",
        target=new,
        unit=target,
        changes={**changes, "members": [None, sorted(movers)]},
    )
    return new


def _move_households(source: Unit, target: Unit, *, on: date, acting_user: User | None) -> int:
    moved = 0
    for household in Household.objects.filter(unit=source).order_by("pk"):
        if _move_household(household, target, on=on, acting_user=acting_user, source=source):
            moved += 1
    return moved


def _end(unit: Unit, *, on: date, successor: Unit) -> None:
    unit.valid_to = on
    unit.successor = successor
    unit.save(update_fields=["valid_to", "successor"])


@transaction.atomic
def merge_units(source: Unit, *, into: Unit, on: date, acting_user: User) -> Unit:
    """Merge `source` into `into` (same kind, same parent) from day `on`.

    The source stays in the tree with `valid_to = on` and `successor = into`, so its
    history remains reportable. Its households carry on in the target (`_move_household`:
    a day before `on` still reads the old unit); each of its current self-managed
    groups ends too, succeeded by a group of the same name under the target that takes
    its households and its role holders. Stored figures are refreshed through
    `registry_changed` (`announce_change`).
    """
    _check_can_end(source, on)
    if into.pk == source.pk or into.kind != source.kind or into.parent_id != source.parent_id:
        raise ValidationError(_("A unit can only be merged into another of the same commune."))
    if not into.is_current(on):
        raise ValidationError(_("%(unit)s is no longer in force.") % {"unit": into})
    if on > timezone.localdate():
        # The registry records what has happened: people move on the day, not before.
        raise ValidationError(_("The date cannot be in the future."), code="future")

    moved_households = _move_households(source, into, on=on, acting_user=acting_user)
    moved_groups: list[list[str]] = []
    for group in Unit.objects.current(on).filter(parent=source).order_by("path"):
        successor = _successor_group(group, into, on)
        moved_households += _move_households(group, successor, on=on, acting_user=acting_user)
        roles = RoleAssignment.objects.filter(unit=group).update(unit=successor)
        _end(group, on=on, successor=successor)
        AuditEntry.objects.record(
            acting_user,
            "unit.merge",
            target=group,
            unit=successor,
            changes={
                "valid_to": [None, on.isoformat()],
                "successor": [None, str(successor)],
                "roles_moved": [0, roles],
            },
        )
        moved_groups.append([group.path, successor.path])
    _end(source, on=on, successor=into)
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
    announce_change(into)
    return source


@transaction.atomic
def retire_unit(unit: Unit, *, on: date, acting_user: User) -> Unit:
    """End a hamlet or group from day `on`. It must be empty: merge it otherwise."""
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
