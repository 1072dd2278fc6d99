"""The channels a notice goes out by, each an adapter with one small interface
(design.md principle 7):

- `address(contact)`: where this channel reaches the person ("" when it cannot);
- `send(delivery, notice)`: one attempt, returning an `Outcome`.

An outcome says whether the message went (`sent` / `delivered`), or failed and
should be tried again later on the same channel (`retry`, with backoff), or
failed so that the person is better tried on their next channel (`fall_back`).

The HTTP channels speak their provider's documented protocol:

- SMS: an eSMS-style brandname gateway — a JSON POST with the API key, secret,
  phone, content, brand name and a `RequestId` that the gateway refuses to send
  twice ("124"), which makes a retried send safe;
- Zalo ZNS: a template message POSTed with the Official Account's access token
  in the `access_token` header, the phone as 84…, the template id, its data and
  a `tracking_id`; an expired token (-124) is refreshed once with the refresh
  token (which is single-use, so both are saved together), the daily quota is
  watched, and a person who cannot get ZNS (-108, -118, -119, …) falls back.

Settings (environment): LANGSO_SMS_URL, LANGSO_SMS_API_KEY, LANGSO_SMS_SECRET_KEY,
LANGSO_SMS_BRANDNAME; LANGSO_ZALO_APP_ID, LANGSO_ZALO_SECRET_KEY,
LANGSO_ZALO_TEMPLATE_ID, LANGSO_ZALO_REFRESH_TOKEN, LANGSO_ZALO_API_URL,
LANGSO_ZALO_OAUTH_URL. A channel without its settings is off.
"""

import hashlib
import hmac
import json
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from langso.notices.models import (
    DEFAULT_CHANNELS,
    Channel,
    ChannelQuota,
    Delivery,
    Notice,
    ZaloToken,
)

HTTP_TIMEOUT = 15


@dataclass
class Outcome:
    status: str
    retry: bool = False
    fall_back: bool = False
    error: str = ""
    external_id: str = ""


def sent(external_id=""):
    return Outcome(Delivery.Status.SENT, external_id=external_id)


def retry(error):
    return Outcome(Delivery.Status.QUEUED, retry=True, error=error[:300])


def fall_back(error):
    return Outcome(Delivery.Status.FAILED, fall_back=True, error=error[:300])


@dataclass
class Contact:
    """What the adapters know of a recipient."""

    user_id: int | None = None
    email: str = ""
    phone: str = ""
    zalo_phone: str = ""
    sms_phone: str = ""
    no_phone: bool = False
    channels: list = field(default_factory=list)


