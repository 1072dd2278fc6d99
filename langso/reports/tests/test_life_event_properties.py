"""Whatever happens in a commune's life, nobody is counted twice on any day.

Hypothesis draws sequences of life events (births, moves in and out, deaths, absences
and returns, new households, splits, changes of head) recorded through the registry's
own actions on increasing days; events the registry refuses are left out. Then, on
every day of the story: the registry read as of that day holds each person once, the
lists drawn for that day list each person once and agree with it, and today's figures
agree with the registry's present state.

The examples are derandomised (the same 30 sequences on every run), so the test cannot
pass one day and fail the next.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from langso.registry import actions
from langso.registry.models import Membership, Person
from langso.reports.indicators import leaf_figures
from langso.reports.lists import draw
from langso.test import vietnam_time

TODAY = date(2026, 7, 1)
START = date(2020, 1, 1)

ACTIONS = [
    "absence",
    "return",
    "split",
    "move_out",
    "change_head",
    "birth",
    "move_in",
    "new_household",
    "death",
]

steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.integers(0, 50),  # who (or which household): an index into those there are
        st.integers(0, 50),  # a second person, for a split
        st.integers(0, 200),  # days since the previous event
    ),
    min_size=1,
    max_size=15,
)


class Story:
    """Plays life events in the test world's commune, one after another."""

    def __init__(self, world):
        self.world = world
        self.names = (f"Người thứ {n}" for n in range(1, 1000))
        self.days = []

    def people(self, action=""):
        """Those the action may concern: the absent for a return, else those living here."""
        people = Person.objects.within(self.world.commune).living()
        if action == "return":
            people = people.filter(residence_status=Person.Residence.ABSENT)
        else:
            people = people.filter(residence_status__in=Person.Residence.present())
        return list(people.order_by("pk"))

    def households(self):
        return sorted({p.household for p in self.people()}, key=lambda h: h.pk)

    def pick(self, items, index):
        return items[index % len(items)] if items else None

    def play(self, action, who, other, on):
        person = self.pick(self.people(action), who)
        household = self.pick(self.households(), who)
        if action != "new_household" and (person is None or household is None):
            raise ValidationError("nobody left to act on")
        name = next(self.names)
        match action:
            case "birth":
                actions.register_birth(
                    household, acting_user=None, birth_date=on, full_name=name, sex="f"
                )
            case "move_in":
                actions.move_in(
                    household,
                    acting_user=None,
                    on=on,
                    place="Xã Chiềng Mung",
                    relationship="Con dâu",
                    status=Person.Residence.TEMPORARY if other % 2 else Person.Residence.PERMANENT,
                    full_name=name,
                    sex="f",
                    birth_date=date(1995, 4, 1),
                )
            case "new_household":
                hamlet = (self.world.group, self.world.other_hamlet)[other % 2]
                actions.create_household(
                    hamlet,
                    acting_user=None,
                    on=on,
                    head_fields={"full_name": name, "sex": "m", "birth_date": date(1980, 2, 3)},
                )
            case "death":
                actions.record_death(person, acting_user=None, on=on)
            case "move_out":
                actions.move_out(person, acting_user=None, on=on, place="TP Hà Nội")
            case "absence":
                actions.start_absence(person, acting_user=None, on=on, place="Bình Dương")
            case "return":
                actions.end_absence(person, acting_user=None, on=on)
            case "change_head":
                actions.change_head(
                    person.household,
                    new_head=person,
                    acting_user=None,
                    on=on,
                    old_head_relationship="Cha",
                )
            case "split":
                mates = [p for p in self.people() if p.household_id == person.household_id]
                actions.split_household(
                    person.household,
                    head=person,
                    members=[self.pick(mates, other)],
                    acting_user=None,
                    on=on,
                )

    def run(self, steps):
        on = START
        for action, who, other, gap in steps:
            on = min(on + timedelta(days=gap), TODAY)
            try:
                self.play(action, who, other, on)
            except ValidationError:
                # Refused by the registry (a dead person's move, a day before the stay
                # began, nobody left to act on…): it did not happen.
                continue
            self.days.append(on)


def check_day(world, day):
    stays = list(Membership.objects.as_of(day, world.commune))
    people = [stay.person_id for stay in stays]
    assert len(people) == len(set(people)), f"someone is in two households on {day}"
    for kind in ("households", "voters", "labour"):
        listed = [row["person_id"] for row in draw(kind, world.commune, day).rows]
        assert len(listed) == len(set(listed)), f"someone is twice on the {kind} list of {day}"
        assert set(listed) <= set(people), f"the {kind} list of {day} has people not there"
    households = draw("households", world.commune, day)
    assert households.counts["people"] == len(set(people))
    assert households.counts["households"] == len({stay.household_id for stay in stays})


def check_today(world):
    present = Person.Residence.present()
    as_of = {
        (stay.person_id, stay.household_id, stay.residence_status)
        for stay in Membership.objects.as_of(TODAY, world.commune)
    }
    current = set(
        Person.objects.within(world.commune)
        .registered()
        .values_list("pk", "household_id", "residence_status")
    )
    assert as_of == current, "the registry as of today is not its present state"
    figures = leaf_figures(world.commune, TODAY)
    population = sum(row.get("population", 0) for row in figures.values())
    assert population == len({p for p, _h, status in as_of if status in present})


@pytest.fixture
def on_a_fixed_day(time_machine):
    time_machine.move_to(vietnam_time(TODAY), tick=False)


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_no_sequence_of_life_events_counts_a_person_twice_on_a_day(on_a_fixed_day, world, steps):
    with transaction.atomic():
        story = Story(world)
        story.run(steps)
        for day in sorted({START, *story.days, *(d - timedelta(days=1) for d in story.days)}):
            check_day(world, day)
        check_day(world, TODAY)
        check_today(world)
        transaction.set_rollback(True)  # the next example starts from the same world
