"""A hamlet head relays a commune notice to the hamlet's loudspeakers on a phone, listens
to it, and sees it queued for the 17:00 slot (issue 19)."""

from datetime import date

import pytest
import time_machine
from playwright.sync_api import expect

from langso.notices import actions
from langso.notices.models import Audience, Broadcast, LoudspeakerSystem, NoticeAudio
from langso.test import PASSWORD, vietnam_time

pytestmark = pytest.mark.browser

DAY = date(2026, 3, 14)


@pytest.fixture
def commune_notice(world):
    LoudspeakerSystem.objects.create(unit=world.hamlet, slots=["06:00", "17:00"], repeat=2)
    notice = actions.create_notice(
        acting_user=world.official,
        unit=world.commune,
        title="Tiêm phòng dại cho chó mèo",
        body="Tiêm lúc 7h30 thứ 4 ngày 18/03/2026 tại nhà văn hóa thôn, phí 50.000 đ một con.",
        audiences=[Audience(kind=Audience.Kind.RELAY, unit=world.hamlet)],
    )
    actions.send_notice(notice, acting_user=world.official)
    return notice


def test_the_hamlet_head_relays_to_the_loudspeakers_listens_and_sees_the_slot(
    live_server, world, commune_notice, phone, screenshot
):
    page = phone
    # The clock moves (the browser and the server need it), from 9:00 on the day.
    with time_machine.travel(vietnam_time(DAY, 9), tick=True):
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill("truongthon")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()

        page.locator("details.menu summary").click()
        page.get_by_role("link", name="Cần chuyển tiếp (1)").click()
        page.get_by_role("link", name="Chuyển tiếp tới người dân").click()
        page.get_by_label("Ghi chú cho thôn").fill("Bà con mang chó mèo ra sân nhà văn hóa.")
        page.get_by_label("Phát trên loa truyền thanh của thôn").check()
        screenshot(page, "1-relay-to-loudspeakers")
        page.get_by_role("button", name="Chuyển tiếp tới người dân thôn Bình Chiến").click()

        section = page.locator("#loudspeakers")
        expect(section).to_be_visible()
        first = section.locator("tbody tr").first
        expect(first).to_contain_text("17:00 14/03/2026")
        expect(first).to_contain_text("Đang chờ gửi")
        expect(section.locator("tbody tr")).to_have_count(2)  # and tomorrow at 06:00

        # Listen: the player loads the speech made from the text and can play it.
        player = section.locator("audio[data-notice-audio]")
        player.evaluate("audio => { audio.preload = 'auto'; audio.load(); }")
        page.wait_for_function(
            "() => document.querySelector('audio[data-notice-audio]').readyState >= 1",
            timeout=60_000,
        )
        duration = player.evaluate("audio => audio.duration")
        assert duration > 5
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(page, "2-queued-for-17h")

    audio = NoticeAudio.objects.get()
    assert "bảy giờ ba mươi phút thứ tư ngày mười tám tháng ba" in audio.spoken_text
    assert abs(audio.duration - duration) < 0.5
    plays = Broadcast.objects.order_by("play_at")
    assert [b.status for b in plays] == ["queued", "queued"]


@pytest.fixture
def recording_phone(browser):
    """A phone whose browser has a (fake) microphone and lets the site use it."""
    chromium = browser.browser_type.launch(
        executable_path="/usr/bin/chromium",
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ],
    )
    context = chromium.new_context(
        viewport={"width": 360, "height": 800}, locale="vi-VN", permissions=["microphone"]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    chromium.close()


def test_the_hamlet_head_records_the_notice_in_the_browser(
    live_server, world, recording_phone, screenshot
):
    LoudspeakerSystem.objects.create(unit=world.hamlet, slots=["17:00"], repeat=1)
    notice = actions.create_notice(
        acting_user=world.hamlet_head,
        unit=world.hamlet,
        title="Họp thôn",
        body="Họp thôn lúc 19h30 tối nay.",
        audiences=[Audience(kind=Audience.Kind.UNIT, unit=world.hamlet)],
        loudspeaker=True,
    )
    page = recording_phone
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("truongthon")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(live_server.url + notice.get_absolute_url())
    page.get_by_text("Thay bằng bản ghi âm của bạn").click()
    page.get_by_role("button", name="Bắt đầu ghi âm").click()
    page.wait_for_timeout(2500)
    page.get_by_role("button", name="Dừng").click()
    expect(page.get_by_role("button", name="Dùng bản ghi âm này")).to_be_enabled()
    screenshot(page, "1-recorded")
    page.get_by_role("button", name="Dùng bản ghi âm này").click()
    expect(page.locator("#loudspeakers")).to_contain_text("Do Đặng Văn Bình ghi âm lúc")
    audio = NoticeAudio.objects.get(notice=notice)
    assert audio.source == NoticeAudio.Source.RECORDING
    # About 2.5 s of the microphone inside the chimes and pauses (about 2 s).
    assert 3.5 < audio.duration < 6.5
