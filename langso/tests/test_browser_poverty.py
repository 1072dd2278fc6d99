"""The poverty review on a phone (issue 13): the hamlet head surveys a household with a
pre-filled form and sees it classified, the labour officer records the hamlet meeting and
posts the list, the chairperson recognises, and the commune's poverty rate changes."""

from datetime import date

import pytest
import time_machine
from playwright.sync_api import expect

from langso.accounts.roles import Role
from langso.poverty import actions
from langso.poverty.models import Entry
from langso.poverty.tests.standards import ensure_shipped
from langso.test import PASSWORD, make_user, vietnam_time

pytestmark = pytest.mark.browser


def log_in(page, url, username):
    page.context.clear_cookies()
    page.goto(url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_survey_meeting_posting_recognition_on_a_phone(live_server, world, phone, screenshot):
    page = phone
    ensure_shipped()
    officer = make_user("laodong", "Lò Thị Mai", Role.LABOUR_OFFICER, world.commune)
    make_user("chutich", "Quàng Văn Hải", Role.COMMUNE_LEADER, world.commune)
    with time_machine.travel(vietnam_time(date(2026, 11, 16)), tick=True) as traveller:
        review = actions.open_review(world.commune, acting_user=officer, year=2026)
        actions.add_entry(
            review,
            world.household,
            acting_user=officer,
            source=Entry.Source.APPLIED,
            applied_on=date(2026, 9, 10),
        )
        dashboard = f"{live_server.url}/poverty/unit/{world.commune.pk}/"

        # The hamlet head surveys the household on the review's list.
        log_in(page, live_server.url, "truongthon")
        page.goto(f"{live_server.url}/poverty/review/{review.pk}/")
        page.get_by_role("link", name="Rà soát", exact=True).click()
        expect(page.get_by_text("Trần Thị Thuỷ · Vợ")).to_be_visible()  # pre-filled members
        page.get_by_label("Thu nhập của Nguyễn Văn Phụng (đồng/tháng)").fill("2.500.000")
        page.get_by_label("Thu nhập của Trần Thị Thuỷ (đồng/tháng)").fill("1.000.000")
        expect(
            page.get_by_label("Bảo hiểm y tế", exact=True)
        ).to_be_checked()  # no card in the registry
        page.get_by_label("Nguồn nước sinh hoạt").check()
        page.get_by_label("Nhà tiêu hợp vệ sinh").check()
        page.get_by_label("diện tích nhà ở (m²)").fill("36")
        screenshot(page, "1-survey")
        page.get_by_role("button", name="Lưu và phân loại").click()
        expect(page.locator("#result")).to_have_text("Nghèo")
        expect(page.get_by_text("Thu nhập bình quân: 1.166.666")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(page, "2-classified")

        # The officer records the hamlet meeting and posts the list.
        log_in(page, live_server.url, "laodong")
        page.goto(dashboard)
        expect(page.locator("#figures")).to_contain_text("0 hộ nghèo (0,00 %)")
        page.goto(f"{live_server.url}/poverty/review/{review.pk}/")
        page.get_by_role("link", name="Ghi biên bản họp thôn").click()
        page.locator("#id_held_on").fill("16/11/2026")
        page.locator("#id_attendance").fill("42")
        entry = review.entries.get()
        page.locator(f"#id_for_{entry.pk}").fill("38")
        page.locator(f"#id_cast_{entry.pk}").fill("40")
        page.get_by_role("button", name="Lưu biên bản").click()
        expect(page.get_by_text("Đã lưu biên bản họp thôn.")).to_be_visible()
        page.locator("#id_starts_on").fill("16/11/2026")
        page.get_by_role("button", name="Niêm yết công khai").click()
        expect(page.locator("#stage")).to_have_text("Niêm yết công khai")
        screenshot(page, "3-posted")
        # And tells the residents, with the posting's dates offered in the notice.
        page.get_by_role("link", name="Thông báo cho người dân").click()
        expect(page.locator("#id_body")).to_contain_text("từ 16/11/2026 đến 18/11/2026")
        page.get_by_role("button", name="Gửi thông báo").click()
        expect(page.get_by_text("Đã gửi thông báo cho người dân.")).to_be_visible()

        # The chairperson recognises once the posting has ended.
        traveller.move_to(vietnam_time(date(2026, 11, 19)))
        log_in(page, live_server.url, "chutich")
        page.goto(f"{live_server.url}/poverty/review/{review.pk}/")
        page.locator("#id_number").fill("215/QĐ-UBND")
        page.locator("#id_on").fill("19/11/2026")
        page.get_by_role("button", name="Công nhận").click()
        expect(page.locator("#stage")).to_have_text("Đã công nhận")
        page.goto(dashboard)
        expect(page.locator("#figures")).to_contain_text("1 hộ nghèo (50,00 %)")
        screenshot(page, "4-dashboard")
