from django.db import transaction
from django.dispatch import Signal

from langso.registry.models import Person

# Sent after a change to the registry is committed, with `unit`: the hamlet or group
# whose households changed. Figures kept elsewhere (the reports' summaries) listen.
registry_changed = Signal()


def announce_change(unit) -> None:
    """Tell listeners, once the transaction commits, that `unit`'s registry changed."""
    if unit is not None:
        transaction.on_commit(lambda: registry_changed.send(sender=Person, unit=unit))


# Sent after a death recorded in the registry is committed, with `person` and `on` (the
# day of death). Apps that keep memberships of people (the associations) end them that day.
person_died = Signal()


def announce_death(person, on) -> None:
    """Tell listeners, once the transaction commits, that `person` died on `on`."""
    transaction.on_commit(lambda: person_died.send(sender=Person, person=person, on=on))
