"""Downloads: a branch's member list, an organisation's dues, a loan statement."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _

from langso.accounts.models import AuditEntry
from langso.associations import access, exports
from langso.associations.views.common import day_param, require
from langso.associations.views.money import _year
from langso.lib.files import file_response


def _send(fmt, lines, title, subtitle, table, day, place, filename, notes=()):
    if fmt == "xlsx":
        data = exports.xlsx(title, subtitle, table)
    elif fmt == "pdf":
        data = exports.pdf(lines, title, subtitle, table, day, place, notes)
    else:
        raise Http404
    return file_response(data, filename=f"{filename}.{fmt}", as_attachment=True)


@login_required
def branch_members(request, pk, fmt):
    branch = access.get_branch_for_user(request.user, pk)
    day = day_param(request)
    AuditEntry.objects.record(
        request.user, "associations.list_exported", target=branch, unit=branch.unit
    )
    return _send(
        fmt,
        exports.issuing_lines(branch.organisation, branch),
        _("LIST OF MEMBERS"),
        f"{branch} – " + _("as of %(day)s") % {"day": f"{day:%d/%m/%Y}"},
        exports.member_table(branch, day),
        day,
        branch.organisation.unit.name,
        f"hoi-vien-{branch.pk}-{day:%Y%m%d}",
    )


@login_required
def organisation_dues(request, pk, fmt):
    organisation = access.get_organisation_for_user(request.user, pk)
    require(access.can_read_all_of(request.user, organisation))
    year = _year(request)
    day = day_param(request)
    return _send(
        fmt,
        exports.issuing_lines(organisation),
        _("DUES %(year)s") % {"year": year},
        f"{organisation} – " + _("as of %(day)s") % {"day": f"{day:%d/%m/%Y}"},
        exports.dues_table(organisation, year, day),
        day,
        organisation.unit.name,
        f"hoi-phi-{organisation.pk}-{year}",
    )


@login_required
def loan_statement(request, pk, fmt):
    loan = access.get_loan_for_user(request.user, pk)
    day = day_param(request)
    notes = [
        _("Amount lent: %(amount)s đ on %(day)s for %(purpose)s.")
        % {
            "amount": f"{loan.amount:,}".replace(",", "."),
            "day": f"{loan.lent_on:%d/%m/%Y}",
            "purpose": loan.purpose,
        },
        _("Outstanding: %(amount)s đ; overdue: %(overdue)s đ.")
        % {
            "amount": f"{loan.outstanding_on(day):,}".replace(",", "."),
            "overdue": f"{loan.overdue_on(day):,}".replace(",", "."),
        },
    ]
    return _send(
        fmt,
        exports.issuing_lines(loan.fund.organisation),
        _("LOAN STATEMENT"),
        f"{loan.person} – {loan.fund} – " + _("as of %(day)s") % {"day": f"{day:%d/%m/%Y}"},
        exports.loan_table(loan, day),
        day,
        loan.fund.organisation.unit.name,
        f"so-vay-{loan.pk}",
        notes,
    )
