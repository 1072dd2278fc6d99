"""The committee's own pages: edit the campaign, its committee, exemptions, cancelling a
pledge, the labour and land minutes, and the VietQR on the receipt and the reminder
(issue 15, items 1, 2, 5 and 8)."""

import subprocess
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from langso.accounts.models import AuditEntry
from langso.campaigns import actions, ledger
from langso.campaigns.models import CommitteeMember, Entry, Exemption, Pledge
from langso.campaigns.tests.test_pages import text_of_pdf
from langso.lib import vietqr
from langso.test import vietnam_time

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(vietnam_time(TODAY), tick=False):
        yield


def test_the_hamlet_head_edits_the_campaign_and_finishes_it(client, world, bridge):
    client.force_login(world.hamlet_head)
    url = reverse("campaigns:campaign-edit", args=[bridge.pk])
    form = client.get(url).content.decode()
    assert 'value="170000000"' in form and "Xây cầu qua suối Nậm Pàn" in form
    fields = {
        "name": "Xây cầu Nậm Pàn (giai đoạn 2)",
        "starts_on": "05/01/2026",
        "target_money": "200.000.000",
        "target_labour_days": "300",
        "target_land_m2": "120",
        "asks": "household",
        "suggested_amount": "500.000",
        "bank_bin": "970405",
        "bank_account": "3600205123456",
        "status": "finished",
        "is_public": "on",
    }
    # A refused form comes back with what was typed and the reason.
    refused = client.post(url, {**fields, "ends_on": "01/01/2026"})
    page = refused.content.decode()
    assert "Xây cầu Nậm Pàn (giai đoạn 2)" in page and "200.000.000" in page
    assert "Ngày kết thúc không được trước ngày bắt đầu." in page
    client.post(url, fields)
    bridge.refresh_from_db()
    assert (bridge.name, bridge.target_money, bridge.status) == (
        "Xây cầu Nậm Pàn (giai đoạn 2)",
        200_000_000,
        "finished",
    )
    assert AuditEntry.objects.filter(verb="campaigns.campaign_changed").exists()


def test_the_committee_is_named_from_the_residents_and_a_member_with_an_account_manages(
    client, world, bridge, resident
):
    client.force_login(world.hamlet_head)
    url = reverse("campaigns:committee", args=[bridge.pk])
    page = client.post(url, {"full_name": "Không Có Ai", "role": "head"}).content.decode()
    assert "Không Có Ai" in page and not CommitteeMember.objects.exists()
    client.post(url, {"full_name": "tran thi thuy", "role": "treasurer"})
    member = CommitteeMember.objects.get()
    assert (member.person, member.role, member.user) == (resident.person, "treasurer", resident)
    assert "Trần Thị Thuỷ" in client.get(url).content.decode()

    # Thuỷ, a resident with no role, now manages the bridge through her account.
    client.force_login(resident)
    assert client.get(reverse("campaigns:campaign-edit", args=[bridge.pk])).status_code == 200
    client.force_login(world.hamlet_head)
    client.post(reverse("campaigns:committee-remove", args=[bridge.pk, member.pk]))
    assert not CommitteeMember.objects.exists()
    client.force_login(resident)
    assert client.get(reverse("campaigns:campaign-edit", args=[bridge.pk])).status_code == 404


def test_a_household_exempted_by_hand_is_not_asked_until_the_exemption_is_lifted(
    client, world, bridge
):
    client.force_login(world.hamlet_head)
    asked = len(ledger.asked_households(bridge, TODAY))
    url = reverse("campaigns:exemptions", args=[bridge.pk])
    # Named by any member of the household (here the head's wife).
    client.post(url, {"full_name": "Trần Thị Thuỷ", "reason": "other", "note": "Hộ vừa bị lũ"})
    row = Exemption.objects.get()
    assert row.household == world.household and row.reason == "other"
    assert len(ledger.asked_households(bridge, TODAY)) == asked - 1
    page = client.get(url).content.decode()
    assert "Nguyễn Văn Phụng" in page and "Hộ vừa bị lũ" in page
    client.post(reverse("campaigns:exemption-lift", args=[bridge.pk, world.household.pk]))
    assert not Exemption.objects.exists()
    assert len(ledger.asked_households(bridge, TODAY)) == asked


