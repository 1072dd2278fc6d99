"""The associations' home, an organisation, a branch and one's own memberships."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.associations import access, actions, dues, figures
from langso.associations.forms import DuesAccountForm, DuesRateForm, TargetForm
from langso.associations.models import Loan, Organisation
from langso.associations.views.common import day_param, require
from langso.lib import vietqr


@login_required
def home(request):
    user = request.user
    require(access.has_access(user))
    organisations = list(access.readable_organisations(user).order_by("unit__path", "kind"))
    return render(
        request,
        "associations/home.html",
        {
            "organisations": organisations,
            "branches": access.managed_branches(user).exclude(
                organisation__in=access.managed_organisations(user)
            ),
            "memberships": access.own_memberships(user),
            "can_set_up": access.setup_communes(user).exists(),
            "association_panels": figures.dashboard(user, timezone.localdate()),
        },
    )


@login_required
def organisation_detail(request, pk):
    user = request.user
    organisation = access.get_organisation_for_user(user, pk)
    day = day_param(request)
    whole = access.can_read_all_of(user, organisation)
    context = {
        "organisation": organisation,
        "day": day,
        "whole": whole,
        "can_manage": access.can_manage_organisation(user, organisation),
        "can_set_up": access.can_set_up(user, organisation),
    }
    if whole:
        result = figures.commune_figures(
            organisation.unit, day, Organisation.objects.filter(pk=organisation.pk)
        )
        context["figures"] = result
        context["org_figures"] = result.organisations[0]
        context["branches"] = organisation.branches.filter(parent=None).select_related("unit")
        context["groups"] = organisation.groups.all()
        context["funds"] = organisation.funds.all()
        context["movements"] = organisation.movements.all()
        context["activities"] = organisation.activities.select_related("branch")[:10]
        context["target_form"] = TargetForm(initial={"year": day.year})
        context["rate_form"] = DuesRateForm()
        context["rates"] = organisation.dues_rates.all()
    else:
        context["branches"] = access.managed_branches(user).filter(
            organisation=organisation, parent=None
        )
    return render(request, "associations/organisation_detail.html", context)


@login_required
@require_POST
def target_set(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk, manage=True)
    form = TargetForm(request.POST)
    if form.is_valid():
        actions.set_target(
            organisation,
            acting_user=request.user,
            year=form.cleaned_data["year"],
            rate=form.cleaned_data["rate"],
        )
        messages.success(request, _("The target was saved."))
    else:
        messages.error(request, _("Enter a year and a rate between 0 and 100 %."))
    return redirect(organisation)


@login_required
@require_POST
def dues_rate_set(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk, manage=True)
    form = DuesRateForm(request.POST)
    if form.is_valid():
        actions.set_dues_rate(organisation, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The dues rate was saved."))
    else:
        messages.error(request, _("Enter the period, the amount and the date it applies from."))
    return redirect(organisation)


@login_required
@require_POST
def dues_account_set(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk, manage=True)
    form = DuesAccountForm(request.POST)
    if form.is_valid():
        actions.set_dues_account(organisation, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The dues account was saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("associations:dues", organisation.pk)


@login_required
def branch_detail(request, pk):
    user = request.user
    branch = access.get_branch_for_user(user, pk)
    day = day_param(request)
    members = list(figures.branch_members(branch, day))
    movements = branch.organisation.movements.all()
    return render(
        request,
        "associations/branch_detail.html",
        {
            "branch": branch,
            "organisation": branch.organisation,
            "day": day,
            "members": members,
            "small_groups": branch.small_groups.all(),
            "activities": branch.activities.all()[:10],
            "movements": movements,
            "can_manage": access.can_manage_branch(user, branch),
        },
    )


@login_required
def mine(request):
    """A member's own memberships, dues (with a bank QR for what is owed) and loans."""
    memberships = list(access.own_memberships(request.user))
    person_id = getattr(request.user, "person_id", None)
    loans = Loan.objects.filter(person_id=person_id).select_related("fund") if person_id else []
    require(bool(memberships) or bool(loans))
    today = timezone.localdate()
    rows = []
    for member in memberships:
        organisation = member.organisation
        line = None
        if member.left_on is None:
            line = dues.dues_lines(organisation, [member], today.year, today)[0]
        qr = None
        if line and line.arrears and organisation.bank_bin and organisation.bank_account:
            text = vietqr.payload(
                bin=organisation.bank_bin,
                account=organisation.bank_account,
                amount=line.arrears,
                purpose=dues_reference(member, today.year),
            )
            qr = {"svg": vietqr.svg(text, title=str(organisation)), "payload": text}
        rows.append({"member": member, "dues": line, "qr": qr})
    return render(
        request,
        "associations/mine.html",
        {"rows": rows, "loans": loans, "day": day_param(request), "year": today.year},
    )


def dues_reference(member, year: int) -> str:
    """What a member types (or the QR fills in) as the transfer's content: "HP 1234 2026"."""
    return f"HP {member.pk} {year}"
