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


# Sent after the withdrawal of a death recorded by mistake is committed, with `person` and
# `died_on` (the day the withdrawn record gave). Apps that ended something on the death
# (the associations' memberships) reopen it.
death_withdrawn = Signal()


def announce_death_withdrawn(person, died_on) -> None:
    """Tell listeners, once the transaction commits, that `person`'s death on `died_on`
    was withdrawn."""
    transaction.on_commit(
        lambda: death_withdrawn.send(sender=Person, person=person, died_on=died_on)
    )
