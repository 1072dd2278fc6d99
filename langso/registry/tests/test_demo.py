"""`manage.py demo`: the demo commune, its people and a login for each role."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from langso.accounts.models import RoleAssignment, User
from langso.accounts.roles import Role
from langso.lib.vietnamese import fold
from langso.places.models import Unit
from langso.registry.demo import (
    DEMO_COMMUNE_CODE,
    DEMO_PASSWORD,
    HOUSEHOLDS_PER_COMMUNE,
    THAI_FAMILY,
)
from langso.registry.models import Household, Person

AS_OF = date(2025, 12, 1)


@pytest.fixture(autouse=True)
def units(db, settings):
    # The demo is built inside real communes of the official list.
    call_command("load_units", stdout=StringIO())
    # Nine Argon2 hashes per build would dominate the run time of these tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def demo(**options):
    out = StringIO()
    call_command("demo", stdout=out, as_of=AS_OF, **options)
    return out.getvalue()


def commune():
    return Unit.objects.get(kind=Unit.Kind.COMMUNE, code=DEMO_COMMUNE_CODE)


def years_between(older, younger):
    return (younger.birth_date - older.birth_date).days / 365.2425


def snapshot():
    return list(
        Person.objects.order_by("pk").values_list(
            "full_name", "birth_date", "sex", "id_number", "relationship", "household__address"
        )
    )


def flush_demo():
    Person.objects.filter(is_demo=True).delete()
    Household.objects.filter(is_demo=True).delete()
    User.objects.filter(is_demo=True).delete()
    Unit.objects.filter(is_demo=True, kind=Unit.Kind.GROUP).delete()
    Unit.objects.filter(is_demo=True, kind=Unit.Kind.HAMLET).delete()


def test_it_builds_2000_households_in_five_hamlets_of_the_demo_commune():
    output = demo()

    hamlets = Unit.objects.filter(parent=commune())
    assert sorted(hamlets.values_list("type_name", flat=True)) == [
        "bản",
        "thôn",
        "thôn",
        "thôn",
        "thôn",
    ]
    assert hamlets.filter(name="Bình Chiến", type_name="thôn").exists()
    assert Household.objects.count() == 2000
    people = Person.objects.count()
    assert 2.7 * 2000 < people < 3.6 * 2000
    assert f"{people:,} people" in output
    # Every household lives in a self-managed group of 20–40 households of its hamlet.
    sizes = Counter(Household.objects.values_list("unit", flat=True))
    groups = Unit.objects.filter(parent__in=hamlets)
    assert set(sizes) == set(groups.values_list("pk", flat=True))
    assert all(20 <= size <= 40 for size in sizes.values())
    assert set(groups.values_list("type_name", flat=True)) == {"tổ"}
    household = Household.objects.filter(unit__parent__name="Bình Chiến").first()
    assert household.address.endswith(", thôn Bình Chiến")
    assert household.house_number
    assert not Unit.objects.filter(is_demo=False, parent__in=hamlets).exists()
    assert not Person.objects.filter(is_demo=False).exists()


def test_kinh_family_names_come_in_their_real_frequencies():
    demo()

    kinh = Counter(Person.objects.filter(ethnicity="Kinh").values_list("family_name", flat=True))
    total = sum(kinh.values())
    assert 0.33 < kinh["Nguyễn"] / total < 0.45
    assert kinh.most_common(3)[0][0] == "Nguyễn"
    assert {"Trần", "Lê"} <= {name for name, _ in kinh.most_common(4)}
    assert len(kinh) > 20


def test_both_tone_placements_occur_and_fold_alike():
    demo()

    given = set(Person.objects.values_list("given_name", flat=True))
    assert {"Thủy", "Thuỷ"} <= given
    assert {"Hòa", "Hoà"} <= given
    assert (
        Person.objects.filter(folded_name__endswith=" thuy").values("given_name").distinct().count()
        >= 2
    )


def test_the_minority_hamlet_carries_its_own_naming_and_ethnicity():
    demo(households=200)

    ban = Unit.objects.get(parent=commune(), type_name="bản")
    people = Person.objects.filter(household__unit__parent=ban)
    assert people.exists()
    assert set(people.values_list("ethnicity", flat=True)) == {"Thái"}
    thai_families = {name for name, _ in THAI_FAMILY}
    assert set(people.values_list("family_name", flat=True)) <= thai_families
    kinh = Person.objects.exclude(household__unit__parent=ban)
    assert set(kinh.values_list("ethnicity", flat=True)) == {"Kinh"}


def test_names_are_stored_whole_and_in_parts():
    demo(households=200)

    for person in Person.objects.all():
        parts = [person.family_name, person.middle_name, person.given_name]
        assert person.full_name == " ".join(part for part in parts if part)
        assert person.folded_name == fold(person.full_name)


def test_every_id_number_agrees_with_the_birth_year_and_sex():
    """domain.md §2: 3-digit province code, then century and sex (1900s: 0 male / 1
    female; 2000s: 2 / 3), then the last two digits of the birth year, then 6 digits."""
    demo(households=300)

    people = list(Person.objects.all())
    numbered = [p for p in people if p.id_number]
    for person in numbered:
        number = person.id_number
        assert len(number) == 12 and number.isdigit()
        century_sex = int(number[3])
        assert 1900 + 100 * (century_sex // 2) + int(number[4:6]) == person.birth_date.year
        assert century_sex % 2 == (person.sex == Person.Sex.FEMALE)
    assert Counter(p.id_number[:3] for p in numbered).most_common(1)[0][0] == "014"
    missing = len(people) - len(numbered)
    assert 0 < missing < 0.05 * len(people)


def test_every_household_has_one_chu_ho_who_is_its_head():
    demo(households=200)

    for household in Household.objects.select_related("head"):
        heads = household.members.filter(relationship="Chủ hộ")
        assert list(heads) == [household.head]


def test_ages_within_a_household_are_consistent():
    demo(households=300)

    checked = 0
    for household in Household.objects.select_related("head").prefetch_related("members"):
        head = household.head
        for member in household.members.all():
            if member.relationship == "Con":
                assert 18 <= years_between(head, member) <= 43
                checked += 1
            elif member.relationship in ("Bố", "Mẹ"):
                assert 18 <= years_between(member, head) <= 43
            elif member.relationship in ("Vợ", "Chồng"):
                assert abs(years_between(head, member)) <= 12
                assert member.sex != head.sex
    assert checked > 100


def test_residence_and_deaths_look_like_a_real_commune():
    demo()

    people = Person.objects.count()
    temporary = Person.objects.filter(residence_status=Person.Residence.TEMPORARY).count()
    absent = Person.objects.filter(residence_status=Person.Residence.ABSENT).count()
    dead = Person.objects.filter(died_on__isnull=False)
    assert 0.02 < temporary / people < 0.06
    assert 0.015 < absent / people < 0.05
    assert 0.002 < dead.count() / people < 0.01
    assert all(AS_OF.year - 4 <= p.died_on.year <= AS_OF.year for p in dead)
    year_only = Person.objects.filter(birth_precision=Person.BirthPrecision.YEAR)
    assert year_only.exists()
    assert all(p.birth_date.month == p.birth_date.day == 1 for p in year_only)
    assert all(p.age_on(AS_OF) >= 65 for p in year_only)


def test_it_makes_a_demo_login_for_each_role():
    output = demo(households=50)

    for role in Role:
        assignment = RoleAssignment.objects.select_related("user").get(role=role)
        assert assignment.user.is_demo
        assert assignment.user.check_password(DEMO_PASSWORD)
        assert assignment.user.username in output
    assert RoleAssignment.objects.get(role=Role.HAMLET_HEAD).unit.name == "Bình Chiến"
    assert RoleAssignment.objects.get(role=Role.COMMUNE_ADMIN).unit == commune()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in output


def test_it_is_deterministic_for_a_seed():
    demo(households=200, seed=7)
    first = snapshot()
    flush_demo()

    demo(households=200, seed=7)
    assert snapshot() == first
    flush_demo()

    demo(households=200, seed=8)
    assert snapshot() != first


def test_it_refuses_to_run_when_demo_data_exists():
    demo(households=50)

    with pytest.raises(CommandError, match="Demo data already exists"):
        demo(households=50)
    assert Household.objects.count() == 50


def test_if_empty_creates_nothing_on_a_second_run():
    demo(households=50)
    people = Person.objects.count()

    output = demo(households=50, if_empty=True)

    assert Household.objects.count() == 50
    assert Person.objects.count() == people
    assert "no demo data was added" in output
    assert "truongthon" in output


def test_if_empty_builds_on_an_empty_database():
    output = demo(households=50, if_empty=True)

    assert Household.objects.count() == 50
    assert "truongthon" in output


def test_a_big_build_spreads_over_more_communes_of_the_province():
    demo(households=HOUSEHOLDS_PER_COMMUNE + 1)

    communes = Unit.objects.filter(kind=Unit.Kind.COMMUNE, children__is_demo=True).distinct()
    assert communes.count() == 2
    other = communes.exclude(pk=commune().pk).get()
    assert other.parent == commune().parent
    hamlets = Unit.objects.filter(parent=other)
    assert hamlets.exists()
    for hamlet in hamlets:
        assert hamlet.path.startswith(f"{other.path}/h")
        for group in hamlet.children.all():
            assert group.path.startswith(f"{hamlet.path}/g")
            assert group.kind == Unit.Kind.GROUP
    assert (
        Household.objects.filter(unit__parent__parent=other).count() == HOUSEHOLDS_PER_COMMUNE // 2
    )
