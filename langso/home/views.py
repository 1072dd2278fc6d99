from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from langso.accounts.access import can, role_paths, top_units_for_user
from langso.accounts.models import RoleAssignment
from langso.accounts.roles import Capability
from langso.associations.access import has_access as has_association_access
from langso.associations.figures import dashboard as association_dashboard
from langso.home import figures as kept
from langso.notices.access import unread_urgent, waiting_relays
from langso.party.access import unanswered_invitations
from langso.registry.figures import to_do
from langso.reports.charts import dashboard_charts

FIGURE_PANELS = 3
URGENT_ROWS = 10  # each kind; the full lists are one link away


@login_required
def home(request):
    """Each role's starting page: first what waits for the user (relays to forward,
    meeting invitations to answer, urgent notices not yet read), then the units it
    reaches, at a glance."""
    user = request.user
    today = timezone.localdate()
    panels = []
    for index, unit in enumerate(top_units_for_user(user).current(today)):
        panel = {"unit": unit, "can_see_residents": can(user, Capability.VIEW_RESIDENTS, unit)}
        # Figures for the first few units; someone holding roles in many (a superuser sees
        # every province) gets the rest as links rather than a page that takes minutes.
        if panel["can_see_residents"] and index < FIGURE_PANELS:
            children = list(unit.children.current(today).order_by("path"))
            # Kept in the shared cache until the registry changes below the unit or the
            # day ends (home/figures.py).
            counted = kept.panel(unit, children, today, with_charts=index == 0)
            figures = counted["figures"]
            panel["figures"] = figures[unit.pk]
            panel["children"] = [(child, figures[child.pk]) for child in children]
            if "to_do" in counted:
                panel["to_do"] = to_do(unit, today, counted["to_do"])
            if index == 0:
                panel["charts"] = dashboard_charts(unit, children, today, counted.get("charts"))
        panels.append(panel)
    invitations = list(unanswered_invitations(user).order_by("meeting__starts_at")[:URGENT_ROWS])
    relays = list(waiting_relays(user).order_by("-notice__sent_at")[:URGENT_ROWS])
    urgent = list(unread_urgent(user).order_by("-notice__sent_at")[:URGENT_ROWS])
    assignments = (
        RoleAssignment.objects.filter(user=user).select_related("unit").order_by("unit__path")
    )
    return render(
        request,
        "home/home.html",
        {
            "panels": panels,
            "assignments": assignments,
            "has_roles": bool(role_paths(user)) or user.is_superuser,
            "party_pending": unanswered_invitations(user).count(),
            "invitations": invitations,
            "relays": relays,
            "urgent_notices": urgent,
            "association_panels": association_dashboard(user, today)
            if has_association_access(user)
            else [],
        },
    )
