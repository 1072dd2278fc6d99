"""The home page's unit figures, kept in the shared cache (home/figures.py): counted by the
same functions as every other page, replaced as soon as the registry changes below the
unit, counted anew on a new day, and read in as many queries whatever the unit's size."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from langso.home import figures as kept
from langso.places.models import Unit
from langso.registry import actions
from langso.registry.figures import to_do_counts, unit_figures
from langso.registry.models import Immunisation, Membership, Person
from langso.reports import actions as report_actions
from langso.reports.indicators import unit_indicators
from langso.reports.models import VoterExclusion
from langso.test import make_household, make_unit, vietnam_time

TODAY = date(2026, 6, 15)
TURNING_17 = "military_registration"


@pytest.fixture(autouse=True)
def mid_june(time_machine):
    time_machine.move_to(vietnam_time(TODAY), tick=False)


def home_panel(client, user):
    client.force_login(user)
    [panel] = client.get(reverse("home")).context["panels"]
    return panel


def record_birth(world):
    """A girl born to the world's household on 01/06/2026, recorded by the hamlet head."""
    actions.register_birth(
        world.household, acting_user=world.hamlet_head, birth_date=date(2026, 6, 1),
        full_name="Nguyễn Thị Bé", sex=Person.Sex.FEMALE,
    )  # fmt: skip


def reads(queries):
    """The queries captured, without the savepoints around the cache's."""
    return [q for q in queries if "SAVEPOINT" not in q["sql"]]


def children(unit):
    return list(unit.children.current(TODAY).order_by("path"))


def test_the_kept_figures_are_those_the_live_functions_count(client, world):
    # A second group, a temporary resident, a child, the temporarily absent: every kind
    # of figure has something to count.
    second = make_unit(world.hamlet, Unit.Kind.GROUP, "g02", "Tổ 2", "tổ")
    household = make_household(
        second,
        "Vi Văn Dũng",
        members=[("Vi Thị Mai", "Con", date(2022, 4, 1), Person.Sex.FEMALE)],
    )
    actions.move_in(
        household, acting_user=None, on=date(2025, 1, 10), place="Hà Nội", relationship="Cháu",
        status=Person.Residence.TEMPORARY, full_name="Lò Văn Tú", sex=Person.Sex.MALE,
        birth_date=date(2001, 2, 3),
    )  # fmt: skip
    actions.start_absence(
        world.household.head, acting_user=world.admin, on=date(2026, 3, 1), place="Bình Dương"
    )
    client.force_login(world.hamlet_head)
    client.get(reverse("home"))  # counted and kept
    groups = children(world.hamlet)

    with CaptureQueriesContext(connection) as queries:
        read = kept.panel(world.hamlet, groups, TODAY, with_charts=True)

    # The token and the entry, in one read of the cache (in a test's transaction, within
    # a savepoint: home/figures.py `_guarded`).
    assert len(reads(queries)) == 1
    assert read == {
        "figures": unit_figures(world.hamlet, groups),
        "to_do": to_do_counts(world.hamlet, TODAY),
        "charts": unit_indicators(world.hamlet, groups, TODAY),
    }
    assert read["figures"][second.pk] == {
        "households": 1, "residents": 3, "temporary": 1, "absent": 0,
    }  # fmt: skip
    assert read["figures"][world.group.pk]["absent"] == 1


def test_a_birth_shows_on_the_home_page_as_soon_as_it_is_recorded(
    client, world, django_capture_on_commit_callbacks
):
    before = home_panel(client, world.hamlet_head)

    with django_capture_on_commit_callbacks(execute=True):
        record_birth(world)
    after = home_panel(client, world.hamlet_head)

    assert before["figures"]["residents"] == 3
    assert after["figures"]["residents"] == 4
    assert dict(after["children"][0][1])["residents"] == 4
    # The kept indicators too: a girl under 5 in the age pyramid.
    counted = kept.panel(world.hamlet, children(world.hamlet), TODAY, with_charts=True)
    assert counted["charts"][world.hamlet.pk]["age_f_0"] == 1


def test_a_move_away_shows_on_the_home_page_of_the_hamlet_and_of_the_commune(
    client, world, django_capture_on_commit_callbacks
):
    home_panel(client, world.hamlet_head)
    home_panel(client, world.official)
    son = Person.objects.get(full_name="Nguyễn Văn An")

    with django_capture_on_commit_callbacks(execute=True):
        actions.move_out(son, acting_user=world.admin, on=TODAY, place="Hà Nội")

    hamlet = home_panel(client, world.hamlet_head)
    commune = home_panel(client, world.official)
    assert hamlet["figures"]["residents"] == 2
    assert hamlet["to_do"][2]["key"] == TURNING_17
    assert hamlet["to_do"][2]["count"] == 0  # he registers where he lives now
    assert commune["figures"]["residents"] == 3  # 2 in Bình Chiến, 1 in Đồng Tâm
    assert dict(commune["children"])[world.hamlet]["residents"] == 2


