"""The registry's figures of a unit at a glance: counts, and the gaps in its records."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

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


def to_do(unit, today):
    """What the hamlet head should see to: gaps in the records and this year's duties."""
    living = Person.objects.within(unit).registered()
    turning_17 = today.year - 17
    return [
        {
            "label": _("residents aged 14 or more without an ID number"),
            "count": living.filter(id_number__isnull=True)
            .filter(birth_date__lte=born_by(today, 14))
            .count(),
        },
        {
            "label": _("residents without a date of birth"),
            "count": living.filter(birth_date__isnull=True).count(),
        },
        {
            # Law on Military Service 2015: men register in the year they turn 17 (domain.md §5).
            "label": _("young men turning 17 this year, to register for military service"),
            "count": living.filter(
                sex=Person.Sex.MALE,
                birth_date__gte=date(turning_17, 1, 1),
                birth_date__lte=date(turning_17, 12, 31),
            ).count(),
        },
    ]
