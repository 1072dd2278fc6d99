"""Setting an organisation up: the organisation itself and its rule, branches and small
groups, revolving funds, officers (leaders and branch heads) and movements with their
results. Every POST checks that the user may write there; a refused or invalid form
comes back with what was typed; ending an officer asks first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.models import RoleAssignment, User
from langso.accounts.roles import Role
from langso.associations import access, actions
from langso.associations.forms import (
    BranchEditForm,
    BranchForm,
    FundForm,
    MovementForm,
    MovementResultForm,
    OfficerForm,
    OrganisationEditForm,
    OrganisationForm,
)
from langso.associations.models import Organisation
from langso.associations.views.common import form_errors, require
from langso.places.models import Unit


def _form_page(request, template_title, form, *, organisation=None, back=None, submit=None):
    return render(
        request,
        "associations/setup_form.html",
        {
            "title": template_title,
            "form": form,
            "organisation": organisation,
            "back": back,
            "submit": submit or _("Save"),
        },
    )


@login_required
def organisation_create(request):
    communes = access.setup_communes(request.user)
    require(communes.exists())
    parents = Organisation.objects.filter(unit__in=communes).exclude(kind="local")
    form = OrganisationForm(request.POST or None, communes=communes, parents=parents)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = actions.create_organisation(
            acting_user=request.user,
            name=data["name"],
            kind=data["kind"],
            unit=data["unit"],
            parent=data["parent"],
        )
        messages.success(request, _("The organisation was created."))
        return redirect(organisation)
    return _form_page(request, _("New organisation"), form, back="associations:home")


@login_required
def organisation_edit(request, pk):
    user = request.user
    organisation = access.get_organisation_for_user(user, pk)
    require(
        access.can_manage_organisation(user, organisation) or access.can_set_up(user, organisation)
    )
    initial = {
        "name": organisation.name,
        "min_age": organisation.min_age,
        "max_age": organisation.max_age,
        "sex": organisation.sex,
        "rule_source": organisation.rule_source,
    }
    form = OrganisationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_organisation(organisation, acting_user=user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect(organisation)
    return _form_page(
        request, _("Edit the organisation and its rule"), form, organisation=organisation
    )


@login_required
def branch_create(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk, manage=True)
    hamlets = Unit.objects.filter(parent=organisation.unit, kind=Unit.Kind.HAMLET).current()
    form = BranchForm(request.POST or None, units=hamlets.order_by("path"))
    if request.method == "POST" and form.is_valid():
        try:
            branch = actions.create_branch(
                organisation, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The branch was created."))
            return redirect(branch)
    return _form_page(request, _("New branch"), form, organisation=organisation)


@login_required
def small_group_create(request, pk):
    branch = access.get_branch_for_user(request.user, pk, manage=True)
    require(branch.parent_id is None)
    units = Unit.objects.within(branch.unit).current().order_by("path")
    form = BranchForm(request.POST or None, units=units, initial={"unit": branch.unit})
    if request.method == "POST" and form.is_valid():
        try:
            group = actions.create_branch(
                branch.organisation, acting_user=request.user, parent=branch, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The small group was created."))
            return redirect(group)
    return _form_page(
        request,
        _("New small group of %(branch)s") % {"branch": branch},
        form,
        organisation=branch.organisation,
    )


@login_required
def branch_edit(request, pk):
    branch = access.get_branch_for_user(request.user, pk, manage=True)
    form = BranchEditForm(request.POST or None, initial={"name": branch.name})
    if request.method == "POST" and form.is_valid():
        actions.update_branch(branch, acting_user=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("The branch was saved."))
        return redirect(branch)
    return _form_page(request, _("Rename %(branch)s") % {"branch": branch}, form,
                      organisation=branch.organisation)  # fmt: skip


@login_required
def fund_create(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk, manage=True)
    form = FundForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            fund = actions.create_fund(organisation, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The fund was created."))
            return redirect(fund)
    return _form_page(request, _("New revolving fund"), form, organisation=organisation)


def _officer_candidates(organisation: Organisation, *, leaders: bool):
    """Accounts that hold the branch-head role (and the leader role, when `leaders`) at a
    unit containing the organisation's commune or one of its hamlets."""
    units = Unit.objects.within(organisation.unit).values("path")
    paths = set(units.values_list("path", flat=True)) | set(
        organisation.unit.ancestors().values_list("path", flat=True)
    )
    roles = [Role.BRANCH_HEAD, *([Role.ASSOCIATION_LEADER] if leaders else [])]
    held = RoleAssignment.objects.filter(role__in=roles, unit__path__in=paths)
    return User.objects.filter(pk__in=held.values("user_id"), is_active=True).order_by(
        "full_name", "username"
    )


