"""`manage.py demo`: the demo commune, its people and a login for each role."""

import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import F

from langso.accounts.models import RoleAssignment, User
from langso.accounts.roles import Role
from langso.demo.registry import (
    DEMO_COMMUNE_CODE,
    DEMO_PASSWORD,
    DROP_INDEXES_PAST,
    HOUSEHOLDS_PER_COMMUNE,
    THAI_FAMILY,
)
from langso.lib.vietnamese import fold
from langso.places.models import Unit
from langso.registry.models import (
    Benefit,
    Household,
    Immunisation,
    Membership,
    Person,
    SearchKey,
)

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
    people = list(
        Person.objects.order_by("pk").values_list(
            "full_name", "birth_date", "sex", "id_number", "relationship", "household__address",
            "old_id_number", "religion", "occupation", "employment", "education",
            "health_insurance_number", "health_insurance_expiry", "disability",
        )
    )  # fmt: skip
    immunisations = list(
        Immunisation.objects.order_by("pk").values_list(
            "person__id_number", "vaccine", "dose", "given_on"
        )
    )
    benefits = list(
        Benefit.objects.order_by("pk").values_list("person__id_number", "kind", "since", "note")
    )
    return people, immunisations, benefits


def built_snapshot(**options):
    """The demo's snapshot after a build, the build then rolled back whole (every app's
    demo data with it, whatever the apps' builders made)."""
    with transaction.atomic():
        demo(**options)
        taken = snapshot()
        transaction.set_rollback(True)
    return taken


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
    first = built_snapshot(households=200, seed=7)

    assert built_snapshot(households=200, seed=7) == first
    assert built_snapshot(households=200, seed=8) != first


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


def indexes():
    """The plain indexes of the tables the demo fills, by table."""
    models = (Household, Person, Membership, SearchKey, Immunisation, Benefit)
    with connection.cursor() as cursor:
        return {
            model._meta.db_table: {
                (name, tuple(info["columns"]))
                for name, info in connection.introspection.get_constraints(
                    cursor, model._meta.db_table
                ).items()
                if info["index"] and not info["unique"] and not info["primary_key"]
            }
            for model in models
        }


def test_a_province_scale_build_leaves_every_index_and_head_in_place():
    """Past DROP_INDEXES_PAST households the indexes are dropped for the build and built
    again at the end, and heads are set after their people are written."""
    before = indexes()
    assert before[Person._meta.db_table]

    demo(households=DROP_INDEXES_PAST + 1)

    assert indexes() == before
    assert Household.objects.count() == DROP_INDEXES_PAST + 1
    assert not Household.objects.filter(head=None).exists()
    assert not Household.objects.exclude(head__household=F("pk")).exists()
    assert not Household.objects.exclude(head__relationship="Chủ hộ").exists()
    person = Person.objects.exclude(id_number=None).last()
    found = SearchKey.matching(person.id_number).values_list("person", flat=True)
    assert person.pk in set(found)


def living():
    return [p for p in Person.objects.filter(died_on=None) if p.birth_date <= AS_OF]


def test_no_child_works_and_adults_have_an_employment_status():
    demo()

    people = living()
    for person in people:
        age = person.age_on(AS_OF)
        if age < 15:
            assert person.employment == ""
            assert person.occupation == ("Học sinh" if age >= 6 else "")
        else:
            assert person.employment in Person.Employment.values
        if person.employment == Person.Employment.STUDENT:
            assert 15 <= age <= 22
            assert person.occupation in ("Học sinh", "Sinh viên")
        if person.employment == Person.Employment.RETIRED:
            assert age >= 55
    working_age = [p for p in people if 15 <= p.age_on(AS_OF) < 60]
    unemployed = [p for p in working_age if p.employment == Person.Employment.UNEMPLOYED]
    assert 0.01 < len(unemployed) / len(working_age) < 0.06


def test_the_ban_farms_and_the_young_away_work_in_factories():
    demo()

    farming = {"Làm ruộng", "Làm nương", "Chăn nuôi"}

    def farming_share(people):
        farmers = [p for p in people if p.occupation in farming or p.occupation.startswith("Trồng")]
        return len(farmers) / len(people)

    adults = [
        p for p in living()
        if 25 <= p.age_on(AS_OF) < 60 and p.residence_status == Person.Residence.PERMANENT
    ]  # fmt: skip
    thai = [p for p in adults if p.ethnicity == "Thái"]
    kinh = [p for p in adults if p.ethnicity == "Kinh"]
    assert farming_share(thai) > 0.55
    assert 0.3 < farming_share(kinh) < farming_share(thai)
    occupations = Counter(p.occupation for p in kinh)
    assert {"Buôn bán", "Thợ xây", "Giáo viên", "Cán bộ, công chức", "Lái xe", "Thợ may"} <= set(
        occupations
    )
    away = Person.objects.filter(residence_status=Person.Residence.ABSENT, died_on=None)
    away_jobs = Counter(away.values_list("occupation", flat=True))
    assert away_jobs.most_common(1)[0][0] == "Công nhân"
    assert away_jobs["Công nhân"] > 0.5 * away.count()


