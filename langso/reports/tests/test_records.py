"""The commune records military-service findings and voter exclusions from a person's page."""

from datetime import date

from django.urls import reverse

from langso.accounts.models import AuditEntry
from langso.reports.lists import military_pool, voters


def test_a_study_deferral_recorded_on_the_page_shows_in_the_pool(client, world):
    son = world.household.members.get(full_name="Nguyễn Văn An")
    son.birth_date = date(2000, 1, 1)  # 26 in 2026: only a study deferral keeps him listed
    son.save(update_fields=["birth_date"])
    client.force_login(world.official)

    client.post(
        reverse("reports:military", args=[son.pk]), {"year": 2026, "status": "deferred_study"}
    )

    rows = {row["name"]: row for row in military_pool(world.hamlet, date(2026, 11, 21)).rows}
    assert rows["Nguyễn Văn An"]["military"] == "Tạm hoãn do đang học"
    assert AuditEntry.objects.filter(verb="reports.military_status").exists()


def test_an_exclusion_recorded_on_the_page_takes_the_voter_off_the_list(client, world):
    head = world.household.head
    client.force_login(world.official)

    client.post(
        reverse("reports:voter-exclusion", args=[head.pk]),
        {"reason": "no_capacity", "since": "01/01/2025"},
    )

    drawn = voters(world.hamlet, date(2026, 3, 15))
    assert "Nguyễn Văn Phụng" not in [row["name"] for row in drawn.rows]
    assert [row["name"] for row, _reason in drawn.excluded] == ["Nguyễn Văn Phụng"]


def test_a_viewer_cannot_record_either(client, world):
    client.force_login(world.viewer)

    url = reverse("reports:voter-exclusion", args=[world.household.head_id])
    assert client.post(url, {"reason": "prison", "since": "01/01/2025"}).status_code == 404
