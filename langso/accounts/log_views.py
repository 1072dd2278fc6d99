"""The audit log as a commune administrator reads it: browse, filter, export."""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts import sensitive
from langso.accounts.access import audit_entries_for_user, top_units_for_user
from langso.accounts.forms import AuditFilterForm
from langso.accounts.roles import Capability
from langso.lib.excel import write_xlsx
from langso.lib.files import file_response

PAGE_SIZE = 50
# An export of the log is a record of who saw what: kept whole up to this many rows.
EXPORT_LIMIT = 50_000


@login_required
def audit_list(request):
    """Who did what, when, in the units the user administers; newest first."""
    tops = list(top_units_for_user(request.user, Capability.GRANT_ROLES))
    if not tops and not request.user.is_superuser:
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    entries = form.filter(audit_entries_for_user(request.user)).select_related("actor", "unit")
    if request.GET.get("export") == "xlsx" and (not form.is_bound or form.is_valid()):
        return _export(request, entries, tops)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _export(request, entries, tops):
    rows = list(entries[:EXPORT_LIMIT])
    table = [
        [
            timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
            entry.actor.get_full_name() if entry.actor else "",
            entry.actor.username if entry.actor else "",
            entry.verb,
            entry.target_repr,
            entry.unit.display_name if entry.unit else "",
            "; ".join(f"{key}: {old} → {new}" for key, (old, new) in entry.changes.items()),
        ]
        for entry in rows
    ]
    buffer = io.BytesIO()
    write_xlsx(
        buffer,
        title=_("Audit log"),
        subtitle=timezone.localdate().strftime("%d/%m/%Y"),
        headings=[
            _("At"),
            _("By"),
            _("Username"),
            _("Action"),
            _("Object"),
            _("Unit"),
            _("Changes"),
        ],
        rows=table,
    )
    sensitive.log_export(
        request.user,
        "accounts.audit",
        unit=sensitive.common_unit(tops),
        rows=len(rows),
        format="xlsx",
        query=request.GET.urlencode(),
    )
    name = f"nhat-ky-{timezone.localdate():%Y%m%d}.xlsx"
    return file_response(buffer.getvalue(), filename=name, as_attachment=True)