def test_a_pledge_is_cancelled_after_confirming_with_a_reason(client, world, bridge):
    pledge = actions.pledge(bridge, acting_user=None, household=world.household, amount=2_000_000)
    client.force_login(world.hamlet_head)
    url = reverse("campaigns:pledge-cancel", args=[pledge.pk])
    confirm = client.get(url).content.decode()
    assert pledge.reference in confirm and "2.000.000 đ" in confirm
    client.post(url, {"reason": ""})
    pledge.refresh_from_db()
    assert pledge.cancelled_at is None
    client.post(url, {"reason": "Hộ chuyển đi nơi khác"})
    pledge.refresh_from_db()
    assert pledge.cancelled_reason == "Hộ chuyển đi nơi khác"
    assert pledge.cancelled_by == world.hamlet_head
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert 'id="cancelled"' in page and "Hộ chuyển đi nơi khác" in page and "<svg" not in page
    assert pledge.reference not in client.get(bridge.get_absolute_url()).content.decode()


def test_a_wrong_contribution_keeps_what_was_typed(client, world, bridge):
    client.force_login(world.hamlet_head)
    response = client.post(
        reverse("campaigns:contribution-create", args=[bridge.pk]),
        {"kind": "labour", "on": "15/03/2026", "labour_days": "2", "worker": "", "plot": "x1"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and not Entry.objects.exists()
    assert 'value="x1"' in page and 'value="2"' in page


def decode_pdf_qr(data, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(path), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p*.png"))
    found = subprocess.run(
        ["zbarimg", "--raw", "-q", *map(str, images)], capture_output=True, text=True
    )
    return found.stdout.strip()


def test_the_cash_receipt_carries_the_vietqr_of_what_the_pledge_still_owes(
    client, world, bridge, tmp_path
):
    pledge = actions.pledge(bridge, acting_user=None, household=world.household, amount=2_000_000)
    entry = actions.record_contribution(
        bridge, acting_user=None, kind="cash", on=TODAY, amount=500_000, pledge=pledge
    )
    client.force_login(world.hamlet_head)
    data = client.get(reverse("campaigns:receipt", args=[entry.pk])).getvalue()
    assert "1.500.000 đ" in text_of_pdf(data, tmp_path)
    payload = decode_pdf_qr(data, tmp_path)
    assert payload == bridge.qr_payload(1_500_000, pledge.qr_purpose)
    assert vietqr.is_valid(payload)


@pytest.mark.parametrize(
    ("kind", "fields", "title", "shown"),
    [
        ("labour", {"labour_days": 2, "worker": "Nguyễn Văn Phụng"}, "NGÀY CÔNG", "2"),
        ("land", {"land_m2": 35, "plot": "Tờ 12, thửa 48"}, "BÀN GIAO", "Tờ 12, thửa 48"),
    ],
)
def test_labour_and_land_have_minutes_to_sign(
    client, world, bridge, tmp_path, kind, fields, title, shown
):
    actions.add_committee_member(bridge, acting_user=None, person=world.household.head, role="head")
    entry = actions.record_contribution(
        bridge,
        acting_user=None,
        kind=kind,
        on=TODAY,
        household=world.household,
        minutes_number="07/BB",
        **fields,
    )
    client.force_login(world.hamlet_head)
    assert (
        reverse("campaigns:minutes", args=[entry.pk])
        in client.get(bridge.get_absolute_url()).content.decode()
    )
    text = text_of_pdf(
        client.get(reverse("campaigns:minutes", args=[entry.pk])).getvalue(), tmp_path
    )
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and title in text
    assert "07/BB" in text and shown in text and "Nguyễn Văn Phụng" in text
    cash = actions.record_contribution(
        bridge, acting_user=None, kind="cash", on=TODAY, amount=1, household=world.household
    )
    assert client.get(reverse("campaigns:minutes", args=[cash.pk])).status_code == 404


def test_the_reminder_carries_the_vietqr_as_a_picture(client, world, bridge, tmp_path):
    from langso.notices.models import Notice

    pledge = actions.pledge(bridge, acting_user=None, household=world.household, amount=2_000_000)
    actions.remind_unfulfilled(bridge, acting_user=world.hamlet_head)
    attachment = Notice.objects.get().attachments.get()
    path = tmp_path / "qr.png"
    path.write_bytes(attachment.file.read())
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == bridge.qr_payload(2_000_000, pledge.qr_purpose)


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_read_only_personas_cannot_use_the_committee_pages(client, world, bridge, persona):
    pledge = actions.pledge(bridge, acting_user=None, household=world.household, amount=1_000)
    member = actions.add_committee_member(
        bridge, acting_user=None, person=world.household.head, role="head"
    )
    actions.set_exemption(bridge, world.household, acting_user=None, reason="other")
    client.force_login(getattr(world, persona))
    posts = [
        (reverse("campaigns:campaign-edit", args=[bridge.pk]), {"name": "x"}),
        (reverse("campaigns:committee", args=[bridge.pk]), {"full_name": "x", "role": "head"}),
        (reverse("campaigns:committee-remove", args=[bridge.pk, member.pk]), {}),
        (reverse("campaigns:exemptions", args=[bridge.pk]), {"full_name": "x"}),
        (reverse("campaigns:exemption-lift", args=[bridge.pk, world.household.pk]), {}),
        (reverse("campaigns:pledge-cancel", args=[pledge.pk]), {"reason": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    pledge.refresh_from_db()
    assert pledge.cancelled_at is None and CommitteeMember.objects.count() == 1
    assert Exemption.objects.count() == 1
    bridge.refresh_from_db()
    assert bridge.name == "Xây cầu qua suối Nậm Pàn"
    assert Pledge.objects.count() == 1


def test_an_outside_donor_pledges_on_the_public_page_and_gets_the_qr(client, world, bridge):
    url = reverse("public:public-campaign-donor", args=["04000", bridge.pk])
    public = client.get(reverse("public:public-campaign", args=["04000", bridge.pk]))
    assert url in public.content.decode()
    refused = client.post(url, {"giver_name": "Công ty Đức Thành", "amount": "năm triệu"})
    assert refused.status_code == 400 and "Công ty Đức Thành" in refused.content.decode()
    assert not Pledge.objects.exists()
    # A robot that fills the hidden field gets the form back and pledges nothing.
    robot = client.post(url, {"giver_name": "x", "amount": "5.000.000", "website": "http://x"})
    assert robot.status_code == 400 and not Pledge.objects.exists()

    response = client.post(
        url, {"giver_name": "Công ty Đức Thành", "organisation": "on", "amount": "5.000.000"}
    )
    pledge = Pledge.objects.get()
    assert (pledge.giver_kind, pledge.giver_name, pledge.amount, pledge.household) == (
        "organisation",
        "Công ty Đức Thành",
        5_000_000,
        None,
    )
    page = client.get(response.url).content.decode()
    assert 'class="vietqr"' in page and pledge.qr_purpose in page and "5.000.000 đ" in page
    # The QR page is the donor's: another browser does not open it by its address.
    client.cookies.clear()
    assert client.get(response.url).status_code == 404
    # The committee sees the pledge among the campaign's.
    client.force_login(world.hamlet_head)
    assert "Công ty Đức Thành" in client.get(bridge.get_absolute_url()).content.decode()


def test_no_public_pledge_to_a_finished_campaign_or_one_without_an_account(client, world, bridge):
    url = reverse("public:public-campaign-donor", args=["04000", bridge.pk])
    actions.update_campaign(bridge, acting_user=None, status="finished")
    assert client.post(url, {"giver_name": "A", "amount": "1.000.000"}).status_code == 404
    actions.update_campaign(
        bridge, acting_user=None, status="running", bank_bin="", bank_account=""
    )
    assert client.post(url, {"giver_name": "A", "amount": "1.000.000"}).status_code == 404
    assert not Pledge.objects.exists()


def test_the_giver_makes_a_qr_for_part_of_what_is_owed(client, world, bridge, resident):
    pledge = actions.pledge(bridge, acting_user=None, household=world.household, amount=2_000_000)
    client.force_login(resident)
    response = client.get(pledge.get_absolute_url(), {"amount": "500.000"})
    assert 'id="qr-amount">500.000 đ<' in response.content.decode()
    payload = response.context["qr"]["payload"]
    assert payload == bridge.qr_payload(500_000, pledge.qr_purpose)
    assert vietqr.parse(payload)["54"] == "500000"
    too_much = client.get(pledge.get_absolute_url(), {"amount": "3.000.000"}).content.decode()
    assert 'id="qr-amount">2.000.000 đ<' in too_much and 'value="3.000.000"' in too_much
