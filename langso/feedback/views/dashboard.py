"""Feedback figures of a commune or a province, and the monthly summary to download."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from langso.accounts.access import get_unit_for_user
from langso.accounts.models import AuditEntry
from langso.accounts.roles import Capability
from langso.feedback.figures import feedback_figures, first_overdue, overdue_reports
from langso.feedback.summary import summary_pdf, summary_xlsx
from langso.lib.files import file_response
from langso.places.models import Unit

OVERDUE_SHOWN = 20
PAGE = 50


@login_required
def dashboard(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk, Capability.VIEW_UNITS)
    if unit.kind not in (Unit.Kind.PROVINCE, Unit.Kind.COMMUNE, Unit.Kind.HAMLET):
        raise Http404
    today = timezone.localdate()
    figures = feedback_figures(unit, today=today)
    overdue = first_overdue(unit, OVERDUE_SHOWN, today)
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
            "overdue_url": reverse("feedback:dashboard-overdue", args=[unit.pk]),
        },
    )


@login_required
@require_GET
def overdue(request, unit_pk):
    """Every overdue report of the unit (of one of its parts with `?unit=`, of one category
    with `?category=`): the list behind the dashboard's overdue figures, as long as they say."""
    unit = get_unit_for_user(request.user, unit_pk, Capability.VIEW_UNITS)
    today = timezone.localdate()
    reports = overdue_reports(unit, today)
    part = request.GET.get("unit", "")
    category = request.GET.get("category", "")
    if part:
        if not part.isdigit():
            raise Http404
        reports = reports.filter(Q(commune_id=part) | Q(hamlet_id=part))
    if category:
        if not category.isdigit():
            raise Http404
        reports = reports.filter(category_id=category)
    page = Paginator(
        reports.select_related("category", "hamlet", "commune", "assigned_unit").order_by(
            "due_on", "pk"
        ),
        PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/dashboard_overdue.html",
        {
            "unit": unit,
            "page": page,
            "today": today,
            "query": urlencode({k: v for k, v in (("unit", part), ("category", category)) if v}),
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
