"""The public pages kept for many readers, and forgotten as soon as what they show changes
(issue 17 §4 "caching headers and conditional requests"; docs/portal.md, Caching)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from langso.notices.models import Notice
from langso.portal import actions, caching
from langso.portal.models import Article, PublicChange, Site
from langso.portal.tests.helpers import article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_day")]

HOME = "/public/04000/"


def quietly_retitle(item, title):
    """Change a row the way a bulk update does: no signal, the cache is not told."""
    Article.objects.filter(pk=item.pk).update(title=title)


def test_a_cached_page_is_served_without_a_query_and_answers_not_modified(
    client, world, django_assert_num_queries, monkeypatch
):
    # The change stamp is read at most once a second; this (slow) test takes longer.
    monkeypatch.setattr(caching, "STAMP_SECONDS", 3600)
    article(world, "Lịch tiêm chủng")
    first = client.get(HOME)
    assert "Lịch tiêm chủng" in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get(HOME)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert "public" in again["Cache-Control"] and again["X-Frame-Options"] == "DENY"
    with django_assert_num_queries(0):
        unchanged = client.get(HOME, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and unchanged.content == b""


def test_a_link_shared_in_zalo_or_facebook_reads_the_same_cached_page(client, world):
    item = article(world, "Lịch tiêm chủng")
    first = client.get(HOME)
    quietly_retitle(item, "Tiêu đề đổi ngầm")
    shared = client.get(HOME, {"zarsrc": "30", "utm_source": "zalo", "fbclid": "abc"})
    assert shared["ETag"] == first["ETag"] and "Lịch tiêm chủng" in shared.content.decode()
    # A parameter the page reads is a different page.
    search = client.get("/public/04000/news/", {"q": "lich tiem"})
    assert "Tiêu đề đổi ngầm" in search.content.decode()


def test_a_published_article_shows_at_once_on_the_cached_home(client, world):
    article(world, "Tin cũ")
    assert "Tin cũ" in client.get(HOME).content.decode()
    article(world, "Họp dân thôn Bình Chiến")
    page = client.get(HOME).content.decode()
    assert "Họp dân thôn Bình Chiến" in page and "Tin cũ" in page


def test_an_edited_or_withdrawn_article_leaves_every_cached_page(client, world, editor):
    item = article(world, "Lịch tiêm chủng")
    url = reverse("portal:article", args=["04000", item.pk])
    assert "Lịch tiêm chủng" in client.get(url).content.decode()
    assert "Lịch tiêm chủng" in client.get(HOME).content.decode()
    actions.save_article(
        item, acting_user=editor, commune=world.commune, title="Lịch tiêm chủng (đã sửa)",
        body=item.body, summary=item.summary,
    )  # fmt: skip
    assert "Lịch tiêm chủng (đã sửa)" in client.get(url).content.decode()
    assert "Lịch tiêm chủng (đã sửa)" in client.get(HOME).content.decode()
    actions.unpublish_article(item, acting_user=editor)
    assert client.get(url).status_code == 404
    assert "Lịch tiêm chủng" not in client.get(HOME).content.decode()


def test_a_public_notice_and_a_new_phone_number_show_at_once(client, world):
    article(world, "Tin tức")
    assert "Mất điện" not in client.get(HOME).content.decode()
    Notice.objects.create(
        title="Mất điện thôn Bình Chiến ngày mai",
        body="Điện lực cắt điện từ 7 giờ đến 11 giờ.",
        unit=world.hamlet,
        is_public=True,
        status=Notice.Status.SENT,
        sent_at=timezone.now(),
    )
    assert "Mất điện thôn Bình Chiến ngày mai" in client.get(HOME).content.decode()
    Site.objects.update_or_create(commune=world.commune, defaults={"phone": "0212 3999 888"})
    assert "0212 3999 888" in client.get(HOME).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_change_counted_by_another_process_reaches_this_one_within_a_second(
    client, world, monkeypatch
):
    monkeypatch.setattr(caching, "STAMP_SECONDS", 3600)  # "a second", for this slow test
    before = PublicChange.objects.values_list("counter", flat=True).first() or 0
    with transaction.atomic():
        item = article(world, "Lịch tiêm chủng")
        article(world, "Tin thứ hai")
        assert PublicChange.objects.values_list("counter", flat=True).first() in (None, before)
    # Committed: the database counter moved, once for the whole transaction.
    assert PublicChange.objects.get().counter == before + 1
    client.get(HOME)
    # Another gunicorn worker saves a change: only the database's counter tells this one.
    quietly_retitle(item, "Lịch tiêm chủng tháng 7")
    PublicChange.objects.update(counter=PublicChange.objects.get().counter + 1)
    assert "Lịch tiêm chủng tháng 7" not in client.get(HOME).content.decode()
    caching._stamp.read_at -= caching.STAMP_SECONDS + 1  # "a second" later
    assert "Lịch tiêm chủng tháng 7" in client.get(HOME).content.decode()


def test_a_scheduled_article_appears_at_its_time_on_a_cached_page(client, world):
    article(world, "Tin đã đăng")
    later = timezone.now() + timedelta(seconds=30)
    article(world, "Thông báo lịch thu thuế", at=later)
    first = client.get(HOME)
    assert "Thông báo lịch thu thuế" not in first.content.decode()
    max_age = int(first["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 30
    with time_machine.travel(later + timedelta(seconds=1)):
        assert "Thông báo lịch thu thuế" in client.get(HOME).content.decode()


def test_a_signed_in_users_page_is_never_kept_for_others(client, world):
    item = article(world, "Tin chung")
    client.force_login(world.official)
    mine = client.get(HOME)
    assert "private" in mine["Cache-Control"] and "Tin chung" in mine.content.decode()
    quietly_retitle(item, "Tin chung đã sửa")
    client.logout()
    client.cookies.clear()
    theirs = client.get(HOME)
    assert "public" in theirs["Cache-Control"]
    assert "Tin chung đã sửa" in theirs.content.decode()


def test_a_missing_page_is_not_kept(client, world):
    item = article(world, "Tin nháp", publish=False)
    url = reverse("portal:article", args=["04000", item.pk])
    assert client.get(url).status_code == 404
    Article.objects.filter(pk=item.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert "Tin nháp" in client.get(url).content.decode()


def test_the_other_apps_public_pages_answer_not_modified_too(client, world):
    Notice.objects.create(
        title="Lịch tiếp công dân tháng 12",
        body="Chủ tịch xã tiếp công dân sáng thứ Năm.",
        unit=world.commune,
        is_public=True,
        status=Notice.Status.SENT,
        sent_at=timezone.now(),
    )
    url = reverse("public:public-notices", args=["04000"])
    first = client.get(url)
    assert "Lịch tiếp công dân tháng 12" in first.content.decode() and first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


# The home's parts: each section kept apart, under the stamp of its own app -------------


def public_notice(world, title, **fields):
    return Notice.objects.create(
        title=title,
        body="Nội dung thông báo.",
        unit=world.commune,
        is_public=True,
        status=Notice.Status.SENT,
        sent_at=timezone.now(),
        **fields,
    )


def test_a_new_notice_builds_the_notices_again_and_reuses_the_news(client, world, editor):
    item = article(world, "Lịch tiêm chủng")
    public_notice(world, "Lịch cắt điện tháng 12")
    client.get(HOME)
    quietly_retitle(item, "Tiêu đề đổi ngầm")
    public_notice(world, "Họp dân thôn Bình Chiến")
    page = client.get(HOME).content.decode()
    # The notices' section is built again; the news part, whose app did not change, is
    # the one kept (the quiet change is not read).
    assert "Họp dân thôn Bình Chiến" in page and "Lịch cắt điện tháng 12" in page
    assert "Lịch tiêm chủng" in page and "Tiêu đề đổi ngầm" not in page
    # An article saved builds the news again, and keeps the notices.
    Notice.objects.filter(title="Họp dân thôn Bình Chiến").update(title="Thông báo đổi ngầm")
    actions.save_article(
        item, acting_user=editor, commune=world.commune, title="Lịch tiêm chủng (đã sửa)",
        body=item.body, summary=item.summary,
    )  # fmt: skip
    page = client.get(HOME).content.decode()
    assert "Lịch tiêm chủng (đã sửa)" in page
    assert "Họp dân thôn Bình Chiến" in page and "Thông báo đổi ngầm" not in page


def test_a_unit_renamed_builds_every_part_again(client, world):
    item = article(world, "Lịch tiêm chủng")
    public_notice(world, "Lịch cắt điện tháng 12")
    client.get(HOME)
    quietly_retitle(item, "Tiêu đề đổi ngầm")
    Notice.objects.update(title="Thông báo đổi ngầm")
    world.commune.name = "Bình Chiến Mới"
    world.commune.save()
    page = client.get(HOME).content.decode()
    assert "Tiêu đề đổi ngầm" in page and "Thông báo đổi ngầm" in page


@pytest.mark.django_db(transaction=True)
def test_a_change_another_process_counted_builds_only_its_apps_parts(client, world, monkeypatch):
    monkeypatch.setattr(caching, "STAMP_SECONDS", 3600)
    item = article(world, "Lịch tiêm chủng")
    public_notice(world, "Lịch cắt điện tháng 12")
    client.get(HOME)
    # Another worker sends a notice: its change is counted as the notices' one.
    quietly_retitle(item, "Tiêu đề đổi ngầm")
    Notice.objects.update(title="Lịch cắt điện (đã sửa)")
    caching._count_change({"notices"})
    caching._stamp.read_at -= caching.STAMP_SECONDS + 1
    page = client.get(HOME).content.decode()
    assert "Lịch cắt điện (đã sửa)" in page
    assert "Lịch tiêm chủng" in page and "Tiêu đề đổi ngầm" not in page
    row = PublicChange.objects.get()
    assert row.topics["notices"] >= 1 and row.topics[caching.ATTRIBUTED] >= 1


def test_a_public_notice_leaves_the_cached_home_when_it_ends(client, world):
    ends = timezone.now() + timedelta(seconds=40)
    public_notice(world, "Lịch tiếp dân tuần này", expires_at=ends)
    first = client.get(HOME)
    assert "Lịch tiếp dân tuần này" in first.content.decode()
    max_age = int(first["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 40
    with time_machine.travel(ends + timedelta(seconds=1)):
        assert "Lịch tiếp dân tuần này" not in client.get(HOME).content.decode()


def test_a_signed_in_user_reads_no_kept_part(client, world):
    item = article(world, "Tin chung")
    client.get(HOME)
    quietly_retitle(item, "Tin chung đã sửa")
    client.force_login(world.official)
    assert "Tin chung đã sửa" in client.get(HOME).content.decode()


def test_the_parts_are_kept_per_language(client, world):
    article(world, "Tin chung")
    vietnamese = client.get(HOME).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(HOME).content.decode()
    assert "Latest news" in english and "Latest news" not in vietnamese
