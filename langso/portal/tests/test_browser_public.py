"""The public site in a phone's browser: accessibility (axe-core) on every page type and
the main signed-in pages, the home page's weight, and reading offline (issue 17 §4, §5)."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from langso.portal.tests.helpers import article, photo
from langso.portal.tests.test_home import public_notice
from langso.test import PASSWORD

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
HOME_BUDGET = 100 * 1024


def axe_violations(page):
    """Serious and critical WCAG 2.x A/AA violations axe-core finds on the page."""
    # Evaluated by the test's driver, not added as an inline <script> (which the site's
    # Content-Security-Policy rightly refuses).
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: "tag",
                values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}});
            return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => ({id: v.id, impact: v.impact,
                            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )
    return result


@pytest.fixture
def site(world, procedures):
    from langso.portal import actions
    from langso.portal.models import Site

    actions.save_site(
        Site(commune=world.commune),
        acting_user=None,
        tagline="Chào mừng bà con",
        phone="0212 3845 123",
        office_hours="Sáng: 7:30 – 11:30",
        banner=photo(),
        banner_alt="Cánh đồng lúa",
    )
    item = article(world, "Khánh thành nhà văn hoá", photo=photo(), image_alt="Nhà văn hoá mới")
    notice = public_notice(world, "Lịch tiếp công dân tháng 12")
    return {"article": item, "notice": notice}


def test_every_public_page_type_passes_axe(live_server, world, site, phone, screenshot):
    assert AXE.exists(), "axe-core is installed by make (npm ci)"
    base = f"{live_server.url}/public/04000"
    pages = {
        "home": f"{base}/",
        "news": f"{base}/news/",
        "article": f"{base}/news/{site['article'].pk}/",
        "search": f"{base}/news/?q=nha+van+hoa",
        "procedures": f"{base}/procedures/",
        "procedure": f"{base}/procedures/dang-ky-khai-sinh/",
        "notices": f"{base}/notices/",
        "offline": f"{base}/offline/",
        "not-found": f"{base}/news/999999/",
    }
    found = {}
    for name, url in pages.items():
        phone.goto(url)
        violations = axe_violations(phone)
        if violations:
            found[name] = violations
        screenshot(phone, name)
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


def test_the_main_signed_in_pages_pass_axe(live_server, world, site, phone):
    from langso.accounts.roles import Role
    from langso.test import make_user

    make_user("bientap", "Đỗ Thị Mai", Role.EDITOR, world.commune)
    phone.goto(live_server.url + "/accounts/login/")
    found = {}
    if violations := axe_violations(phone):
        found["login"] = violations
    phone.get_by_label("Tên đăng nhập").fill("bientap")
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    for name, path in {
        "home": "/",
        "news-list": "/portal/news/",
        "article-form": f"/portal/news/{site['article'].pk}/",
        "new-article": f"/portal/news/new/{world.commune.pk}/",
        "inbox": "/notices/inbox/",
    }.items():
        phone.goto(live_server.url + path)
        if violations := axe_violations(phone):
            found[name] = violations
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


def test_the_home_page_weighs_at_most_100_kb_before_images(live_server, world, site, phone):
    phone.goto(f"{live_server.url}/public/04000/")
    phone.wait_for_load_state("load")
    sizes = phone.evaluate(
        """() => {
            const nav = performance.getEntriesByType("navigation")[0];
            const parts = [["document", nav.decodedBodySize]];
            for (const r of performance.getEntriesByType("resource")) {
                if (r.initiatorType !== "img") parts.push([r.name, r.decodedBodySize]);
            }
            return parts;
        }"""
    )
    total = sum(size for _name, size in sizes)
    print("home page weight before images:", total, "bytes", sizes)
    assert sizes[0][1] > 1000  # the measure sees the page itself
    assert total <= HOME_BUDGET, sizes
    images = phone.locator("main img")
    assert images.count() >= 2
    assert phone.locator("main .news-card img").first.get_attribute("loading") == "lazy"


def test_a_resident_reads_a_notice_then_rereads_it_offline(
    live_server, world, site, browser, screenshot
):
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="vi-VN")
    page = context.new_page()
    try:
        # A link shared in the hamlet's Zalo group.
        page.goto(f"{live_server.url}/public/04000/?utm_source=zalo")
        expect(page.get_by_role("heading", name="Xã Tân Lập", level=1)).to_be_visible()
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        page.get_by_role("navigation").get_by_role("link", name="Thông báo").click()
        expect(page.get_by_text("Lịch tiếp công dân tháng 12")).to_be_visible()
        expect(page.locator("[data-offline]")).to_be_hidden()
        screenshot(page, "1-notice-online")

        context.set_offline(True)
        page.goto(f"{live_server.url}/public/04000/")
        page.goto(f"{live_server.url}/public/04000/notices/")
        expect(page.get_by_text("Lịch tiếp công dân tháng 12")).to_be_visible()
        expect(page.locator("[data-offline]")).to_be_visible()
        expect(page.locator("[data-offline]")).to_contain_text("Bạn đang không có mạng")
        screenshot(page, "2-notice-offline")

        page.goto(f"{live_server.url}/public/04000/procedures/")
        expect(page.get_by_role("heading", name="Không có kết nối mạng")).to_be_visible()
        screenshot(page, "3-not-saved")
    finally:
        context.close()
