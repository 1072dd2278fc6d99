"""Phone search keys written before phones were found by their last digits are rewritten
(docs/registry.md, "Search": a number is found whole or by its last 4+ digits)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from langso.registry.access import search_people_for_user
from langso.registry.models import SearchKey

BEFORE = [("registry", "0011_immunisation_vaccine_codes")]
AFTER = [("registry", "0012_search_phone_by_last_digits")]


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
    assert [p.full_name for p in search_people_for_user(world.official, "0111")] == [
        "Nguyễn Văn Phụng"
    ]
