from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class PasswordChangeRequiredMiddleware:
    """Send a user whose password is temporary (new account, reset by the administrator)
    to the password page until they choose their own."""

    ALLOWED = ("accounts:password-change", "accounts:logout", "set_language")

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