def _holds(user: User, role: str, unit: Unit) -> bool:
    return (
        RoleAssignment.objects.filter(user=user, role=role)
        .filter(Q(unit=unit) | Q(unit__in=unit.ancestors()))
        .exists()
    )


@login_required
def officers(request, pk):
    """Who leads the organisation and heads its branches; appoint another."""
    user = request.user
    organisation = access.get_organisation_for_user(user, pk)
    sets_up = access.can_set_up(user, organisation)
    require(sets_up or access.can_manage_organisation(user, organisation))
    branches = organisation.branches.select_related("unit").order_by("unit__path", "name")
    form = OfficerForm(
        request.POST or None,
        users=_officer_candidates(organisation, leaders=sets_up),
        branches=branches,
    )
    if request.method == "POST" and form.is_valid():
        chosen, branch = form.cleaned_data["user"], form.cleaned_data["branch"]
        role = Role.BRANCH_HEAD if branch is not None else Role.ASSOCIATION_LEADER
        if branch is None and not sets_up:
            form.add_error("branch", _("Only the commune's administrator appoints a leader."))
        elif not _holds(chosen, role, branch.unit if branch else organisation.unit):
            form.add_error(
                "user",
                _("%(user)s does not hold the role %(role)s there; grant it first.")
                % {"user": chosen, "role": Role(role).label},
            )
        else:
            actions.appoint_officer(
                chosen, acting_user=user, organisation=organisation, branch=branch
            )
            messages.success(request, _("The officer was appointed."))
            return redirect("associations:officers", organisation.pk)
    rows = organisation.officers.select_related("user", "branch").order_by("branch__name")
    return render(
        request,
        "associations/officers.html",
        {
            "organisation": organisation,
            "officers": [(o, sets_up or o.branch_id is not None) for o in rows],
            "form": form,
        },
    )


@login_required
def officer_end(request, pk):
    """End an officer's office, after a confirmation page."""
    officer = access.get_officer_for_user(request.user, pk)
    organisation = officer.organisation
    if request.method == "POST":
        actions.end_officer(officer, acting_user=request.user)
        messages.success(request, _("The office ended."))
        return redirect("associations:officers", organisation.pk)
    return render(
        request,
        "associations/confirm.html",
        {
            "organisation": organisation,
            "title": _("End this office?"),
            "question": _("%(user)s will no longer lead %(what)s.")
            % {
                "user": officer.user.get_full_name() or officer.user.username,
                "what": officer.branch or organisation,
            },
            "submit": _("End the office"),
            "back": reverse("associations:officers", args=[organisation.pk]),
        },
    )


@login_required
def movement_create(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk, manage=True)
    form = MovementForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        movement = actions.create_movement(
            organisation, acting_user=request.user, **form.cleaned_data
        )
        messages.success(request, _("The movement was created."))
        return redirect("associations:movement-detail", movement.pk)
    return _form_page(request, _("New movement"), form, organisation=organisation)


@login_required
def movement_detail(request, pk):
    """A movement's results per branch; the leader, or a branch head for her branch,
    records a result."""
    user = request.user
    movement = access.get_movement_for_user(user, pk)
    organisation = movement.organisation
    branches = access.managed_branches(user).filter(organisation=organisation)
    manages = access.can_manage_organisation(user, organisation)
    can_record = manages or branches.exists()
    form = MovementResultForm(
        request.POST or None, branches=branches, initial={"on": timezone.localdate()}
    )
    if request.method == "POST":
        require(can_record)
        if form.is_valid():
            if form.cleaned_data["branch"] is None and not manages:
                form.add_error("branch", _("Choose your branch."))
            else:
                actions.record_movement_result(movement, acting_user=user, **form.cleaned_data)
                messages.success(request, _("The result was recorded."))
                return redirect("associations:movement-detail", movement.pk)
    results = movement.results.select_related("branch").order_by("-on", "pk")
    if not access.can_read_all_of(user, organisation):
        results = results.filter(branch__in=branches)
    return render(
        request,
        "associations/movement_detail.html",
        {
            "organisation": organisation,
            "movement": movement,
            "results": results,
            "form": form if can_record else None,
        },
    )
