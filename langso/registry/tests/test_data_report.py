"""A resident's data report: what is held about them and who saw it (Law 91/2025,
domain.md §11; issue 18 item 5)."""

from datetime import date

import time_machine
from django.urls import reverse

from langso.accounts import sensitive
from langso.accounts.models import AuditEntry
from langso.registry import actions
from langso.test import vietnam_time


def test_the_report_lists_the_data_and_who_saw_or_exported_it(client, world):
    person = world.household.head
    person.id_number = "014070001234"
    person.phone = "0912345678"
    person.save(update_fields=["id_number", "phone"])
    # The hamlet head opens the person (ID numbers shown), a viewer exports the commune.
    client.force_login(world.hamlet_head)
    client.get(person.get_absolute_url())
    sensitive.log_export(world.viewer, "registry.people", unit=world.commune, rows=4, format="xlsx")
    # An export of another commune is not about this person.
    sensitive.log_export(world.outsider, "registry.people", unit=world.other_commune, rows=9,
                         format="xlsx")  # fmt: skip

    client.force_login(world.official)
    page = client.get(reverse("registry:person-data-report", args=[person.pk]))

    text = page.content.decode()
    assert "014070001234" in text and "0912345678" in text
    assert "Tổ 1, thôn Bình Chiến" in text
    history = list(page.context["history"])
    verbs = {(entry.actor.username if entry.actor else None, entry.verb) for entry in history}
    assert ("truongthon", "read.person.id_numbers") in verbs
    assert ("xem", "export.registry.people") in verbs
    assert not any(entry.unit == world.other_commune for entry in history)
    # Drawing the report is itself a read of the person's data.
    assert AuditEntry.objects.filter(verb="read.person.data_report", actor=world.official).exists()


def test_exports_from_before_the_person_arrived_are_not_theirs(client, world):
    with time_machine.travel(vietnam_time(date(2026, 1, 5))):
        sensitive.log_export(world.viewer, "registry.people", unit=world.commune, rows=4,
                             format="xlsx")  # fmt: skip
    with time_machine.travel(vietnam_time(date(2026, 2, 1))):
        newcomer = actions.register_person(
            world.other_household, acting_user=None, on=date(2026, 2, 1),
            relationship="Con", full_name="Lê Thị Mới", sex="f", birth_date=date(2026, 1, 20),
        )  # fmt: skip
        sensitive.log_export(world.viewer, "registry.people", unit=world.commune, rows=5,
                             format="xlsx")  # fmt: skip
    client.force_login(world.official)

    page = client.get(reverse("registry:person-data-report", args=[newcomer.pk]))

    exports = [e for e in page.context["history"] if e.verb == "export.registry.people"]
    assert [e.changes["rows"][1] for e in exports] == [5]


def test_other_apps_add_what_they_hold(client, world, party_world):
    client.force_login(world.official)

    page = client.get(reverse("registry:person-data-report", args=[party_world.member.person.pk]))

    titles = [str(title) for title, _facts in page.context["sections"]]
    assert "Đảng viên" in " ".join(titles) or "Party membership" in titles
    assert party_world.member.organisation.name in page.content.decode()


def test_only_those_who_may_see_id_numbers_draw_the_report(client, world):
    person = world.household.head
    for user in (world.viewer, world.outsider):
        client.force_login(user)
        response = client.get(reverse("registry:person-data-report", args=[person.pk]))
        assert response.status_code == 404
