import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from langso.accounts import two_factor


class PasswordChangeRequiredMiddleware:
    """Send a user whose password is temporary (new account, reset by the administrator)
    to the password page until they choose their own."""

    # The second factor comes first: its pages stay open with a temporary password.
    ALLOWED = (
        "accounts:password-change",
        "accounts:logout",
        "set_language",
        "accounts:two-factor-setup",
        "accounts:two-factor-verify",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith(("/static/", "/media/")):
                messages.warning(request, _("Choose your own password before you go on."))
                return redirect("accounts:password-change")
        return self.get_response(request)


class TwoFactorMiddleware:
    """Ask for the second factor before anything else, and end idle sessions (issue 18,
    item 3; langso/accounts/two_factor.py).

    After django-otp's middleware (which tells whether the session was verified). A user
    with an authenticator is sent to the code page, one whose role requires it and who has
    none to the enrolment page, until the session is verified — unless this browser was
    remembered for their device. Sessions of the roles that require two factors end after
    `LANGSO_IDLE_MINUTES` without a request.
    """

    ALLOWED = (
        "accounts:two-factor-setup",
        "accounts:two-factor-verify",
        "accounts:logout",
        "accounts:login",
        "set_language",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        if session.get(two_factor.IDLE_KEY) and (expired := self._idle(request)):
            return expired
        state = session.get(two_factor.STATE_KEY)
        if state is None:  # a session from before two factors existed
            state = session[two_factor.STATE_KEY] = two_factor.state_for(user)
            session[two_factor.IDLE_KEY] = two_factor.required_for(user)
        if state and not user.is_verified():
            device = two_factor.remembered_device(request, user) if state == "verify" else None
            if device is not None:
                otp_login(request, device)
            elif not self._allowed(request):
                target = (
                    "accounts:two-factor-verify"
                    if state == "verify"
                    else ("accounts:two-factor-setup")
                )
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _allowed(self, request):
        if request.path.startswith(("/static/", "/media/")):
            return True
        return request.path in {reverse(name) for name in self.ALLOWED}

    def _idle(self, request):
        now = int(time.time())
        seen = request.session.get(two_factor.SEEN_KEY) or now
        limit = int(getattr(settings, "LANGSO_IDLE_MINUTES", 30))
        if now - seen > limit * 60:
            path = request.get_full_path()
            logout(request)
            messages.info(
                request,
                _("You were logged out after %(minutes)s minutes without activity.")
                % {"minutes": limit},
            )
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': path})}")
        # Written at most once a minute: a session save per request would be a write each.
        if now - seen >= 60 or two_factor.SEEN_KEY not in request.session:
            request.session[two_factor.SEEN_KEY] = now
        return None
