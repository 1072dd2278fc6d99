"""A party member answers a meeting invitation and studies the resolution on a phone;
the secretary sees the confirmation and the points (issue: party cell handbook)."""

from datetime import timedelta

import pytest
import typst
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from langso.lib.pdf import FONT_DIRS
from langso.party import actions
from langso.party.models import Meeting
from langso.test import FIXED_DAY, PASSWORD, PartyWorld, vietnam_time

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    """Today is `FIXED_DAY`, 09:00 in Vietnam, the clock ticking: what these tests date
    (retention ages, meetings to come, uploads) never drifts with the real date."""
    time_machine.move_to(vietnam_time(FIXED_DAY), tick=True)


def log_in(page, url, username):
    page.goto(url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.fixture
def handbook(world, tmp_path):
    pw = PartyWorld(world)
    meeting = actions.schedule_meeting(
        pw.cell,
        acting_user=pw.secretary_user,
        kind=Meeting.Kind.REGULAR,
        title="Sinh hoạt chi bộ tháng 12",
        starts_at=timezone.now() + timedelta(days=4),
        place="Nhà văn hoá thôn Bình Chiến",
        agenda="Quán triệt Nghị quyết số 05-NQ/ĐU",
    )
    source = tmp_path / "nq.typ"
    source.write_text('#set text(font: "DejaVu Sans")\n= Nghị quyết số 05-NQ/ĐU\n')
    document = actions.add_document(
        acting_user=pw.committee_user,
        kind="resolution",
        number="05-NQ/ĐU",
        title="Nghị quyết về phát triển kinh tế nông nghiệp",
        issuing_body="Đảng uỷ xã Tân Lập",
        issued_on=timezone.localdate(),
        file=SimpleUploadedFile("nq05.pdf", typst.compile(str(source), font_paths=FONT_DIRS)),
        organisations=[pw.committee],
        meeting=meeting,
    )
    actions.add_question(
        document,
        acting_user=None,
        text="Nghị quyết đặt mục tiêu cho nhiệm kỳ nào?",
        choices=["2020–2025", "2025–2030"],
        correct=2,
    )
    actions.add_question(
        document,
        acting_user=None,
        text="Cây trồng chủ lực của xã là gì?",
        choices=["Cà phê", "Mía", "Lúa nước"],
        correct=1,
    )
    return pw, meeting, document


def test_a_member_confirms_the_meeting_and_answers_the_resolutions_questions(
    live_server, handbook, phone, screenshot
):
    pw, meeting, _document = handbook
    page = phone
    log_in(page, live_server.url, "dangvien")
    party_card = page.locator("section.card", has=page.get_by_role("link", name="Sổ tay đảng viên"))
    expect(party_card).to_contain_text("1")
    screenshot(page, "1-home")

    party_card.get_by_role("link", name="Sổ tay đảng viên").click()
    page.get_by_role("link", name="Sinh hoạt chi bộ tháng 12").click()
    expect(page.get_by_role("heading", name="Sinh hoạt chi bộ tháng 12")).to_be_visible()
    screenshot(page, "2-invitation")
    page.locator("button[name=response][value=confirmed]").click()
    expect(page.locator("#my-answer .notice")).to_be_visible()
    screenshot(page, "3-confirmed")

    page.get_by_role("link", name="Nghị quyết về phát triển kinh tế nông nghiệp").click()
    page.get_by_label("2025–2030").check()
    page.get_by_label("Cà phê").check()
    screenshot(page, "4-questions")
    page.locator("#study button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("20")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "5-points")

    # The secretary, on their own phone, sees the confirmation and the points.
    page.context.clear_cookies()
    log_in(page, live_server.url, "bithu")
    page.goto(live_server.url + meeting.get_absolute_url())
    expect(page.locator("#confirmed-count")).to_have_text("1")
    row = page.locator("tr", has_text="Trần Thị Thuỷ")
    expect(row).to_contain_text(str(meeting.invitations.first().Response.CONFIRMED.label))
    screenshot(page, "6-secretary-meeting")
    page.goto(live_server.url + pw.cell.get_absolute_url())
    expect(page.locator("tr", has_text="Trần Thị Thuỷ").locator("td.num")).to_have_text("20")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "7-secretary-cell")
