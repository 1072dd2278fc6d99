"""The default demo looks like a northern mountain commune in its headline figures
(issue 12, item 8): the sex ratio at birth, the size of households, the share of women
among party members. The demo is what every evaluator sees first."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from langso.party.models import Member
from langso.registry.models import Household, Person

AS_OF = date(2025, 11, 20)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def figures(django_db_setup, django_db_blocker, tmp_path_factory):
    """The default demo (2,000 households, default seed), built once for the module."""
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast):
        call_command("load_units", stdout=StringIO())
        call_command("demo", as_of=AS_OF, stdout=StringIO())
        living = Person.objects.residents()
        under_5 = living.filter(birth_date__gt=date(AS_OF.year - 5, AS_OF.month, AS_OF.day))
        boys = under_5.filter(sex=Person.Sex.MALE).count()
        girls = under_5.filter(sex=Person.Sex.FEMALE).count()
        households = Household.objects.filter(is_demo=True, members__isnull=False).distinct()
        members = Member.objects.filter(status__in=Member.CURRENT)
        women = members.filter(person__sex=Person.Sex.FEMALE).count()
        result = {
            "boys_per_100_girls_under_5": round(100 * boys / girls, 1),
            "under_5": boys + girls,
            "people_per_household": round(
                Person.objects.registered().count() / households.count(), 2
            ),
            "present_per_household": round(living.count() / households.count(), 2),
            "households": households.count(),
            "party_women_share": round(women / members.count(), 3),
            "party_members": members.count(),
        }
        print("\nDemo figures:", result)
        yield result
        call_command("flush", interactive=False, stdout=StringIO())


def test_about_111_boys_per_100_girls_among_the_under_5s(figures):
    """Vietnam's sex ratio at birth, about 111 boys per 100 girls (GSO, 2019–2024)."""
    assert 104 <= figures["boys_per_100_girls_under_5"] <= 118


def test_households_average_about_3_5_people(figures):
    """Census 2019: 3.5 people per household in the northern midlands and mountains."""
    assert 3.35 <= figures["people_per_household"] <= 3.7


def test_about_a_third_of_party_members_are_women(figures):
    """Women are about a third of the party's members (Central Organisation Commission)."""
    assert 0.28 <= figures["party_women_share"] <= 0.4
