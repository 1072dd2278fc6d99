"""One truth per figure: the association page, the associations' home page, the home
dashboard and every commune's rates, read from the kept counts (counts.py), agree with a
direct count of the registry and the members after each registry change and each
membership change (docs/associations.md, "Figures"); ages at the Civil Code's edges
(domain.md §8: a rule's age in completed years; born on 29 February, a year older on
28 February of a common year)."""

from datetime import date

import pytest
import time_machine
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from langso.associations import actions, counts, figures, rules
from langso.associations.models import Member, MemberEvent, PopulationCount
from langso.registry import actions as registry
from langso.registry.models import Person

pytestmark = pytest.mark.usefixtures("fixed_day")


def direct(organisation, hamlet, day):
    """(members, eligible) of `organisation` in `hamlet` counted straight from the rows."""
    members = (
        Member.objects.on(day)
        .filter(organisation=organisation, branch__unit__path__within=hamlet.path)
        .count()
    )
    eligible = organisation.eligible(Person.objects.registered().within(hamlet), day).count()
    return members, eligible


def shown(client, assoc, organisation):
    """{(where, hamlet name): (members, eligible)} as the three pages and the province's
    rates show them."""
    seen = {}
    page = client.get(reverse("associations:organisation-detail", args=[organisation.pk]))
    for hamlet, rate in page.context["org_figures"].hamlets:
        seen["page", hamlet.name] = (rate.members, rate.eligible)
    for where, url in (("home", reverse("home")), ("associations", reverse("associations:home"))):
        panel = client.get(url).context["association_panels"][0]
        org_figures = next(f for f in panel.organisations if f.organisation == organisation)
        for hamlet, rate in org_figures.hamlets:
            seen[where, hamlet.name] = (rate.members, rate.eligible)
        seen[where, "total"] = (org_figures.total.members, org_figures.total.eligible)
    rate = figures.province_rates(assoc.world.province, timezone.localdate())
    rate = rate[assoc.world.commune.pk][organisation.pk]
    seen["province", "total"] = (rate.members, rate.eligible)
    return seen


def assert_one_truth(client, assoc, organisation):
    day = timezone.localdate()
    expected = {}
    for hamlet in (assoc.world.hamlet, assoc.world.other_hamlet):
        expected[hamlet.name] = direct(organisation, hamlet, day)
    expected["total"] = tuple(map(sum, zip(*expected.values(), strict=True)))
    seen = shown(client, assoc, organisation)
    for (_where, name), figure in seen.items():
        assert figure == expected[name], (_where, name)
    return expected


def woman(household, name, born, on=date(2026, 1, 5)):
    return registry.register_person(
        household,
        acting_user=None,
        on=on,
        relationship="Cháu",
        full_name=name,
        sex=Person.Sex.FEMALE,
        birth_date=born,
    )


