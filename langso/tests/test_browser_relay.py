"""A hamlet head relays a commune notice with a local note, prints the in-person list and
ticks off the two households (four people), on a phone (issue: notices; issue 12 item 13)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from langso.notices import actions
from langso.notices.models import Audience, Recipient
from langso.test import PASSWORD, make_household

pytestmark = pytest.mark.browser


@pytest.fixture
def commune_notice(world):
    make_household(world.hamlet, "Hà Thị Mai", members=[])
    notice = actions.create_notice(
        acting_user=world.official,
        unit=world.commune,
        title="Tổng vệ sinh môi trường",
        body="Sáng Chủ nhật các hộ dọn vệ sinh đường làng, khơi thông cống rãnh.",
        audiences=[
            Audience(kind=Audience.Kind.RELAY, unit=world.hamlet),
            Audience(kind=Audience.Kind.RELAY, unit=world.other_hamlet),
        ],
    )
    actions.send_notice(notice, acting_user=world.official)
    return notice


def test_the_hamlet_head_relays_with_a_note_and_ticks_off_two_households(
    live_server, world, commune_notice, phone, screenshot
):
    page = phone
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("truongthon")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.locator("details.menu summary").click()
    page.get_by_role("link", name="Cần chuyển tiếp (1)").click()
    expect(page.get_by_text("Tổng vệ sinh môi trường")).to_be_visible()
    screenshot(page, "1-to-relay")
    page.get_by_role("link", name="Chuyển tiếp tới người dân").click()
    page.get_by_label("Ghi chú cho thôn").fill("Tập trung 6 giờ sáng tại nhà văn hoá thôn.")
    screenshot(page, "2-note")
    page.get_by_role("button", name="Chuyển tiếp tới người dân thôn Bình Chiến").click()
    expect(page.get_by_text("Tập trung 6 giờ sáng tại nhà văn hoá thôn.")).to_be_visible()

    # The worker fans the relayed notice out (nobody here has a phone or an account).
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    page.reload()
    expect(page.locator("#status")).to_be_visible()
    screenshot(page, "3-status")
    page.get_by_role("link", name="Danh sách cần thông báo trực tiếp").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)  # one line per household
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "4-in-person")

    rows.nth(0).get_by_role("button").click()
    expect(rows.nth(0).get_by_role("button")).to_have_attribute("aria-pressed", "true")
    rows.nth(1).get_by_role("button").click()
    expect(rows.nth(1).get_by_role("button")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#told-count")).to_contain_text("4/4")
    screenshot(page, "5-ticked")
    assert Recipient.objects.filter(status=Recipient.Status.TOLD).count() == 4
    page.emulate_media(media="print")
    screenshot(page, "6-print")
