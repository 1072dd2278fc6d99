"""Yearly ratings: self-assessment, the cell's review, the committee's decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.party import access, actions
from langso.party.forms import RatingForm
from langso.party.models import Organisation, Rating
from langso.party.views.common import form_errors, rating_year


@login_required
def ratings(request, pk):
    """A year's ratings of the organisation's members (a cell) or cells (a committee)."""
    organisation = access.get_organisation_for_user(request.user, pk)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", rating_year(today)))
    except ValueError:
        year = rating_year(today)
    if organisation.kind == Organisation.Kind.CELL:
        subjects = list(organisation.current_members().order_by("person__sort_key"))
        found = {r.member_id: r for r in Rating.objects.filter(member__in=subjects, year=year)}
    else:
        subjects = list(organisation.children.order_by("name"))
        found = {
            r.organisation_id: r
            for r in Rating.objects.filter(organisation__in=subjects, year=year)
        }
    levels = {}
    for rating in found.values():
        levels[rating.level] = levels.get(rating.level, 0) + 1
    return render(
        request,
        "party/ratings.html",
        {
            "organisation": organisation,
            "year": year,
            "rows": [(subject, found.get(subject.pk)) for subject in subjects],
            "levels": [(label, levels.get(value, 0)) for value, label in Rating.Level.choices],
            "years": range(today.year, today.year - 6, -1),
            "is_committee": organisation.kind == Organisation.Kind.COMMITTEE,
        },
    )


@login_required
@require_POST
def rating_record(request, pk, kind, subject_pk):
    """The cell's review or the committee's decision for one member or cell."""
    organisation = access.get_organisation_for_user(request.user, pk)
    if kind == "member":
        subject = organisation.members.filter(pk=subject_pk).select_related("person").first()
    else:
        subject = organisation.children.filter(pk=subject_pk).first()
    if subject is None:
        raise Http404
    form = RatingForm(request.POST)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        raise Http404 from None
    step = actions.decide_rating if request.POST.get("step") == "decide" else actions.review_rating
    if form.is_valid():
        try:
            step(
                subject,
                acting_user=request.user,
                year=year,
                score=form.cleaned_data["score"],
                tasks_exceeded=form.cleaned_data["tasks_exceeded"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The rating of %(name)s was saved.") % {"name": subject})
    else:
        messages.error(request, _("A score is a number from 0 to 100."))
    return redirect(f"{organisation.get_absolute_url()}ratings/?year={year}")


@login_required
def member_self_assess(request, pk):
    """A member's own yearly self-assessment, from their phone."""
    member = access.get_member_for_user(request.user, pk)
    if member.user_id != request.user.pk:
        raise Http404
    year = rating_year(timezone.localdate())
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.self_assess(
                member,
                acting_user=request.user,
                year=year,
                score=data["score"],
                comment=data["comment"],
                tasks_exceeded=data["tasks_exceeded"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Your self-assessment was sent to the cell."))
            return redirect(member)
    return render(
        request,
        "party/member_action.html",
        {"member": member, "form": form, "title": _("Self-assessment %(year)s") % {"year": year}},
    )
