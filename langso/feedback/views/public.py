"""The commune's public feedback pages: report without an account, follow a report by its
code, and the answered reports with the figures (never a name or a phone number)."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from langso.feedback import access, actions
from langso.feedback.actions import Upload
from langso.feedback.figures import feedback_figures
from langso.feedback.forms import RateForm, ReopenForm, ReportForm
from langso.feedback.models import Report, normal_code
from langso.lib.files import file_response
from langso.places.public import commune_or_404

PAGE = 20


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def uploads(files) -> list[Upload]:
    return [Upload(upload.name or "", upload) for upload in files]


def report_new(request, code):
    """Report a problem; no account needed. An invalid form is answered with 400."""
    commune = commune_or_404(code)
    form = ReportForm(request.POST or None, request.FILES or None, commune=commune)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            signed_in = request.user.is_authenticated
            try:
                report = actions.submit_report(
                    acting_user=request.user if signed_in else None,
                    hamlet=data["hamlet"],
                    category=data["category"],
                    text=data["text"],
                    channel=Report.Channel.APP if signed_in else Report.Channel.WEB,
                    landmark=data["landmark"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    share_location=data["share_location"],
                    photos=uploads(data["photos"]),
                    reporter_phone=data["phone"],
                    is_public=data["is_public"],
                    source_ip=client_ip(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session["feedback_new_code"] = report.code
                return redirect("public:feedback-track", code=code, tracking=report.code)
    return render(
        request, "feedback/public_new.html", {"commune": commune, "form": form}, status=status
    )


def track_lookup(request, code):
    commune = commune_or_404(code)
    tracking = normal_code(request.GET.get("code", ""))
    if tracking:
        return redirect("public:feedback-track", code=commune.code, tracking=tracking)
    return render(request, "feedback/public_lookup.html", {"commune": commune})


def _tracked(code, tracking):
    """The report and its commune; any unknown code is the same 'not found' page."""
    commune = commune_or_404(code)
    try:
        return commune, access.get_report_by_code(commune, tracking)
    except Http404:
        return commune, None


def track(request, code, tracking):
    commune, report = _tracked(code, tracking)
    if report is None:
        return render(
            request,
            "feedback/public_lookup.html",
            {"commune": commune, "not_found": True},
            status=404,
        )
    just_sent = request.session.pop("feedback_new_code", "") == report.code
    return render(
        request,
        "feedback/public_track.html",
        {
            "commune": commune,
            "report": report,
            "just_sent": just_sent,
            "photos": report.photos.all(),
            "reopen_form": ReopenForm() if report.may_reopen() else None,
            "rate_form": RateForm()
            if report.state in (Report.State.ANSWERED, Report.State.CLOSED)
            else None,
        },
    )


@require_POST
def track_reopen(request, code, tracking):
    commune, report = _tracked(code, tracking)
    if report is None:
        raise Http404
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            actions.reopen_report(
                report, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("public:feedback-track", code=commune.code, tracking=report.code)
    return render(
        request,
        "feedback/public_track.html",
        {"commune": commune, "report": report, "photos": report.photos.all(), "reopen_form": form},
        status=400,
    )


@require_POST
def track_rate(request, code, tracking):
    commune, report = _tracked(code, tracking)
    if report is None:
        raise Http404
    form = RateForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "feedback/public_lookup.html",
            {"commune": commune, "not_found": True},
            status=400,
        )
    try:
        actions.rate_report(report, acting_user=request.user, rating=form.cleaned_data["rating"])
    except ValidationError:
        return render(
            request,
            "feedback/public_lookup.html",
            {"commune": commune, "not_found": True},
            status=400,
        )
    return redirect("public:feedback-track", code=commune.code, tracking=report.code)


def tracked_photo(request, code, tracking, pk):
    _commune, report = _tracked(code, tracking)
    if report is None:
        raise Http404
    photo = access.get_tracked_photo(report, pk)
    return file_response(photo.image.open("rb"), filename=f"{report.code}-{photo.pk}.jpg")


def answers(request, code):
    """The answered reports of the commune (of one hamlet with `?hamlet=<id>`, the link of
    the hamlet's "published" figure: the list is as long as the figure says) and the
    figures per hamlet and category."""
    commune = commune_or_404(code)
    figures = feedback_figures(commune)
    reports = Report.objects.answered_publicly().filter(commune=commune)
    hamlet = None
    if request.GET.get("hamlet"):
        hamlet = next((f for f in figures.by_hamlet if str(f.key) == request.GET["hamlet"]), None)
        if hamlet is None:
            raise Http404
        reports = reports.filter(hamlet_id=hamlet.key)
    reports = (
        reports.select_related("category", "hamlet")
        .prefetch_related("photos")
        .order_by("-answered_at", "-pk")
    )
    page = Paginator(reports, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/public_answers.html",
        {
            "commune": commune,
            "page": page,
            "hamlet": hamlet,
            "figures": figures,
            "new_url": reverse("public:feedback-new", args=[commune.code]),
        },
    )


def public_photo(request, code, pk):
    commune = commune_or_404(code)
    photo = access.get_public_photo(commune, pk)
    return file_response(photo.image.open("rb"), filename=f"anh-{photo.pk}.jpg")