def test_schooling_fits_age_and_older_thai_women_had_less_of_it():
    demo()

    people = living()
    for person in people:
        age = person.age_on(AS_OF)
        if age < 6:
            assert person.education == ""
        elif age <= 10:
            assert person.education == Person.Education.PRIMARY
        else:
            assert person.education in Person.Education.values
        if age < 21:
            assert person.education not in ("college", "university", "postgraduate")
        if person.occupation in ("Giáo viên", "Nhân viên y tế"):
            assert person.education in ("vocational", "college", "university", "postgraduate")

    def unschooled(born_from, born_to):
        women = [
            p for p in people
            if p.ethnicity == "Thái" and p.sex == "f" and born_from <= p.birth_date.year < born_to
        ]  # fmt: skip
        return sum(p.education == Person.Education.NONE for p in women) / len(women)

    assert unschooled(1900, 1965) > unschooled(1990, 2008) + 0.2


def test_most_people_have_no_religion_recorded():
    demo()

    religions = Counter(Person.objects.values_list("religion", flat=True))
    total = sum(religions.values())
    assert (religions[""] + religions["Không"]) / total > 0.85
    assert religions["Phật giáo"] > 0 and religions["Công giáo"] > 0
    assert set(religions) <= {"", "Không", "Phật giáo", "Công giáo", "Tin Lành"}


def test_health_insurance_cards_have_the_card_shape_and_most_are_valid():
    """Group code, benefit level, 2-digit province, 10-digit social insurance number."""
    demo()

    people = living()
    card = re.compile(r"[A-Z]{2}[1-5][0-9]{2}[0-9]{10}")
    holders = [p for p in people if p.health_insurance_number]
    for person in people:
        if person.health_insurance_number:
            assert card.fullmatch(person.health_insurance_number)
            assert person.health_insurance_expiry is not None
        else:
            assert person.health_insurance_expiry is None
    # Issued in Sơn La, and one social insurance number per person.
    assert {p.health_insurance_number[3:5] for p in holders} == {"14"}
    assert len({p.health_insurance_number[5:] for p in holders}) == len(holders)
    assert 0.08 <= 1 - len(holders) / len(people) <= 0.15
    expired = [p for p in holders if p.health_insurance_expiry < AS_OF]
    assert 0.01 < len(expired) / len(holders) < 0.08
    within_a_year = [
        p for p in holders if AS_OF <= p.health_insurance_expiry <= AS_OF + timedelta(days=366)
    ]
    assert len(within_a_year) > 0.6 * len(holders)
    for person in people:
        if person.age_on(AS_OF) < 6 and person.health_insurance_number:
            # Children under six are insured free until their sixth birthday or so.
            assert person.health_insurance_number.startswith("TE1")
            assert person.health_insurance_expiry > AS_OF
    codes = Counter(p.health_insurance_number[:2] for p in holders)
    assert {"TE", "HS", "DN", "HT", "GD", "DT", "HN"} <= set(codes)


def test_immunisations_follow_birth_and_the_schedule():
    demo()

    # The youngest age in days at which each vaccine's first dose is due (EPI).
    due = {"dtp_hepb_hib": 61, "bopv": 61, "ipv": 152, "measles": 274, "je": 365,
           "mr": 548, "dtp": 548, "td": 7 * 365}  # fmt: skip
    doses = defaultdict(list)
    for shot in Immunisation.objects.select_related("person"):
        born = shot.person.birth_date
        assert born <= shot.given_on < AS_OF
        assert shot.given_on >= born + timedelta(days=due.get(shot.vaccine, 0))
        doses[shot.person, shot.vaccine].append((shot.given_on, shot.dose))
    assert len(doses) > 1000
    for (person, vaccine), given in doses.items():
        given.sort()
        numbers = [dose for _, dose in given]
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), (person, vaccine)
        assert len({day for day, _ in given}) == len(given)
        if vaccine == "dtp":
            # The booster follows the three doses of the 5-in-1.
            assert numbers == [4]
            assert (person, "dtp_hepb_hib") in doses
            assert len(doses[person, "dtp_hepb_hib"]) == 3
        elif vaccine != "td":
            assert numbers[0] == 1
            assert person.age_on(AS_OF) < 6


