"""Meetings and events: scheduling (the invitation goes through notices), attendance,
minutes and photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.associations import access, actions
from langso.associations.forms import ActivityForm, AttendanceForm, PhotoForm
from langso.associations.models import Attendance
from langso.associations.views.common import form_errors
from langso.lib.files import file_response


def _schedule(request, organisation, branch):
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = actions.schedule_activity(
                organisation, acting_user=request.user, branch=branch, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("The activity was created and %(count)s members were invited.")
                % {"count": activity.attendance.count()},
            )
            return redirect(activity)
    return render(
        request,
        "associations/activity_form.html",
        {"organisation": organisation, "branch": branch, "form": form},
    )


@login_required
def activity_create(request, pk):
    organisation = access.get_organisation_for_user(request.user, pk, manage=True)
    return _schedule(request, organisation, None)


@login_required
def branch_activity_create(request, pk):
    branch = access.get_branch_for_user(request.user, pk, manage=True)
    return _schedule(request, branch.organisation, branch)


def _rows(activity):
    return list(
        activity.attendance.select_related("member__person").order_by("member__person__sort_key")
    )


@login_required
def activity_detail(request, pk):
    activity = access.get_activity_for_user(request.user, pk)
    rows = _rows(activity)
    can_manage = _can_manage(request.user, activity)
    context = {
        "activity": activity,
        "organisation": activity.organisation,
        "rows": rows,
        "present": sum(1 for r in rows if r.status == Attendance.Status.PRESENT),
        "can_manage": can_manage,
        "photos": activity.photos.all(),
    }
    if can_manage:
        context["form"] = AttendanceForm(
            rows=rows,
            initial={
                "present": [
                    str(r.member_id) for r in rows if r.status == Attendance.Status.PRESENT
                ],
                "minutes": activity.minutes,
            },
        )
        context["photo_form"] = PhotoForm()
        if activity.notice_id:
            context["notice_status"] = activity.notice.recipient_counts()
    return render(request, "associations/activity_detail.html", context)


def _can_manage(user, activity):
    try:
        access.get_activity_for_user(user, activity.pk, manage=True)
    except Http404:
        return False
    return True


@login_required
@require_POST
def activity_attendance(request, pk):
    activity = access.get_activity_for_user(request.user, pk, manage=True)
    form = AttendanceForm(request.POST, rows=_rows(activity))
    if form.is_valid():
        actions.record_attendance(
            activity,
            acting_user=request.user,
            present=[int(i) for i in form.cleaned_data["present"]],
            minutes=form.cleaned_data["minutes"],
        )
        messages.success(request, _("The attendance was recorded."))
    else:
        messages.error(request, _("Tick the members who came."))
    return redirect(activity)


@login_required
@require_POST
def activity_photo(request, pk):
    activity = access.get_activity_for_user(request.user, pk, manage=True)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_photo(
                activity,
                form.cleaned_data["photo"],
                acting_user=request.user,
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The photo was added."))
    else:
        messages.error(request, _("Choose a photo."))
    return redirect(activity)


@login_required
def photo_file(request, pk, photo_pk):
    activity = access.get_activity_for_user(request.user, pk)
    photo = activity.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    return file_response(photo.file.open("rb"), filename=f"anh-{photo.pk}")
