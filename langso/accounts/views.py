from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts import actions, lockout, two_factor
from langso.accounts.access import (
    can,
    get_role_assignment_for_user,
    get_user_for_user,
    units_for_user,
    users_for_user,
)
from langso.accounts.forms import (
    EmailSetPasswordForm,
    GrantRoleForm,
    OwnPasswordChangeForm,
    UserCreateForm,
)
from langso.accounts.roles import Capability


def _administered_units(user):
    return units_for_user(user, Capability.GRANT_ROLES).current().order_by("path")


@login_required
def user_list(request):
    if not _administered_units(request.user).exists():
        raise PermissionDenied
    users = users_for_user(request.user).prefetch_related("role_assignments__unit")
    return render(
        request, "accounts/user_list.html", {"users": users.order_by("full_name", "username")}
    )


@login_required
def user_create(request):
    units = _administered_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form = UserCreateForm(request.POST or None)
    role_form = GrantRoleForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid() and role_form.is_valid():
        try:
            with transaction.atomic():
                user = actions.create_user(
                    acting_user=request.user, **form.cleaned_data, **role_form.cleaned_data
                )
        except (ValidationError, PermissionDenied) as error:
            role_form.add_error(None, error)
        else:
            messages.success(request, _("The account %(user)s was created.") % {"user": user})
            return redirect("accounts:user-detail", user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "role_form": role_form})


@login_required
def user_detail(request, pk):
    account = get_user_for_user(request.user, pk)
    units = _administered_units(request.user)
    form = GrantRoleForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            actions.grant_role(account, acting_user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The role was granted."))
            return redirect("accounts:user-detail", account.pk)
    assignments = [
        (assignment, can(request.user, Capability.GRANT_ROLES, assignment.unit))
        for assignment in account.role_assignments.select_related("unit").order_by("unit__path")
    ]
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "assignments": assignments,
            "form": form,
            "locked_until": lockout.locked_until(account),
            "two_factor_on": two_factor.is_enrolled(account),
        },
    )


@login_required
@require_POST
def user_unlock(request, pk):
    account = get_user_for_user(request.user, pk)
    actions.unlock_account(account, acting_user=request.user)
    messages.success(request, _("%(user)s can log in again.") % {"user": account})
    return redirect("accounts:user-detail", account.pk)


@login_required
@require_POST
def role_revoke(request, pk):
    assignment = get_role_assignment_for_user(request.user, pk)
    actions.revoke_role(assignment, acting_user=request.user)
    messages.success(request, _("The role was revoked."))
    return redirect("accounts:user-list")


@login_required
@require_POST
def user_password_reset(request, pk):
    """Give the account a temporary password, shown once on this page only."""
    account = get_user_for_user(request.user, pk)
    password = actions.reset_password(account, acting_user=request.user)
    return render(
        request, "accounts/user_password_reset.html", {"account": account, "password": password}
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = OwnPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail, counted like failed logins per address and e-mail."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")
    extra_email_context = {"site_name": "Làng Số"}

    def form_valid(self, form):
        if not lockout.reset_request_allowed(self.request, form.cleaned_data["email"]):
            return lockout.lockout_response(self.request)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = EmailSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")
