"""Phone search keys written before phones were found by their last digits are rewritten
(docs/registry.md, "Search": a number is found whole or by its last 4+ digits)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from langso.accounts.models import RoleAssignment, User
from langso.accounts.roles import Role
from langso.registry.access import search_people_for_user
from langso.registry.models import SearchKey

BEFORE = [("registry", "0011_immunisation_vaccine_codes")]
AFTER = [("registry", "0012_search_phone_by_last_digits")]
TURNED_BEFORE = [("registry", "0014_record_versions")]
TURNED_AFTER = [("registry", "0015_search_keys_hold_the_whole_name")]


@pytest.mark.django_db(transaction=True)
def test_an_old_phone_key_finds_the_phone_by_its_last_digits(world):
    head = world.household.head
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("registry", "SearchKey")
    old.objects.create(person_id=head.pk, key="#0912000111")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    assert SearchKey.objects.filter(person=head, key__startswith="#").count() == 0
    # The search is today's code: it reads today's tables (later migrations keep number keys).
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert [p.full_name for p in search_people_for_user(world.official, "0111")] == [
        "Nguyễn Văn Phụng"
    ]


@pytest.mark.django_db(transaction=True)
def test_old_name_keys_become_the_whole_name_turned_at_each_word(world):
    """Name keys written as suffixes ("van phung") are rewritten to hold the whole name
    ("van phung nguyen"), so a province search for words in another order finds the
    person by the key alone (docs/registry.md, "Search"); number keys stay."""
    head = world.household.head  # Nguyễn Văn Phụng
    province_user = User.objects.create_user(username="tinh", password="x")
    RoleAssignment.objects.create(
        user=province_user, role=Role.COMMUNE_OFFICIAL, unit=world.province
    )
    executor = MigrationExecutor(connection)
    executor.migrate(TURNED_BEFORE)
    old = executor.loader.project_state(TURNED_BEFORE).apps.get_model("registry", "SearchKey")
    old.objects.filter(person_id=head.pk).delete()
    for key in ("nguyen van phung", "van phung", "phung", "~111000219"):
        old.objects.create(person_id=head.pk, key=key)

    executor = MigrationExecutor(connection)
    executor.migrate(TURNED_AFTER)

    assert sorted(SearchKey.objects.filter(person=head).values_list("key", flat=True)) == [
        "nguyen van phung",
        "phung nguyen van",
        "van phung nguyen",
        "~111000219",
    ]
    found = search_people_for_user(province_user, "phung nguyen")
    assert head in found
