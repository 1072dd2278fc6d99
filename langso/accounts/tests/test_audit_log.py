"""The commune administrator's audit log: browse, filter, export (issue 18 item 5)."""

import io
from datetime import date

import openpyxl
import time_machine
from django.urls import reverse

from langso.accounts import sensitive
from langso.accounts.models import AuditEntry
from langso.test import vietnam_time


def entry(actor, verb, unit, target=None):
    return AuditEntry.objects.record(actor, verb, target=target, unit=unit)


def test_the_administrator_sees_the_log_of_their_commune_only(client, world):
    entry(world.hamlet_head, "registry.correction", world.group, target=world.household.head)
    entry(world.outsider, "registry.correction", world.far_hamlet, target=world.far_household.head)
    client.force_login(world.admin)

    page = client.get(reverse("accounts:audit-list"))

    text = page.content.decode()
    assert "Nguyễn Văn Phụng" in text and "truongthon" in text
    assert "Lò Văn Oai" not in text


def test_filters_by_person_account_action_and_day(client, world):
    with time_machine.travel(vietnam_time(date(2026, 3, 1))):
        entry(world.hamlet_head, "registry.correction", world.group, target=world.household.head)
    with time_machine.travel(vietnam_time(date(2026, 3, 5))):
        sensitive.log_read(world.official, "person.id_numbers", unit=world.other_hamlet,
                           target=world.other_household.head)  # fmt: skip
    client.force_login(world.admin)
    url = reverse("accounts:audit-list")

    def shown(**params):
        page = client.get(url, params)
        return [(e.actor.username, e.target_repr) for e in page.context["page"] if e.actor]

    assert shown(person="Hùng") == [("canbo", "Lê Văn Hùng")]
    assert shown(user="truongthon") == [("truongthon", "Nguyễn Văn Phụng")]
    assert shown(action="read.") == [("canbo", "Lê Văn Hùng")]
    assert shown(since="02/03/2026") == [("canbo", "Lê Văn Hùng")]
    assert shown(until="01/03/2026") == [("truongthon", "Nguyễn Văn Phụng")]


def test_a_wrong_filter_keeps_what_was_typed_and_says_why(client, world):
    client.force_login(world.admin)

    page = client.get(
        reverse("accounts:audit-list"), {"since": "05/03/2026", "until": "01/03/2026"}
    )

    assert "05/03/2026" in page.content.decode()
    assert page.context["form"].errors["until"]


def test_the_export_is_a_workbook_and_is_itself_logged(client, world):
    entry(world.hamlet_head, "registry.correction", world.group, target=world.household.head)
    client.force_login(world.admin)

    response = client.get(reverse("accounts:audit-list"), {"export": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "registry.correction" in values and "Nguyễn Văn Phụng" in values
    logged = AuditEntry.objects.get(verb="export.accounts.audit")
    assert logged.actor == world.admin and logged.unit == world.commune


def test_only_administrators_read_the_log(client, world):
    for user in (world.viewer, world.hamlet_head, world.official):
        client.force_login(user)
        assert client.get(reverse("accounts:audit-list")).status_code == 403
