"""Admission: targets and candidates on their way to membership."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.party import access, actions
from langso.party.forms import AdvanceCandidateForm, CandidateForm, TargetForm
from langso.party.models import Candidate, Organisation
from langso.party.views.common import people_search


@login_required
def admission(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    candidates = (
        Candidate.objects.filter(organisation__path__within=organisation.path)
        .select_related("person", "organisation")
        .order_by("stage", "person__sort_key")
    )
    query, people = (
        people_search(request, organisation)
        if organisation.kind == Organisation.Kind.CELL
        else ("", None)
    )
    return render(
        request,
        "party/admission.html",
        {
            "organisation": organisation,
            "targets": [(t, t.admitted()) for t in organisation.admission_targets.all()],
            "candidates": candidates,
            "target_form": TargetForm(),
            "candidate_form": CandidateForm(people=people) if people is not None else None,
            "advance_form": AdvanceCandidateForm(initial={"on": timezone.localdate()}),
            "query": query,
            "people": people,
        },
    )


@login_required
@require_POST
def admission_target(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            actions.set_admission_target(
                organisation, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The target was saved."))
    else:
        messages.error(request, _("Check the term, its dates and the number."))
    return redirect("party:admission", organisation.pk)


@login_required
@require_POST
def candidate_create(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    form = CandidateForm(
        request.POST, people=access.people_for_admission(request.user, organisation)
    )
    if form.is_valid():
        try:
            actions.add_candidate(
                form.cleaned_data["person"],
                acting_user=request.user,
                organisation=organisation,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The candidate was added."))
    else:
        messages.error(request, _("Choose a person."))
    return redirect("party:admission", organisation.pk)


@login_required
@require_POST
def candidate_advance(request, pk):
    candidate = access.get_candidate_for_user(request.user, pk)
    form = AdvanceCandidateForm(request.POST)
    if form.is_valid():
        try:
            actions.advance_candidate(
                candidate,
                acting_user=request.user,
                stage=form.cleaned_data["stage"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The candidate's stage was saved."))
    else:
        messages.error(request, _("Choose a stage and a date."))
    return redirect("party:admission", candidate.organisation_id)
