"""The poverty side of the test world: a labour officer and a commune leader of Tân Lập,
and helpers that run a review through its steps with the app's own actions."""

from datetime import date

import pytest

from langso.accounts.roles import Role
from langso.poverty import actions
from langso.poverty.models import Entry, Result
from langso.poverty.tests.standards import ensure_shipped
from langso.test import make_user


class Poverty:
    def __init__(self, world):
        self.world = world
        self.officer = make_user("laodong", "Lò Thị Mai", Role.LABOUR_OFFICER, world.commune)
        self.leader = make_user("chutich", "Quàng Văn Hải", Role.COMMUNE_LEADER, world.commune)

    def survey(self, household, *, on, per_person, lacking=(), **kw):
        """A B2 survey giving the whole household income to its head so that the income
        per person is exactly `per_person`."""
        stays = actions.members_on(household, on)
        incomes = {stay.person_id: 0 for stay in stays}
        incomes[stays[0].person_id] = per_person * len(stays)
        return actions.record_survey(
            household, acting_user=self.officer, on=on, incomes=incomes, lacking=lacking, **kw
        )

    def review_to_posting(self, household, *, year, result=Result.POOR, lacking=None):
        """A yearly review of `household`'s commune that lists it, surveys it, agrees
        `result` at the hamlet meeting and posts the list from 1 December."""
        world = self.world
        review = actions.open_review(world.commune, acting_user=self.officer, year=year)
        entry = review.entries.filter(household=household).first()
        if entry is None:
            entry = actions.add_entry(
                review,
                household,
                acting_user=self.officer,
                source=Entry.Source.APPLIED,
                applied_on=date(year, 9, 5),
            )
        if lacking is None:
            lacking = ["health_insurance", "water", "latrine"] if result == Result.POOR else []
        per_person = 900_000 if result != Result.NOT_POOR else 5_000_000
        self.survey(
            household, on=date(year, 10, 1), per_person=per_person, lacking=lacking, entry=entry
        )
        for hamlet_id in set(review.entries.values_list("hamlet_id", flat=True)):
            hamlet_entries = review.entries.filter(hamlet_id=hamlet_id)
            for other in hamlet_entries.filter(survey__isnull=True):
                self.survey(
                    other.household,
                    on=date(year, 10, 2),
                    per_person=900_000,
                    lacking=["water", "latrine", "telecom"],
                    entry=other,
                )
            results = {
                e.pk: (e.survey.result, 30, 32) for e in hamlet_entries.select_related("survey")
            }
            actions.record_meeting(
                review,
                hamlet_entries.first().hamlet,
                acting_user=self.officer,
                held_on=date(year, 11, 20),
                attendance=40,
                results=results,
            )
        actions.start_posting(review, acting_user=self.officer, starts_on=date(year, 12, 1))
        review.refresh_from_db()
        return review


@pytest.fixture(autouse=True)
def shipped_standards(db):
    ensure_shipped()


@pytest.fixture
def poverty(world):
    return Poverty(world)
