"""The commune's public home page gathers the news, what other apps publish and the
contacts (issue 17 §1)."""

import pytest
from django.urls import reverse

from langso.notices import actions as notice_actions
from langso.notices import delivery
from langso.notices.models import Audience
from langso.places import public
from langso.portal import actions
from langso.portal.models import Site
from langso.portal.tests.helpers import article, photo

pytestmark = pytest.mark.django_db


def public_notice(world, title):
    notice = notice_actions.create_notice(
        acting_user=world.official,
        unit=world.commune,
        title=title,
        body="Nội dung thông báo.",
        audiences=[Audience(kind=Audience.Kind.UNIT, unit=world.hamlet)],
        is_public=True,
    )
    notice_actions.send_notice(notice, acting_user=world.official)
    delivery.mark_sent(notice)
    return notice


@pytest.fixture
def silent_section():
    """A section registered by an app that has nothing public at the moment."""
    public.register(
        public.PublicSection(
            key="test-silent",
            title="Mục im lặng",
            order=5,
            template="notices/_public_section.html",
            context=lambda commune, request: None,
        )
    )
    yield
    public._sections.pop("test-silent")


def test_the_home_shows_the_commune_its_news_notices_and_contacts(client, world, silent_section):
    article(world, "Khánh thành nhà văn hoá thôn Bình Chiến")
    public_notice(world, "Lịch tiếp công dân tháng 12")
    actions.save_site(
        Site(commune=world.commune),
        acting_user=None,
        tagline="Chào mừng bà con đến với trang của xã",
        phone="0212 3845 123",
        office_hours="Sáng: 7:30 – 11:30\nChiều: 13:30 – 17:00",
        banner=photo(),
        banner_alt="Cánh đồng lúa của xã",
    )
    page = client.get(reverse("portal:home", args=["04000"])).content.decode()
    assert "<h1>Xã Tân Lập</h1>" in page
    assert "Chào mừng bà con đến với trang của xã" in page
    assert "Khánh thành nhà văn hoá thôn Bình Chiến" in page
    assert "Lịch tiếp công dân tháng 12" in page
    assert 'href="/public/04000/notices/"' in page
    assert "0212 3845 123" in page and "Chiều: 13:30 – 17:00" in page
    assert 'alt="Cánh đồng lúa của xã"' in page
    assert "Mục im lặng" not in page  # a section with nothing to show is left out
    assert '<html lang="vi">' in page and 'href="#content"' in page


def test_sections_appear_in_their_order_and_only_with_something_to_show(client, world):
    home = reverse("portal:home", args=["04000"])
    assert (
        "Thông báo"
        not in client.get(home).content.decode().split("<main")[1].split("Thủ tục hành chính")[0]
    )
    public_notice(world, "Lịch tiêm chủng")
    from django.core.cache import cache

    cache.clear()
    page = client.get(home).content.decode()
    assert page.index("Tin mới") < page.index("Lịch tiêm chủng") < page.index("Liên hệ với xã")


def test_another_communes_news_stays_on_its_own_site(client, world):
    article(world, "Tin của Tân Lập")
    page = client.get(reverse("portal:home", args=["04009"])).content.decode()
    assert "Tin của Tân Lập" not in page and "Xã Chiềng Hặc" in page
    assert client.get(reverse("portal:home", args=["99999"])).status_code == 404
    assert client.get("/public/abc/").status_code == 404


def test_only_the_commune_administrator_edits_the_contacts(client, world):
    url = reverse("portal:site-edit", args=[world.commune.pk])
    for persona in (world.viewer, world.official, world.outsider):
        client.force_login(persona)
        assert client.post(url, {"phone": "0999"}).status_code == 404
    assert not Site.objects.exists()
    client.force_login(world.admin)
    response = client.post(url, {"phone": "0212 3845 999", "address": "Trụ sở UBND xã"})
    assert response.status_code == 302
    site = Site.objects.get()
    assert site.phone == "0212 3845 999"
    from langso.accounts.models import AuditEntry

    entry = AuditEntry.objects.get(verb="portal.edit_site")
    assert entry.changes["phone"] == ["", "0212 3845 999"] and entry.actor == world.admin


