"""Two factors for those who see the most (issue 18, item 3): TOTP with backup codes and a
QR code to enrol, required for commune administrators, commune officials and the party
committee, optional for others; failed codes lock out like passwords; sessions of these
roles end after 30 minutes idle; a remembered device skips the code for 30 days."""

import re
import time
from base64 import b32decode
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import TOTP

from langso.accounts.models import AuditEntry
from langso.test import PASSWORD

pytestmark = pytest.mark.usefixtures("two_factors_on")

START = datetime(2026, 6, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
ADDRESS = "203.0.113.7"


def at(minutes):
    """The clock `minutes` after START, ticking."""
    return time_machine.travel(START + timedelta(minutes=minutes), tick=True)


def log_in(client, username):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": PASSWORD},
        REMOTE_ADDR=ADDRESS,
    )


def code(secret):
    """What the authenticator app shows now for the typed key."""
    text = secret.replace(" ", "")
    key = b32decode(text + "=" * (-len(text) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return f"{totp.token():06d}"


def enrol(client, username):
    """Log in, scan the QR code (read its key), confirm with a code; the key and codes."""
    log_in(client, username)
    page = client.get(reverse("accounts:two-factor-setup")).content.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)
    shown = client.post(
        reverse("accounts:two-factor-setup"), {"code": code(secret)}, REMOTE_ADDR=ADDRESS
    )
    backups = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown.content.decode())
    return secret, backups


def test_an_official_must_enrol_by_qr_code_before_anything_else(client, world):
    with at(0):
        response = log_in(client, "canbo")
        home = client.get(reverse("home"))
        assert home.status_code == 302 and home["Location"].startswith(
            reverse("accounts:two-factor-setup")
        )
        page = client.get(home["Location"]).content.decode()
        assert "Xác thực hai lớp" in page
        assert "<svg" in page and 'class="secret"' in page  # the QR code and the typed key
        secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)

        wrong = client.post(reverse("accounts:two-factor-setup"), {"code": "000000"})
        assert "Mã này không đúng" in wrong.content.decode()
        assert client.get(reverse("home")).status_code == 302

        shown = client.post(reverse("accounts:two-factor-setup"), {"code": code(secret)})
        codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown.content.decode())
        assert len(codes) == 10 and "Mã dự phòng" in shown.content.decode()
        assert "Phạm Thị Hoa" in client.get(reverse("home")).content.decode()
    assert response.status_code == 302
    assert AuditEntry.objects.filter(verb="user.two_factor_on", actor=world.official).exists()


def test_after_enrolment_each_login_asks_for_the_code_and_a_backup_code_works_once(client, world):
    with at(0):
        secret, backups = enrol(client, "canbo")
        client.post(reverse("accounts:logout"))
    with at(5):
        log_in(client, "canbo")
        asked = client.get(reverse("registry:person-list"))
        assert asked["Location"].startswith(reverse("accounts:two-factor-verify"))
        assert "Mã từ điện thoại" in client.get(asked["Location"]).content.decode()
        done = client.post(
            reverse("accounts:two-factor-verify"),
            {"code": code(secret), "next": reverse("registry:person-list")},
            REMOTE_ADDR=ADDRESS,
        )
        assert done["Location"] == reverse("registry:person-list")
        assert "Nguyễn Văn Phụng" in client.get(done["Location"]).content.decode()
        client.post(reverse("accounts:logout"))
    with at(10):
        log_in(client, "canbo")
        used = client.post(reverse("accounts:two-factor-verify"), {"code": backups[0]})
        assert used.status_code == 302
        client.post(reverse("accounts:logout"))
        log_in(client, "canbo")
        again = client.post(reverse("accounts:two-factor-verify"), {"code": backups[0]})
        assert again.status_code == 200 and "Mã này không đúng" in again.content.decode()


def test_five_wrong_codes_lock_the_account_until_an_administrator_unlocks_it(client, world):
    with at(0):
        secret, _backups = enrol(client, "canbo")
        client.post(reverse("accounts:logout"))
    with at(5):
        log_in(client, "canbo")
        for _ in range(4):
            refused = client.post(
                reverse("accounts:two-factor-verify"), {"code": "123456"}, REMOTE_ADDR=ADDRESS
            )
            assert refused.status_code == 200
        locked = client.post(
            reverse("accounts:two-factor-verify"), {"code": "123456"}, REMOTE_ADDR=ADDRESS
        )
        assert locked.status_code == 429 and "Quá nhiều lần thử" in locked.content.decode()
        assert "_auth_user_id" not in client.session
        # Even the password and the right code are refused now.
        log_in(client, "canbo")
        still = client.post(
            reverse("accounts:two-factor-verify"), {"code": code(secret)}, REMOTE_ADDR=ADDRESS
        )
        assert still.status_code == 429

        admin = client.__class__()
        admin.force_login(world.admin)
        admin.get(reverse("accounts:two-factor-setup"))  # the administrator's own enrolment
        page = admin.get(reverse("accounts:user-detail", args=[world.official.pk]))
        assert page.status_code == 302  # the administrator must enrol first, too

    # The lockout shows on the account's page, and the administrator lifts it.
    with at(6):
        world.admin.refresh_from_db()
        admin_client = client.__class__()
        enrol(admin_client, "quantri")
        page = admin_client.get(reverse("accounts:user-detail", args=[world.official.pk]))
        assert "bị khoá" in page.content.decode()
        admin_client.post(reverse("accounts:user-unlock", args=[world.official.pk]))
        log_in(client, "canbo")
        let_in = client.post(
            reverse("accounts:two-factor-verify"), {"code": code(secret)}, REMOTE_ADDR=ADDRESS
        )
        assert let_in.status_code == 302


