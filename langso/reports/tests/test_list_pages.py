"""List pages and their Excel and PDF exports, read back."""

import io
import subprocess
from datetime import date

import openpyxl
from django.core.management import call_command
from django.urls import reverse

from langso.reports.models import Election, PollingArea

DAY = "15/03/2026"


def test_the_voter_list_page_and_its_excel_export(client, world):
    client.force_login(world.official)
    params = {"unit": world.commune.pk, "day": DAY}

    page = client.get(reverse("reports:list", args=["voters"]), params)
    excel = client.get(reverse("reports:list", args=["voters"]), {**params, "export": "xlsx"})

    assert page.context["drawn"].counts["voters"] == 3
    sheet = openpyxl.load_workbook(io.BytesIO(excel.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "Nguyễn Văn Phụng" in values and "Lê Văn Hùng" in values
    assert sheet.freeze_panes is not None and sheet.auto_filter.ref


def test_the_pdf_has_the_national_heading_and_the_names_with_diacritics(client, world, tmp_path):
    client.force_login(world.official)

    response = client.get(
        reverse("reports:list", args=["voters"]),
        {"unit": world.commune.pk, "day": DAY, "export": "pdf"},
    )

    path = tmp_path / "cu-tri.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Nguyễn Văn Phụng" in text and "Trần Thị Thuỷ" in text
    assert "ngày 15 tháng 3 năm 2026" in text


def test_a_polling_area_lists_only_its_hamlets(client, world):
    election = Election.objects.create(name="Bầu cử đại biểu Quốc hội", day=date(2026, 3, 15))
    area = PollingArea.objects.create(election=election, commune=world.commune, number=1)
    area.units.set([world.hamlet])
    client.force_login(world.official)

    page = client.get(area.get_absolute_url())

    assert page.context["drawn"].counts["voters"] == 2  # Phụng and Thuỷ; An is 16
    assert "Lê Văn Hùng" not in page.content.decode()


def test_a_hamlet_head_sees_lists_of_the_hamlet_only(client, world):
    client.force_login(world.hamlet_head)

    page = client.get(reverse("reports:list", args=["households"]), {"unit": world.commune.pk,
                                                                      "day": DAY})  # fmt: skip

    html = page.content.decode()
    assert "unit" in page.context["form"].errors and "drawn" not in page.context
    assert "Lê Văn Hùng" not in html and "Nguyễn Văn Phụng" not in html

    page = client.get(reverse("reports:list", args=["households"]), {"unit": world.hamlet.pk,
                                                                      "day": DAY})  # fmt: skip

    html = page.content.decode()
    for name in ("Nguyễn Văn Phụng", "Trần Thị Thuỷ", "Nguyễn Văn An"):
        assert name in html
    assert "Lê Văn Hùng" not in html and "Lò Văn Oai" not in html


def names_in_sheet(path):
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0][0], rows[1][0], [row[1] for row in rows[3:]]


# What each list holds on 15/03/2026: An (born 30/08/2009) is 16 and turns 17 this year;
# Phụng and Hùng are 55, Thuỷ 54; Lò Văn Oai lives in another commune.
LISTS_ON_DAY = {
    "voters": ("DANH SÁCH CỬ TRI", ["Nguyễn Văn Phụng", "Trần Thị Thuỷ", "Lê Văn Hùng"]),
    "military_registration": (None, ["Nguyễn Văn An"]),
    "military": ("NAM TRONG ĐỘ TUỔI THỰC HIỆN NGHĨA VỤ QUÂN SỰ", []),
    "labour": (
        "DANH SÁCH NGƯỜI TRONG ĐỘ TUỔI LAO ĐỘNG",
        ["Nguyễn Văn Phụng", "Trần Thị Thuỷ", "Nguyễn Văn An", "Lê Văn Hùng"],
    ),
    "households": (
        "DANH SÁCH HỘ GIA ĐÌNH",
        ["Nguyễn Văn Phụng", "Trần Thị Thuỷ", "Nguyễn Văn An", "Lê Văn Hùng"],
    ),
}


def test_the_command_writes_each_list(world, tmp_path, capsys):
    for kind, (title, names) in LISTS_ON_DAY.items():
        path = tmp_path / f"{kind}.xlsx"
        call_command("export_list", kind, f"--unit={world.commune.code}", "--as-of=2026-03-15",
                     "--format=xlsx", f"--output={path}")  # fmt: skip
        heading, subtitle, found = names_in_sheet(path)
        assert (title is None or heading == title) and found == names, (kind, heading, found)
        assert subtitle == "Xã Tân Lập – tính đến ngày 15/03/2026"
        assert f"{len(names)} rows of" in capsys.readouterr().out
    pdf = tmp_path / "voters.pdf"
    call_command("export_list", "voters", f"--unit={world.commune.path}", "--as-of=2026-03-15",
                 "--format=pdf", f"--output={pdf}")  # fmt: skip
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "DANH SÁCH CỬ TRI" in text and "ngày 15 tháng 3 năm 2026" in text
    for name in LISTS_ON_DAY["voters"][1]:
        assert name in text
    assert "Nguyễn Văn An" not in text
    assert "3 rows of" in capsys.readouterr().out


def test_a_big_list_is_exported_in_the_background_with_a_download_link(
    client, transactional_db, settings
):
    from langso.reports.models import ExportJob
    from langso.test import World

    world = World()
    settings.LANGSO_DIRECT_EXPORT_ROWS = 2  # the commune's 5 residents make a "big" list
    client.force_login(world.official)

    response = client.get(
        reverse("reports:list", args=["households"]),
        {"unit": world.commune.pk, "day": DAY, "export": "xlsx"},
    )
    job = ExportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert "hx-trigger" in client.get(job.get_absolute_url()).content.decode()

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job.refresh_from_db()
    download = client.get(job.get_absolute_url(), {"download": 1})

    assert job.status == ExportJob.Status.DONE and job.rows == 4
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert "Nguyễn Văn Phụng" in [c for row in sheet.iter_rows(values_only=True) for c in row]


def test_every_list_can_be_drawn_for_a_polling_area(client, world):
    election = Election.objects.create(name="Bầu cử", day=date(2026, 3, 15))
    area = PollingArea.objects.create(election=election, commune=world.commune, number=1)
    area.units.set([world.hamlet])
    client.force_login(world.official)

    for kind in ("voters", "households", "military", "labour", "children"):
        page = client.get(reverse("reports:list", args=[kind]), {"area": area.pk, "day": DAY})
        assert page.status_code == 200, kind
        assert "Lê Văn Hùng" not in page.content.decode(), kind


def test_polling_areas_may_not_share_a_hamlet_or_a_number(client, world):
    election = Election.objects.create(name="Bầu cử", day=date(2026, 3, 15))
    first = PollingArea.objects.create(election=election, commune=world.commune, number=1)
    first.units.set([world.hamlet])
    client.force_login(world.official)
    url = reverse("reports:polling-areas", args=[election.pk, world.commune.pk])

    overlapping = client.post(url, {"number": 2, "units": [world.group.pk]})
    same_number = client.post(url, {"number": 1, "units": [world.other_hamlet.pk]})
    wrong_kind = client.get(reverse("reports:polling-areas", args=[election.pk, world.hamlet.pk]))

    assert overlapping.status_code == 200 and same_number.status_code == 200
    assert PollingArea.objects.count() == 1
    assert wrong_kind.status_code == 404


def test_health_insurance_numbers_are_masked_for_a_viewer(client, world):
    head = world.household.head
    head.health_insurance_number = "GD4141234567890"
    head.save(update_fields=["health_insurance_number"])

    client.force_login(world.viewer)
    masked = client.get(reverse("reports:list", args=["health_insurance"]),
                        {"unit": world.commune.pk, "day": DAY}).content.decode()  # fmt: skip
    person = client.get(head.get_absolute_url()).content.decode()
    client.force_login(world.official)
    shown = client.get(reverse("reports:list", args=["health_insurance"]),
                       {"unit": world.commune.pk, "day": DAY}).content.decode()  # fmt: skip

    assert "GD4141234567890" not in masked and "************890" in masked
    assert "GD4141234567890" not in person
    assert "GD4141234567890" in shown


def test_the_counts_of_a_list_are_labelled_in_the_users_language(client, world):
    client.force_login(world.official)

    page = client.get(reverse("reports:list", args=["voters"]), {"unit": world.commune.pk,
                                                                  "day": DAY})  # fmt: skip

    html = page.content.decode()
    assert "<dt>Cử tri</dt>" in html and "<dt>voters</dt>" not in html


def test_a_list_showing_id_numbers_is_logged_and_a_masked_one_is_not(client, world):
    """Issue 18 item 4 (domain.md §11): /reports/lists/households/ showed unmasked ID
    numbers and logged nothing."""
    from langso.accounts.models import AuditEntry

    head = world.household.head
    head.id_number = "014070001234"
    head.save(update_fields=["id_number"])
    params = {"unit": world.commune.pk, "day": DAY}

    client.force_login(world.viewer)
    masked = client.get(reverse("reports:list", args=["households"]), params)
    client.force_login(world.official)
    shown = client.get(reverse("reports:list", args=["households"]), params)

    assert "014070001234" not in masked.content.decode()
    assert "014070001234" in shown.content.decode()
    entry = AuditEntry.objects.get(verb="read.reports.households.id_numbers")
    assert entry.actor == world.official and entry.unit == world.commune
    assert entry.changes["rows"][1] >= 1


def test_an_export_is_logged_with_its_row_count_and_filter(client, world):
    from langso.accounts.models import AuditEntry

    client.force_login(world.viewer)
    client.get(
        reverse("reports:list", args=["voters"]),
        {"unit": world.commune.pk, "day": DAY, "export": "xlsx"},
    )

    entry = AuditEntry.objects.get(verb="export.reports.voters")
    assert entry.actor == world.viewer and entry.unit == world.commune
    assert entry.changes["rows"] == [None, 3]
    assert "day=15%2F03%2F2026" in entry.changes["filter"][1]
    assert "id_numbers" not in entry.changes