def test_the_pages_and_the_rates_agree_with_a_direct_count_after_every_change(
    client, assoc, django_capture_on_commit_callbacks
):
    client.force_login(assoc.world.official)
    today = timezone.localdate()  # 10/06/2026
    assert assert_one_truth(client, assoc, assoc.women)[assoc.world.hamlet.name] == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        # 18 today: counts; 18 tomorrow: not yet.
        eighteen = woman(assoc.world.household, "Hà Thị Mai", date(2008, 6, 10))
        woman(assoc.world.household, "Hà Thị Lan", date(2008, 6, 11))
    assert assert_one_truth(client, assoc, assoc.women)[assoc.world.hamlet.name] == (1, 2)
    actions.add_member(
        assoc.women, eighteen, acting_user=assoc.leader, joined_on=today, branch=assoc.branch
    )
    assert assert_one_truth(client, assoc, assoc.women)[assoc.world.hamlet.name] == (2, 2)
    with django_capture_on_commit_callbacks(execute=True):
        registry.move_out(
            eighteen, acting_user=assoc.world.official, on=today, place="Hà Nội", note=""
        )
    # Moved away: no longer among the eligible; her membership stays until ended.
    assert assert_one_truth(client, assoc, assoc.women)[assoc.world.hamlet.name] == (2, 1)
    member = Member.objects.get(person=eighteen)
    actions.end_membership(
        member, acting_user=assoc.leader, on=today, ending=Member.Ending.MOVED_AWAY
    )
    assert assert_one_truth(client, assoc, assoc.women)[assoc.world.hamlet.name] == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        registry.record_death(assoc.thuy_person, acting_user=assoc.world.official, on=today)
    assert assert_one_truth(client, assoc, assoc.women)[assoc.world.hamlet.name] == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        registry.withdraw_death(assoc.thuy_person, acting_user=assoc.world.official)
    assert assert_one_truth(client, assoc, assoc.women)[assoc.world.hamlet.name] == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        lan = Person.objects.get(full_name="Hà Thị Lan")
        registry.correct_person(lan, acting_user=assoc.world.official, birth_date=date(2000, 1, 1))
        woman(assoc.world.other_household, "Lê Thị Hồng", date(1990, 2, 3))
    expected = assert_one_truth(client, assoc, assoc.women)
    assert expected[assoc.world.hamlet.name] == (1, 2)
    assert expected[assoc.world.other_hamlet.name] == (0, 1)
    actions.move_member(
        assoc.thuy, acting_user=assoc.leader, to_branch=assoc.other_branch, on=today
    )
    expected = assert_one_truth(client, assoc, assoc.women)
    assert expected[assoc.world.other_hamlet.name] == (1, 1)
    # The Farmers' rule (18 and over, either sex) reads the same counts.
    assert_one_truth(client, assoc, assoc.farmers)


def test_a_new_day_counts_the_ages_again(client, assoc):
    """Kept for one day: on her eighteenth birthday she joins the eligible, with no
    registry change to announce it."""
    woman(assoc.world.household, "Hà Thị Mai", date(2008, 6, 11))
    client.force_login(assoc.world.official)
    assert assert_one_truth(client, assoc, assoc.women)[assoc.world.hamlet.name] == (1, 1)
    with time_machine.travel(date(2026, 6, 11), tick=True):
        assert assert_one_truth(client, assoc, assoc.women)[assoc.world.hamlet.name] == (1, 2)


@pytest.mark.parametrize(
    ("today", "born", "eligible"),
    [
        # Born on 29 February 2008: 18 on 28 February 2026 (a common year) …
        (date(2026, 2, 28), date(2008, 2, 29), True),
        (date(2026, 2, 27), date(2008, 2, 29), False),
        # … and a day before the birthday in any year is still 17.
        (date(2026, 3, 14), date(2008, 3, 15), False),
        (date(2026, 3, 15), date(2008, 3, 15), True),
    ],
)
def test_ages_at_the_civil_code_edges_match_the_rule(assoc, today, born, eligible):
    woman(assoc.world.household, "Hà Thị Mai", born, on=date(2026, 1, 5))
    with time_machine.travel(today, tick=True):
        day = timezone.localdate()
        women = next(
            f
            for f in figures.commune_figures(assoc.world.commune, day).organisations
            if f.organisation == assoc.women
        )
        hamlet = dict(women.hamlets)[assoc.world.hamlet]
        assert hamlet.eligible == direct(assoc.women, assoc.world.hamlet, day)[1]
        assert hamlet.eligible == (2 if eligible else 1)  # Thuỷ, and Mai when 18


def test_an_unknown_birth_date_counts_only_for_a_rule_without_age(assoc):
    """The Fatherland Front admits everyone; no age-bound rule admits an unknown age."""
    registry.register_person(
        assoc.world.household,
        acting_user=None,
        on=date(2026, 1, 5),
        relationship="Cháu",
        full_name="Hà Thị Không Rõ",
        sex=Person.Sex.FEMALE,
        birth_date=None,
    )
    front = actions.create_organisation(
        acting_user=None, name="MTTQ xã Tân Lập", kind=rules.FRONT, unit=assoc.world.commune
    )
    day = timezone.localdate()
    result = {
        f.organisation: f for f in figures.commune_figures(assoc.world.commune, day).organisations
    }
    for organisation in (front, assoc.women):
        kept = dict(result[organisation].hamlets)[assoc.world.hamlet].eligible
        assert kept == direct(organisation, assoc.world.hamlet, day)[1]
    assert PopulationCount.objects.filter(age=PopulationCount.UNKNOWN_AGE).exists()
    assert counts.is_kept(day)


