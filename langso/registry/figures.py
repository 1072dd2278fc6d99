"""The registry's figures of a unit at a glance: counts, and the gaps in its records."""

from datetime import date
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.lib.dates import born_by
from langso.places.models import Unit
from langso.registry.models import Membership, Person


def unit_figures(unit, children):
    """Households and residents of `unit` and of each child today, from one grouped query
    over the stays that cover today (`MembershipQuerySet.count_by_unit`, the indicators'
    definition): a household whose only member died or moved away no longer counts.
    """
    counts = Membership.objects.as_of(timezone.localdate()).within(unit).count_by_unit()
    units = Unit.objects.filter(pk__in=[unit.pk, *[child.pk for child in children]])
    totals = units.roll_up(counts)
    empty = {"households": 0, "residents": 0, "temporary": 0, "absent": 0}
    return {pk: {**empty, **row} for pk, row in totals.items()}


TO_DO_KEYS = ("no_id_number", "no_birth_date", "military_registration")


def to_do_q(key, today):
    """The condition on registered residents that the to-do item `key` counts.

    The count on the home and unit pages and the filtered resident list it links to both
    use this one condition, so the number is the list's length."""
    if key == "no_id_number":
        return Q(id_number__isnull=True, birth_date__lte=born_by(today, 14))
    if key == "no_birth_date":
        return Q(birth_date__isnull=True)
    if key == "military_registration":
        # Law on Military Service 2015: men register in the year they turn 17 (domain.md §5).
        turning_17 = today.year - 17
        return Q(
            sex=Person.Sex.MALE,
            birth_date__gte=date(turning_17, 1, 1),
            birth_date__lte=date(turning_17, 12, 31),
        )
    raise ValueError(key)


def to_do_label(key):
    return {
        "no_id_number": _("residents aged 14 or more without an ID number"),
        "no_birth_date": _("residents without a date of birth"),
        "military_registration": _(
            "young men turning 17 this year, to register for military service"
        ),
    }[key]


def to_do_counts(unit, today):
    """{to-do key: how many registered residents of `unit` it counts on `today`}."""
    living = Person.objects.within(unit).registered()
    return {key: living.filter(to_do_q(key, today)).count() for key in TO_DO_KEYS}


def to_do(unit, today, counts=None):
    """What the hamlet head should see to: gaps in the records and this year's duties,
    each with the resident list it counts (`registry:person-list?unit=…&todo=…`).

    `counts`: `to_do_counts(unit, today)` kept from earlier (the home page's cache)."""
    if counts is None:
        counts = to_do_counts(unit, today)
    list_url = reverse("registry:person-list")
    return [
        {
            "key": key,
            "label": to_do_label(key),
            "count": counts[key],
            "url": f"{list_url}?{urlencode({'unit': unit.pk, 'todo': key})}",
        }
        for key in TO_DO_KEYS
    ]
