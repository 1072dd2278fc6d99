"""The campaign pages, driven through real URLs (issue 15, items 2–5, 8)."""

import io
import subprocess
from datetime import date

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from langso.campaigns import actions
from langso.campaigns.models import Campaign, Entry, Pledge, UnmatchedLine
from langso.campaigns.tests.test_statements import csv_bytes
from langso.lib import vietqr
from langso.test import make_household, vietnam_time

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(vietnam_time(TODAY), tick=False):
        yield


def text_of_pdf(data, tmp_path):
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_a_hamlet_head_creates_a_campaign(client, world):
    client.force_login(world.hamlet_head)
    response = client.post(
        reverse("campaigns:campaign-create"),
        {
            "unit": world.hamlet.pk,
            "name": "Bê tông hoá đường trục thôn",
            "starts_on": "01/03/2026",
            "target_money": "250.000.000",
            "target_labour_days": "400",
            "target_land_m2": "0",
            "asks": "household",
            "suggested_amount": "1.000.000",
            "exempt_poor": "on",
            "bank_bin": "970405",
            "bank_account": "3600205999999",
            "account_name": "BAN VAN DONG DUONG THON",
        },
    )
    campaign = Campaign.objects.get()
    assert response.url == campaign.get_absolute_url()
    assert campaign.target_money == 250_000_000 and campaign.unit == world.hamlet
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Bê tông hoá đường trục thôn" in page and "250.000.000 đ" in page


def test_a_resident_pledges_and_sees_the_qr_of_what_is_owed(
    client, world, bridge, resident, tmp_path
):
    client.force_login(resident)
    assert (
        "Xây cầu qua suối Nậm Pàn"
        in client.get(reverse("campaigns:campaign-list")).content.decode()
    )
    response = client.post(
        reverse("campaigns:pledge-create", args=[bridge.pk]), {"amount": "2.000.000"}
    )
    pledge = Pledge.objects.get()
    assert response.url == pledge.get_absolute_url()
    assert pledge.household == world.household and pledge.amount == 2_000_000
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert "LS" + pledge.reference in page and "2.000.000 đ" in page
    assert "<svg" in page and 'class="vietqr"' in page
    payload = bridge.qr_payload(2_000_000, "LS" + pledge.reference)
    fields = vietqr.parse(payload)
    assert fields["54"] == "2000000" and vietqr.parse(fields["62"])["08"] == "LS" + pledge.reference


def test_a_resident_of_another_hamlet_cannot_pledge_or_see_the_campaign(
    client, world, bridge, treasurer
):
    # The treasurer lives in Đồng Tâm; as a resident he is not asked by Bình Chiến's bridge,
    # but as a committee member he manages it. A plain resident of Đồng Tâm is refused.
    from langso.test import make_user

    person = make_household(world.other_hamlet, "Quàng Văn Dũng").head
    user = make_user("dung", person.full_name)
    user.person = person
    user.save(update_fields=["person"])
    client.force_login(user)
    assert (
        client.post(
            reverse("campaigns:pledge-create", args=[bridge.pk]), {"amount": "1"}
        ).status_code
        == 404
    )
    assert client.get(bridge.get_absolute_url()).status_code == 404
    assert not Pledge.objects.exists()


