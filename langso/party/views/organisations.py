"""The handbook's first page and an organisation's page."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Sum
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from langso.party import access
from langso.party.models import (
    Answer,
    FeeMonth,
    Invitation,
    Meeting,
    Member,
    Organisation,
    Reading,
)
from langso.party.statistics import TO_DO_KEYS, to_do_members
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
        read = Reading.objects.filter(member=member, document=OuterRef("pk"))
        context["unread"] = (
            access.documents_for_user(user).filter(~Exists(read)).order_by("-issued_on")[:10]
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
        context["to_do"] = [
            {
                "key": key,
                "count": to_do_members(members, key, today).count(),
                "first": list(to_do_members(members, key, today)[:TO_DO_SHOWN]),
                "url": f"{reverse('party:to-do')}?what={key}",
            }
            for key in TO_DO_KEYS
        ]
        context["probations"], context["fee_warnings"] = (
            item["first"] for item in context["to_do"]
        )
        context["planned"] = (
            access.meetings_for_user(user)
            .filter(status=Meeting.Status.PLANNED)
            .order_by("starts_at")[:10]
        )
    return render(request, "party/home.html", context)


TO_DO_SHOWN = 10


@login_required
def to_do(request):
    """The whole list behind one of the first page's "what needs doing" counts."""
    require_party_user(request)
    key = request.GET.get("what")
    if key not in TO_DO_KEYS or not access.manages_any(request.user):
        raise Http404
    members = to_do_members(access.members_for_user(request.user), key, timezone.localdate())
    return render(request, "party/to_do.html", {"key": key, "members": members})


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
