"""News: written by the editor, published now or later, withdrawn, searched and archived
(issue 17 §2)."""

import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from langso.accounts.models import AuditEntry
from langso.portal import actions
from langso.portal.models import Article
from langso.portal.tests.helpers import article, photo
from langso.test import vietnam_time

pytestmark = pytest.mark.django_db


def titles(response):
    return [a.title for a in response.context["page"]]


def test_the_editor_writes_and_publishes_an_article_through_the_pages(client, world, editor):
    client.force_login(editor)
    response = client.post(
        reverse("portal:article-create", args=[world.commune.pk]),
        {
            "title": "Ra quân làm đường giao thông nông thôn",
            "summary": "Bà con thôn Bình Chiến góp công làm 300 m đường.",
            "body": "Sáng **Chủ nhật**, bà con <script>x()</script> ra quân.",
            "new_category": "Nông thôn mới",
            "image_alt": "Bà con trộn bê tông",
            "photo": photo(),
        },
    )
    item = Article.objects.get()
    assert response.status_code == 302
    assert item.category.name == "Nông thôn mới"
    assert "<strong>Chủ nhật</strong>" in item.body_html and "<script" not in item.body_html
    public = reverse("portal:article", args=["04000", item.pk])
    assert client.get(public).status_code == 404  # a draft is not on the site
    client.post(reverse("portal:article-publish", args=[item.pk]), {})
    client.logout()
    page = client.get(public).content.decode()
    assert "Ra quân làm đường giao thông nông thôn" in page
    assert "Bà con trộn bê tông" in page
    verbs = list(
        AuditEntry.objects.filter(verb__startswith="portal.").values_list("verb", flat=True)
    )
    assert set(verbs) == {"portal.create_article", "portal.add_category", "portal.publish_article"}


def test_an_uploaded_photo_is_shrunk_and_loses_its_exif_and_comes_as_webp_too(client, world):
    item = article(world, photo=photo(size=(3000, 2000)))
    jpeg = client.get(reverse("portal:article-image", args=["04000", item.pk, "jpg"]))
    webp = client.get(reverse("portal:article-image", args=["04000", item.pk, "webp"]))
    assert jpeg["Content-Type"] == "image/jpeg" and webp["Content-Type"] == "image/webp"
    jpeg_image = Image.open(io.BytesIO(b"".join(jpeg.streaming_content)))
    webp_image = Image.open(io.BytesIO(b"".join(webp.streaming_content)))
    assert jpeg_image.size == (1200, 800) and webp_image.format == "WEBP"
    assert not jpeg_image.getexif() and "exif" not in jpeg_image.info
    assert "exif" not in webp_image.info


