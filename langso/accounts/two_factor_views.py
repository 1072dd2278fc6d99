"""The second factor's pages: enrol (QR code), type a code, renew the backup codes, and an
administrator's reset for a lost phone (langso/accounts/two_factor.py)."""

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from langso.accounts import actions, lockout, two_factor
from langso.accounts.access import get_user_for_user


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class VerifyForm(CodeForm):
    remember = forms.BooleanField(label="", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = getattr(settings, "LANGSO_TWO_FACTOR_REMEMBER_DAYS", 30)
        self.fields["remember"].label = _("Remember this device for %(days)s days") % {"days": days}
        self.fields["code"].help_text = _(
            "The 6 digits your authenticator app shows, or one of your backup codes."
        )


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _locked(request):
    logout(request)
    return lockout.lockout_response(request)


def _qr_svg(device):
    qr = segno.make(device.config_url, error="m")
    return mark_safe(qr.svg_inline(scale=5, border=4, title=_("QR code to scan")))


@login_required
def setup(request):
    """Enrol an authenticator, or (enrolled and verified) renew the backup codes."""
    user = request.user
    if two_factor.is_enrolled(user):
        return _manage(request, user)
    if not two_factor.code_allowed(request, user):
        return _locked(request)
    device = two_factor.pending_device(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = two_factor.code_matches(device.key, form.cleaned_data["code"])
        if step is None:
            if two_factor.count_failure(request, user):
                return _locked(request)
            form.add_error("code", _("This code is not right. Type the code the app shows now."))
        else:
            codes = actions.enrol_two_factor(user, key=device.key, last_t=step)
            del request.session[two_factor.PENDING_KEY]
            two_factor.verify_enrolled(request, user)
            return render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": codes, "next": _next(request), "first": True},
            )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": _qr_svg(device),
            "secret": two_factor.secret_text(device),
            "required": two_factor.required_for(user),
            "next": _next(request),
        },
    )


def _manage(request, user):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not two_factor.code_allowed(request, user):
            return _locked(request)
        if two_factor.verify(request, user, form.cleaned_data["code"]):
            codes = actions.renew_backup_codes(user)
            return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": "/"})
        if two_factor.count_failure(request, user):
            return _locked(request)
        form.add_error("code", _("This code is not right."))
    return render(
        request,
        "accounts/two_factor_manage.html",
        {"form": form, "backup_left": two_factor.backup_codes_left(user)},
    )


@login_required
def verify(request):
    """The code after the password."""
    user = request.user
    if not two_factor.is_enrolled(user):
        return redirect("accounts:two-factor-setup")
    if not two_factor.code_allowed(request, user):
        return _locked(request)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, user, form.cleaned_data["code"]):
            response = redirect(_next(request))
            if form.cleaned_data["remember"]:
                two_factor.remember(response, two_factor.totp_device(user))
            return response
        if two_factor.count_failure(request, user):
            return _locked(request)
        form.add_error("code", _("This code is not right."))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


@login_required
@require_POST
def user_reset(request, pk):
    account = get_user_for_user(request.user, pk)
    try:
        actions.reset_two_factor(account, acting_user=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(user)s will set up two-factor authentication again at the next login.")
            % {"user": account},
        )
    return redirect("accounts:user-detail", account.pk)
