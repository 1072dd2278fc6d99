"""A commune official finds one group among many by typing in the unit picker's filter."""

import pytest
from playwright.sync_api import expect

from langso.places.models import Unit
from langso.test import PASSWORD, make_unit

pytestmark = pytest.mark.browser


def test_typing_in_a_long_unit_picker_leaves_the_matching_groups(
    live_server, world, phone, screenshot
):
    for number in range(2, 16):
        make_unit(world.hamlet, Unit.Kind.GROUP, f"g{number:02d}", f"Tổ {number}", "tổ")
    page = phone
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    # Checkboxes: the groups a notice is for.
    page.goto(live_server.url + "/notices/new/")
    page.locator("details:has(#id_groups) > summary").click()
    groups = page.locator("#id_groups")
    page.locator("details:has(#id_groups) input.unit-filter").fill("binh chien to 15")
    expect(groups.get_by_label("Thôn Bình Chiến › Tổ 15")).to_be_visible()
    expect(groups.get_by_label("Thôn Bình Chiến › Tổ 2", exact=True)).to_be_hidden()
    screenshot(page, "1-checkboxes")

    # A drop-down: the unit of a list.
    page.goto(live_server.url + "/reports/lists/voters/")
    page.locator("input.unit-filter").fill("tổ 1")
    shown = page.locator("#id_unit").evaluate(
        "select => Array.from(select.options).filter(o => !o.hidden).map(o => o.text)"
    )
    assert "Thôn Bình Chiến › Tổ 1" in shown and "Thôn Bình Chiến › Tổ 15" in shown
    assert "Thôn Bình Chiến › Tổ 2" not in shown
