"""A commune official opens a polling area, checks its count and downloads its voter list."""

from datetime import date

import pytest
from playwright.sync_api import expect

from langso.reports.models import Election, PollingArea
from langso.test import PASSWORD

pytestmark = pytest.mark.browser


def test_a_commune_official_downloads_the_voter_list_of_a_polling_area(
    live_server, world, phone, screenshot, tmp_path
):
    election = Election.objects.create(
        name="Bầu cử đại biểu Quốc hội khóa XVI", day=date(2026, 3, 15)
    )
    area = PollingArea.objects.create(election=election, commune=world.commune, number=1,
                                      name="Nhà văn hóa thôn Bình Chiến")  # fmt: skip
    area.units.set([world.hamlet])
    page = phone
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.locator("details.menu summary").click()
    page.get_by_role("link", name="Bầu cử").click()
    page.get_by_role("link", name="Xã Tân Lập").click()
    page.get_by_role("link", name="Khu vực bỏ phiếu số 1 – Nhà văn hóa thôn Bình Chiến").click()
    expect(page.locator("#voter-count")).to_have_text("2")
    screenshot(page, "1-polling-area")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải danh sách cử tri (PDF)").click()
    download = download_info.value
    path = tmp_path / "cu-tri.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename.endswith(".pdf")
