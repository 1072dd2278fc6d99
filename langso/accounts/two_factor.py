"""Two factors for those who see the most (issue 18, item 3; SECURITY.md).

A code from an authenticator app (TOTP, RFC 6238, through django-otp) after the password
is required for the roles in `LANGSO_TWO_FACTOR_ROLES` — commune administrators, commune
officials and the party committee — and for superusers; anyone else may turn it on, and
then it is asked of them too. Ten single-use backup codes stand in for a lost phone.

- Enrolment: a secret is drawn and kept in the session (nothing is stored) until the
  user types a first code from the app that scanned its QR code; then the device and the
  backup codes are stored, and the backup codes are shown once.
- Failed codes count like failed passwords (django-axes, under the key "otp:<username>"):
  after `AXES_FAILURE_LIMIT` of them from one address the code form is locked for
  `AXES_COOLOFF_TIME`, and a commune administrator can unlock it.
- "Remember this device": a signed cookie, valid `LANGSO_TWO_FACTOR_REMEMBER_DAYS` (30),
  lets that browser skip the code; it is bound to the user's device, so resetting the
  two factors (a lost phone) forgets every remembered browser.
- Sessions of the roles that require two factors end after `LANGSO_IDLE_MINUTES` (30)
  without a request.

What the user must do is decided at login (`STATE_KEY` in the session): a role granted
during a session applies from the next login.
"""

import hashlib
import time
from base64 import b32encode
from binascii import unhexlify

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.http import HttpRequest, HttpResponseBase
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from langso.accounts.access import role_paths
from langso.accounts.models import User

STATE_KEY = "langso_two_factor"  # "verify", "enrol" or "" (nothing asked)
IDLE_KEY = "langso_idle_limited"
SEEN_KEY = "langso_seen"
PENDING_KEY = "langso_two_factor_pending"
REMEMBER_COOKIE = "langso_device"
REMEMBER_SALT = "langso.accounts.two_factor.remember"
BACKUP_CODES = 10

VERIFY, ENROL = "verify", "enrol"


def required_for(user: User) -> bool:
    """Whether `user`'s roles (or being a superuser) require two factors."""
    roles = set(getattr(settings, "LANGSO_TWO_FACTOR_ROLES", ()))
    if not roles:
        return False
    return user.is_superuser or any(role in roles for role, _path in role_paths(user))


def totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def state_for(user: User) -> str:
    if is_enrolled(user):
        return VERIFY
    return ENROL if required_for(user) else ""


def _at_login(sender, request, user, **kwargs):
    """Decide at login what the session must do before it may go on."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[STATE_KEY] = state_for(user)
    request.session[IDLE_KEY] = required_for(user)
    request.session[SEEN_KEY] = int(time.time())


user_logged_in.connect(_at_login, dispatch_uid="langso.accounts.two_factor")


# Enrolment ------------------------------------------------------------------------------


def pending_key(request: HttpRequest) -> str:
    """The secret being enrolled in this session, drawn once."""
    key = request.session.get(PENDING_KEY)
    if not key:
        key = random_hex(20)
        request.session[PENDING_KEY] = key
    return key


def pending_device(request: HttpRequest) -> TOTPDevice:
    """An unsaved device for the pending secret: its QR address and its text secret."""
    return TOTPDevice(user=request.user, key=pending_key(request), name="authenticator")


def secret_text(device: TOTPDevice) -> str:
    """The secret as an app asks for it typed: base32 in groups of four."""
    text = b32encode(unhexlify(device.key)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def code_matches(key: str, code: str) -> int | None:
    """The time step `code` matches for the secret `key` (one step either way), or None."""
    try:
        number = int(code)
    except ValueError:
        return None
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return totp.t() if totp.verify(number, tolerance=1) else None


def new_backup_codes(user: User) -> list[str]:
    """Replace `user`'s backup codes with `BACKUP_CODES` new ones; return them."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


# Verification ---------------------------------------------------------------------------


def _credentials(user: User) -> dict[str, str]:
    return {"username": f"otp:{user.username}"}


def code_allowed(request: HttpRequest, user: User) -> bool:
    """False while the code form is locked for `user` from this address."""
    return AxesProxyHandler.is_allowed(request, _credentials(user))


def count_failure(request: HttpRequest, user: User) -> bool:
    """Count a wrong code; True if the form is now locked."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    return bool(getattr(request, "axes_locked_out", False))


def forget_failures(user: User) -> int:
    return AxesProxyHandler.reset_attempts(username=_credentials(user)["username"])


def verify(request: HttpRequest, user: User, code: str) -> bool:
    """Check a code from the app or a backup code (used up); mark the session verified."""
    code = "".join(code.split()).lower()
    device = totp_device(user)
    matched = None
    if device is not None and code.isdigit() and device.verify_token(code):
        matched = device
    else:
        backup = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if backup is not None and backup.verify_token(code):
            matched = backup
    if matched is None:
        return False
    otp_login(request, matched)
    forget_failures(user)
    return True


# Remembered devices ---------------------------------------------------------------------


def _fingerprint(device: TOTPDevice) -> str:
    return hashlib.sha256(f"{device.pk}:{device.key}".encode()).hexdigest()[:24]


def remember(response: HttpResponseBase, device: TOTPDevice) -> None:
    """Let this browser skip the code for `LANGSO_TWO_FACTOR_REMEMBER_DAYS`."""
    days = int(getattr(settings, "LANGSO_TWO_FACTOR_REMEMBER_DAYS", 30))
    value = signing.dumps({"u": device.user_id, "d": _fingerprint(device)}, salt=REMEMBER_SALT)
    response.set_cookie(
        REMEMBER_COOKIE,
        value,
        max_age=days * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def remembered_device(request: HttpRequest, user: User) -> TOTPDevice | None:
    """The user's device if this browser was remembered for it and is still in time."""
    value = request.COOKIES.get(REMEMBER_COOKIE)
    if not value:
        return None
    days = int(getattr(settings, "LANGSO_TWO_FACTOR_REMEMBER_DAYS", 30))
    try:
        data = signing.loads(value, salt=REMEMBER_SALT, max_age=days * 24 * 3600)
    except signing.BadSignature:
        return None
    device = totp_device(user)
    if device is None or data.get("u") != user.pk or data.get("d") != _fingerprint(device):
        return None
    return device


def reset(user: User) -> None:
    """Forget `user`'s authenticator and backup codes (a lost phone): they enrol again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    forget_failures(user)


def verify_enrolled(request: HttpRequest, user: User) -> None:
    """Mark the session verified right after enrolment (the code was just checked)."""
    device = totp_device(user)
    if device is not None:
        otp_login(request, device)
        request.session[STATE_KEY] = VERIFY
