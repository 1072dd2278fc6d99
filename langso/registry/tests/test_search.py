"""One search box, accent- and tone-placement-insensitive, always inside the user's scope."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from langso.accounts.models import RoleAssignment, User
from langso.accounts.roles import Role
from langso.registry import actions
from langso.registry.access import search_people_for_user
from langso.registry.models import SearchKey


@pytest.fixture
def people(world):
    act = world.hamlet_head
    home = world.household
    rows = [
        ("Nguyễn Thị Thủy", "f", date(1990, 1, 1), "001190000123", "0912000111"),
        ("Lê Thị Thuỷ", "f", date(1991, 1, 1), None, ""),
        ("Đặng Văn Đức", "m", date(1980, 1, 1), "001080004567", "0388000222"),
        ("Dương Thị Mai", "f", date(1985, 1, 1), None, ""),
    ]
    for name, sex, born, id_number, phone in rows:
        actions.register_person(
            home,
            acting_user=act,
            on=date(2020, 1, 1),
            relationship="Con",
            full_name=name,
            sex=sex,
            birth_date=born,
            id_number=id_number,
            phone=phone,
        )
    actions.register_person(
        world.far_household,
        acting_user=None,
        on=date(2020, 1, 1),
        relationship="Con",
        full_name="Nguyễn Văn Phụng",
        sex="m",
        birth_date=date(1970, 1, 1),
    )
    return world


def province_official(world):
    user = User.objects.create_user(username="tinh", password="x")
    RoleAssignment.objects.create(user=user, role=Role.COMMUNE_OFFICIAL, unit=world.province)
    return user


def names(found):
    return [person.full_name for person in found]


@pytest.mark.parametrize("plan", ["commune", "province"])
def test_a_name_without_diacritics_finds_it_with_them(people, plan):
    user = people.hamlet_head if plan == "commune" else province_official(people)

    assert "Nguyễn Văn Phụng" in names(search_people_for_user(user, "nguyen van phung"))


@pytest.mark.parametrize("plan", ["commune", "province"])
def test_thuy_finds_both_tone_placements(people, plan):
    user = people.hamlet_head if plan == "commune" else province_official(people)

    found = names(search_people_for_user(user, "thuy"))

    assert "Nguyễn Thị Thủy" in found and "Lê Thị Thuỷ" in found


@pytest.mark.parametrize("plan", ["commune", "province"])
def test_dang_finds_dang_with_the_crossed_d(people, plan):
    user = people.hamlet_head if plan == "commune" else province_official(people)

    found = names(search_people_for_user(user, "dang"))

    assert "Đặng Văn Đức" in found and "Dương Thị Mai" not in found


@pytest.mark.parametrize("plan", ["commune", "province"])
def test_an_id_number_is_found_whole_or_by_its_last_digits(people, plan):
    user = people.hamlet_head if plan == "commune" else province_official(people)

    assert names(search_people_for_user(user, "001080004567")) == ["Đặng Văn Đức"]
    assert names(search_people_for_user(user, "4567")) == ["Đặng Văn Đức"]


@pytest.mark.parametrize("plan", ["commune", "province"])
def test_a_phone_number_finds_its_owner(people, plan):
    user = people.hamlet_head if plan == "commune" else province_official(people)

    assert names(search_people_for_user(user, "0912 000 111")) == ["Nguyễn Thị Thủy"]


def test_search_stays_inside_the_users_scope(people):
    # The hamlet head's "Nguyễn Văn Phụng" is in Bình Chiến; the other lives in Bản Hụm.
    found = search_people_for_user(people.hamlet_head, "nguyen van phung")

    assert [p.household.unit_id for p in found] == [people.group.pk]
    assert search_people_for_user(people.outsider, "thuy") == []


def test_results_come_in_official_name_order(people):
    found = names(search_people_for_user(people.official, "thi"))

    # Given names first: Mai < Thủy = Thuỷ (then family: Lê < Nguyễn).
    assert found == ["Dương Thị Mai", "Lê Thị Thuỷ", "Nguyễn Thị Thủy", "Trần Thị Thuỷ"]


# docs/registry.md, Search: one meaning for both plans — every typed word begins a part of
# the folded name, or the query is a whole ID/CMND/phone number or its last 4+ digits.
SAME_ANSWER = [
    ("nguyen thi ha", ["Nguyễn Thị Hà", "Nguyễn Thị Hằng"]),
    ("Nguyễn Thị Hà", ["Nguyễn Thị Hà", "Nguyễn Thị Hằng"]),
    ("nguyen ha", ["Nguyễn Thị Hà", "Nguyễn Thị Hằng"]),
    ("ha", ["Hà Thị Lan", "Nguyễn Thị Hà", "Nguyễn Thị Hằng"]),
    (
        "thi",
        [
            "Dương Thị Mai",
            "Hà Thị Lan",
            "Lê Thị Thuỷ",
            "Nguyễn Thị Hà",
            "Nguyễn Thị Hằng",
            "Nguyễn Thị Nhàn",
            "Nguyễn Thị Thanh",
            "Nguyễn Thị Thảo",
            "Nguyễn Thị Thủy",
            "Trần Thị Thuỷ",
        ],
    ),
    ("nguyen van phung", ["Nguyễn Văn Phụng"]),
    ("Nguyễn Văn Phụng", ["Nguyễn Văn Phụng"]),
    ("Thuỷ", ["Lê Thị Thuỷ", "Nguyễn Thị Thủy", "Trần Thị Thuỷ"]),
    ("Thủy", ["Lê Thị Thuỷ", "Nguyễn Thị Thủy", "Trần Thị Thuỷ"]),
    ("001080004567", ["Đặng Văn Đức"]),
    ("4567", ["Đặng Văn Đức"]),
    ("0123", ["Nguyễn Thị Thủy"]),
    ("0912 000 111", ["Nguyễn Thị Thủy"]),
    ("0912000111", ["Nguyễn Thị Thủy"]),
    ("0111", ["Nguyễn Thị Thủy"]),
    ("000111", ["Nguyễn Thị Thủy"]),
    # Words apart or in another order: the phrase's keys find some, the word walk all.
    ("ha thi", ["Hà Thị Lan", "Nguyễn Thị Hà", "Nguyễn Thị Hằng"]),
    (
        "thi nguyen",
        [
            "Nguyễn Thị Hà",
            "Nguyễn Thị Hằng",
            "Nguyễn Thị Nhàn",
            "Nguyễn Thị Thanh",
            "Nguyễn Thị Thảo",
            "Nguyễn Thị Thủy",
        ],
    ),
    # Inside a word, not at its start: no match.
    ("hao", []),
    ("anh", []),
    ("uyen", []),
    # A phone's first digits are not its end.
    ("0912", []),
]


@pytest.fixture
def more_people(people):
    for name, sex in [
        ("Nguyễn Thị Hà", "f"),
        ("Nguyễn Thị Hằng", "f"),
        ("Nguyễn Thị Thanh", "f"),
        ("Nguyễn Thị Nhàn", "f"),
        ("Nguyễn Thị Thảo", "f"),
        ("Hà Thị Lan", "f"),
    ]:
        actions.register_person(
            people.household,
            acting_user=None,
            on=date(2020, 1, 1),
            relationship="Con",
            full_name=name,
            sex=sex,
            birth_date=date(1995, 1, 1),
        )
    return people


@pytest.mark.parametrize(("query", "expected"), SAME_ANSWER)
def test_both_plans_give_the_same_people(more_people, query, expected):
    """A commune official (scope plan) and a province official (key plan) find the same
    people of the commune: words begin name parts, numbers are found whole or by their
    last 4+ digits (docs/registry.md, Search)."""
    world = more_people
    in_commune = {world.group.pk, world.hamlet.pk, world.other_hamlet.pk, world.commune.pk}

    by_scope = names(search_people_for_user(world.official, query))
    by_keys = names(
        p
        for p in search_people_for_user(province_official(world), query)
        if p.household.unit_id in in_commune
    )

    assert sorted(by_scope) == expected
    assert sorted(by_keys) == expected


def test_the_province_plan_walks_the_word_with_the_fewest_keys(more_people):
    """A longer word is not always the rarer one: "thuy" begins three names' parts here,
    "lan" one, so the walk reads the one key of "lan" (docs/registry.md, Search)."""
    assert SearchKey.objects.filter(key__startswith="thuy").count() == 3
    assert SearchKey.objects.filter(key__startswith="lan").count() == 1

    assert SearchKey.walked_word(["thuy", "lan"]) == 1
    assert SearchKey.walked_word(["lan", "thuy"]) == 0
    # A very common family or middle name is not counted: walked only when nothing else is.
    assert SearchKey.walked_word(["nguyen", "thi", "nhan"]) == 2
    assert search_people_for_user(province_official(more_people), "thuy lan") == []


def test_the_province_plan_stops_at_the_limit_with_the_phrase_alone(more_people):
    """When the whole phrase's keys hold `limit` people they are the answer: each matches."""
    found = search_people_for_user(province_official(more_people), "nguyen thi", limit=3)

    assert len(found) == 3
    for person in found:
        words = person.folded_name.split(" ")
        assert "nguyen" in words and "thi" in words


