"""Pages of the poverty review. Every object comes through `access` (404 out of scope),
every write through `actions`, every survey read and export into the audit log."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Min
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts.access import can, has_capability, top_units_for_user, units_for_user
from langso.lib import charts
from langso.lib.forms import parse_day
from langso.places.models import Unit
from langso.places.public import commune_or_404
from langso.poverty import access, actions, forms, outputs, public
from langso.poverty.models import (
    Complaint,
    HamletMeeting,
    Reason,
    Review,
    Standard,
    Status,
    Support,
    Survey,
    Target,
)
from langso.poverty.status import figures, unit_paths

VIEW, SURVEY, RECOGNISE = access.VIEW, access.SURVEY, access.RECOGNISE


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def rate_history(years: list[int], figures_on, today: date, pk: int) -> list:
    """The poverty rate on 31 December of each year (today for this year), each year's
    poor households against that year's households."""
    return [
        (str(year), figures_on(min(date(year, 12, 31), today))[pk]["poor_rate"]) for year in years
    ]


@login_required
def home(request):
    """The poverty page of the highest unit the user reaches."""
    top = top_units_for_user(request.user, VIEW).order_by("path").first()
    if top is None:
        raise Http404
    return redirect("poverty:unit", top.pk)


@login_required
def unit(request, pk):
    """A province's, commune's or hamlet's poverty figures: target against actual, each
    child unit's rate, the rate over years, the reviews and the lists."""
    place = access.get_unit(request.user, pk)
    today = timezone.localdate()
    children = list(place.children.current(today).order_by("path"))
    if place.kind == Unit.Kind.PROVINCE:
        # A province's figures are by commune: its communes' paths, not its 11,000 units.
        paths = {place.pk: place.path, **{child.pk: child.path for child in children}}
        reviews = Review.objects.filter(commune_id__in=[child.pk for child in children])
    else:
        paths = unit_paths(place)
        reviews = Review.objects.filter(commune__path__within=(place.commune() or place).path)
    memo: dict[date, dict] = {}

    def figures_on(day: date) -> dict:
        # Today, the end of last year and each year of the chart: each day counted once.
        if day not in memo:
            memo[day] = figures(place, day, children, paths, today=today)
        return memo[day]

    now = figures_on(today)
    targets = {
        t.unit_id: t
        for t in Target.objects.filter(
            unit_id__in=[place.pk, *[c.pk for c in children]], year=today.year
        )
    }
    last_year = figures_on(date(today.year - 1, 12, 31))
    rows = [
        (child, now[child.pk], targets.get(child.pk), last_year[child.pk]) for child in children
    ]
    first = reviews.aggregate(year=Min("year"))
    years = list(range(first["year"] or today.year, today.year + 1))[-8:]
    context = {
        "unit": place,
        "figures": now[place.pk],
        "target": targets.get(place.pk),
        "rows": rows,
        "chart": charts.line_chart(
            rate_history(years, figures_on, today, place.pk),
            title=_("Poverty rate over the years"),
            unit="%",
        ),
        "reviews": reviews.select_related("commune")[:20]
        if place.kind != Unit.Kind.HAMLET
        else Review.objects.filter(commune=place.parent)[:5],
        "may_survey": can(request.user, SURVEY, place),
        "may_open": place.kind == Unit.Kind.COMMUNE and can(request.user, SURVEY, place),
        "open_form": forms.OpenReviewForm(initial={"year": today.year, "posting_days": 3}),
        "target_form": forms.TargetForm(initial={"year": today.year}),
        "classified": Status.objects.on(today)
        .filter(household__unit__path__within=place.path)
        .select_related("household__head", "household__unit")
        .order_by("status", "household__unit__path", "household_id")[:500]
        if place.kind != Unit.Kind.PROVINCE
        else [],
    }
    if context["classified"]:
        actions.audit_read(request.user, "view_classified", place, place)
    return render(request, "poverty/unit.html", context)