def test_the_ten_procedures_are_shipped_with_fees_and_the_national_portal(
    client, world, procedures
):
    page = client.get(reverse("portal:procedures", args=["04000"])).content.decode()
    for title in ("Đăng ký khai sinh", "Đăng ký thường trú", "Chứng thực bản sao từ bản chính"):
        assert title in page
    detail = client.get(
        reverse("portal:procedure", args=["04000", "dang-ky-tam-tru"])
    ).content.decode()
    assert "15.000 đồng/lần khi nộp trực tiếp" in detail
    from langso.portal.models import Procedure

    assert Procedure.objects.count() == 10


def test_each_procedure_links_to_its_own_page_on_the_national_portal_when_known(
    client, world, procedures
):
    def detail(slug):
        url = reverse("portal:procedure", args=["04000", slug])
        return client.get(url).content.decode()

    birth = detail("dang-ky-khai-sinh")
    assert (
        'href="https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html'
        '?ma_thu_tuc=1.001193"' in birth
    )
    assert "Mã thủ tục trên đó: 1.001193." in birth
    stay = detail("dang-ky-tam-tru")
    assert "dvc-chi-tiet-thu-tuc-nganh-doc.html?ma_thu_tuc=1.004194" in stay
    # No own page is known for the first land registration: the page says so.
    land = detail("dang-ky-dat-dai-lan-dau")
    assert 'href="https://dichvucong.gov.vn"' in land
    assert "Chưa xác định được trang riêng của thủ tục này" in land
    linked = procedures.exclude(national_url="https://dichvucong.gov.vn")
    assert linked.count() == 9 and all(item.national_code for item in linked)


def test_the_site_administrator_edits_a_procedures_fee(client, world, procedures):
    from django.contrib.auth import get_user_model

    from langso.portal.models import Procedure

    admin_user = get_user_model().objects.create_superuser("sieuquantri", password="x-Y-z-123456")
    client.force_login(admin_user)
    item = Procedure.objects.get(slug="xac-nhan-tinh-trang-hon-nhan")
    change = reverse("admin:portal_procedure_change", args=[item.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["fee"] = "5.000 đồng (Nghị quyết của Hội đồng nhân dân tỉnh)"
    response = client.post(change, data)
    assert response.status_code == 302
    client.logout()
    page = client.get(reverse("portal:procedure", args=["04000", item.slug])).content.decode()
    assert "5.000 đồng (Nghị quyết của Hội đồng nhân dân tỉnh)" in page


def test_the_home_shows_the_feedback_figures_and_the_way_to_report(client, world):
    """Issue 17 §1: "open feedback figures and the form (from feedback)"."""
    from langso.feedback import actions as feedback
    from langso.feedback.defaults import ensure_defaults
    from langso.feedback.models import Category, Report

    ensure_defaults()
    roads = Category.objects.get(code="roads")
    for text in ("Cống đầu thôn bị vỡ.", "Đèn đường tắt cả tuần.", "Rác đổ cạnh trường."):
        feedback.submit_report(
            acting_user=None, hamlet=world.hamlet, category=roads, text=text,
            channel=Report.Channel.WEB, reporter_phone="0912345678", source_ip="10.0.0.1",
        )  # fmt: skip
    page = client.get(reverse("portal:home", args=["04000"])).content.decode()
    section = page.split("Đã tiếp nhận", 1)[1].split("</dl>", 1)[0]
    assert "<dd>3</dd>" in section  # received
    assert "Đã trả lời</dt><dd>0</dd>" in section and "Đang xử lý</dt><dd>3</dd>" in section
    assert 'href="/public/04000/feedback/new/"' in page
