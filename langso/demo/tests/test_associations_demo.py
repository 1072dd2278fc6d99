"""The associations side of `manage.py demo`: what `hoi` and `chihoi` find."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from langso.accounts.models import User
from langso.associations import access, figures, rules
from langso.associations.models import Fund, Loan, Member, Organisation
from langso.demo.registry import DEMO_COMMUNE_CODE
from langso.demo.registry.data import FARM_WORK
from langso.places.models import Unit
from langso.registry.models import Person

AS_OF = date(2025, 11, 20)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast):
        out = StringIO()
        call_command("load_units", stdout=out)
        call_command("demo", households=600, as_of=AS_OF, stdout=out)
        yield out.getvalue()
        call_command("flush", interactive=False, stdout=StringIO())


@pytest.fixture
def commune(demo, db):
    return Unit.objects.get(kind=Unit.Kind.COMMUNE, code=DEMO_COMMUNE_CODE)


def test_six_organisations_with_a_branch_in_every_hamlet(commune, demo):
    hamlets = set(
        Unit.objects.filter(parent=commune, kind=Unit.Kind.HAMLET).values_list("pk", flat=True)
    )
    members = Organisation.objects.filter(unit=commune).exclude(kind__in=[rules.FRONT, rules.LOCAL])
    assert sorted(members.values_list("kind", flat=True)) == sorted(
        [rules.WOMEN, rules.FARMERS, rules.YOUTH, rules.VETERANS, rules.ELDERLY, rules.RED_CROSS]
    )
    for organisation in members:
        assert set(organisation.branches.values_list("unit_id", flat=True)) == hamlets
    assert "Associations: " in demo


def test_womens_union_holds_sixty_to_seventy_percent_of_women_of_eighteen(commune):
    result = figures.commune_figures(commune, AS_OF)
    women = next(f for f in result.organisations if f.organisation.kind == rules.WOMEN)
    assert 60 <= women.total.percent <= 70
    for _hamlet, rate in women.hamlets:
        assert 55 <= rate.percent <= 75


def test_the_builder_knows_the_registry_demos_farm_work():
    from langso.demo.builders.associations import FARM_WORK as BUILDER_FARM_WORK

    assert BUILDER_FARM_WORK == FARM_WORK


def test_farmers_are_about_half_of_the_farming_households(commune):
    farming = (
        Person.objects.registered()
        .within(commune)
        .filter(occupation__in=FARM_WORK, birth_date__lte=AS_OF - timedelta(days=18 * 366))
        .values("household_id")
        .distinct()
        .count()
    )
    farmers = Member.objects.filter(organisation__kind=rules.FARMERS, organisation__unit=commune)
    assert 0.4 * farming <= farmers.count() <= 0.6 * farming


def test_the_cattle_fund_lent_to_fifteen_households_two_overdue(commune):
    fund = Fund.objects.get()
    assert fund.amount == 300_000_000
    assert Loan.objects.filter(fund=fund).count() == 15
    assert len(figures.overdue_loans([fund], AS_OF)) == 2
    assert fund.balance_on(AS_OF) >= 0


def test_hoi_leads_the_womens_union_and_chihoi_her_branch(commune):
    hoi, chihoi = User.objects.get(username="hoi"), User.objects.get(username="chihoi")
    women = Organisation.objects.get(kind=rules.WOMEN, unit=commune)
    assert list(access.managed_organisations(hoi)) == [women]
    branches = list(access.managed_branches(chihoi))
    assert [b.unit.name for b in branches] == ["Bình Chiến"]
    assert branches[0].activities.count() == 4
