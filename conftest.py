import os
import tempfile
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses
# to run there unless told it is safe (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Uploaded and generated files of the tests never land in the developer's var/media.
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="langso-test-media-"))

# An opt-in clock for the whole run: LANGSO_TEST_TODAY=2027-01-01 runs every test as if
# today were that day (09:00 in Vietnam, the clock ticking on from there), so a test
# that depends on the real date shows itself on 1 January or 31 December.
TEST_TODAY = os.environ.get("LANGSO_TEST_TODAY", "").strip()
_session_clock = None


def pytest_configure(config):
    """Start the session clock before collection, fixtures and the live server thread.

    Starting it here rather than in a fixture also catches dates computed when a test
    module is imported.
    """
    global _session_clock
    if TEST_TODAY and _session_clock is None:
        day = date.fromisoformat(TEST_TODAY)
        destination = datetime.combine(day, time(9, 0), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
        _session_clock = time_machine.travel(destination, tick=True)
        _session_clock.start()


def pytest_unconfigure(config):
    global _session_clock
    if _session_clock is not None:
        _session_clock.stop()
        _session_clock = None


def pytest_report_header(config):
    if TEST_TODAY:
        return f"session clock: {TEST_TODAY} 09:00 Asia/Ho_Chi_Minh (LANGSO_TEST_TODAY)"


@pytest.fixture(scope="session", autouse=True)
def session_clock():
    """The session-wide clock of LANGSO_TEST_TODAY, if any (started in pytest_configure)."""
    if TEST_TODAY:
        from django.utils import timezone

        assert timezone.localdate() >= date.fromisoformat(TEST_TODAY)
    return _session_clock


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is the production hasher; tests that do not test hashing use a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def two_factors_off_for_other_tests(settings):
    """Two factors are on for the commune's administrators, officials and party committee
    in production; the suite's other tests sign these personas in without their phone.
    `langso/accounts/tests/test_two_factor.py` (and the `two_factors_on` fixture) turn the
    requirement back on."""
    settings.LANGSO_TWO_FACTOR_ROLES = []


@pytest.fixture
def two_factors_on(settings):
    settings.LANGSO_TWO_FACTOR_ROLES = ["commune_admin", "commune_official", "party_committee"]


@pytest.fixture(autouse=True)
def vietnamese_by_default():
    """Every test starts in Vietnamese, the default language, whatever ran before it."""
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture
def fixed_day(time_machine):
    """10/06/2026 (`langso.test.FIXED_DAY`, a Wednesday in June), 09:00 in Vietnam, the
    clock ticking: a test module that reads today's date uses it
    (`pytestmark = pytest.mark.usefixtures("fixed_day")`) or moves `time_machine` there
    itself, so that nothing it asserts drifts with the real date."""
    from langso.test import FIXED_DAY, vietnam_time

    time_machine.move_to(vietnam_time(FIXED_DAY), tick=True)


@pytest.fixture(autouse=True)
def back_to_the_latest_migrations(request):
    """A test of a data migration takes the database back to an older state: whatever it
    asserts, the next test finds every app's latest schema again."""
    yield
    if "migration" not in request.node.path.name:
        return
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    if executor.migration_plan(targets):
        executor.migrate(targets)


@pytest.fixture
def world(db):
    from langso.test import World

    return World()


@pytest.fixture
def party_world(world):
    from langso.test import PartyWorld

    return PartyWorld(world)


@pytest.fixture
def zalo(settings):
    """The Zalo ZNS stand-in (langso/notices/tests/standins.py), with the settings to use it."""
    from langso.notices.tests.standins import ZaloStandIn

    with ZaloStandIn() as standin:
        settings.LANGSO_ZALO_APP_ID = standin.APP_ID
        settings.LANGSO_ZALO_SECRET_KEY = standin.SECRET
        settings.LANGSO_ZALO_TEMPLATE_ID = standin.TEMPLATE
        settings.LANGSO_ZALO_REFRESH_TOKEN = "rt-0"
        settings.LANGSO_ZALO_API_URL = f"{standin.url}/message/template"
        settings.LANGSO_ZALO_OAUTH_URL = f"{standin.url}/v4/oa/access_token"
        yield standin


@pytest.fixture
def sms(settings):
    """The SMS gateway stand-in (langso/notices/tests/standins.py), with the settings to use it."""
    from langso.notices.tests.standins import SmsStandIn

    with SmsStandIn() as standin:
        settings.LANGSO_SMS_URL = (
            f"{standin.url}/MainService.svc/json/SendMultipleMessage_V4_post_json/"
        )
        settings.LANGSO_SMS_API_KEY = standin.API_KEY
        settings.LANGSO_SMS_SECRET_KEY = standin.SECRET
        settings.LANGSO_SMS_BRANDNAME = "UBND XA"
        yield standin


class SmtpInbox:
    """What a real SMTP server on loopback (aiosmtpd) received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free loopback port, with Django's SMTP backend pointed at it."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    yield inbox
    controller.stop()


CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = os.path.join(os.path.dirname(__file__), "test-output", "screenshots")


@pytest.fixture(scope="session")
def browser():
    """The system Chromium driven by Playwright (`playwright install` cannot download here)."""
    from playwright.sync_api import expect, sync_playwright

    # A loaded two-core CI machine can take longer than Playwright's default 5 s.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A page the size of a small phone screen (360 × 800)."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Whatever the Content-Security-Policy refuses (an inline script, style or handler,
    # a script htmx would evaluate) fails the journey: the page would be broken for real.
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert refused == [], "refused by the Content-Security-Policy:\n" + "\n".join(refused)


@pytest.fixture
def screenshot(request):
    """Save a screenshot of `page` under test-output/screenshots/<test>-<step>.png."""
    os.makedirs(SCREENSHOTS, exist_ok=True)

    def take(page, step):
        path = os.path.join(SCREENSHOTS, f"{request.node.name}-{step}.png")
        page.screenshot(path=path, full_page=True)
        return path

    return take
