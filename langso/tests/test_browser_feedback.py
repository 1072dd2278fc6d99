"""A resident reports a broken culvert from the phone and follows it to the public answer
(issue 14, Tests): reported with a photo and no account, assigned by the commune to the
hamlet head, answered with a photo of the fix, read on the code page, and shown on the
public list without the resident's phone."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from langso.feedback.defaults import ensure_defaults
from langso.feedback.models import Report
from langso.test import PASSWORD

pytestmark = pytest.mark.browser


def jpeg(color):
    out = io.BytesIO()
    Image.new("RGB", (800, 600), color).save(out, format="JPEG")
    return {"name": "anh.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def log_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def log_out(page):
    page.locator("details.menu summary").click()
    page.get_by_role("button", name="Đăng xuất").click()


def test_a_broken_culvert_reported_from_the_phone_is_answered_in_public(
    live_server, world, phone, screenshot
):
    ensure_defaults()
    page, base = phone, live_server.url

    # The resident, without an account, reports with a photo.
    page.goto(base + "/public/04000/feedback/new/")
    page.get_by_label("Phản ánh về lĩnh vực nào?").select_option(label="Đường giao thông, cầu cống")
    page.get_by_label("Thôn").select_option(label="Thôn Bình Chiến")
    page.get_by_label("Vấn đề là gì?").fill("Cống ngang đường đầu thôn bị vỡ, xe máy khó đi.")
    page.get_by_label("Ở đâu? (mô tả vị trí)").fill("Cạnh nhà văn hoá")
    page.get_by_label("Ảnh (tối đa 3)").set_input_files([jpeg((120, 90, 60))])
    page.get_by_label("Số điện thoại nhận trả lời (không bắt buộc)").fill("0912345678")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "1-report")
    page.get_by_role("button", name="Gửi phản ánh").click()
    code_shown = page.locator(".tracking-code")
    expect(code_shown).to_be_visible()
    report = Report.objects.get()
    expect(code_shown).to_have_text(report.tracking_display)
    screenshot(page, "2-code")

    # The commune official assigns it to the hamlet head.
    log_in(page, base, "canbo")
    page.goto(base + "/feedback/")
    page.get_by_role("link", name=report.tracking_display).click()
    page.get_by_label("Giao cho người").select_option(label="Đặng Văn Bình")
    page.get_by_role("button", name="Giao", exact=True).click()
    expect(page.get_by_text("Đã giao xử lý")).to_be_visible()
    screenshot(page, "3-assigned")
    log_out(page)

    # The hamlet head answers with a photo of the fix.
    log_in(page, base, "truongthon")
    page.goto(base + "/feedback/")
    page.get_by_role("link", name=report.tracking_display).click()
    page.get_by_label("Trả lời người dân (công khai)").fill("Thôn đã thay ống cống mới ngày 12/6.")
    page.get_by_label("Ảnh sau khi xử lý (tối đa 3)").set_input_files([jpeg((40, 160, 60))])
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.get_by_text("Đã trả lời", exact=True)).to_be_visible()
    screenshot(page, "4-answered")
    log_out(page)

    # The resident opens the code page and reads the answer, with both photos.
    page.goto(base + f"/public/04000/feedback/track/{report.code}/")
    expect(page.get_by_text("Thôn đã thay ống cống mới ngày 12/6.")).to_be_visible()
    expect(page.locator(".feedback-photos img")).to_have_count(2)
    screenshot(page, "5-resident-reads")

    # The public list shows it, without the resident's phone.
    page.goto(base + "/public/04000/feedback/")
    expect(page.get_by_text("Thôn đã thay ống cống mới ngày 12/6.")).to_be_visible()
    assert "0912345678" not in page.content()
    screenshot(page, "6-public-list")