@login_required
@require_POST
def target_set(request, pk):
    place = access.get_unit(request.user, pk, SURVEY)
    form = forms.TargetForm(request.POST)
    if form.is_valid():
        try:
            actions.set_target(place, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The target is saved."))
    else:
        messages.error(request, _("Check the target's figures."))
    return redirect("poverty:unit", place.pk)


@login_required
def household(request, pk):
    """A household's classification over time, its surveys and the support it had."""
    home = access.get_household_for_user(request.user, pk)
    actions.audit_read(request.user, "view_household", home, home.unit)
    context = {
        "household": home,
        "statuses": Status.objects.filter(household=home).select_related("review", "ended_by"),
        "surveys": Survey.objects.filter(household=home).select_related("standard"),
        "support": Support.objects.filter(household=home).select_related("person"),
        "may_survey": can(request.user, SURVEY, home.unit),
        "support_form": forms.SupportForm(),
        "open_reviews": Review.objects.filter(
            commune__path="/".join(home.unit.path.split("/")[:2]),
            kind=Review.Kind.YEARLY,
            stage__in=[Review.Stage.LISTING, Review.Stage.SURVEYING],
        ).exclude(entries__household=home),
        "entry_form": forms.EntryForm(initial={"household": home.pk}),
        "adhoc_form": forms.AdhocForm(),
    }
    return render(request, "poverty/household.html", context)


@login_required
@require_POST
def adhoc_open(request, pk):
    """An ad-hoc review of one household during the year (same steps as the yearly one)."""
    home = access.get_household_for_user(request.user, pk, SURVEY)
    form = forms.AdhocForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the household and the date of the application."))
        return redirect("poverty:household", home.pk)
    try:
        review = actions.open_adhoc_review(
            home, acting_user=request.user, on=timezone.localdate(), **form.cleaned_data
        )
    except ValidationError as error:
        _refused(request, error)
        return redirect("poverty:household", home.pk)
    return redirect("poverty:review", review.pk)


@login_required
def survey_create(request, pk):
    """The survey form (B2 by default), pre-filled from the registry for the day."""
    home = access.get_household_for_user(request.user, pk, SURVEY)
    entry = None
    if request.GET.get("entry") or request.POST.get("entry"):
        entry = access.get_entry_for_user(
            request.user, request.GET.get("entry") or request.POST.get("entry"), SURVEY
        )
        if entry.household_id != home.pk:
            raise Http404
    today = timezone.localdate()
    on = parse_day(request.POST.get("on", "")) if request.method == "POST" else None
    on = on or today
    standard = Standard.objects.valid_on(on) or Standard.objects.valid_on(today)
    indicators = list(standard.indicators.all()) if standard else []
    rows = actions.prefill(home, on)
    initial = {"on": on, "lacking": actions.suggested_lacking(rows), "form": "B2"}
    form = forms.SurveyForm(request.POST or None, rows=rows, indicators=indicators, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = actions.record_survey(
                home,
                acting_user=request.user,
                on=data["on"],
                form=data["form"],
                incomes=form.incomes() if data["form"] == Survey.Form.B2 else None,
                income_total=data["income_total"] if data["form"] == Survey.Form.B1 else None,
                lacking=data["lacking"],
                floor_area=data["floor_area"],
                reasons=data["reasons"],
                note=data["note"],
                entry=entry,
                insured=form.insured(),
            )
        except ValidationError as error:
            form.apply(error)
        else:
            messages.success(request, _("The survey is saved and classified."))
            return redirect("poverty:survey", survey.pk)
    return render(
        request,
        "poverty/survey_form.html",
        {"household": home, "form": form, "standard": standard, "entry": entry},
    )


def explain(survey: Survey) -> list[str]:
    """The reasons for a survey's result, in words."""
    line = survey.standard.line(survey.urban)
    lines = [
        _("Income per person: %(income)s đ/month; the %(area)s line is %(line)s đ.")
        % {
            "income": f"{survey.income_per_person:,}".replace(",", "."),
            "area": _("urban") if survey.urban else _("rural"),
            "line": f"{line:,}".replace(",", "."),
        }
    ]
    if survey.income_total <= line * survey.members:
        lines.append(_("At or below the line."))
    else:
        lines.append(_("Above the line: not poor, whatever the indicators."))
    lines.append(
        _("Indicators lacking: %(n)s (poor from %(min)s).")
        % {"n": survey.lacking_count, "min": survey.standard.poor_min_lacking}
    )
    return lines


@login_required
def survey_detail(request, pk):
    survey = access.get_survey_for_user(request.user, pk)
    actions.audit_read(request.user, "view_survey", survey, survey.household.unit)
    names = dict(survey.standard.indicators.values_list("code", "name"))
    context = {
        "survey": survey,
        "reasons": explain(survey),
        "lacking": [names.get(code, code) for code in survey.lacking],
        "people": survey.people.select_related("person"),
        "reason_labels": [dict(Reason.choices).get(r, r) for r in survey.reasons],
    }
    return render(request, "poverty/survey_detail.html", context)


@login_required
@require_POST
def review_open(request, pk):
    commune = access.get_unit(request.user, pk, SURVEY)
    form = forms.OpenReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the year and the days of posting."))
        return redirect("poverty:unit", commune.pk)
    try:
        review = actions.open_review(commune, acting_user=request.user, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
        return redirect("poverty:unit", commune.pk)
    return redirect("poverty:review", review.pk)


def _review_for(request, pk, capability=VIEW) -> Review:
    """The review if the user reaches its commune, or one of its hamlets (a hamlet head
    sees and works on their own hamlet's part)."""
    try:
        review = Review.objects.select_related("commune").get(pk=pk)
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not access.may_work_on_review(request.user, review, capability):
        raise Http404
    return review


@login_required
def review_detail(request, pk):
    review = _review_for(request, pk)
    actions.audit_read(request.user, "view_review", review, review.commune)
    whole = can(request.user, VIEW, review.commune)
    entries = review.entries.select_related("household__head", "hamlet", "survey", "surveyor")
    hamlets = [h for h in review.commune.children.order_by("path") if can(request.user, VIEW, h)]
    if not whole:
        entries = entries.filter(hamlet__in=hamlets)
    entries = list(entries)
    progress = []
    meetings = {m.hamlet_id: m for m in review.meetings.all()}
    for hamlet in hamlets:
        mine = [e for e in entries if e.hamlet_id == hamlet.pk]
        if mine or whole:
            progress.append(
                {
                    "hamlet": hamlet,
                    "total": len(mine),
                    "surveyed": sum(1 for e in mine if e.survey_id),
                    "assigned": sorted({str(e.surveyor) for e in mine if e.surveyor_id}),
                    "meeting": meetings.get(hamlet.pk),
                    "may_meet": can(request.user, SURVEY, hamlet),
                }
            )
    complaints = Complaint.objects.filter(entry__in=entries).select_related("entry__household")
    context = {
        "review": review,
        "entries": entries,
        "progress": progress,
        "whole": whole,
        "complaints": complaints,
        "may_survey": can(request.user, SURVEY, review.commune),
        "may_recognise": can(request.user, RECOGNISE, review.commune),
        "posting_form": forms.PostingForm(initial={"starts_on": timezone.localdate()}),
        "complaint_form": forms.ComplaintForm(initial={"received_on": timezone.localdate()}),
        "resolve_form": forms.ResolveForm(initial={"resolved_on": timezone.localdate()}),
        "recognise_form": forms.RecogniseForm(initial={"on": timezone.localdate()}),
        "surveyors": list(surveyors(review)) if can(request.user, SURVEY, review.commune) else [],
        "today": timezone.localdate(),
    }
    return render(request, "poverty/review.html", context)


@login_required
@require_POST
def entry_add(request, pk):
    review = _review_for(request, pk, SURVEY)
    form = forms.EntryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        home = access.get_household_for_user(request.user, data["household"], SURVEY)
        try:
            actions.add_entry(
                review,
                home,
                acting_user=request.user,
                source=data["source"],
                applied_on=data["applied_on"],
                proposed_by=data["proposed_by"],
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The household is added to the list."))
    else:
        messages.error(request, _("Check the household and the date of the application."))
    return redirect("poverty:review", review.pk)


@login_required
def meeting(request, pk, hamlet_pk):
    """The hamlet meeting's minutes: attendance and each household's agreed result."""
    review = _review_for(request, pk, SURVEY)
    hamlet = access.get_unit(request.user, hamlet_pk, SURVEY)
    if hamlet.parent_id != review.commune_id:
        raise Http404
    entries = list(review.entries.filter(hamlet=hamlet).select_related("household__head", "survey"))
    existing = HamletMeeting.objects.filter(review=review, hamlet=hamlet).first()
    initial = {"held_on": timezone.localdate(), "attendance": None}
    if existing:
        initial = {
            f: getattr(existing, f)
            for f in ("held_on", "chaired_by", "attendance", "households_represented", "minutes")
        }
    form = forms.MeetingForm(request.POST or None, entries=entries, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_meeting(
                review,
                hamlet,
                acting_user=request.user,
                held_on=data["held_on"],
                attendance=data["attendance"],
                chaired_by=data["chaired_by"],
                households_represented=data["households_represented"],
                minutes=data["minutes"],
                results=form.results(),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The hamlet meeting's minutes are saved."))
            return redirect("poverty:review", review.pk)
    return render(
        request, "poverty/meeting_form.html", {"review": review, "hamlet": hamlet, "form": form}
    )


def surveyors(review: Review):
    """Who may survey in the commune: hamlet heads and labour officers holding a role
    inside it (association members get a hamlet-head or officer account to survey)."""
    from langso.accounts.models import User
    from langso.accounts.roles import roles_with

    return (
        User.objects.filter(
            role_assignments__unit__path__within=review.commune.path,
            role_assignments__role__in=roles_with(SURVEY),
        )
        .distinct()
        .order_by("full_name")
    )


@login_required
@require_POST
def surveyor_assign(request, pk, hamlet_pk):
    """Give every household of a hamlet on the list to one surveyor."""
    review = access.get_review_for_user(request.user, pk, SURVEY)
    hamlet = access.get_unit(request.user, hamlet_pk, SURVEY)
    surveyor = surveyors(review).filter(pk=request.POST.get("surveyor") or 0).first()
    if hamlet.parent_id != review.commune_id or surveyor is None:
        raise Http404
    count = actions.assign_surveyor(
        review.entries.filter(hamlet=hamlet), acting_user=request.user, surveyor=surveyor
    )
    messages.success(
        request,
        _("%(n)s households of %(hamlet)s assigned to %(name)s.")
        % {"n": count, "hamlet": hamlet, "name": surveyor.get_full_name()},
    )
    return redirect("poverty:review", review.pk)


@login_required
@require_POST
def posting_start(request, pk):
    review = access.get_review_for_user(request.user, pk, SURVEY)
    form = forms.PostingForm(request.POST)
    if form.is_valid():
        try:
            actions.start_posting(
                review, acting_user=request.user, starts_on=form.cleaned_data["starts_on"]
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The preliminary list is posted."))
    else:
        messages.error(request, _("Type the date as dd/mm/yyyy, for example 05/02/2026."))
    return redirect("poverty:review", review.pk)


@login_required
@require_POST
def complaint_add(request, pk):
    entry = access.get_entry_for_user(request.user, pk, SURVEY)
    form = forms.ComplaintForm(request.POST)
    if form.is_valid():
        try:
            actions.record_complaint(entry, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The complaint is recorded."))
    else:
        messages.error(request, _("Say who complains and about what."))
    return redirect("poverty:review", entry.review_id)


@login_required
@require_POST
def complaint_resolve(request, pk):
    complaint = access.get_complaint_for_user(request.user, pk, SURVEY)
    form = forms.ResolveForm(request.POST)
    if form.is_valid():
        try:
            actions.resolve_complaint(complaint, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The complaint is resolved."))
    else:
        messages.error(request, _("Write the result of the re-check."))
    return redirect("poverty:review", complaint.entry.review_id)


@login_required
@require_POST
def recognise(request, pk):
    review = access.get_review_for_user(request.user, pk, RECOGNISE)
    form = forms.RecogniseForm(request.POST)
    if form.is_valid():
        try:
            outcome = actions.recognise(review, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("Recognised: %(poor)s new poor, %(near)s new near-poor, %(out)s leaving.")
                % {
                    "poor": len(outcome["poor"]),
                    "near": len(outcome["near_poor"]),
                    "out": len(outcome["exited"]),
                },
            )
    else:
        messages.error(request, _("Enter the decision's number."))
    return redirect("poverty:review", review.pk)


@login_required
@require_POST
def support_add(request, pk):
    home = access.get_household_for_user(request.user, pk, SURVEY)
    form = forms.SupportForm(request.POST)
    if form.is_valid():
        try:
            actions.record_support(home, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The support is recorded."))
    else:
        messages.error(request, _("Check the support's figures."))
    return redirect("poverty:household", home.pk)


@login_required
def support_list(request, pk):
    """Support given inside a unit, by programme and year."""
    place = access.get_unit(request.user, pk)
    year = request.GET.get("year", "")
    rows = Support.objects.filter(household__unit__path__within=place.path).select_related(
        "household__head", "person"
    )
    if year.isdigit():
        rows = rows.filter(given_on__year=int(year))
    programme = request.GET.get("programme", "")
    if programme in Support.Programme.values:
        rows = rows.filter(programme=programme)
    exited = request.GET.get("exited", "")
    if exited.isdigit():
        # Households that left poverty or near-poverty that year, and the support they had.
        left = Status.objects.filter(end__year=int(exited)).exclude(
            household__poverty_statuses__start__year=int(exited)
        )
        rows = rows.filter(household__in=left.values("household"))
    actions.audit_read(request.user, "view_support", place, place)
    return render(
        request,
        "poverty/support_list.html",
        {
            "unit": place,
            "rows": rows[:1000],
            "programmes": Support.Programme.choices,
            "year": year,
            "programme": programme,
        },
    )


@login_required
def export(request, pk, what, fmt):
    """An official output of a review as Excel or PDF (audited)."""
    review = access.get_review_for_user(request.user, pk)
    if fmt not in ("xlsx", "pdf") or what not in outputs.REVIEW_OUTPUTS:
        raise Http404
    hamlet = None
    if request.GET.get("hamlet"):
        hamlet = access.get_unit(request.user, request.GET["hamlet"])
    document = outputs.review_output(review, what, fmt, hamlet=hamlet)
    actions.audit_read(request.user, f"export_{what}", review, review.commune)
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


@login_required
def posting_print(request, pk):
    """The posting list for the hamlet's notice board: names and classification only."""
    review = _review_for(request, pk)
    hamlet = None
    if request.GET.get("hamlet"):
        hamlet = access.get_unit(request.user, request.GET["hamlet"])
    elif not can(request.user, VIEW, review.commune):
        raise Http404  # a hamlet head prints their own hamlet's board
    context = public.posting_context(review, hamlet)
    return render(
        request, "poverty/posting_print.html", {"review": review, "hamlet": hamlet, **context}
    )


def public_posting(request, code):
    """The preliminary list while it is posted: anyone may read it; names and
    classification only, never incomes or scores; gone when the posting ends."""
    commune = commune_or_404(code)
    review = public.posted_review(commune, timezone.localdate())
    if review is None:
        raise Http404
    return render(
        request,
        "poverty/public.html",
        {"commune": commune, "review": review, **public.posting_context(review)},
    )


# --- Standards and areas (the commune administrator) -------------------------------------


@login_required
def standards(request):
    """The standards in force over the years, their lines and indicators, and the area
    (rural / urban) of each commune the user administers. Seen by those who run or read
    the review and by the commune administrator; corrected by the latter."""
    may_set = access.may_set_standards(request.user)
    if not (may_set or has_capability(request.user, VIEW)):
        raise Http404
    communes = []
    if may_set:
        for commune in (
            units_for_user(request.user, access.SET_STANDARDS)
            .filter(kind=Unit.Kind.COMMUNE)
            .order_by("path")[:200]
        ):
            urban = actions.is_urban(commune)
            communes.append(
                (commune, urban, forms.AreaForm(initial={"urban": "1" if urban else "0"}))
            )
    context = {
        "standards": Standard.objects.prefetch_related("indicators"),
        "may_set": may_set,
        "communes": communes,
    }
    return render(request, "poverty/standards.html", context)


@login_required
def standard_edit(request, pk):
    """Correct a standard's figures and its indicators' definitions."""
    standard = access.get_standard_to_set(request.user, pk)
    initial = {name: getattr(standard, name) for name in actions.STANDARD_FIELDS}
    form = forms.StandardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rescored = actions.update_standard(
                standard, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The standard is saved."))
            if rescored:
                messages.info(
                    request,
                    _("%(n)s surveys not yet recognised were scored again with its figures.")
                    % {"n": rescored},
                )
            return redirect("poverty:standard", standard.pk)
    indicators = [
        (
            indicator,
            forms.IndicatorForm(
                prefix=f"i{indicator.pk}",
                initial={
                    "name": indicator.name,
                    "dimension": indicator.dimension,
                    "definition": indicator.definition,
                },
            ),
        )
        for indicator in standard.indicators.all()
    ]
    context = {
        "standard": standard,
        "form": form,
        "indicators": indicators,
        "new_form": forms.NewIndicatorForm(prefix="new"),
    }
    return render(request, "poverty/standard_form.html", context)


def _form_errors(form, error: ValidationError) -> None:
    """A refusal's messages on the form's fields (or above it)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
@require_POST
def indicator_edit(request, pk):
    indicator = access.get_indicator_to_set(request.user, pk)
    form = forms.IndicatorForm(request.POST, prefix=f"i{indicator.pk}")
    if form.is_valid():
        try:
            actions.update_indicator(indicator, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The indicator is saved."))
    else:
        messages.error(request, _("Name the indicator and choose its dimension."))
    return redirect("poverty:standard", indicator.standard_id)


@login_required
@require_POST
def indicator_add(request, pk):
    standard = access.get_standard_to_set(request.user, pk)
    form = forms.NewIndicatorForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            actions.add_indicator(standard, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The indicator is added."))
    else:
        messages.error(request, _("Give the indicator's code, name and dimension."))
    return redirect("poverty:standard", standard.pk)


@login_required
@require_POST
def area_set(request, pk):
    """Set a commune rural or urban for the income line."""
    commune = access.get_unit(request.user, pk, access.SET_STANDARDS)
    form = forms.AreaForm(request.POST)
    if form.is_valid():
        try:
            actions.set_area(commune, acting_user=request.user, urban=form.cleaned_data["urban"])
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("%(commune)s now counts as %(area)s for the income line.")
                % {
                    "commune": commune.display_name,
                    "area": _("urban") if form.cleaned_data["urban"] else _("rural"),
                },
            )
    else:
        messages.error(request, _("Choose rural or urban."))
    return redirect("poverty:standards")


# --- Telling residents -------------------------------------------------------------------


@login_required
def announce(request, pk):
    """Tell residents about the posting (dates, where to complain) through notices."""
    review = access.get_review_for_user(request.user, pk, SURVEY)
    form = forms.AnnounceForm(request.POST or None, initial=actions.announcement(review))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.announce_review(
                review,
                acting_user=request.user,
                title=data["title"],
                body=data["body"],
                relay=data["hamlets_relay"],
                listed_only=data["listed_only"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The notice is sent to residents."))
            return redirect("poverty:review", review.pk)
    return render(request, "poverty/announce.html", {"review": review, "form": form})