def test_most_children_got_the_first_5_in_1_dose_and_some_missed_it():
    demo()

    children = [
        p for p in living() if p.birth_date <= AS_OF - timedelta(days=183) and p.age_on(AS_OF) < 6
    ]
    first = set(
        Immunisation.objects.filter(vaccine="dtp_hepb_hib", dose=1).values_list("person", flat=True)
    )
    third = set(
        Immunisation.objects.filter(vaccine="dtp_hepb_hib", dose=3).values_list("person", flat=True)
    )
    covered = sum(child.pk in first for child in children)
    assert len(children) > 200
    assert 0.8 <= covered / len(children) < 1
    assert third < first


def test_policy_benefits_go_to_the_people_they_are_for():
    demo()

    people = Person.objects.all()
    assert set(people.values_list("disability", flat=True)) <= {"", *Person.Disability.values}
    disabled = people.exclude(disability="")
    assert 0.005 < disabled.count() / people.count() < 0.03
    old = [p for p in people if p.age_on(AS_OF) >= 60]
    young = [p for p in people if p.age_on(AS_OF) < 60]
    assert sum(bool(p.disability) for p in old) / len(old) > 2 * (
        sum(bool(p.disability) for p in young) / len(young)
    )
    kinds = Counter()
    for benefit in Benefit.objects.select_related("person"):
        person = benefit.person
        kinds[benefit.kind] += 1
        assert person.birth_date < benefit.since < AS_OF
        if person.died_on:
            assert benefit.since < person.died_on
        if benefit.kind == Benefit.Kind.ELDERLY_ALLOWANCE:
            assert person.age_on(benefit.since) >= 80
            assert person.employment != Person.Employment.RETIRED
        elif benefit.kind == Benefit.Kind.DISABILITY_ALLOWANCE:
            assert person.disability in ("severe", "especially_severe")
        elif benefit.kind == Benefit.Kind.WAR_INVALID:
            assert person.sex == Person.Sex.MALE and person.birth_date.year < 1965
        elif benefit.kind == Benefit.Kind.ORPHAN:
            assert person.age_on(AS_OF) < 16
    assert set(kinds) <= set(Benefit.Kind.values)
    assert {"elderly_allowance", "disability_allowance", "war_invalid", "martyr_family"} <= set(
        kinds
    )
    eligible = [
        p for p in people
        if p.age_on(AS_OF) >= 81 and not p.died_on and p.employment != "retired"
    ]  # fmt: skip
    pensioned = set(
        Benefit.objects.filter(kind=Benefit.Kind.ELDERLY_ALLOWANCE).values_list("person", flat=True)
    )
    assert sum(p.pk in pensioned for p in eligible) > 0.85 * len(eligible)


def test_some_adults_keep_an_old_cmnd_number_that_search_finds():
    demo(households=500)

    with_old = Person.objects.exclude(old_id_number="")
    assert with_old.count() > 0.1 * Person.objects.count()
    for person in with_old:
        assert re.fullmatch(r"[0-9]{9}", person.old_id_number)
        assert person.birth_date.year < 2000 and person.age_on(AS_OF) >= 18
    assert len(set(with_old.values_list("old_id_number", flat=True))) == with_old.count()
    person = with_old.first()
    found = SearchKey.matching(person.old_id_number).values_list("person", flat=True)
    assert person.pk in set(found)


def test_young_men_of_service_age_are_there_in_believable_numbers():
    """domain.md §5: the pool of men aged 17 (registration) to 27 (deferred)."""
    demo()

    people = living()
    men = [p for p in people if p.sex == Person.Sex.MALE and 17 <= p.age_on(AS_OF) <= 27]
    assert 0.06 < len(men) / len(people) < 0.12
    assert {p.age_on(AS_OF) for p in men} == set(range(17, 28))


def test_the_demo_records_vaccines_the_immunisation_list_counts():
    """The demo gives 5-in-1 and bOPV; the list must not show 0 % for them (issue 12, item 4)."""
    from langso.reports.lists import CHILD_VACCINES, immunisation

    demo(households=300)

    recorded = set(Immunisation.objects.values_list("vaccine", flat=True))
    assert recorded <= set(Immunisation.Vaccine.values)
    drawn = immunisation(commune(), AS_OF)
    assert drawn.counts["children"] > 50
    for vaccine, _due in CHILD_VACCINES:
        assert vaccine in recorded
        assert 50 < drawn.counts[vaccine] <= 100, vaccine
