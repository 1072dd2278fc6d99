"""An association branch head's journey on a phone (issue 16, Tests): she adds a member
found in the registry, records a meeting's attendance, and the commune chair sees the
hamlet's membership rate change."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from langso.accounts.roles import Role
from langso.associations.tests.worlds import AssociationWorld
from langso.registry import actions as registry
from langso.registry.models import Person
from langso.test import PASSWORD, make_user

pytestmark = pytest.mark.browser


def log_in(page, url, username):
    page.goto(url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def log_out(page):
    page.locator("details.menu summary").click()
    page.get_by_role("button", name="Đăng xuất").click()


def test_a_branch_head_adds_a_member_records_attendance_and_the_chair_sees_the_rate(
    live_server, world, phone, screenshot
):
    assoc = AssociationWorld(world)
    registry.register_person(
        world.household,
        acting_user=None,
        on=date(2015, 1, 1),
        relationship="Con dâu",
        full_name="Nguyễn Thị Lan",
        sex=Person.Sex.FEMALE,
        birth_date=date(1995, 4, 12),
    )
    make_user("chutich", "Lò Văn Hùng", Role.COMMUNE_LEADER, world.commune)
    page = phone

    # The chair first: Bình Chiến has one member of two women of 18 and over.
    log_in(page, live_server.url, "chutich")
    page.get_by_role("link", name="Hội, đoàn thể").first.click()
    page.get_by_role("link", name="Hội LHPN xã Tân Lập").first.click()
    row = page.locator("#rates tbody tr", has_text="Bình Chiến")
    expect(row).to_contain_text(re.compile(r"50[,.]0 %"))
    screenshot(page, "1-chair-before")
    log_out(page)

    # The branch head finds Lan in the registry and adds her.
    log_in(page, live_server.url, "chihoi")
    page.get_by_role("link", name="Hội, đoàn thể").first.click()
    page.get_by_role("link", name="Chi hội Bình Chiến").click()
    page.get_by_role("link", name="Thêm hội viên").click()
    page.get_by_label("Tìm người trong sổ nhân khẩu").fill("nguyen thi lan")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_label("Nguyễn Thị Lan (1995)").check()
    page.locator("#id_card_number").fill("PN-002")
    screenshot(page, "2-add-member")
    page.get_by_role("button", name="Thêm", exact=True).click()
    expect(page.locator("#members")).to_contain_text("Nguyễn Thị Lan")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # She holds the month's meeting (the invitations go through notices) and records
    # who came: both.
    page.get_by_role("link", name="Cuộc họp, hoạt động mới").click()
    page.locator("#id_title").fill("Sinh hoạt chi hội tháng")
    page.locator("#id_starts_at_0").fill(f"{timezone.localdate():%d/%m/%Y}")
    page.locator("#id_starts_at_1").fill("07:30")
    page.locator("#id_place").fill("Nhà văn hoá thôn Bình Chiến")
    page.get_by_role("button", name="Tạo và gửi giấy mời").click()
    expect(page.get_by_role("heading", name="Sinh hoạt chi hội tháng")).to_be_visible()
    page.get_by_label("Trần Thị Thuỷ").check()
    page.get_by_label("Nguyễn Thị Lan").check()
    page.get_by_role("button", name="Lưu điểm danh").click()
    expect(page.locator("#attendance-count")).to_contain_text("2/2 hội viên có mặt")
    screenshot(page, "3-attendance")
    log_out(page)

    # The chair sees the rate of Bình Chiến rise to all of its women.
    log_in(page, live_server.url, "chutich")
    page.get_by_role("link", name="Hội, đoàn thể").first.click()
    page.get_by_role("link", name="Hội LHPN xã Tân Lập").first.click()
    row = page.locator("#rates tbody tr", has_text="Bình Chiến")
    expect(row).to_contain_text(re.compile(r"100[,.]0 %"))
    screenshot(page, "4-chair-after")
    lan = assoc.women.members.get(person__full_name="Nguyễn Thị Lan")
    assert (lan.branch, lan.card_number) == (assoc.branch, "PN-002")
    assert lan.attendance.get().status == "present"