def test_the_treasurer_records_cash_and_the_receipt_pdf_carries_number_and_signature(
    client, world, bridge, treasurer, tmp_path
):
    client.force_login(treasurer)
    client.post(
        reverse("campaigns:contribution-create", args=[bridge.pk]),
        {"kind": "cash", "on": "15/03/2026", "amount": "500.000", "household": world.household.pk},
    )
    entry = Entry.objects.get()
    assert (entry.receipt_number, entry.amount, entry.recorded_by) == (1, 500_000, treasurer)
    response = client.get(reverse("campaigns:receipt", args=[entry.pk]))
    text = text_of_pdf(response.getvalue(), tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "000001" in text and "500.000 đ" in text
    assert "Nguyễn Văn Phụng" in text and treasurer.person.full_name in text


def test_a_correction_through_the_page_keeps_both_lines(client, world, bridge):
    entry = actions.record_contribution(
        bridge, acting_user=None, kind="cash", on=TODAY, amount=5_000_000, household=world.household
    )
    client.force_login(world.hamlet_head)
    client.post(reverse("campaigns:entry-reverse", args=[entry.pk]), {"reason": "Ghi nhầm số tiền"})
    assert list(Entry.objects.order_by("pk").values_list("amount", flat=True)) == [
        5_000_000,
        -5_000_000,
    ]
    page = client.get(bridge.get_absolute_url()).content.decode()
    assert "Ghi nhầm số tiền" in page


def test_an_expense_with_its_invoice_is_shown_on_the_public_ledger(client, world, bridge):
    client.force_login(world.hamlet_head)
    client.post(
        reverse("campaigns:expense-create", args=[bridge.pk]),
        {
            "on": "10/03/2026",
            "amount": "12.000.000",
            "description": "Xi măng PCB40",
            "supplier": "Cửa hàng VLXD Hùng Cường",
            "document": SimpleUploadedFile("hd.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    expense = Entry.objects.get(kind="expense")
    client.logout()
    page = client.get(reverse("public:public-campaign", args=["04000", bridge.pk])).content.decode()
    assert "Xi măng PCB40" in page and "12.000.000 đ" in page
    document = client.get(
        reverse("public:public-campaign-document", args=["04000", bridge.pk, expense.pk])
    )
    assert document["Content-Type"] == "application/pdf"
    assert b"".join(document.streaming_content).startswith(b"%PDF")


def test_the_public_ledger_names_givers_hides_the_unnamed_and_shows_anonymous_as_nha_hao_tam(
    client, world, bridge, tmp_path
):
    shy = make_household(world.hamlet, "Lò Văn Kín")
    for kwargs in (
        {"household": world.household, "amount": 2_000_000},
        {"household": shy, "amount": 3_000_000, "unnamed": True},
        {"anonymous": True, "amount": 10_000_000},
        {"giver_name": "Công ty TNHH Đức Thành", "organisation": True, "amount": 7_000_000},
    ):
        amount = kwargs.pop("amount")
        actions.record_contribution(
            bridge, acting_user=None, kind="transfer", on=TODAY, amount=amount, **kwargs
        )
    url = reverse("public:public-campaign", args=["04000", bridge.pk])
    page = client.get(url).content.decode()
    assert "Nguyễn Văn Phụng" in page and "2.000.000 đ" in page
    assert "Nhà hảo tâm" in page and "10.000.000 đ" in page
    assert "Công ty TNHH Đức Thành" in page
    assert "Lò Văn Kín" not in page
    assert "3.000.000 đ" in page  # only as the total of those not named
    assert 'value="12"' in page  # 22 of 170 million: the money bar at 12 %

    pdf = text_of_pdf(client.get(url + "ledger.pdf").getvalue(), tmp_path)
    assert "Nguyễn Văn Phụng" in pdf and "Lò Văn Kín" not in pdf and "10.000.000 đ" in pdf
    book = openpyxl.load_workbook(io.BytesIO(client.get(url + "ledger.xlsx").getvalue()))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "Nguyễn Văn Phụng" in cells and "Lò Văn Kín" not in cells and 10_000_000 in cells


def test_the_public_ledger_is_found_only_under_its_own_commune(client, world, bridge):
    assert (
        client.get(reverse("public:public-campaign", args=["04009", bridge.pk])).status_code == 404
    )
    assert (
        client.get(reverse("public:public-campaign", args=["99999", bridge.pk])).status_code == 404
    )
    actions.update_campaign(bridge, acting_user=None, is_public=False)
    assert (
        client.get(reverse("public:public-campaign", args=["04000", bridge.pk])).status_code == 404
    )
    listing = client.get(reverse("public:public-campaigns", args=["04000"])).content.decode()
    assert "Nậm Pàn" not in listing


def test_a_statement_is_previewed_then_imported_and_unmatched_lines_matched_by_hand(
    client, world, bridge, treasurer
):
    pledge = actions.pledge(bridge, acting_user=None, household=world.household, amount=2_000_000)
    donor = actions.pledge(
        bridge, acting_user=None, giver_name="Ông Hà Văn Thịnh", amount=1_000_000
    )
    data = csv_bytes(
        [
            ["SAO KÊ TÀI KHOẢN"],
            ["Ngày giao dịch", "Số tham chiếu", "Số tiền ghi có", "Số tiền ghi nợ", "Nội dung"],
            ["15/03/2026", "FT1", "2.000.000", "", f"chuyen khoan ls {pledge.reference.lower()}"],
            ["16/03/2026", "FT2", "1.000.000", "", "ung ho cau"],
        ]
    )
    client.force_login(treasurer)
    response = client.post(
        reverse("campaigns:statement-upload", args=[bridge.pk]),
        {"file": SimpleUploadedFile("sao-ke.csv", data)},
    )
    preview = client.get(response.url).content.decode()
    assert 'id="matched">1<' in preview and "ung ho cau" in preview
    assert not Entry.objects.exists()
    client.post(response.url)
    assert Entry.objects.get().pledge == pledge
    line = UnmatchedLine.objects.get()
    client.post(
        reverse("campaigns:unmatched-match", args=[line.pk]), {"reference": "ls" + donor.reference}
    )
    assert Entry.objects.filter(pledge=donor, amount=1_000_000).exists()
    owed = client.get(pledge.get_absolute_url()).content.decode()
    assert 'id="fulfilled"' in owed


def test_unknown_columns_are_mapped_on_the_preview_page(client, world, bridge, treasurer):
    data = csv_bytes([["Ngày", "Tiền về", "Lời nhắn"], ["15/03/2026", "1.000", "x"]])
    client.force_login(treasurer)
    url = client.post(
        reverse("campaigns:statement-upload", args=[bridge.pk]),
        {"file": SimpleUploadedFile("s.csv", data)},
    ).url
    page = client.get(url).content.decode()
    assert "Tiền về" in page and 'name="map"' in page
    client.post(
        url,
        {
            "map": "1",
            "headings": ["Ngày", "Tiền về", "Lời nhắn"],
            "date": "Ngày",
            "credit": "Tiền về",
            "description": "Lời nhắn",
            "transaction": "",
        },
    )
    assert 'id="unmatched-count">1<' in client.get(url).content.decode()


def test_reminders_go_through_notices_to_those_who_still_owe(client, world, bridge):
    from langso.notices.models import Notice

    pledge = actions.pledge(bridge, acting_user=None, household=world.household, amount=2_000_000)
    paid = actions.pledge(bridge, acting_user=None, giver_name="Ông Thịnh", amount=1_000)
    actions.record_contribution(
        bridge, acting_user=None, kind="cash", on=TODAY, amount=1_000, pledge=paid
    )
    client.force_login(world.hamlet_head)
    client.post(reverse("campaigns:remind", args=[bridge.pk]))
    notice = Notice.objects.get()
    assert "LS" + pledge.reference in notice.body and "2.000.000" in notice.body
    assert notice.audiences.get().person == world.household.head


@pytest.mark.parametrize("persona", ["viewer", "outsider", "party_member"])
def test_read_only_personas_change_nothing_by_post(client, world, bridge, persona):
    pledge = actions.pledge(bridge, acting_user=None, household=world.household, amount=1_000)
    entry = actions.record_contribution(
        bridge, acting_user=None, kind="cash", on=TODAY, amount=1_000, household=world.household
    )
    client.force_login(getattr(world, persona))
    posts = [
        (reverse("campaigns:pledge-create", args=[bridge.pk]), {"amount": "5"}),
        (
            reverse("campaigns:contribution-create", args=[bridge.pk]),
            {"kind": "cash", "on": "20/03/2026", "amount": "5", "household": world.household.pk},
        ),
        (
            reverse("campaigns:expense-create", args=[bridge.pk]),
            {"on": "20/03/2026", "amount": "5", "description": "x"},
        ),
        (reverse("campaigns:remind", args=[bridge.pk]), {}),
        (reverse("campaigns:entry-reverse", args=[entry.pk]), {"reason": "x"}),
        (
            reverse("campaigns:statement-upload", args=[bridge.pk]),
            {"file": SimpleUploadedFile("a.csv", b"a")},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    # The outsider may open the form for their own commune, but not create in Tân Lập.
    create = {"unit": world.hamlet.pk, "name": "x", "starts_on": "01/03/2026", "asks": "household"}
    response = client.post(reverse("campaigns:campaign-create"), create)
    assert response.status_code in (200, 404)
    assert Campaign.objects.get() == bridge
    assert Pledge.objects.get() == pledge and Entry.objects.count() == 1


def test_a_photo_of_the_work_is_shown_on_the_public_page(client, world, bridge):
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (60, 110, 170)).save(picture, "PNG")
    client.force_login(world.hamlet_head)
    client.post(
        reverse("campaigns:photo-add", args=[bridge.pk]),
        {
            "image": SimpleUploadedFile("cau.png", picture.getvalue()),
            "caption": "Đổ bê tông mặt cầu",
        },
    )
    client.post(
        reverse("campaigns:photo-add", args=[bridge.pk]),
        {"image": SimpleUploadedFile("x.png", b"<svg onload=alert(1)>")},
    )
    assert bridge.photos.count() == 1
    client.logout()
    page = client.get(reverse("public:public-campaign", args=["04000", bridge.pk])).content.decode()
    assert "Đổ bê tông mặt cầu" in page
    photo = client.get(
        reverse("public:public-campaign-photo", args=["04000", bridge.pk, bridge.photos.get().pk])
    )
    assert photo["Content-Type"] == "image/png"
