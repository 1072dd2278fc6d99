"""The immunisation list counts the vaccines as the person page records them (docs/reports.md)."""

from datetime import date

import time_machine
from django.urls import reverse
from django.utils import translation

from langso.registry import actions
from langso.registry.models import Immunisation, Person


@time_machine.travel(date(2026, 3, 15))
def test_the_list_counts_the_doses_recorded_from_the_person_page(client, world):
    """Vaccines are one table of codes: what the form records is what the list counts."""
    baby = actions.register_birth(
        world.household,
        acting_user=None,
        birth_date=date(2025, 6, 1),
        full_name="Nguyễn Gia Huy",
        sex=Person.Sex.MALE,
    )
    client.force_login(world.hamlet_head)
    with translation.override("vi"):
        form = client.get(reverse("registry:immunisation-add", args=[baby.pk])).content.decode()
    for dose, day in ((1, "01/08/2025"), (2, "01/09/2025"), (3, "01/10/2025")):
        for vaccine in (Immunisation.Vaccine.FIVE_IN_ONE, Immunisation.Vaccine.BOPV):
            client.post(
                reverse("registry:immunisation-add", args=[baby.pk]),
                {"vaccine": vaccine, "dose": dose, "given_on": day},
            )

    client.force_login(world.official)
    with translation.override("vi"):
        page = client.get(
            reverse("reports:list", args=["immunisation"]),
            {"unit": world.commune.pk, "day": "15/03/2026"},
        )

    assert "DPT-VGB-Hib (5 trong 1)" in form and "bOPV (bại liệt uống)" in form
    assert baby.immunisations.count() == 6
    drawn = page.context["drawn"]
    assert drawn.counts["children"] == 1
    assert drawn.counts[Immunisation.Vaccine.FIVE_IN_ONE] == 100
    assert drawn.counts[Immunisation.Vaccine.BOPV] == 100
    assert drawn.counts[Immunisation.Vaccine.BCG] == 0
    assert "3/3" in page.content.decode()
    assert "<dt>DPT-VGB-Hib (5 trong 1)</dt><dd>100" in page.content.decode()


@time_machine.travel(date(2026, 3, 15))
def test_a_vaccine_not_in_the_table_is_refused(client, world):
    child = world.household.members.get(full_name="Nguyễn Văn An")
    client.force_login(world.hamlet_head)

    response = client.post(
        reverse("registry:immunisation-add", args=[child.pk]),
        {"vaccine": "DPT-VGB-Hib", "dose": 1, "given_on": "01/06/2010"},
    )

    assert response.status_code == 200
    assert not child.immunisations.exists()
