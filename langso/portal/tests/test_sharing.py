"""Made for sharing and weak networks: feeds, sitemap, robots.txt, link previews, the
manifest and the service worker, caching headers (issue 17 §4)."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from langso.portal.tests.helpers import article, photo
from langso.portal.tests.test_home import public_notice

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_news_feeds_are_valid_rss_and_atom(client, world):
    article(world, "Tin thứ nhất & thứ hai <mới>")
    rss = ElementTree.fromstring(client.get(reverse("portal:news-rss", args=["04000"])).content)
    assert [item.findtext("title") for item in rss.iter("item")] == ["Tin thứ nhất & thứ hai <mới>"]
    assert rss.find("channel/item/link").text.startswith("http://testserver/public/04000/news/")
    atom_response = client.get(reverse("portal:news-atom", args=["04000"]))
    assert atom_response["Content-Type"].startswith("application/atom+xml")
    atom = ElementTree.fromstring(atom_response.content)
    assert atom.find(f"{ATOM}entry/{ATOM}title").text == "Tin thứ nhất & thứ hai <mới>"


def test_the_notices_feeds_carry_the_public_notices_only(client, world):
    public_notice(world, "Lịch cắt điện")
    rss = ElementTree.fromstring(client.get(reverse("portal:notices-rss", args=["04000"])).content)
    assert [item.findtext("title") for item in rss.iter("item")] == ["Lịch cắt điện"]
    atom = ElementTree.fromstring(
        client.get(reverse("portal:notices-atom", args=["04000"])).content
    )
    assert len(atom.findall(f"{ATOM}entry")) == 1


def test_the_sitemap_is_valid_xml_with_absolute_addresses(client, world, procedures):
    item = article(world, "Tin trong sơ đồ trang")
    response = client.get("/sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [loc.text for loc in root.iter(f"{ns}loc")]
    assert f"http://testserver/public/04000/news/{item.pk}/" in locs
    assert "http://testserver/public/04000/procedures/dang-ky-khai-sinh/" in locs
    assert all(loc.startswith("http://testserver/public/") for loc in locs)
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /\n" in robots


def test_a_shared_article_previews_with_absolute_open_graph_and_twitter_tags(
    client, world, settings
):
    settings.LANGSO_SITE_URL = "https://xa-tanlap.example.vn"
    item = article(world, "Hội thi nấu ăn", summary="Phụ nữ các thôn trổ tài.", photo=photo())
    page = client.get(reverse("portal:article", args=["04000", item.pk])).content.decode()
    tags = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', page))
    assert tags["og:title"] == "Hội thi nấu ăn"
    assert tags["og:description"] == "Phụ nữ các thôn trổ tài."
    assert tags["og:url"] == f"https://xa-tanlap.example.vn/public/04000/news/{item.pk}/"
    assert tags["og:image"] == f"https://xa-tanlap.example.vn/public/04000/news/{item.pk}/photo.jpg"
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"]
    home = client.get(reverse("portal:home", args=["04000"])).content.decode()
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', home).group(1)
    assert og_image.startswith("https://xa-tanlap.example.vn/static/")


def test_the_manifest_and_the_service_worker_are_served_with_their_types(client, world):
    manifest = client.get(reverse("portal:manifest", args=["04000"]))
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert data["name"] == "Xã Tân Lập" and data["start_url"] == "/public/04000/"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    worker = client.get(reverse("portal:service-worker", args=["04000"]))
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/public/04000/"
    assert worker["Cache-Control"] == "no-cache"
    body = worker.content.decode()
    assert 'const OFFLINE = "/public/04000/offline/"' in body
    home = client.get(reverse("portal:home", args=["04000"])).content.decode()
    assert 'data-worker="/public/04000/sw.js"' in home and 'rel="manifest"' in home
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_public_pages_answer_a_second_read_with_not_modified(client, world):
    item = article(world, "Tin được lưu")
    url = reverse("portal:article", args=["04000", item.pk])
    first = client.get(url)
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    home = client.get(reverse("portal:home", args=["04000"]))
    assert home["ETag"] and "csrfmiddlewaretoken" not in home.content.decode()
    assert "csrftoken" not in home.cookies


def test_a_signed_in_users_public_page_is_private(client, world):
    client.force_login(world.official)
    response = client.get(reverse("portal:home", args=["04000"]))
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_the_language_link_switches_to_english_without_a_form(client, world):
    response = client.get("/language/", {"language": "en", "next": "/public/04000/"})
    assert response.status_code == 302 and response.url == "/public/04000/"
    page = client.get("/public/04000/").content.decode()
    assert '<html lang="en">' in page and "Latest news" in page
    evil = client.get("/language/", {"language": "en", "next": "https://evil.example/"})
    assert evil.url == "/"


def test_a_page_with_a_pending_message_is_never_shared(client, world):
    article(world, "Tin chung")
    home = reverse("portal:home", args=["04000"])
    client.cookies["messages"] = "x"
    assert "private" in client.get(home)["Cache-Control"]
    del client.cookies["messages"]
    assert "public" in client.get(home)["Cache-Control"]
