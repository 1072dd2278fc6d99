from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts import actions
from langso.accounts.access import (
    can,
    get_role_assignment_for_user,
    get_user_for_user,
    role_paths,
    top_units_for_user,
    units_for_user,
    users_for_user,
)
from langso.accounts.forms import GrantRoleForm, UserCreateForm
from langso.accounts.models import RoleAssignment
from langso.accounts.roles import Capability
from langso.party.access import pending_invitations
from langso.places.models import Unit
from langso.places.views import to_do, unit_figures
from langso.reports.views import dashboard_charts

FIGURE_PANELS = 3


@login_required
def home(request):
    """Each role's starting page: the units it reaches, at a glance."""
    user = request.user
    today = timezone.localdate()
    panels = []
    for index, unit in enumerate(top_units_for_user(user).current(today)):
        panel = {"unit": unit, "can_see_residents": can(user, Capability.VIEW_RESIDENTS, unit)}
        # Figures for the first few units; someone holding roles in many (a superuser sees
        # every province) gets the rest as links rather than a page that takes minutes.
        if panel["can_see_residents"] and index < FIGURE_PANELS:
            children = list(unit.children.current(today).order_by("path"))
            figures = unit_figures(unit, children)
            panel["figures"] = figures[unit.pk]
            panel["children"] = [(child, figures[child.pk]) for child in children]
            if unit.kind in (Unit.Kind.HAMLET, Unit.Kind.GROUP):
                panel["to_do"] = to_do(unit, today)
            if index == 0:
                panel["charts"] = dashboard_charts(unit, children, today)
        panels.append(panel)
    assignments = (
        RoleAssignment.objects.filter(user=user).select_related("unit").order_by("unit__path")
    )
    return render(
        request,
        "accounts/home.html",
        {
            "panels": panels,
            "assignments": assignments,
            "has_roles": bool(role_paths(user)) or user.is_superuser,
            "party_pending": pending_invitations(user),
        },
    )


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
        {"account": account, "assignments": assignments, "form": form},
    )


@login_required
@require_POST
def role_revoke(request, pk):
    assignment = get_role_assignment_for_user(request.user, pk)
    actions.revoke_role(assignment, acting_user=request.user)
    messages.success(request, _("The role was revoked."))
    return redirect("accounts:user-list")
