"""Party fees by QR: a member's fee of the month with its QR, and the cell treasurer's
statement import (through `party_fees`)."""

import base64
import binascii

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from langso.campaigns import party_fees, statements
from langso.campaigns.forms import MappingForm
from langso.campaigns.models import FeeAccount, FeeTransfer
from langso.lib import vietqr
from langso.lib.excel import SpreadsheetError
from langso.party import access as party_access


class FeeAccountForm(forms.Form):
    bank_bin = forms.ChoiceField(label=gettext_lazy("Bank"), choices=vietqr.bank_choices())
    bank_account = forms.CharField(label=gettext_lazy("Account number"), max_length=19)
    account_name = forms.CharField(
        label=gettext_lazy("Account holder"), max_length=100, required=False
    )


class FeeStatementForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Statement (Excel or CSV) exported from the bank"))


@login_required
def my_fee(request):
    member = party_access.own_member(request.user)
    if member is None:
        raise Http404
    fee = party_fees.this_months_fee(member)
    payload = party_fees.qr_for(fee) if fee else None
    return render(
        request,
        "campaigns/fee_mine.html",
        {
            "member": member,
            "fee": fee,
            "reference": party_fees.fee_reference(fee) if fee else "",
            "qr": vietqr.svg(payload, scale=5, title=_("VietQR to pay")) if payload else None,
            "account": FeeAccount.objects.filter(organisation=member.organisation).first(),
        },
    )


def _cell_for_user(user, pk):
    organisation = party_access.get_organisation_for_user(user, pk)
    if not party_access.can_manage(user, organisation):
        raise Http404
    return organisation


@login_required
def cell_fees(request, pk):
    organisation = _cell_for_user(request.user, pk)
    account = FeeAccount.objects.filter(organisation=organisation).first()
    initial = (
        {
            "bank_bin": account.bank_bin,
            "bank_account": account.bank_account,
            "account_name": account.account_name,
        }
        if account
        else {}
    )
    form = FeeAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            party_fees.set_fee_account(organisation, acting_user=request.user, **form.cleaned_data)
        except vietqr.VietQRError:
            form.add_error("bank_account", _("Give an account number of letters and digits."))
        else:
            messages.success(request, _("The account is saved."))
            return redirect("campaigns:cell-fees", pk=organisation.pk)
    return render(
        request,
        "campaigns/fee_cell.html",
        {
            "organisation": organisation,
            "form": form,
            "statement_form": FeeStatementForm(),
            "unmatched": FeeTransfer.objects.filter(organisation=organisation, fee=None)[:100],
            "mapped": party_fees.mapping_for(organisation),
        },
    )


@login_required
@require_POST
def cell_fee_statement(request, pk):
    """Upload shows the preview (the file travels back in the form); confirm writes."""
    organisation = _cell_for_user(request.user, pk)
    if "data" in request.POST:
        try:
            data = base64.b64decode(request.POST["data"], validate=True)
        except (binascii.Error, ValueError):
            raise Http404 from None
        filename = request.POST.get("filename", "")[:200]
    else:
        form = FeeStatementForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose the statement file."))
            return redirect("campaigns:cell-fees", pk=organisation.pk)
        upload = form.cleaned_data["file"]
        data, filename = upload.read(), upload.name or ""
    if "map" in request.POST:
        form = MappingForm(request.POST, headings=request.POST.getlist("headings"))
        if form.is_valid():
            try:
                party_fees.remember_fee_mapping(
                    organisation, acting_user=request.user, columns=form.cleaned_data
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("campaigns:cell-fees", pk=organisation.pk)
    context = {
        "organisation": organisation,
        "data": base64.b64encode(data).decode(),
        "filename": filename,
    }
    try:
        statement = statements.read_statement(
            data, filename, mapping=party_fees.mapping_for(organisation)
        )
    except SpreadsheetError as error:
        messages.error(request, error.message)
        return redirect("campaigns:cell-fees", pk=organisation.pk)
    except statements.ColumnsNotFound as error:
        # As for campaigns' statements: the treasurer maps the columns once, and they are
        # kept for the cell's account.
        context |= {
            "mapping_form": MappingForm(headings=error.headings),
            "headings": error.headings,
            "has_account": FeeAccount.objects.filter(organisation=organisation).exists(),
        }
        return render(request, "campaigns/fee_preview.html", context)
    if request.POST.get("confirm"):
        plan = party_fees.import_fees(organisation, statement, acting_user=request.user)
        messages.success(
            request,
            _("Fees marked paid: %(matched)s; not matched: %(unmatched)s.")
            % {"matched": len(plan.matched), "unmatched": len(plan.unmatched)},
        )
        return redirect("campaigns:cell-fees", pk=organisation.pk)
    context["plan"] = party_fees.plan_fees(organisation, statement)
    return render(request, "campaigns/fee_preview.html", context)


@login_required
@require_POST
def fee_transfer_match(request, pk):
    """Count a credit no code matched towards the fee month whose code the treasurer
    types (the member's code is on their fee page)."""
    try:
        transfer = FeeTransfer.objects.select_related("organisation").get(pk=pk)
    except (FeeTransfer.DoesNotExist, ValueError):
        raise Http404 from None
    organisation = _cell_for_user(request.user, transfer.organisation_id)
    fee = party_fees.fee_for_reference(organisation, request.POST.get("reference", ""))
    if fee is None:
        messages.error(request, _("No fee month of this cell has this code."))
    else:
        try:
            party_fees.match_fee_by_hand(transfer, acting_user=request.user, fee=fee)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The transfer is counted towards %(name)s's fee of %(month)s.")
                % {"name": fee.member.person.full_name, "month": f"{fee.month:%m/%Y}"},
            )
    return redirect("campaigns:cell-fees", pk=organisation.pk)
