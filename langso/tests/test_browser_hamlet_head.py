"""The hamlet head's first journey, on a phone-sized screen in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from langso.test import PASSWORD

pytestmark = pytest.mark.browser


def test_the_hamlet_head_logs_in_sees_the_hamlet_switches_language_and_logs_out(
    live_server, world, phone, screenshot
):
    page = phone
    page.goto(live_server.url + "/")

    # Anonymous: sent to the login form, in Vietnamese by default.
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("truongthon")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    screenshot(page, "1-login")
    page.get_by_role("button", name="Đăng nhập").click()

    # Home: their hamlet at a glance, and nothing of the neighbouring hamlet.
    hamlet_link = page.get_by_role("link", name="Thôn Bình Chiến")
    expect(hamlet_link).to_be_visible()
    expect(page.get_by_text("Việc cần làm")).to_be_visible()
    expect(page.get_by_text("Đồng Tâm")).to_have_count(0)
    screenshot(page, "2-home")

    hamlet_link.click()
    expect(page.get_by_role("heading", name="Thôn Bình Chiến")).to_be_visible()
    expect(page.get_by_role("link", name="Nguyễn Văn Phụng")).to_be_visible()
    # Nothing overflows the 360 px screen sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "3-hamlet")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_text("What needs doing")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/units/\d+/$"))
    screenshot(page, "4-hamlet-english")

    page.locator("details.menu summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    screenshot(page, "5-logged-out")
