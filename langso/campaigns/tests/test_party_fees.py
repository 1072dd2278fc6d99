"""Party fees by QR (issue 15, item 7; domain.md §7 and §9): a member sees this month's fee
with a QR; the cell's treasurer imports the statement and matched fees are marked paid."""

import base64
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from langso.campaigns import party_fees
from langso.campaigns.models import FeeTransfer
from langso.campaigns.tests.test_statements import csv_bytes
from langso.lib import vietqr
from langso.party import actions as party_actions
from langso.party.models import FeeMonth
from langso.test import vietnam_time

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(vietnam_time(TODAY), tick=False):
        yield


@pytest.fixture
def fees(party_world):
    party_actions.open_fee_month(party_world.cell, acting_user=None, month=TODAY)
    party_fees.set_fee_account(
        party_world.cell,
        acting_user=None,
        bank_bin="970436",
        bank_account="0451000123456",
        account_name="CHI BO THON BINH CHIEN",
    )
    return FeeMonth.objects.get(member=party_world.member, month=date(2026, 3, 1))


def test_the_reference_code_names_exactly_one_fee_month():
    fee = FeeMonth(pk=123_456)
    reference = party_fees.fee_reference(fee)
    assert reference.startswith("DP") and len(reference) == 7
    assert party_fees.fee_ids_in(f"dang phi {reference.lower()[:4]} {reference[4:]}") == [123_456]


def test_a_member_sees_this_months_fee_with_a_qr(client, party_world, fees):
    client.force_login(party_world.world.party_member)
    page = client.get(reverse("campaigns:my-fee")).content.decode()
    reference = party_fees.fee_reference(fees)
    assert reference in page and 'class="vietqr"' in page
    fields = vietqr.parse(party_fees.qr_for(fees))
    assert fields["54"] == str(fees.due)
    assert vietqr.parse(fields["62"])["08"] == reference


def test_the_treasurer_imports_the_statement_and_the_fee_is_paid_once(client, party_world, fees):
    reference = party_fees.fee_reference(fees)
    data = csv_bytes(
        [
            ["SAO KE TAI KHOAN"],
            ["Ngày giao dịch", "Số tham chiếu", "Số tiền ghi có", "Nội dung"],
            ["15/03/2026", "FT1", f"{fees.due:,}".replace(",", "."), f"TRAN THI THUY {reference}"],
            ["16/03/2026", "FT2", "50.000", "ung ho"],
        ]
    )
    client.force_login(party_world.secretary_user)
    url = reverse("campaigns:cell-fee-statement", args=[party_world.cell.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = client.post(url, {"file": SimpleUploadedFile("s.csv", data)}).content.decode()
    assert 'id="matched">1<' in preview
    fees.refresh_from_db()
    assert fees.paid == 0  # the preview wrote nothing
    confirm = {"data": base64.b64encode(data).decode(), "filename": "s.csv", "confirm": "1"}
    client.post(url, confirm)
    fees.refresh_from_db()
    assert (fees.paid, fees.paid_on, fees.outstanding) == (fees.due, date(2026, 3, 15), 0)
    assert FeeTransfer.objects.filter(fee=None).count() == 1
    client.post(url, confirm)  # the same statement again
    fees.refresh_from_db()
    assert fees.paid == fees.due and FeeTransfer.objects.count() == 2


@pytest.mark.parametrize("who", ["viewer", "party_member", "outsider", "hamlet_head"])
def test_only_who_manages_the_cell_imports(client, party_world, fees, who):
    client.force_login(getattr(party_world.world, who))
    url = reverse("campaigns:cell-fee-statement", args=[party_world.cell.pk])
    data = base64.b64encode(b"a,b\n").decode()
    assert client.post(url, {"data": data, "confirm": "1"}).status_code == 404
    assert client.get(reverse("campaigns:cell-fees", args=[party_world.cell.pk])).status_code == 404
    assert not FeeTransfer.objects.exists()


def test_unknown_columns_are_mapped_once_for_the_cells_account_and_lines_matched_by_hand(
    client, party_world, fees
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    reference = party_fees.fee_reference(fees)
    data = csv_bytes(
        [
            ["Ngày", "Tiền về", "Lời nhắn", "Mã"],
            ["15/03/2026", f"{fees.due:,}".replace(",", "."), "dang phi thang 3", "FT9"],
        ]
    )
    client.force_login(party_world.secretary_user)
    url = reverse("campaigns:cell-fee-statement", args=[party_world.cell.pk])
    page = client.post(url, {"file": SimpleUploadedFile("s.csv", data)}).content.decode()
    assert 'name="map"' in page and "Tiền về" in page
    mapping = {
        "map": "1",
        "data": base64.b64encode(data).decode(),
        "filename": "s.csv",
        "headings": ["Ngày", "Tiền về", "Lời nhắn", "Mã"],
        "date": "Ngày",
        "credit": "Tiền về",
        "description": "Lời nhắn",
        "transaction": "Mã",
    }
    preview = client.post(url, mapping).content.decode()
    assert 'id="unmatched-count">1<' in preview and "dang phi thang 3" in preview
    assert party_fees.mapping_for(party_world.cell)["credit"] == "Tiền về"
    client.post(url, {"data": mapping["data"], "filename": "s.csv", "confirm": "1"})
    line = FeeTransfer.objects.get()
    assert line.fee is None and line.bank_transaction == "FT9"
    cell_page = client.get(reverse("campaigns:cell-fees", args=[party_world.cell.pk]))
    assert "dang phi thang 3" in cell_page.content.decode()

    match = reverse("campaigns:fee-transfer-match", args=[line.pk])
    client.post(match, {"reference": "DPZZZZZ"})  # no such month in this cell
    line.refresh_from_db()
    assert line.fee is None
    client.post(match, {"reference": reference.lower()[2:]})
    line.refresh_from_db()
    fees.refresh_from_db()
    assert line.fee == fees and fees.paid == fees.due
    client.post(match, {"reference": reference})  # matched once only
    fees.refresh_from_db()
    assert fees.paid == fees.due


@pytest.mark.parametrize("who", ["viewer", "party_member", "outsider"])
def test_only_who_manages_the_cell_matches_by_hand(client, party_world, fees, who):
    line = FeeTransfer.objects.create(
        organisation=party_world.cell, on=TODAY, amount=fees.due, bank_transaction="FT1"
    )
    client.force_login(getattr(party_world.world, who))
    match = reverse("campaigns:fee-transfer-match", args=[line.pk])
    assert client.post(match, {"reference": party_fees.fee_reference(fees)}).status_code == 404
    line.refresh_from_db()
    assert line.fee is None
