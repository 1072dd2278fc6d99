"""Members: admission into a cell, profile, full membership, transfer, end, account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.party import access, actions
from langso.party.forms import (
    AccountForm,
    AdmitForm,
    ConfirmForm,
    EndMembershipForm,
    MemberForm,
    TransferForm,
)
from langso.party.models import Invitation, Meeting, Organisation
from langso.party.views.common import form_errors, people_search


@login_required
def member_admit(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    if organisation.kind != Organisation.Kind.CELL:
        raise Http404
    query, people = people_search(request, organisation)
    if request.method == "POST":
        form = AdmitForm(
            request.POST, people=access.people_for_admission(request.user, organisation)
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = actions.admit_member(
                    data["person"],
                    acting_user=request.user,
                    organisation=organisation,
                    admitted_on=data["admitted_on"],
                    considered_on=data["considered_on"],
                    age_approval_number=data["age_approval_number"],
                    age_approval_on=data["age_approval_on"],
                    age_approval_by=data["age_approval_by"],
                    card_number=data["card_number"],
                    no_phone=data["no_phone"],
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("%(name)s was admitted.") % {"name": member})
                return redirect(member)
    else:
        form = AdmitForm(people=people)
    return render(
        request,
        "party/member_admit.html",
        {"organisation": organisation, "form": form, "query": query, "people": people},
    )


@login_required
def member_detail(request, pk):
    member = access.get_member_for_user(request.user, pk)
    actions.log_member_view(member, acting_user=request.user)
    today = timezone.localdate()
    can_manage = access.can_manage(request.user, member.organisation)
    invitations = member.invitations.select_related("meeting").order_by("-meeting__starts_at")
    attended = invitations.filter(meeting__status=Meeting.Status.HELD)
    present = attended.filter(attendance=Invitation.Attendance.PRESENT).count()
    context = {
        "member": member,
        "person": member.person,
        "today": today,
        "can_manage": can_manage,
        "is_self": member.user_id == request.user.pk,
        "transfers": member.transfers.select_related("from_organisation", "to_organisation"),
        "invitations": invitations[:12],
        "attendance": (present, attended.count()),
        "ratings": member.ratings.all(),
        "fees": member.fee_months.order_by("-month")[:12],
        "points": member.answers.aggregate(total=Sum("points"))["total"] or 0,
        "documents_read": member.readings.count(),
        "confirm_form": ConfirmForm(initial={"on": today}),
    }
    return render(request, "party/member_detail.html", context)


@login_required
def member_edit(request, pk):
    member = access.get_member_for_user(request.user, pk, manage=True)
    form = MemberForm(
        request.POST or None, instance=member, initial={"no_phone": member.told_in_person}
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in MemberForm.Meta.fields}
        member.refresh_from_db()
        try:
            actions.update_member(
                member,
                acting_user=request.user,
                no_phone=form.cleaned_data["no_phone"],
                **fields,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect(member)
    return render(request, "party/member_form.html", {"member": member, "form": form})


@login_required
@require_POST
def member_confirm(request, pk):
    member = access.get_member_for_user(request.user, pk, manage=True)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            actions.confirm_full_membership(
                member, acting_user=request.user, on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s is now a full member.") % {"name": member})
    else:
        messages.error(request, _("Type the date as dd/mm/yyyy."))
    return redirect(member)


@login_required
def member_transfer(request, pk):
    member = access.get_member_for_user(request.user, pk, manage=True)
    cells = (
        access.managed_organisations(request.user)
        .filter(kind=Organisation.Kind.CELL)
        .exclude(pk=member.organisation_id)
    )
    form = TransferForm(request.POST or None, cells=cells)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.transfer_member(
                member,
                acting_user=request.user,
                on=data["on"],
                to_organisation=data["to_organisation"],
                elsewhere=data["elsewhere"].strip(),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The transfer was recorded."))
            if access.can_manage(request.user, member.organisation):
                return redirect(member)
            return redirect("party:home")
    return render(
        request,
        "party/member_action.html",
        {"member": member, "form": form, "title": _("Transfer")},
    )


@login_required
def member_end(request, pk):
    member = access.get_member_for_user(request.user, pk, manage=True)
    form = EndMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.end_membership(
                member,
                acting_user=request.user,
                status=data["status"],
                on=data["on"],
                note=data["note"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The change was recorded."))
            return redirect(member.organisation)
    return render(
        request,
        "party/member_action.html",
        {"member": member, "form": form, "title": _("End of membership"), "danger": True},
    )


@login_required
def member_account(request, pk):
    member = access.get_member_for_user(request.user, pk, manage=True)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_member_account(
                member,
                acting_user=request.user,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The account was created."))
            return redirect(member)
    return render(
        request,
        "party/member_action.html",
        {"member": member, "form": form, "title": _("Account for the phone")},
    )