def test_withdrawing_a_death_reopens_the_memberships_it_ended(
    assoc, django_capture_on_commit_callbacks
):
    farmers = actions.add_member(
        assoc.farmers,
        assoc.thuy_person,
        acting_user=None,
        joined_on=date(2018, 1, 1),
        branch=assoc.farmers_branch,
    )
    left_before = actions.add_member(
        actions.create_organisation(
            acting_user=None, name="Tổ tiết kiệm", kind=rules.LOCAL, unit=assoc.world.commune
        ),
        assoc.thuy_person,
        acting_user=None,
        joined_on=date(2019, 1, 1),
    )
    actions.end_membership(
        left_before, acting_user=None, on=date(2020, 1, 1), ending=Member.Ending.LEFT
    )
    with django_capture_on_commit_callbacks(execute=True):
        registry.record_death(
            assoc.thuy_person, acting_user=assoc.world.official, on=date(2026, 5, 2)
        )
    with django_capture_on_commit_callbacks(execute=True):
        registry.withdraw_death(assoc.thuy_person, acting_user=assoc.world.official)
    for member in (assoc.thuy, farmers):
        member.refresh_from_db()
        assert (member.left_on, member.ending) == (None, "")
        assert member.events.last().kind == MemberEvent.Kind.RESTORED
        assert "02/05/2026" in member.events.last().note
    left_before.refresh_from_db()
    assert (left_before.left_on, left_before.ending) == (date(2020, 1, 1), Member.Ending.LEFT)
    assert assoc.thuy in figures.branch_members(assoc.branch, timezone.localdate())
    assert Member.objects.filter(Q(person=assoc.thuy_person), left_on__isnull=True).count() == 2


def test_the_nightly_count_stamps_every_commune_for_today(assoc):
    from django.core.management import call_command

    from langso.associations.models import CountedCommune

    call_command("count_associations", verbosity=0)
    day = timezone.localdate()
    stamped = set(CountedCommune.objects.filter(counted_on=day).values_list("commune", flat=True))
    assert {assoc.world.commune.pk, assoc.world.other_commune.pk} <= stamped
    assoc.women.refresh_from_db()
    assert assoc.women.members_counted_on == day
    rate = figures.province_rates(assoc.world.province, day)[assoc.world.commune.pk]
    assert (rate[assoc.women.pk].members, rate[assoc.women.pk].eligible) == direct(
        assoc.women, assoc.world.commune, day
    )


def test_a_hamlet_merged_into_another_is_counted_once(
    client, assoc, django_capture_on_commit_callbacks
):
    from langso.registry.units import merge_units

    woman(assoc.world.other_household, "Lê Thị Hồng", date(1990, 2, 3))
    client.force_login(assoc.world.official)
    before = assert_one_truth(client, assoc, assoc.women)["total"]
    with django_capture_on_commit_callbacks(execute=True):
        merge_units(
            assoc.world.other_hamlet,
            into=assoc.world.hamlet,
            on=timezone.localdate(),
            acting_user=assoc.world.admin,
        )
    day = timezone.localdate()
    rate = figures.province_rates(assoc.world.province, day)[assoc.world.commune.pk]
    assert (rate[assoc.women.pk].members, rate[assoc.women.pk].eligible) == before
    assert before == direct(assoc.women, assoc.world.commune, day)
    women = next(
        f
        for f in figures.commune_figures(assoc.world.commune, day).organisations
        if f.organisation == assoc.women
    )
    assert dict(women.hamlets)[assoc.world.hamlet].eligible == before[1]