# sqlite_stat1 rows as ANALYZE writes them for the benchmark's province (371,414 people,
# 1,788,685 search keys): the statistics under which SQLite chose to start a province
# search from the province's units and read every person in it.
PROVINCE_STATISTICS = [
    ("places_unit", "sqlite_autoindex_places_unit_1", "6934 1"),
    ("places_unit", "places_unit_parent_id_3429c170", "6934 24"),
    ("registry_household", "registry_household_unit_id_8afeea5a", "102478 31"),
    ("registry_person", "registry_person_household_id_6c47d043", "381414 4"),
    ("registry_person", "sqlite_autoindex_registry_person_1", "381414 1"),
    ("registry_searchkey", "searchkey_key_idx", "1788685 3"),
    ("registry_searchkey", "registry_searchkey_person_id_afef7386", "1788685 5"),
]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
def test_the_province_plan_starts_from_the_keys_whatever_the_statistics(more_people):
    """With a province's statistics, SQLite would rather walk the province's units down
    to every person than a key range it cannot size: the scope is checked on each key
    found, never used to find them (docs/registry.md, Search)."""
    user = province_official(more_people)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.executemany("INSERT INTO sqlite_stat1 VALUES (%s, %s, %s)", PROVINCE_STATISTICS)
        cursor.execute("ANALYZE sqlite_schema")  # the planner reads the statistics again

    with CaptureQueriesContext(connection) as queries:
        found = search_people_for_user(user, "nguyen thi ha")

    assert sorted(names(found))[:2] == ["Nguyễn Thị Hà", "Nguyễn Thị Hằng"]
    walks = [
        q["sql"] for q in queries if q["sql"].startswith('SELECT "registry_searchkey"."person_id"')
    ]
    assert walks
    with connection.cursor() as cursor:
        for sql in walks:
            cursor.execute("EXPLAIN QUERY PLAN " + sql.replace("%", "%%"))
            first_step = cursor.fetchall()[0][3]
            assert "registry_searchkey USING INDEX searchkey_key_idx" in first_step, first_step


@pytest.mark.parametrize("plan", ["commune", "province"])
@pytest.mark.parametrize("page", ["registry:person-list", "registry:person-export"])
def test_a_search_page_reads_its_hits_in_the_same_queries_however_many(
    client, more_people, plan, page
):
    """Hits are read with the columns the list and its export show (`SEARCH_FIELDS`): one
    more hit costs no query of its own (docs/registry.md, Search)."""
    user = more_people.official if plan == "commune" else province_official(more_people)
    client.force_login(user)

    def queries(query):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(page), {"q": query})
        assert response.status_code == 200
        return len(captured), response

    one, _ = queries("mai")
    ten, response = queries("thi")

    hits = search_people_for_user(user, "thi")
    assert len(hits) >= 10
    assert ten == one
    if page == "registry:person-list":
        rows = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
        assert rows.count("<tr") == len(hits)
        assert all(person.full_name in rows for person in hits)
