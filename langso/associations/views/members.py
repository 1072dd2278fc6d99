"""Members: adding one from the registry, a membership's page, moving and ending it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.associations import access, actions, dues
from langso.associations.forms import (
    AddMemberForm,
    EndMembershipForm,
    MoveMemberForm,
    PositionForm,
)
from langso.associations.models import Branch, Member
from langso.associations.views.common import form_errors
from langso.registry.models import Person


def _people(branch: Branch):
    return Person.objects.within(branch.unit).living()


@login_required
def member_add(request, pk):
    """A branch head (or the leader) finds a resident of the hamlet and adds them."""
    branch = access.get_branch_for_user(request.user, pk, manage=True)
    branches = Branch.objects.filter(Q(pk=branch.pk) | Q(parent=branch))
    query = request.GET.get("q", "").strip()
    if request.method == "POST":
        form = AddMemberForm(request.POST, people=_people(branch), branches=branches)
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = actions.add_member(
                    branch.organisation,
                    data["person"],
                    acting_user=request.user,
                    joined_on=data["joined_on"],
                    branch=data["branch"],
                    card_number=data["card_number"],
                    position=data["position"],
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("%(name)s was added.") % {"name": member.person})
                for warning in member.warnings:
                    messages.warning(request, warning)
                return redirect(branch)
    else:
        people = _people(branch).best_matches(query) if query else Person.objects.none()
        form = AddMemberForm(
            people=people,
            branches=branches,
            initial={"joined_on": timezone.localdate(), "branch": branch.pk},
        )
    return render(
        request,
        "associations/member_add.html",
        {"branch": branch, "organisation": branch.organisation, "form": form, "query": query},
    )


@login_required
def member_detail(request, pk, end_form=None):
    member = access.get_member_for_user(request.user, pk)
    can_manage = access.can_manage_organisation(request.user, member.organisation) or (
        member.branch is not None and access.can_manage_branch(request.user, member.branch)
    )
    today = timezone.localdate()
    context = {
        "member": member,
        "organisation": member.organisation,
        "events": member.events.select_related("from_branch", "to_branch"),
        "dues": dues.dues_lines(member.organisation, [member], today.year, today)[0],
        "payments": member.dues.order_by("-period"),
        "can_manage": can_manage and member.left_on is None,
    }
    if context["can_manage"]:
        context["end_form"] = end_form or EndMembershipForm(initial={"on": today})
        context["position_form"] = PositionForm(initial={"position": member.position, "on": today})
        context["move_form"] = MoveMemberForm(
            branches=access.managed_branches(request.user).filter(organisation=member.organisation),
            initial={"on": today},
        )
    return render(request, "associations/member_detail.html", context)


@login_required
@require_POST
def member_end(request, pk):
    """End a membership: the form's values are shown back for a confirmation first."""
    member = access.get_member_for_user(request.user, pk, manage=True)
    form = EndMembershipForm(request.POST)
    if form.is_valid() and request.POST.get("confirmed"):
        try:
            actions.end_membership(member, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The membership ended."))
            return redirect(member)
    elif form.is_valid():
        data = form.cleaned_data
        return render(
            request,
            "associations/confirm.html",
            {
                "organisation": member.organisation,
                "title": _("End this membership?"),
                "question": _("%(name)s leaves %(org)s on %(day)s (%(reason)s).")
                % {
                    "name": member.person.full_name,
                    "org": member.organisation,
                    "day": f"{data['on']:%d/%m/%Y}",
                    "reason": Member.Ending(data["ending"]).label,
                },
                "hidden": [(name, request.POST.get(name, "")) for name in form.fields],
                "submit": _("End the membership"),
                "back": member.get_absolute_url(),
            },
        )
    return member_detail(request, pk, end_form=form)


@login_required
@require_POST
def member_move(request, pk):
    member = access.get_member_for_user(request.user, pk, manage=True)
    form = MoveMemberForm(
        request.POST,
        branches=access.managed_branches(request.user).filter(organisation=member.organisation),
    )
    if form.is_valid():
        try:
            actions.move_member(
                member,
                acting_user=request.user,
                to_branch=form.cleaned_data["to_branch"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The member moved to another branch."))
    else:
        messages.error(request, _("Choose the branch and the date."))
    return redirect(member)


@login_required
@require_POST
def member_position(request, pk):
    """A member's position (chair, deputy, branch head…) changes, with a dated event."""
    member = access.get_member_for_user(request.user, pk, manage=True)
    form = PositionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the position and the date."))
    elif member.left_on is not None:
        messages.error(request, _("This membership has ended."))
    elif form.cleaned_data["position"] == member.position:
        messages.info(request, _("The position is unchanged."))
    else:
        actions.set_position(
            member,
            acting_user=request.user,
            position=form.cleaned_data["position"],
            on=form.cleaned_data["on"],
        )
        messages.success(request, _("The position was changed."))
    return redirect(member)
