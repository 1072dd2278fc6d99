"""Dues and revolving funds: payments, loans, repayments, the ledger."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.associations import access, actions, dues, figures
from langso.associations.forms import DuesAccountForm, DuesPaymentForm, LoanForm, RepaymentForm
from langso.associations.views.common import day_param, form_errors, require
from langso.registry.models import Person


def _year(request) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


@login_required
def dues_list(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    require(access.can_read_all_of(request.user, organisation))
    year = _year(request)
    today = timezone.localdate()
    members = organisation.members.on(min(today, date(year, 12, 31)))
    lines = dues.dues_lines(
        organisation,
        members.select_related("person", "branch").order_by("branch__name", "person__sort_key"),
        year,
        today,
    )
    return render(
        request,
        "associations/dues.html",
        {
            "organisation": organisation,
            "year": year,
            "lines": lines,
            "owed": sum(line.owed for line in lines),
            "paid": sum(line.paid for line in lines),
            "arrears": sum(line.arrears for line in lines),
            "form": DuesPaymentForm(initial={"paid_on": today, "period": f"01/01/{year}"}),
            "account_form": DuesAccountForm(
                initial={
                    "bank_bin": organisation.bank_bin,
                    "bank_account": organisation.bank_account,
                }
            ),
            "can_manage": access.can_manage_organisation(request.user, organisation),
        },
    )


@login_required
@require_POST
def dues_pay(request, pk):
    member = access.get_member_for_user(request.user, pk, manage=True)
    form = DuesPaymentForm(request.POST)
    if form.is_valid():
        try:
            actions.record_dues(member, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The payment was recorded."))
    else:
        messages.error(request, _("Enter the period, the amount and the date paid."))
    return redirect(member)


@login_required
def fund_detail(request, pk):
    fund = access.get_fund_for_user(request.user, pk)
    day = day_param(request)
    loans = list(fund.loans.select_related("person"))
    for loan in loans:
        loan.outstanding = loan.outstanding_on(day)
        loan.overdue = loan.overdue_on(day)
    return render(
        request,
        "associations/fund_detail.html",
        {
            "fund": fund,
            "organisation": fund.organisation,
            "day": day,
            "balance": fund.balance_on(day),
            "available": actions.available_on(fund, day),
            "ledger": fund.ledger(day),
            "loans": loans,
            "overdue": figures.overdue_loans([fund], day),
            "can_manage": access.can_manage_organisation(request.user, fund.organisation),
        },
    )


@login_required
def loan_create(request, pk):
    fund = access.get_fund_for_user(request.user, pk, manage=True)
    people = Person.objects.within(fund.organisation.unit).living()
    query = request.GET.get("q", "").strip()
    if request.method == "POST":
        form = LoanForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            try:
                loan = actions.make_loan(fund, data.pop("person"), acting_user=request.user, **data)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The loan was recorded."))
                return redirect(loan)
    else:
        form = LoanForm(
            people=people.best_matches(query) if query else people.none(),
            initial={"lent_on": timezone.localdate(), "instalments": 1, "term_months": 12},
        )
    return render(
        request,
        "associations/loan_form.html",
        {"fund": fund, "organisation": fund.organisation, "form": form, "query": query},
    )


@login_required
def loan_detail(request, pk):
    loan = access.get_loan_for_user(request.user, pk)
    day = day_param(request)
    can_manage = access.can_manage_organisation(request.user, loan.fund.organisation)
    return render(
        request,
        "associations/loan_detail.html",
        {
            "loan": loan,
            "organisation": loan.fund.organisation,
            "day": day,
            "instalments": loan.instalments.all(),
            "repayments": loan.repayments.all(),
            "outstanding": loan.outstanding_on(day),
            "overdue": loan.overdue_on(day),
            "can_manage": can_manage,
            "form": RepaymentForm(initial={"paid_on": timezone.localdate()})
            if can_manage
            else None,
        },
    )


@login_required
@require_POST
def loan_repay(request, pk):
    loan = access.get_loan_for_user(request.user, pk, manage=True)
    form = RepaymentForm(request.POST)
    if form.is_valid():
        try:
            actions.record_repayment(loan, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The repayment was recorded."))
    else:
        messages.error(request, _("Enter the date and the amounts repaid."))
    return redirect(loan)