def test_a_file_that_is_not_a_photo_is_refused_with_a_message(client, world, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    page = client.post(
        reverse("portal:article-create", args=[world.commune.pk]),
        {
            "title": "Bài có ảnh giả",
            "body": "Nội dung",
            "photo": SimpleUploadedFile("anh.jpg", b"<html><script>x</script></html>"),
        },
    )
    assert "Tệp này không phải là ảnh." in page.content.decode()
    assert not Article.objects.exists()


def test_a_scheduled_article_appears_by_itself_at_its_time(client, world):
    with time_machine.travel(vietnam_time(date(2026, 6, 10), 9), tick=False):
        at = timezone.now() + timedelta(hours=3)
        article(world, "Lịch cắt điện ngày 11/6", at=at)
        news = reverse("portal:news", args=["04000"])
        assert titles(client.get(news)) == []
    with time_machine.travel(vietnam_time(date(2026, 6, 10), 12), tick=False):
        from django.core.cache import cache

        cache.clear()
        assert titles(client.get(news)) == ["Lịch cắt điện ngày 11/6"]


def test_an_unpublished_article_leaves_the_site_and_can_come_back(client, world, editor):
    item = article(world, "Thông tin sai cần gỡ")
    client.force_login(editor)
    client.post(reverse("portal:article-unpublish", args=[item.pk]))
    client.logout()
    assert client.get(reverse("portal:article", args=["04000", item.pk])).status_code == 404
    actions.publish_article(item, acting_user=editor)
    assert client.get(reverse("portal:article", args=["04000", item.pk])).status_code == 200


def test_news_are_found_without_diacritics(client, world):
    article(world, "Tiêm chủng vắc-xin sởi cho trẻ")
    article(world, "Đường thôn Đồng Tâm được đổ bê tông")
    news = reverse("portal:news", args=["04000"])
    assert titles(client.get(news, {"q": "tiem chung"})) == ["Tiêm chủng vắc-xin sởi cho trẻ"]
    assert titles(client.get(news, {"q": "DUONG thon dong tam"})) == [
        "Đường thôn Đồng Tâm được đổ bê tông"
    ]
    assert "Không có bài nào" in client.get(news, {"q": "bao lut"}).content.decode()


def test_the_month_archive_lists_that_months_articles(client, world):
    tz = timezone.get_current_timezone()
    article(world, "Tin tháng Năm", at=datetime(2026, 5, 31, 23, 0, tzinfo=tz))
    article(world, "Tin tháng Sáu", at=datetime(2026, 6, 1, 7, 0, tzinfo=tz))
    may = client.get(reverse("portal:news-month", args=["04000", 2026, 5]))
    assert titles(may) == ["Tin tháng Năm"]
    assert "Tin tháng 05/2026" in may.content.decode()
    listing = client.get(reverse("portal:news", args=["04000"])).content.decode()
    assert reverse("portal:news-month", args=["04000", 2026, 6]) in listing
    assert client.get(reverse("portal:news-month", args=["04000", 2026, 13])).status_code == 404


def test_only_the_communes_editor_writes_its_news(client, world, editor):
    item = article(world, "Bài của xã Tân Lập")
    for persona in (world.viewer, world.outsider, world.hamlet_head):
        client.force_login(persona)
        assert client.get(reverse("portal:article-edit", args=[item.pk])).status_code == 404
        assert client.post(reverse("portal:article-unpublish", args=[item.pk])).status_code == 404
        assert (
            client.get(reverse("portal:article-create", args=[world.commune.pk])).status_code == 404
        )
    item.refresh_from_db()
    assert not item.withdrawn
    with pytest.raises(PermissionDenied):
        actions.unpublish_article(item, acting_user=world.viewer)
    client.force_login(world.admin)  # the commune administrator holds PUBLISH_NEWS too
    assert "Bài của xã Tân Lập" in client.get(reverse("portal:article-list")).content.decode()


def test_the_preview_renders_without_javascript_and_for_htmx(client, world, editor):
    client.force_login(editor)
    url = reverse("portal:article-create", args=[world.commune.pk])
    page = client.post(url, {"title": "", "body": "**Đậm** <script>x</script>", "preview": "1"})
    assert "<strong>Đậm</strong>" in page.content.decode()
    assert not Article.objects.exists()
    fragment = client.post(
        reverse("portal:article-preview", args=[world.commune.pk]),
        {"body": "- một\n- hai"},
        HTTP_HX_REQUEST="true",
    )
    assert "<li>một</li>" in fragment.content.decode()


def test_attachments_of_a_published_article_are_served_typed_by_content(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = article(world, attachments=[SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 ke hoach")])
    page = client.get(reverse("portal:article", args=["04000", item.pk])).content.decode()
    assert "ke-hoach.pdf" in page
    download = client.get(reverse("portal:attachment", args=["04000", item.attachments.get().pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 ke hoach"
    assert (
        client.get(
            reverse("portal:attachment", args=["04009", item.attachments.get().pk])
        ).status_code
        == 404
    )


def test_the_editor_removes_an_attachment_and_nobody_else_can(client, world, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = article(world, attachments=[SimpleUploadedFile("cu.pdf", b"%PDF-1.4 cu")])
    attachment = item.attachments.get()
    remove = reverse("portal:attachment-remove", args=[attachment.pk])
    for persona in (world.viewer, world.outsider):
        client.force_login(persona)
        assert client.post(remove).status_code == 404
    assert item.attachments.count() == 1
    client.force_login(editor)
    page = client.get(reverse("portal:article-edit", args=[item.pk])).content.decode()
    assert "Gỡ cu.pdf" in page
    client.post(remove)
    assert item.attachments.count() == 0
    assert AuditEntry.objects.get(verb="portal.remove_attachment").changes == {
        "file": ["cu.pdf", ""]
    }
    client.logout()
    public = client.get(reverse("portal:article", args=["04000", item.pk])).content.decode()
    assert "cu.pdf" not in public
