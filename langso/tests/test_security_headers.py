"""Security headers on every page type (issue 18, item 14; SECURITY.md).

A Content-Security-Policy with a fresh nonce per request and no inline script, handler or
style anywhere; `Cache-Control: private, no-store` on pages and downloads with personal
data, public caching only on the public site; Permissions-Policy, Referrer-Policy and
nosniff; HSTS and secure cookies with the README's production settings, where
`manage.py check --deploy` finds nothing.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
# An attribute that runs code or carries a style: refused by the policy.
INLINE_ATTRIBUTE = re.compile(r"""<[a-z][^>]*\s(on[a-z]+|style)\s*=""", re.I)


def policy(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def nonce_of(response):
    sources = policy(response)["script-src"]
    nonces = [s for s in sources if s.startswith("'nonce-")]
    assert len(nonces) == 1, sources
    return nonces[0][len("'nonce-") : -1]


def assert_common_headers(response):
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "microphone=(self)" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def assert_not_stored(response):
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control, response["Cache-Control"]


def assert_no_inline_code(html, nonce=None):
    for attributes, body in SCRIPT_TAG.findall(html):
        assert "src=" in attributes and not body.strip(), f"inline script: {attributes}"
        if nonce is not None:
            assert f'nonce="{nonce}"' in attributes, attributes
    assert "<style" not in html.lower()
    assert not INLINE_ATTRIBUTE.search(html), INLINE_ATTRIBUTE.search(html).group(0)


def test_a_staff_page_carries_a_fresh_nonce_on_each_script_and_is_never_stored(client, world):
    client.force_login(world.hamlet_head)
    url = reverse("registry:household-detail", args=[world.household.pk])
    first, second = client.get(url), client.get(url)
    assert "Nguyễn Văn Phụng" in first.content.decode()
    assert_common_headers(first)
    assert_not_stored(first)
    nonce = nonce_of(first)
    assert nonce != nonce_of(second)
    html = first.content.decode()
    # htmx is loaded with the nonce, told not to inject styles nor evaluate code.
    assert re.search(r'<script src="[^"]*htmx\.min\.js" defer nonce="' + re.escape(nonce), html)
    assert '"includeIndicatorStyles": false' in html and '"allowEval": false' in html
    assert_no_inline_code(html, nonce)


def test_pages_with_confirmations_and_print_buttons_use_no_inline_handlers(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("accounts:user-detail", args=[world.hamlet_head.pk]))
    html = page.content.decode()
    assert 'data-confirm="' in html
    assert_no_inline_code(html, nonce_of(page))
    report = client.get(reverse("registry:person-data-report", args=[world.household.head_id]))
    assert "data-print" in report.content.decode()
    assert_no_inline_code(report.content.decode(), nonce_of(report))
    assert_not_stored(report)


def test_no_template_has_an_inline_script_handler_or_style():
    found = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for attributes, body in SCRIPT_TAG.findall(text):
            if "src=" not in attributes or body.strip():
                found.append(f"{path}: inline <script>")
        if "<style" in text.lower():
            found.append(f"{path}: <style>")
        found += [f"{path}: {m.group(0)}" for m in INLINE_ATTRIBUTE.finditer(text)]
    assert found == []


def test_a_download_with_personal_data_is_never_stored(client, world):
    client.force_login(world.official)
    response = client.get(reverse("registry:person-export"))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert_not_stored(response)
    assert "Content-Security-Policy" in response


def test_the_login_page_is_never_stored(client, world):
    response = client.get(reverse("accounts:login"))
    assert "Đăng nhập" in response.content.decode()
    assert_common_headers(response)
    assert_not_stored(response)


def test_only_the_public_site_is_cached_publicly_and_it_needs_no_nonce(client, world):
    response = client.get(reverse("portal:home", args=["04000"]))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]
    # A shared copy must not carry a nonce: the page has no inline code at all.
    assert "'nonce-" not in response["Content-Security-Policy"]
    assert_common_headers(response)
    assert_no_inline_code(response.content.decode())
    worker = client.get(reverse("portal:service-worker", args=["04000"]))
    assert worker["Cache-Control"] == "no-cache"
    assert policy(worker)["worker-src"] == ["'self'"]


def _production(extra=()):
    """The environment of the README's "Deploying" section."""
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' async switch is a test's, never a deployment's.
        if key
        not in {
            "DEBUG",
            "SECURE_COOKIES",
            "LANGSO_SSL_REDIRECT",
            "LANGSO_HSTS_SECONDS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="langso.settings",
        PYTHONPATH=str(settings.BASE_DIR),
        SECRET_KEY="x7Q" * 20 + "k9!Lm#2pZ",
        ALLOWED_HOSTS="xa-tanlap.example.vn",
        CSRF_TRUSTED_ORIGINS="https://xa-tanlap.example.vn",
        BEHIND_TLS_PROXY="true",
        SECURE_COOKIES="true",
        DEBUG="false",
    )
    env.update(extra)
    return env


def test_check_deploy_finds_nothing_with_the_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=_production(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_turn_on_hsts_redirects_and_secure_cookies():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"
    )

    def run(env):
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.split(maxsplit=4)

    assert run(_production()) == [
        "31536000",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO', 'https')\n",
    ]
    # The HSTS lifetime is a setting; without a proxy (make run) nothing of it is on.
    assert run(_production({"LANGSO_HSTS_SECONDS": "600"}))[0] == "600"
    local = _production({"BEHIND_TLS_PROXY": "", "SECURE_COOKIES": ""})
    assert run(local)[:4] == ["0", "False", "False", "False"]


def test_hsts_is_sent_over_https_with_the_production_settings(client, world, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get(reverse("accounts:login"), HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