def test_a_change_the_registry_does_not_announce_is_seen_the_next_day(client, world, time_machine):
    # What shows that the page reads the kept figures: a stay changed behind the
    # registry's back (no action, no `registry_changed`) shows only when the day changes.
    assert home_panel(client, world.hamlet_head)["figures"]["absent"] == 0
    Membership.objects.filter(person__full_name="Trần Thị Thuỷ").update(
        residence_status=Person.Residence.ABSENT
    )

    assert home_panel(client, world.hamlet_head)["figures"]["absent"] == 0
    time_machine.move_to(vietnam_time(date(2026, 6, 16)), tick=False)
    assert home_panel(client, world.hamlet_head)["figures"]["absent"] == 1


def test_the_figures_of_a_new_day_are_counted_on_that_day(client, world, time_machine):
    # Nguyễn Văn An, born 30/08/2009, turns 17 in 2026: he registers this year, not next.
    time_machine.move_to(datetime(2026, 12, 31, 23, 59, tzinfo=vietnam_time(TODAY).tzinfo))
    assert home_panel(client, world.hamlet_head)["to_do"][2]["count"] == 1

    time_machine.move_to(vietnam_time(date(2027, 1, 1), hour=0), tick=False)
    assert home_panel(client, world.hamlet_head)["to_do"][2]["count"] == 0


def test_an_immunisation_and_a_voter_exclusion_replace_the_kept_figures(
    world, django_capture_on_commit_callbacks
):
    mother = Person.objects.get(full_name="Trần Thị Thuỷ")
    baby = actions.register_birth(
        world.household, acting_user=None, birth_date=date(2025, 1, 5),
        full_name="Nguyễn Văn Cò", sex=Person.Sex.MALE,
    )  # fmt: skip
    before = kept.panel(world.hamlet, children(world.hamlet), TODAY, with_charts=True)

    with django_capture_on_commit_callbacks(execute=True):
        actions.record_immunisation(
            baby, acting_user=world.admin, vaccine=Immunisation.Vaccine.MEASLES, dose=1,
            given_on=date(2025, 10, 5),
        )  # fmt: skip
        report_actions.exclude_voter(
            mother, acting_user=world.admin, reason=VoterExclusion.Reason.PRISON,
            since=date(2026, 1, 1),
        )  # fmt: skip
    after = kept.panel(world.hamlet, children(world.hamlet), TODAY, with_charts=True)

    assert before["charts"][world.hamlet.pk].get("measles", 0) == 0
    assert after["charts"][world.hamlet.pk]["measles"] == 1
    assert before["charts"][world.hamlet.pk]["voters"] == 2  # An is 16, the baby 1
    assert after["charts"][world.hamlet.pk]["voters"] == 1


def warm_home_queries(client, user):
    client.force_login(user)
    client.get(reverse("home"))  # counted and kept
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.context["panels"][0]["figures"]["households"] > 0
    return len(queries)


def test_the_warm_home_page_reads_as_many_queries_whatever_the_number_of_groups(client, world):
    few = warm_home_queries(client, world.hamlet_head)
    for number in range(2, 22):
        group = make_unit(world.hamlet, Unit.Kind.GROUP, f"g{number:02}", f"Tổ {number}", "tổ")
        make_household(group, f"Hà Văn Tổ {number}")

    many = warm_home_queries(client, world.hamlet_head)

    assert len(children(world.hamlet)) == 21
    assert many == few


def test_an_import_announced_for_the_hamlet_reaches_the_figures_of_its_groups(
    world, django_capture_on_commit_callbacks
):
    from langso.registry import import_writer
    from langso.registry.importing import plan_import
    from langso.registry.tests.test_import import book

    group_before = kept.panel(world.group, [], TODAY, with_charts=True)
    other_before = kept.panel(world.other_hamlet, [], TODAY, with_charts=True)
    plan = plan_import(book(), filename="danh-sach.xlsx", unit=world.hamlet)

    with django_capture_on_commit_callbacks(execute=True):
        import_writer.import_residents(plan, acting_user=world.hamlet_head, source="sổ.xlsx")
    with CaptureQueriesContext(connection) as queries:
        other_after = kept.panel(world.other_hamlet, [], TODAY, with_charts=True)
    group_after = kept.panel(world.group, [], TODAY, with_charts=True)

    # "Tổ 1" of the book: 4 people in 2 households joined the group, announced for Bình Chiến.
    assert group_before["figures"][world.group.pk]["residents"] == 3
    assert group_after["figures"][world.group.pk]["residents"] == 7
    assert group_after["figures"][world.group.pk]["households"] == 3
    assert other_after == other_before
    assert len(reads(queries)) == 1  # Đồng Tâm's panel is still the kept one


def test_a_broken_cache_fails_neither_the_home_page_nor_a_change(
    client, world, django_capture_on_commit_callbacks, settings, caplog
):
    """The kept figures are a shortcut: with their cache unusable (here a table that does
    not exist) the page counts them and a change is saved; both are logged."""
    settings.CACHES = {
        **settings.CACHES,
        "figures": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "langso_no_such_cache_table",
        },
    }

    panel = home_panel(client, world.hamlet_head)
    with django_capture_on_commit_callbacks(execute=True):
        record_birth(world)
    after = home_panel(client, world.hamlet_head)

    assert (panel["figures"]["residents"], after["figures"]["residents"]) == (3, 4)
    assert "could not be read" in caplog.text and "could not be marked stale" in caplog.text
