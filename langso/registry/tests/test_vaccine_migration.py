"""Vaccine names stored before the table of codes become codes (docs/registry.md, "Vaccines")."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from langso.registry.models import Immunisation

BEFORE = [("registry", "0010_household_address_single_spaces")]
AFTER = [("registry", "0011_immunisation_vaccine_codes")]


@pytest.mark.django_db(transaction=True)
def test_the_forms_and_the_demos_names_become_one_code(world):
    child = world.household.members.get(full_name="Nguyễn Văn An")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("registry", "Immunisation")
    for vaccine in ("DPT-VGB-Hib (5 trong 1)", "DPT-VGB-Hib", "bOPV", "Sởi", "Thuốc lạ"):
        old.objects.create(person_id=child.pk, vaccine=vaccine, dose=1, given_on=date(2010, 1, 1))

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    assert sorted(Immunisation.objects.values_list("vaccine", flat=True)) == sorted(
        ["dtp_hepb_hib", "dtp_hepb_hib", "bopv", "measles", "Thuốc lạ"]
    )