def mobile(phone):
    """A Vietnamese mobile number as 0xxxxxxxxx, or "" (landlines cannot take SMS or Zalo)."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) == 10 and digits[0] == "0" and digits[1] in "35789":
        return digits
    return ""


def _post(url, *, body, headers, form=False):
    """POST and return (HTTP status, decoded JSON or None)."""
    data = urllib.parse.urlencode(body).encode() if form else json.dumps(body).encode()
    content_type = "application/x-www-form-urlencoded" if form else "application/json"
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": content_type, **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw.decode() or "null")
    except ValueError:
        return status, None


def _quota_exhausted(channel):
    return ChannelQuota.objects.filter(
        channel=channel, day=timezone.localdate(), exhausted=True
    ).exists()


def _count_quota(channel, *, exhausted=False):
    row, _created = ChannelQuota.objects.get_or_create(channel=channel, day=timezone.localdate())
    row.used += 0 if exhausted else 1
    row.exhausted = row.exhausted or exhausted
    row.save(update_fields=["used", "exhausted"])


def _link(notice):
    base = getattr(settings, "LANGSO_SITE_URL", "").rstrip("/")
    return f"{base}{reverse('notices:notice-detail', args=[notice.pk])}" if base else ""


class AppAdapter:
    """The in-app inbox: the delivery row is the message; it is delivered at once."""

    channel = Channel.APP

    def enabled(self):
        return True

    def address(self, contact):
        return str(contact.user_id) if contact.user_id else ""

    def send(self, delivery, notice):
        return Outcome(Delivery.Status.DELIVERED)


class EmailAdapter:
    channel = Channel.EMAIL

    def enabled(self):
        return True

    def address(self, contact):
        return contact.email

    def send(self, delivery, notice):
        body = notice.body
        if notice.local_note:
            body = f"{notice.local_note}\n\n{body}"
        link = _link(notice)
        message = EmailMessage(
            subject=notice.title,
            body=f"{body}\n\n{notice.unit}\n{link}".rstrip(),
            to=[delivery.address],
            headers={"Message-ID": f"<{delivery.tracking_id}@langso>"},
        )
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as error:
            return fall_back(f"SMTP refused the address: {error.recipients}")
        except (smtplib.SMTPException, OSError) as error:
            return retry(f"SMTP: {error}")
        return sent()


class SmsAdapter:
    """An eSMS-style brandname gateway (JSON POST, CodeResult "100" = accepted)."""

    channel = Channel.SMS
    ACCEPTED = "100"
    DUPLICATE = "124"  # the RequestId was used already: the message went before
    NO_BALANCE = "103"
    BAD_PHONE = {"99", "108"}

    def enabled(self):
        return bool(getattr(settings, "LANGSO_SMS_URL", ""))

    def address(self, contact):
        if contact.no_phone:
            return ""
        return mobile(contact.sms_phone or contact.phone)

    def send(self, delivery, notice):
        if _quota_exhausted(self.channel):
            return fall_back("SMS balance exhausted today")
        text = f"{notice.unit.name}: {notice.title}. {notice.local_note or notice.body}"
        link = _link(notice)
        content = text[: 300 - len(link) - 1].rstrip() + (f" {link}" if link else "")
        body = {
            "ApiKey": settings.LANGSO_SMS_API_KEY,
            "SecretKey": settings.LANGSO_SMS_SECRET_KEY,
            "Phone": delivery.address,
            "Content": content,
            "Brandname": settings.LANGSO_SMS_BRANDNAME,
            "SmsType": "2",
            "IsUnicode": "1",
            "RequestId": delivery.tracking_id,
        }
        callback = sms_callback_url()
        if callback:
            body["CallbackUrl"] = callback
        try:
            status, reply = _post(settings.LANGSO_SMS_URL, body=body, headers={})
        except OSError as error:
            return retry(f"SMS gateway unreachable: {error}")
        if status >= 500 or status == 429 or not isinstance(reply, dict):
            return retry(f"SMS gateway answered HTTP {status}")
        code = str(reply.get("CodeResult", ""))
        if code in (self.ACCEPTED, self.DUPLICATE):
            _count_quota(self.channel)
            return sent(str(reply.get("SMSID", "")))
        message = f"SMS gateway {code}: {reply.get('ErrorMessage', '')}".strip()
        if code == self.NO_BALANCE:
            _count_quota(self.channel, exhausted=True)
        return fall_back(message)


def sms_callback_url():
    """Where the gateway reports delivery, with the shared token that proves it is the gateway."""
    base = getattr(settings, "LANGSO_SITE_URL", "").rstrip("/")
    token = getattr(settings, "LANGSO_SMS_CALLBACK_TOKEN", "")
    if not (base and token):
        return ""
    return f"{base}{reverse('notices:sms-receipt')}?token={urllib.parse.quote(token)}"


def zalo_signature_valid(body, timestamp, signature):
    """Zalo signs its webhook events: mac = sha256(app id + body + timestamp + OA secret)."""
    secret = getattr(settings, "LANGSO_ZALO_OA_SECRET", "")
    if not secret:
        return False
    expected = hashlib.sha256(
        f"{settings.LANGSO_ZALO_APP_ID}{body}{timestamp}{secret}".encode()
    ).hexdigest()
    return hmac.compare_digest(signature or "", f"mac={expected}")


class ZaloAdapter:
    """Zalo Notification Service template messages from the commune's Official Account."""

    channel = Channel.ZALO
    AUTH_ERRORS = {-124, -216, -220}
    QUOTA_ERRORS = {-115, -144}
    RETRY_ERRORS = {-100}
    API_URL = "https://business.openapi.zalo.me/message/template"
    OAUTH_URL = "https://oauth.zaloapp.com/v4/oa/access_token"

    def enabled(self):
        return bool(
            getattr(settings, "LANGSO_ZALO_APP_ID", "")
            and getattr(settings, "LANGSO_ZALO_TEMPLATE_ID", "")
        )

    def address(self, contact):
        if contact.no_phone:
            return ""
        return mobile(contact.zalo_phone or contact.phone)

    def _api_url(self):
        return getattr(settings, "LANGSO_ZALO_API_URL", "") or self.API_URL

    def _oauth_url(self):
        return getattr(settings, "LANGSO_ZALO_OAUTH_URL", "") or self.OAUTH_URL

    def token(self, *, force_refresh=False):
        """The access token, refreshed when it has expired (or when told to)."""
        with transaction.atomic():
            current = ZaloToken.objects.select_for_update().order_by("-pk").first()
            if current is None:
                current = ZaloToken(
                    access_token="",
                    refresh_token=settings.LANGSO_ZALO_REFRESH_TOKEN,
                    expires_at=timezone.now(),
                )
            fresh = current.access_token and current.expires_at > timezone.now() + timedelta(
                seconds=60
            )
            if fresh and not force_refresh:
                return current.access_token
            status, reply = _post(
                self._oauth_url(),
                body={
                    "refresh_token": current.refresh_token,
                    "app_id": settings.LANGSO_ZALO_APP_ID,
                    "grant_type": "refresh_token",
                },
                headers={"secret_key": settings.LANGSO_ZALO_SECRET_KEY},
                form=True,
            )
            if not isinstance(reply, dict) or not reply.get("access_token"):
                raise ZaloAuthError(f"Zalo token refresh failed (HTTP {status}): {reply}")
            current.access_token = reply["access_token"]
            current.refresh_token = reply.get("refresh_token") or current.refresh_token
            current.expires_at = timezone.now() + timedelta(
                seconds=int(reply.get("expires_in") or 3600)
            )
            current.save()
            return current.access_token

    def template_data(self, notice):
        return {
            "title": notice.title[:100],
            "unit": notice.unit.name[:100],
            "content": (notice.local_note or notice.body)[:400],
        }

    def _call(self, delivery, notice, access_token):
        phone = "84" + delivery.address[1:]
        body = {
            "phone": phone,
            "template_id": settings.LANGSO_ZALO_TEMPLATE_ID,
            "template_data": self.template_data(notice),
            "tracking_id": delivery.tracking_id,
        }
        return _post(self._api_url(), body=body, headers={"access_token": access_token})

    def send(self, delivery, notice):
        if _quota_exhausted(self.channel):
            return fall_back("Zalo daily quota exhausted")
        try:
            status, reply = self._call(delivery, notice, self.token())
            error = reply.get("error") if isinstance(reply, dict) else None
            if status == 401 or error in self.AUTH_ERRORS:
                status, reply = self._call(delivery, notice, self.token(force_refresh=True))
        except ZaloAuthError as problem:
            return retry(str(problem))
        except OSError as problem:
            return retry(f"Zalo unreachable: {problem}")
        if status >= 500 or status == 429 or not isinstance(reply, dict):
            return retry(f"Zalo answered HTTP {status}")
        error = reply.get("error")
        message = f"Zalo {error}: {reply.get('message', '')}"
        if error == 0:
            data = reply.get("data") or {}
            remaining = str((data.get("quota") or {}).get("remainingQuota", ""))
            _count_quota(self.channel, exhausted=remaining == "0")
            return sent(str(data.get("msg_id", "")))
        if error in self.QUOTA_ERRORS:
            _count_quota(self.channel, exhausted=True)
            return fall_back(message)
        if error in self.RETRY_ERRORS:
            return retry(message)
        # Not on Zalo, cannot receive ZNS, refused, or a problem with the template: the
        # person is better tried on their next channel than not reached at all.
        return fall_back(message)


class ZaloAuthError(Exception):
    pass


class Adapter(Protocol):
    """What the pipeline asks of a channel."""

    def enabled(self) -> bool: ...

    def address(self, contact: Contact) -> str: ...

    def send(self, delivery: Delivery, notice: Notice) -> Outcome: ...


ADAPTERS: dict[str, Adapter] = {
    Channel.APP: AppAdapter(),
    Channel.ZALO: ZaloAdapter(),
    Channel.SMS: SmsAdapter(),
    Channel.EMAIL: EmailAdapter(),
}


def enabled_channels():
    """The channels set up on this server (for `chain`, when it is called many times)."""
    return frozenset(channel for channel, adapter in ADAPTERS.items() if adapter.enabled())


def chain(contact, enabled=None):
    """[(channel, address)] in the person's order of preference, only those that can reach them.

    `enabled`: `enabled_channels()` read once for many calls; by default each call reads it.
    """
    order = [c for c in contact.channels if c in ADAPTERS] or list(DEFAULT_CHANNELS)
    found = []
    for channel in order:
        adapter = ADAPTERS[channel]
        if adapter.enabled() if enabled is None else channel in enabled:
            address = adapter.address(contact)
            if address:
                found.append((channel, address))
    return found
