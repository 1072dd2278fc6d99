"""Every indicator that links to a list counts what the list shows (issue 12, item 3)."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from langso.demo.registry import DEMO_COMMUNE_CODE, build
from langso.places.models import Unit
from langso.registry.figures import unit_figures
from langso.reports.indicators import LINKED_LISTS, refresh_summary, unit_indicators
from langso.reports.lists import draw

AS_OF = date(2025, 12, 1)


@pytest.fixture
def demo_commune(db, settings):
    call_command("load_units", stdout=StringIO())
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build(households=150, as_of=AS_OF)
    return Unit.objects.get(kind=Unit.Kind.COMMUNE, code=DEMO_COMMUNE_CODE)


def _shown(drawn, count):
    """What the list shows: its rows, or for households the households it numbers."""
    return drawn.counts[count] if count == "households" else len(drawn.rows)


def test_each_linked_indicator_equals_its_lists_count_on_three_days(demo_commune):
    """docs/reports.md, "One definition per figure": a hamlet's and the commune's figures
    are the row counts of the lists they link to, on any day."""
    hamlet = demo_commune.children.order_by("path").first()
    for day in (AS_OF, AS_OF - timedelta(days=200), date(2024, 2, 29)):
        figures = unit_indicators(demo_commune, [hamlet], day)
        for unit in (demo_commune, hamlet):
            for figure, (kind, count) in LINKED_LISTS.items():
                shown = _shown(draw(kind, unit, day), count)
                assert (figure, day, unit.name, figures[unit.pk].get(figure, 0)) == (
                    figure, day, unit.name, shown,
                )  # fmt: skip
        assert figures[demo_commune.pk]["voters"] > 0


def test_the_home_page_the_summary_and_the_indicators_count_the_same_households(demo_commune):
    """A household whose only member died no longer counts, on any page."""
    from langso.registry import actions
    from langso.registry.models import Household

    alone = next(h for h in Household.objects.within(demo_commune) if h.members.count() == 1)
    actions.record_death(alone.members.get(), acting_user=None, on=AS_OF - timedelta(days=1))
    today = AS_OF + timedelta(days=1)
    from time_machine import travel

    with travel(today):
        home = unit_figures(demo_commune, [])[demo_commune.pk]["households"]
        live = unit_indicators(demo_commune, [], today)[demo_commune.pk]["households"]
        stored = refresh_summary(demo_commune, today)["households"]
        listed = draw("households", demo_commune, today).counts["households"]

    assert home == live == stored == listed
