"""The poverty side of `manage.py demo`: last year's review recognised with support, this
year's at the hamlet meetings, rates consistent with the HN / CN cards (issue 13)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from langso.demo.registry import DEMO_COMMUNE_CODE
from langso.places.models import Unit
from langso.poverty.models import Result, Review, Status, Support, Target
from langso.poverty.status import counts
from langso.poverty.tests.standards import ensure_shipped
from langso.registry.hooks import poverty_status
from langso.registry.models import Membership

AS_OF = date(2026, 12, 2)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast):
        out = StringIO()
        ensure_shipped()  # a module before may have flushed the migrations' rows
        call_command("load_units", stdout=out)
        call_command("demo", households=600, as_of=AS_OF, stdout=out)
        yield out.getvalue()
        call_command("flush", interactive=False, stdout=StringIO())


@pytest.fixture
def commune(demo, db):
    return Unit.objects.get(kind=Unit.Kind.COMMUNE, code=DEMO_COMMUNE_CODE)


def test_last_year_recognised_this_year_at_the_hamlet_meetings(commune, demo):
    assert "Poverty:" in demo
    recognised = Review.objects.get(commune=commune, year=2025)
    assert recognised.stage == Review.Stage.RECOGNISED and recognised.decision_number
    current = Review.objects.get(commune=commune, year=2026)
    assert current.stage == Review.Stage.MEETING
    assert 0 < current.meetings.count() < commune.children.count()
    assert current.entries.filter(survey__isnull=True).count() == 0
    assert Target.objects.filter(unit=commune, year=2026).exists()
    assert (
        Support.objects.filter(programme=Support.Programme.LOAN).count() >= Status.objects.count()
    )
    assert Support.objects.filter(programme=Support.Programme.LIVESTOCK, state_share=60).exists()


def test_rates_match_the_health_insurance_cards(commune):
    figures = counts(commune, AS_OF)
    assert 2 <= figures["poor_rate"] <= 9, figures
    assert 2 <= figures["near_poor_rate"] <= 9, figures
    stays = Membership.objects.as_of(AS_OF, commune).filter(
        person__health_insurance_number__startswith="HN"
    )
    poor_by_card = set(stays.values_list("household_id", flat=True))
    found = poverty_status(poor_by_card, AS_OF)
    assert found and all(value == Result.POOR for value in found.values())
    assert set(found) == poor_by_card
