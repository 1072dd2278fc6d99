"""Lockouts after repeated failed logins or password-reset requests (django-axes).

Axes counts failures per account and address (`AXES_LOCKOUT_PARAMETERS`) and refuses the
login for `AXES_COOLOFF_TIME` after `AXES_FAILURE_LIMIT` of them. Password-reset requests
go through the same counter, keyed by the e-mail address asked for, so that the form
cannot be used to flood a mailbox or to probe addresses. A commune administrator can lift
a lockout from the account's page.
"""

from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from langso.accounts.models import User


def client_address(request: HttpRequest) -> str | None:
    """The client's address: behind the TLS proxy, the last X-Forwarded-For entry."""
    if getattr(settings, "LANGSO_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if last := forwarded.rsplit(",", 1)[-1].strip():
            return last
    return request.META.get("REMOTE_ADDR")


def locked_until(user: User) -> datetime | None:
    """Until when `user` is locked out from at least one address, or None."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    last = AccessAttempt.objects.filter(
        # Failed passwords, and failed second-factor codes (accounts/two_factor.py).
        username__in=[user.username, f"otp:{user.username}"],
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=since,
    ).aggregate(last=Max("attempt_time"))["last"]
    return last + settings.AXES_COOLOFF_TIME if last else None


def unlock(user: User) -> int:
    """Forget `user`'s failed attempts (passwords and second-factor codes) from every
    address; returns how many were kept."""
    return AxesProxyHandler.reset_attempts(username=user.username) + (
        AxesProxyHandler.reset_attempts(username=f"otp:{user.username}")
    )


def reset_request_allowed(request: HttpRequest, email: str) -> bool:
    """Count a password-reset request for `email`; False once it is over the limit."""
    credentials = {"username": f"reset:{email.strip().lower()}"}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return False
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    # This request is answered; the lockout applies from the next one.
    request.axes_locked_out = False  # type: ignore[attr-defined]
    return True


def lockout_response(
    request: HttpRequest, original_response: object = None, credentials: object = None
) -> HttpResponse:
    """The page a locked-out login (or reset request) gets, in the site's layout."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes},
        status=429,
    )