def test_a_remembered_device_skips_the_code_for_30_days_until_a_reset(client, world):
    with at(0):
        secret, _backups = enrol(client, "canbo")
        client.post(reverse("accounts:logout"))
    with at(5):
        log_in(client, "canbo")
        client.post(
            reverse("accounts:two-factor-verify"),
            {"code": code(secret), "remember": "on"},
            REMOTE_ADDR=ADDRESS,
        )
        client.post(reverse("accounts:logout"))
    with at(60 * 24 * 29):
        log_in(client, "canbo")
        assert "Phạm Thị Hoa" in client.get(reverse("home")).content.decode()
        client.post(reverse("accounts:logout"))
    with at(60 * 24 * 31):
        log_in(client, "canbo")
        assert client.get(reverse("home"))["Location"].startswith(
            reverse("accounts:two-factor-verify")
        )
        client.post(
            reverse("accounts:two-factor-verify"),
            {"code": code(secret), "remember": "on"},
            REMOTE_ADDR=ADDRESS,
        )
        client.post(reverse("accounts:logout"))

        # A lost phone: the administrator resets; the remembered browser no longer skips.
        admin = client.__class__()
        enrol(admin, "quantri")
        admin.post(reverse("accounts:user-two-factor-reset", args=[world.official.pk]))
        assert AuditEntry.objects.filter(
            verb="user.two_factor_reset", actor=world.admin, target_id=str(world.official.pk)
        ).exists()
        log_in(client, "canbo")
        assert client.get(reverse("home"))["Location"].startswith(
            reverse("accounts:two-factor-setup")
        )


def test_two_factors_are_optional_for_a_hamlet_head_and_asked_once_turned_on(client, world):
    with at(0):
        log_in(client, "truongthon")
        assert "Thôn Bình Chiến" in client.get(reverse("home")).content.decode()
        _secret, _backups = enrol(client, "truongthon")
        client.post(reverse("accounts:logout"))
    with at(5):
        log_in(client, "truongthon")
        assert client.get(reverse("home"))["Location"].startswith(
            reverse("accounts:two-factor-verify")
        )


def test_an_officials_session_ends_after_30_idle_minutes_a_hamlet_heads_does_not(client, world):
    hamlet_head = client.__class__()
    with at(0):
        _secret, _backups = enrol(client, "canbo")
        log_in(hamlet_head, "truongthon")
    with at(29):
        assert client.get(reverse("home")).status_code == 200
    with at(58):  # 29 minutes after the last request: still in
        assert client.get(reverse("home")).status_code == 200
    with at(89):
        out = client.get(reverse("registry:person-list"))
        assert out["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session
        page = client.get(out["Location"]).content.decode()
        assert "đăng xuất sau 30 phút không thao tác" in page
        assert hamlet_head.get(reverse("home")).status_code == 200


def test_the_idle_limit_is_a_setting(client, world, settings):
    settings.LANGSO_IDLE_MINUTES = 10
    with at(0):
        enrol(client, "canbo")
    with at(11):
        assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "typed",
    ["", "1" * 20, "١٢٣٤٥٦", "²³⁴⁵⁶⁷", "Mã\u202e123", "Ⅻ", "'; DROP TABLE x; --", "x" * 300],
)
def test_hostile_codes_are_refused_without_an_error(client, world, typed):
    with at(0):
        enrol(client, "canbo")
        client.post(reverse("accounts:logout"))
    with at(5):
        log_in(client, "canbo")
        verify = client.post(reverse("accounts:two-factor-verify"), {"code": typed})
        assert verify.status_code == 200 and "_auth_user_id" in client.session
        assert client.get(reverse("home"))["Location"].startswith(
            reverse("accounts:two-factor-verify")
        )
        hamlet_head = client.__class__()
        log_in(hamlet_head, "truongthon")
        setup = hamlet_head.post(reverse("accounts:two-factor-setup"), {"code": typed})
        assert setup.status_code == 200 and "Bật xác thực hai lớp" in setup.content.decode()
