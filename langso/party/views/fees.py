"""Party fees: the month's dues, payments, warnings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.lib.dates import add_months
from langso.party import access, actions
from langso.party.forms import PaymentForm
from langso.party.models import FeeMonth, Member, Organisation
from langso.party.statistics import unpaid_warnings
from langso.party.views.common import month_param


@login_required
def fees(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    today = timezone.localdate()
    month = month_param(request)
    members = Member.objects.filter(organisation__path__within=organisation.path)
    rows = (
        FeeMonth.objects.filter(member__in=members, month=month)
        .select_related("member__person", "member__organisation")
        .order_by("member__organisation__name", "member__person__sort_key")
    )
    warnings = unpaid_warnings(members, month.year, today)
    totals = rows.aggregate(due=Sum("due"), paid=Sum("paid"))
    return render(
        request,
        "party/fees.html",
        {
            "organisation": organisation,
            "month": month,
            "previous": add_months(month, -1),
            "next": add_months(month, 1),
            "rows": rows,
            "totals": totals,
            "warned": members.filter(pk__in=list(warnings)).select_related("person")
            if warnings
            else [],
            "warnings": warnings,
            "payment_form": PaymentForm(initial={"paid_on": today}),
        },
    )


@login_required
@require_POST
def fees_open(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    month = month_param(request)
    cells = (
        [organisation]
        if organisation.kind == Organisation.Kind.CELL
        else list(Organisation.objects.within(organisation).cells())
    )
    created = sum(
        actions.open_fee_month(cell, acting_user=request.user, month=month) for cell in cells
    )
    messages.success(
        request,
        _("Fees for %(month)s: %(count)s members added.")
        % {"month": f"{month:%m/%Y}", "count": created},
    )
    return redirect(f"{organisation.get_absolute_url()}fees/?month={month:%m/%Y}")


@login_required
@require_POST
def fee_pay(request, pk):
    fee = access.get_fee_month_for_user(request.user, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        actions.record_payment(fee, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The payment of %(name)s was recorded.") % {"name": fee.member})
    else:
        messages.error(request, _("Type the amount in đồng and the date as dd/mm/yyyy."))
    if request.POST.get("excused"):
        actions.excuse_fee_month(fee, acting_user=request.user, excused=True)
    organisation = fee.member.organisation
    return redirect(f"{organisation.get_absolute_url()}fees/?month={fee.month:%m/%Y}")
