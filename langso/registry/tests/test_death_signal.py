"""`person_died`: the hook apps above the registry use to end what a death ends (the
associations end memberships): sent once the death is committed, with the day."""

from datetime import date

from langso.registry import actions
from langso.registry.models import Person
from langso.registry.signals import person_died


def test_a_recorded_death_is_announced_after_commit(world, django_capture_on_commit_callbacks):
    heard = []

    def listener(sender, *, person, on, **kwargs):
        heard.append((person.full_name, on))

    person_died.connect(listener, dispatch_uid="test.listener")
    try:
        thuy = Person.objects.get(full_name="Trần Thị Thuỷ")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            actions.record_death(thuy, acting_user=world.official, on=date(2025, 10, 3))
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert heard == [("Trần Thị Thuỷ", date(2025, 10, 3))]
    finally:
        person_died.disconnect(dispatch_uid="test.listener")
