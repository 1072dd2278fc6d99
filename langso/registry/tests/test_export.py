"""Export of any filtered list to Excel, inside the scope, IDs masked, formulas neutralised."""

import io

import openpyxl
from django.urls import reverse

from langso.accounts.models import AuditEntry


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def all_text(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_export_holds_the_filtered_list_in_official_order(client, world):
    client.force_login(world.official)

    response = client.get(reverse("registry:person-export"), {"unit": world.hamlet.pk})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = all_text(workbook(response))
    names = [row[1] for row in rows if row and isinstance(row[0], int)]
    assert names == ["Nguyễn Văn An", "Nguyễn Văn Phụng", "Trần Thị Thuỷ"]
    assert any("Họ và tên" in str(cell) for row in rows for cell in row if cell)


def test_id_numbers_are_masked_for_a_viewer_and_logged_for_the_hamlet_head(client, world):
    head = world.household.head
    head.id_number = "014070001234"
    head.save(update_fields=["id_number"])

    client.force_login(world.viewer)
    masked = str(all_text(workbook(client.get(reverse("registry:person-export")))))
    client.force_login(world.hamlet_head)
    shown = str(all_text(workbook(client.get(reverse("registry:person-export")))))

    assert "014070001234" not in masked and "*********234" in masked
    assert "014070001234" in shown
    exports = AuditEntry.objects.filter(verb="export.registry.people").order_by("pk")
    assert [entry.actor for entry in exports] == [world.viewer, world.hamlet_head]
    assert "id_numbers" not in exports[0].changes
    assert exports[1].changes["id_numbers"] == [None, "unmasked"]


def test_every_export_is_logged_with_its_unit_filter_and_row_count(client, world):
    """Issue 18 item 4: a viewer's export of people with phones was not logged at all."""
    client.force_login(world.viewer)
    client.get(reverse("registry:person-export"), {"sex": "f"})

    entry = AuditEntry.objects.get(verb="export.registry.people")
    assert entry.actor == world.viewer
    assert entry.changes["rows"] == [None, 1]  # Trần Thị Thuỷ
    assert entry.changes["filter"] == [None, "sex=f"]
    assert entry.changes["format"] == [None, "xlsx"]
    assert entry.unit == world.group


def test_cells_that_look_like_formulas_are_written_as_text(client, world):
    head = world.household.head
    head.occupation = '=HYPERLINK("http://x","bấm")'
    head.save(update_fields=["occupation"])
    client.force_login(world.hamlet_head)

    sheet = workbook(client.get(reverse("registry:person-export")))

    cells = [c for row in sheet.iter_rows() for c in row if c.value == head.occupation]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_export_stays_inside_the_scope(client, world):
    client.force_login(world.hamlet_head)

    text = str(all_text(workbook(client.get(reverse("registry:person-export")))))

    assert "Lê Văn Hùng" not in text and "Lò Văn Oai" not in text
