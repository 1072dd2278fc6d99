"""Unit names stored with doubled spaces get single ones."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from langso.places.models import Unit

BEFORE = [("places", "0001_initial")]
AFTER = [("places", "0002_unit_names_single_spaces")]


@pytest.mark.django_db(transaction=True)
def test_a_commune_loaded_with_a_double_space_is_repaired():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("places", "Unit")
    old.objects.create(
        kind="commune", type_name="xã", name="Xã  Bắc Đông Quan", code="12745", path="12745"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    assert Unit.objects.get(code="12745").name == "Xã Bắc Đông Quan"
