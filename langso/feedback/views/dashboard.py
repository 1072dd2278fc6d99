"""Feedback figures of a commune or a province, and the monthly summary to download."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from langso.accounts.access import get_unit_for_user
from langso.accounts.models import AuditEntry
from langso.accounts.roles import Capability
from langso.feedback.figures import feedback_figures
from langso.feedback.models import Report
from langso.feedback.summary import summary_pdf, summary_xlsx
from langso.lib.files import file_response
from langso.places.models import Unit

OVERDUE_SHOWN = 20


@login_required
def dashboard(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk, Capability.VIEW_UNITS)
    if unit.kind not in (Unit.Kind.PROVINCE, Unit.Kind.COMMUNE, Unit.Kind.HAMLET):
        raise Http404
    today = timezone.localdate()
    figures = feedback_figures(unit, today=today)
    reports = (
        Report.objects.filter(commune=unit)
        if unit.kind == Unit.Kind.COMMUNE
        else (Report.objects.within(unit))
    )
    overdue = list(
        reports.overdue(today)
        .select_related("category", "hamlet", "assigned_unit")
        .order_by("due_on", "pk")[:OVERDUE_SHOWN]
    )
    return render(
        request,
        "feedback/dashboard.html",
        {
            "unit": unit,
            "figures": figures,
            "overdue": overdue,
            "today": today,
            "parts": figures.by_commune if unit.kind == Unit.Kind.PROVINCE else figures.by_hamlet,
            "month": today.replace(day=1),
        },
    )


@login_required
@require_GET
def summary(request, unit_pk, year, month, format):
    unit = get_unit_for_user(request.user, unit_pk, Capability.VIEW_UNITS)
    if format not in ("xlsx", "pdf") or not (1 <= month <= 12) or not (2000 <= year <= 2100):
        raise Http404
    content = (
        summary_xlsx(unit, year, month) if format == "xlsx" else summary_pdf(unit, year, month)
    )
    AuditEntry.objects.record(request.user, "feedback.summary", unit=unit)
    return file_response(
        content, filename=f"phan-anh-{year}-{month:02d}.{format}", as_attachment=True
    )
