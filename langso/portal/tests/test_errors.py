"""The site's error pages and the way back to a form after the session expired
(issue 17 §6)."""

import pytest
from django.test import Client
from django.urls import reverse

from langso.portal.models import Site
from langso.test import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_in_the_sites_layout_with_a_way_home(client, world):
    response = client.get("/public/04000/news/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in page and 'href="/"' in page and '<html lang="vi">' in page


def test_the_error_page_speaks_the_users_language(client, world):
    client.cookies["django_language"] = "en"
    page = client.get("/registry/does-not-exist/").content.decode()
    assert "Page not found" in page and '<html lang="en">' in page


def test_a_forbidden_page_says_so(rf, world):
    from django.contrib.auth.models import AnonymousUser

    from langso.portal import errors

    request = rf.get("/")
    request.user = AnonymousUser()
    response = errors.permission_denied(request)
    assert response.status_code == 403
    assert "Bạn không được mở trang này" in response.content.decode()


def test_a_failed_csrf_check_explains_that_the_form_expired(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    response = client.post(reverse("portal:site-edit", args=[world.commune.pk]), {"phone": "1"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
    assert not Site.objects.exists()


def test_the_server_error_page_renders_without_the_request(rf, world):
    from langso.portal import errors

    response = errors.server_error(rf.get("/"))
    assert response.status_code == 500 and "Đã có lỗi" in response.content.decode()


def test_a_session_that_expired_on_a_form_comes_back_to_it_after_login(client, world):
    form = reverse("portal:site-edit", args=[world.commune.pk])
    # The session is gone: the POST of the filled form lands on the login page.
    response = client.post(form, {"phone": "0212 3845 123"})
    assert response.status_code == 302
    login = client.get(response.url)
    assert "Phiên làm việc đã hết hạn" in login.content.decode()
    after = client.post(
        response.url,
        {"username": "quantri", "password": PASSWORD, "next": login.context["next"]},
    )
    assert after.url == form + "?resumed=1"
    back = client.get(after.url, follow=True)
    assert back.redirect_chain[-1][0] == form
    page = back.content.decode()
    assert "Bạn đã bị đăng xuất khi đang điền biểu mẫu này" in page
    assert not Site.objects.exists()


def test_a_host_name_mapped_to_a_commune_opens_its_public_home(client, world, settings):
    settings.ALLOWED_HOSTS = ["xa-tanlap.example.vn", "testserver"]
    settings.LANGSO_COMMUNE_HOSTS = {"xa-tanlap.example.vn": "04000"}
    response = client.get("/", HTTP_HOST="xa-tanlap.example.vn", follow=True)
    assert "<h1>Xã Tân Lập</h1>" in response.content.decode()
    assert client.get("/").status_code == 302  # elsewhere "/" is the signed-in home
