"""The hamlet head registers a newborn on a phone and finds the baby by an unaccented name."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from langso.test import PASSWORD

pytestmark = pytest.mark.browser


def test_the_hamlet_head_registers_a_newborn_and_finds_them_without_diacritics(
    live_server, world, phone, screenshot
):
    page = phone
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("truongthon")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("link", name="Thôn Bình Chiến").click()
    page.get_by_role("link", name="Nguyễn Văn Phụng").click()
    expect(page.get_by_role("heading", name="Hộ gia đình: Nguyễn Văn Phụng")).to_be_visible()
    page.get_by_role("link", name="Đăng ký khai sinh").click()
    screenshot(page, "1-birth-form")

    page.get_by_label("Họ và tên").fill("Nguyễn Thị Ngọc Ánh")
    born = f"{timezone.localdate() - timedelta(days=30):%d/%m/%Y}"  # a month ago, any day
    page.get_by_label("Ngày sinh").fill(born)
    page.get_by_label("Nữ").check()
    page.get_by_label("Quan hệ với chủ hộ").fill("Cháu")
    screenshot(page, "2-birth-filled")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_text("Nguyễn Thị Ngọc Ánh đã được thêm")).to_be_visible()
    expect(page.get_by_role("link", name="Nguyễn Thị Ngọc Ánh")).to_be_visible()
    screenshot(page, "3-household")

    page.locator("details.menu summary").click()
    page.get_by_role("link", name="Nhân khẩu").click()
    page.get_by_label("Tìm theo tên, số định danh hoặc số điện thoại").fill("ngoc anh")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Nguyễn Thị Ngọc Ánh")).to_be_visible()
    expect(results.get_by_role("link", name="Nguyễn Văn Phụng")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "4-found")

    results.get_by_role("link", name="Nguyễn Thị Ngọc Ánh").click()
    expect(page.get_by_text("Khai sinh")).to_be_visible()
    expect(page.get_by_text(born).first).to_be_visible()
    screenshot(page, "5-person")
