"""On a phone: a household pledges 2,000,000 đ and sees the QR; the treasurer imports a
bank statement that pays it; the public ledger shows the household and the bar moves
(issue 15, Tests)."""

import csv
import io
from datetime import date

import pytest
import time_machine
from playwright.sync_api import expect

from langso.campaigns.models import Pledge
from langso.lib import vietqr
from langso.test import PASSWORD, vietnam_time

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(vietnam_time(date(2026, 3, 20)), tick=True):
        yield


def log_in(page, url, username):
    page.goto(url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def statement(content):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerows(
        [
            ["NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN VIỆT NAM"],
            ["SAO KÊ TÀI KHOẢN 3600205123456"],
            [],
            ["Ngày giao dịch", "Số bút toán", "Ghi nợ", "Ghi có", "Nội dung"],
            ["19/03/2026", "FT26078123456", "", "2.000.000", content],
            ["19/03/2026", "FT26078123457", "11.000", "", "Phi SMS Banking"],
        ]
    )
    return text.getvalue().encode("utf-8-sig")


def test_a_household_pledges_pays_by_qr_and_the_public_ledger_moves(
    live_server, world, bridge, treasurer, resident, phone, screenshot
):
    page = phone
    public = f"{live_server.url}/public/04000/campaigns/{bridge.pk}/"
    page.goto(public)
    money_bar = page.locator(".campaign-bar progress").first
    expect(money_bar).to_have_attribute("value", "0")

    log_in(page, live_server.url, resident.username)
    page.goto(live_server.url + "/campaigns/")
    row = page.locator("li", has_text="Xây cầu qua suối Nậm Pàn")
    row.get_by_role("link", name="Đăng ký ủng hộ").click()
    page.get_by_label("Tiền (đồng)").fill("2.000.000")
    screenshot(page, "1-pledge")
    page.get_by_role("button", name="Đăng ký ủng hộ").click()

    pledge = Pledge.objects.get()
    expect(page.locator("#transfer-content")).to_have_text("LS" + pledge.reference)
    expect(page.locator("figure.vietqr svg")).to_be_visible()
    expect(page.locator("#owed-money")).to_have_text("2.000.000 đ")
    box = page.locator("figure.vietqr svg").bounding_box()
    assert box["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "2-qr")
    # What the phone shows is the payload a banking app reads.
    svg = page.locator("figure.vietqr").inner_html()
    assert svg.strip().startswith("<svg")
    payload = bridge.qr_payload(2_000_000, "LS" + pledge.reference)
    assert vietqr.is_valid(payload)

    # The treasurer imports the bank's statement: the payer typed the code their own way.
    page.context.clear_cookies()
    log_in(page, live_server.url, treasurer.username)
    page.goto(live_server.url + bridge.get_absolute_url())
    content = f"TRAN THI THUY chuyen tien ung ho cau ls {pledge.reference.lower()}"
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": "sao-ke.csv", "mimeType": "text/csv", "buffer": statement(content)}
    )
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("#matched")).to_have_text("1")
    screenshot(page, "3-preview")
    page.get_by_role("button", name="Nhập dữ liệu").click()
    expect(page.locator(".messages")).to_contain_text("Đã nhập sao kê")

    page.context.clear_cookies()
    page.goto(public)
    contributors = page.locator("#contributors")
    expect(contributors.locator("tr", has_text="Nguyễn Văn Phụng")).to_contain_text("2.000.000 đ")
    expect(money_bar).to_have_attribute("value", "1")  # 2 of 170 million
    screenshot(page, "4-public-ledger")
