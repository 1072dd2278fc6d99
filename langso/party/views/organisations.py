"""The handbook's first page and an organisation's page."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.shortcuts import render
from django.utils import timezone

from langso.lib.dates import add_months
from langso.party import access, actions
from langso.party.models import (
    Answer,
    FeeMonth,
    Invitation,
    Meeting,
    Member,
    Organisation,
    Reading,
)
from langso.party.statistics import unpaid_warnings
from langso.party.views.common import require_party_user, top_organisations


@login_required
def home(request):
    """The handbook's first page: the member's own business, then what the manager must do."""
    require_party_user(request)
    user = request.user
    today = timezone.localdate()
    member = access.own_member(user)
    context = {"member": member, "today": today}
    if member is not None:
        context["invitations"] = (
            Invitation.objects.filter(
                member=member,
                meeting__status=Meeting.Status.PLANNED,
                meeting__starts_at__gte=timezone.now() - timedelta(hours=12),
            )
            .select_related("meeting__organisation")
            .order_by("meeting__starts_at")
        )
        read = Reading.objects.filter(member=member).values("document_id")
        context["unread"] = (
            access.documents_for_user(user).exclude(pk__in=read).order_by("-issued_on")[:10]
        )
        context["points"] = (
            Answer.objects.filter(member=member).aggregate(total=Sum("points"))["total"] or 0
        )
        context["fees_owed"] = sum(
            fee.outstanding
            for fee in FeeMonth.objects.filter(member=member, excused=False)
            if fee.outstanding
        )
    if access.manages_any(user):
        managed = list(access.managed_organisations(user)[:500])
        context["organisations"] = top_organisations(managed)[:50]
        members = access.members_for_user(user)
        soon = today + timedelta(days=actions.PROBATION_NOTICE_DAYS)
        context["probations"] = list(
            members.filter(
                status=Member.Status.PROBATIONARY, admitted_on__lte=add_months(soon, -12)
            ).select_related("person", "organisation")[:50]
        )
        warnings = unpaid_warnings(members, today.year, today)
        context["fee_warnings"] = (
            members.filter(pk__in=list(warnings)).select_related("person", "organisation")[:50]
            if warnings
            else []
        )
        context["planned"] = (
            access.meetings_for_user(user)
            .filter(status=Meeting.Status.PLANNED)
            .order_by("starts_at")[:10]
        )
    return render(request, "party/home.html", context)


@login_required
def organisation_detail(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    today = timezone.localdate()
    context = {"organisation": organisation, "today": today}
    if organisation.kind == Organisation.Kind.CELL:
        context["members"] = organisation.current_members().order_by("person__sort_key")
        context["meetings"] = organisation.meetings.all()[:12]
        context["points"] = dict(
            Answer.objects.filter(member__organisation=organisation)
            .values_list("member_id")
            .annotate(total=Sum("points"))
            .order_by()
        )
    else:
        children = list(organisation.children.select_related("unit").order_by("name"))
        counts = dict(
            Member.objects.filter(organisation__in=children, status__in=Member.CURRENT)
            .values_list("organisation_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        points = dict(
            Answer.objects.filter(member__organisation__in=children)
            .values_list("member__organisation_id")
            .annotate(total=Sum("points"))
            .order_by()
        )
        context["children"] = [
            (child, counts.get(child.pk, 0), points.get(child.pk, 0)) for child in children
        ]
        context["meetings"] = organisation.meetings.all()[:6]
    context["targets"] = [
        (target, target.admitted()) for target in organisation.admission_targets.all()
    ]
    return render(request, "party/organisation_detail.html", context)
