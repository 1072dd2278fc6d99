"""Exports made before jobs shared one shape keep their row counts."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from langso.reports.models import ExportJob

BEFORE = [("reports", "0003_summary_details")]


@pytest.mark.django_db(transaction=True)
def test_an_old_exports_row_count_becomes_its_counts(world):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("reports", "ExportJob")
    job = old.objects.create(
        created_by_id=world.official.pk, kind="voters", unit_id=world.commune.pk,
        day=date(2026, 3, 15), format="xlsx", status="done", rows=1234,
    )  # fmt: skip

    # Forward to the latest state of every app, where the current model is right.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    migrated = ExportJob.objects.get(pk=job.pk)
    assert migrated.counts == {"rows": 1234} and migrated.rows == 1234
    assert migrated.created_by == world.official
