"""Setting up an election and its polling areas from the reports pages (docs/reports.md)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from langso.accounts.models import AuditEntry
from langso.reports.models import Election, PollingArea


@time_machine.travel(date(2026, 1, 10))
def test_a_commune_official_creates_an_election_then_a_polling_area(client, world):
    client.force_login(world.official)

    created = client.post(
        reverse("reports:election-create"),
        {"name": "Bầu cử  đại biểu Quốc hội khóa XVI", "day": "15/03/2026"},
    )
    election = Election.objects.get()
    areas_url = reverse("reports:polling-areas", args=[election.pk, world.commune.pk])
    client.post(
        areas_url,
        {"number": 1, "name": "Nhà văn hóa thôn Bình Chiến", "units": [world.hamlet.pk]},
    )
    with translation.override("vi"):
        page = client.get(areas_url).content.decode()

    assert (election.name, election.day) == ("Bầu cử đại biểu Quốc hội khóa XVI", date(2026, 3, 15))
    assert created["Location"] == areas_url
    area = PollingArea.objects.get()
    assert (area.number, area.name, list(area.units.all())) == (
        1,
        "Nhà văn hóa thôn Bình Chiến",
        [world.hamlet],
    )
    assert "Khu vực bỏ phiếu số 1 – Nhà văn hóa thôn Bình Chiến" in page
    assert AuditEntry.objects.filter(verb="reports.election").exists()


@time_machine.travel(date(2026, 1, 10))
def test_an_election_needs_a_name_and_a_day_not_past(client, world):
    client.force_login(world.official)

    response = client.post(
        reverse("reports:election-create"), {"name": "Bầu cử", "day": "01/01/2026"}
    )

    assert response.status_code == 200
    assert not Election.objects.exists()


@pytest.mark.parametrize("persona", ["viewer", "hamlet_head", "party_member"])
def test_who_cannot_manage_the_commune_cannot_create_an_election(client, world, persona):
    client.force_login(getattr(world, persona))

    form = client.get(reverse("reports:election-create"))
    posted = client.post(
        reverse("reports:election-create"), {"name": "Bầu cử", "day": "15/03/2099"}
    )

    assert form.status_code == 404 and posted.status_code == 404
    assert not Election.objects.exists()


def test_a_viewer_cannot_add_a_polling_area(client, world):
    election = Election.objects.create(name="Bầu cử", day=date(2026, 3, 15))
    client.force_login(world.viewer)
    url = reverse("reports:polling-areas", args=[election.pk, world.commune.pk])

    page = client.get(url).content.decode()
    client.post(url, {"number": 1, "units": [world.hamlet.pk]})

    assert 'name="number"' not in page
    assert not PollingArea.objects.exists()


@time_machine.travel(date(2026, 1, 10))
def test_the_voter_list_offers_to_create_an_election_when_none_is_coming(client, world):
    client.force_login(world.official)
    voters = reverse("reports:list", args=["voters"])

    with translation.override("vi"):
        before = client.get(voters).content.decode()
        Election.objects.create(name="Bầu cử đại biểu Quốc hội", day=date(2026, 3, 15))
        after = client.get(voters).content.decode()
        client.force_login(world.viewer)
        viewer = client.get(voters).content.decode()

    create = reverse("reports:election-create")
    assert f'href="{create}"' in before
    assert f'href="{create}"' not in after
    assert "Bầu cử đại biểu Quốc hội" in after
    assert f'href="{create}"' not in viewer
