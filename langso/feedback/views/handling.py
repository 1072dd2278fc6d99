"""The signed-in side: the reports a person handles or made, one report with its actions,
entering a report received in person, by phone, at a meeting or in a Zalo group."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts.access import has_capability, top_units_for_user, units_for_user
from langso.accounts.roles import Capability
from langso.feedback import access, actions
from langso.feedback.forms import (
    AnswerForm,
    AssignForm,
    DeclineForm,
    HandlerReopenForm,
    NoteForm,
    OnBehalfForm,
)
from langso.feedback.models import Report, normal_code
from langso.feedback.views.public import uploads
from langso.lib.files import file_response
from langso.places.models import Unit

PAGE = 50


@login_required
def report_list(request):
    """The reports the user handles (overdue ones first, in red), or their own."""
    handles = has_capability(request.user, Capability.HANDLE_FEEDBACK)
    if handles:
        reports = access.handled_reports(request.user)
        state = request.GET.get("state", "open")
        if state == "open":
            reports = reports.open().order_by("due_on", "pk")
        elif state == "overdue":
            reports = reports.overdue().order_by("due_on", "pk")
        elif state in Report.State.values:
            reports = reports.filter(state=state).order_by("-received_at", "-pk")
        else:
            state = "all"
            reports = reports.order_by("-received_at", "-pk")
    else:
        state = "mine"
        reports = access.own_reports(request.user).order_by("-received_at", "-pk")
    page = Paginator(
        reports.select_related("category", "hamlet", "assigned_unit", "assigned_user"),
        PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/report_list.html",
        {
            "page": page,
            "state": state,
            "handles": handles,
            "today": timezone.localdate(),
            "states": Report.State.choices,
            "top_unit": top_units_for_user(request.user, Capability.HANDLE_FEEDBACK).first()
            if handles
            else None,
        },
    )


@login_required
def report_mine(request):
    reports = access.own_reports(request.user).select_related("category", "hamlet", "commune")
    return render(request, "feedback/report_mine.html", {"reports": reports})


@login_required
def report_create(request):
    """A hamlet head or official enters a report received from a resident."""
    hamlets = units_for_user(request.user, Capability.HANDLE_FEEDBACK).filter(kind=Unit.Kind.HAMLET)
    hamlet_ids = list(hamlets.current().values_list("pk", flat=True)[:500])
    if not hamlet_ids:
        raise PermissionDenied
    commune = Unit.objects.get(pk=hamlet_ids[0]).parent
    form = OnBehalfForm(request.POST or None, request.FILES or None, commune=commune)
    form.fields["hamlet"].queryset = Unit.objects.filter(pk__in=hamlet_ids).order_by("name")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = actions.submit_report(
                acting_user=request.user,
                hamlet=data["hamlet"],
                category=data["category"],
                text=data["text"],
                channel=data["channel"],
                landmark=data["landmark"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                share_location=data["share_location"],
                photos=uploads(data["photos"]),
                reporter_phone=data["phone"],
                reporter_name=data["reporter_name"],
                is_public=data["is_public"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Report entered; its tracking code is %(code)s.")
                % {"code": report.tracking_display},
            )
            return redirect(report)
    return render(request, "feedback/report_create.html", {"form": form})


def _detail_context(request, report, **forms):
    handles = access.may_handle(request.user, report)
    context = {
        "report": report,
        "handles": handles,
        "today": timezone.localdate(),
        "photos": report.photos.all(),
        "duplicates": report.duplicates.all(),
    }
    if handles:
        context.update(
            notes=report.notes.select_related("author"),
            assign_form=forms.get("assign_form")
            or AssignForm(report=report, handlers=actions.handlers_for(report)),
            note_form=forms.get("note_form") or NoteForm(),
            answer_form=forms.get("answer_form") or AnswerForm(),
            decline_form=forms.get("decline_form") or DeclineForm(),
            reopen_form=forms.get("reopen_form") or HandlerReopenForm(),
            may_reopen=report.state in actions.REOPENABLE,
            media_url_safe=report.media_url.startswith(("https://", "http://")),
        )
    return context


@login_required
def report_detail(request, pk):
    report = access.get_report_for_user(request.user, pk)
    return render(request, "feedback/report_detail.html", _detail_context(request, report))


def _page_with(request, report, form_name, form):
    """The report's page again, with `form` as the user filled it and its errors (400)."""
    context = _detail_context(request, report, **{form_name: form})
    return render(request, "feedback/report_detail.html", context, status=400)


def _act(request, report, action, form_name=None, form=None):
    """Run an action, with its form when it has one: an invalid form, or an action refused
    with a form, comes back on the page with what was typed; a refused action without a
    form comes back as a message."""
    if form is not None and not form.is_valid():
        return _page_with(request, report, form_name, form)
    try:
        action()
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect(report)
        form.add_error(None, error)
        return _page_with(request, report, form_name, form)
    return redirect(report)


@login_required
@require_POST
def report_assign(request, pk):
    report = access.get_report_for_user(request.user, pk, write=True)
    form = AssignForm(request.POST, report=report, handlers=actions.handlers_for(report))
    return _act(
        request,
        report,
        lambda: actions.assign_report(
            report,
            acting_user=request.user,
            unit=form.cleaned_data["unit"],
            user=form.cleaned_data["user"],
        ),
        "assign_form",
        form,
    )


@login_required
@require_POST
def report_start(request, pk):
    report = access.get_report_for_user(request.user, pk, write=True)
    return _act(request, report, lambda: actions.start_work(report, acting_user=request.user))


@login_required
@require_POST
def report_note(request, pk):
    report = access.get_report_for_user(request.user, pk, write=True)
    form = NoteForm(request.POST)
    return _act(
        request,
        report,
        lambda: actions.add_note(report, acting_user=request.user, text=form.cleaned_data["text"]),
        "note_form",
        form,
    )


@login_required
@require_POST
def report_answer(request, pk):
    report = access.get_report_for_user(request.user, pk, write=True)
    form = AnswerForm(request.POST, request.FILES)
    return _act(
        request,
        report,
        lambda: actions.answer_report(
            report,
            acting_user=request.user,
            text=form.cleaned_data["text"],
            photos=uploads(form.cleaned_data["photos"]),
        ),
        "answer_form",
        form,
    )


@login_required
@require_POST
def report_close(request, pk):
    report = access.get_report_for_user(request.user, pk, write=True)
    return _act(request, report, lambda: actions.close_report(report, acting_user=request.user))


@login_required
@require_POST
def report_decline(request, pk):
    report = access.get_report_for_user(request.user, pk, write=True)
    form = DeclineForm(request.POST)

    def decline():
        data = form.cleaned_data
        original = None
        if data["original"]:
            original = (
                access.handled_reports(request.user)
                .filter(Q(code=normal_code(data["original"])))
                .first()
            )
        actions.decline_report(
            report,
            acting_user=request.user,
            reason=data["reason"],
            note=data["note"],
            duplicate_of=original,
        )

    return _act(request, report, decline, "decline_form", form)


@login_required
@require_POST
def report_reopen(request, pk):
    """A handler takes an answered, closed or declined report back to work."""
    report = access.get_report_for_user(request.user, pk, write=True)
    form = HandlerReopenForm(request.POST)
    return _act(
        request,
        report,
        lambda: actions.reopen_by_handler(
            report, acting_user=request.user, reason=form.cleaned_data["reason"]
        ),
        "reopen_form",
        form,
    )


@login_required
def photo(request, pk):
    found = access.get_photo_for_user(request.user, pk)
    return file_response(found.image.open("rb"), filename=f"anh-{found.pk}.jpg")
