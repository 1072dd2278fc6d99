"""Meetings: scheduling, invitations and answers, the record of a meeting held."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.lib.files import file_response
from langso.party import access, actions
from langso.party.forms import MeetingForm, RecordMeetingForm, RespondForm
from langso.party.models import Invitation
from langso.party.views.common import form_errors


@login_required
def meeting_create(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = actions.schedule_meeting(
            organisation,
            acting_user=request.user,
            kind=data["kind"],
            title=data["title"],
            starts_at=form.starts_at(),
            place=data["place"],
            agenda=data["agenda"],
            for_month=data["for_month"],
        )
        messages.success(
            request,
            _("The meeting was created and %(count)s members were invited.")
            % {"count": meeting.invitations.count()},
        )
        return redirect(meeting)
    return render(request, "party/meeting_form.html", {"organisation": organisation, "form": form})


@login_required
def meeting_minutes_file(request, pk):
    """The minutes file of a meeting, for whoever may open the meeting."""
    meeting = access.get_meeting_for_user(request.user, pk)
    if not meeting.minutes_file:
        raise Http404
    extension = meeting.minutes_file.name.rsplit(".", 1)[-1].lower()
    return file_response(
        meeting.minutes_file.open("rb"), filename=f"bien-ban-{meeting.pk}.{extension}"
    )


@login_required
def meeting_detail(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    can_manage = access.can_manage(request.user, meeting.organisation)
    member = access.own_member(request.user)
    context = {"meeting": meeting, "can_manage": can_manage}
    if member is not None:
        context["invitation"] = meeting.invitations.filter(member=member).first()
    if can_manage:
        invitations = meeting.invitations.select_related("member__person").order_by(
            "member__person__sort_key"
        )
        context["invitations"] = invitations
        context["counts"] = {
            "invited": len(invitations),
            "confirmed": sum(1 for i in invitations if i.response == Invitation.Response.CONFIRMED),
            "excused": sum(1 for i in invitations if i.response == Invitation.Response.EXCUSED),
            "pending": sum(1 for i in invitations if not i.response),
            "present": sum(1 for i in invitations if i.attendance == Invitation.Attendance.PRESENT),
        }
        if meeting.notice_id:
            # The invitation went out as a notice: its delivery and in-person list.
            context["notice_status"] = meeting.notice.recipient_counts()
    context["documents"] = meeting.documents.all()
    return render(request, "party/meeting_detail.html", context)


@login_required
@require_POST
def meeting_respond(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    member = access.own_member(request.user)
    invitation = meeting.invitations.filter(member=member).first() if member else None
    if invitation is None:
        raise Http404
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            actions.respond_to_invitation(
                invitation,
                acting_user=request.user,
                response=form.cleaned_data["response"],
                excuse=form.cleaned_data["excuse"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if invitation.response == Invitation.Response.CONFIRMED:
                messages.success(request, _("Thank you: your attendance is confirmed."))
            else:
                messages.success(request, _("Your reason for absence was sent to the secretary."))
    else:
        messages.error(request, _("Choose whether you will attend."))
    return redirect(meeting)


@login_required
def meeting_record(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    invitations = list(
        meeting.invitations.select_related("member__person").order_by("member__person__sort_key")
    )
    form = RecordMeetingForm(
        request.POST or None,
        request.FILES or None,
        invitations=invitations,
        initial={"held_on": meeting.held_on or timezone.localdate(), "minutes": meeting.minutes},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_meeting(
                meeting,
                acting_user=request.user,
                held_on=data["held_on"],
                attendance=form.attendance(),
                minutes=data["minutes"],
                minutes_file=data["minutes_file"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The meeting was recorded."))
            return redirect(meeting)
    return render(request, "party/meeting_record.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def meeting_cancel(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    try:
        actions.cancel_meeting(meeting, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting was cancelled."))
    return redirect(meeting)
