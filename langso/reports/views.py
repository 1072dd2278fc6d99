import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from langso.accounts import sensitive
from langso.accounts.access import can, get_unit_for_user, has_capability, units_for_user
from langso.accounts.roles import Capability
from langso.lib import charts
from langso.lib.files import file_response
from langso.lib.forms import DateField
from langso.lib.jobs import recover_if_dead
from langso.places.forms import UnitChoiceField
from langso.places.models import Unit
from langso.registry.access import get_person_for_user
from langso.reports import actions, exports
from langso.reports.access import get_area_for_user, get_export_for_user
from langso.reports.charts import pyramid_chart
from langso.reports.forms import AreaForm, ElectionForm
from langso.reports.indicators import (
    breakdowns,
    commune_indicators,
    history,
    labelled,
    roll_up_summaries,
    unit_indicators,
)
from langso.reports.lists import LISTS
from langso.reports.models import (
    Election,
    ExportJob,
    MilitaryStatus,
    PollingArea,
    VoterExclusion,
)

ROWS_ON_PAGE = 200


class ListForm(forms.Form):
    unit = UnitChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none())
    day = DateField(
        label=gettext_lazy("As of"),
        help_text=gettext_lazy("For voters: election day."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


def _list_units(user):
    return units_for_user(user, Capability.VIEW_RESIDENTS).current().order_by("path")


def _drawn(request, kind, unit, day, area=None):
    show_ids = can(request.user, Capability.VIEW_ID_NUMBERS, unit)
    return exports.drawn_list(kind, unit, day, area=area, show_ids=show_ids)


@login_required
def list_view(request, kind):
    """An official list for a unit as of a day, on screen, with its exports."""
    if kind not in LISTS:
        raise Http404
    area = None
    if request.GET.get("area"):
        area = get_area_for_user(request.user, request.GET["area"])
    units = _list_units(request.user)
    if not units.exists():
        raise Http404
    initial = {"unit": area.commune if area else units.first(), "day": timezone.localdate()}
    if area:
        initial["day"] = area.election.day
    form = ListForm(request.GET or None, units=units, initial=initial)
    if request.GET.get("unit") and not form.is_valid():
        return render(request, "reports/list.html", {"form": form, "kind": kind, "area": area})
    unit = form.cleaned_data["unit"] if form.is_bound and form.is_valid() else initial["unit"]
    day = form.cleaned_data["day"] if form.is_bound and form.is_valid() else initial["day"]
    unit = get_unit_for_user(request.user, unit.pk, Capability.VIEW_RESIDENTS)
    if area:
        unit = area.commune
    export = request.GET.get("export")
    if export in ("xlsx", "pdf"):
        return _export(request, kind, unit, day, area, export)
    drawn = _drawn(request, kind, unit, day, area)
    rows = drawn.table()[:ROWS_ON_PAGE]
    shown = drawn.rows[:ROWS_ON_PAGE]
    if can(request.user, Capability.VIEW_ID_NUMBERS, unit) and any(
        row.get("id_number") for row in shown
    ):
        sensitive.log_read(request.user, f"reports.{kind}.id_numbers", unit=unit, rows=len(rows))
    return render(
        request,
        "reports/list.html",
        {
            "form": form,
            "kind": kind,
            "label": LISTS[kind][1],
            "drawn": drawn,
            "rows": rows,
            "more": max(0, len(drawn.rows) - ROWS_ON_PAGE),
            "area": area,
            "query": request.GET.urlencode(),
            "lists": [(key, label) for key, (_f, label) in LISTS.items()],
            **(_election_offer(request.user) if kind == "voters" else {}),
        },
    )


def _election_offer(user):
    """The elections to come for the voter list, or the way to set one up when none is."""
    coming = Election.objects.filter(day__gte=timezone.localdate()).order_by("day")
    return {
        "coming_elections": coming,
        "can_create_election": has_capability(user, Capability.MANAGE_UNITS),
    }


def _export(request, kind, unit, day, area, export):
    show_ids = can(request.user, Capability.VIEW_ID_NUMBERS, unit)
    drawn = _drawn(request, kind, unit, day, area)
    actions.log_export(
        request.user, kind=kind, unit=unit, day=day, format=export, rows=len(drawn.rows),
        query=request.GET.urlencode(), unmasked=show_ids,
    )  # fmt: skip
    if len(drawn.rows) > settings.LANGSO_DIRECT_EXPORT_ROWS:
        job = actions.create_export_job(
            acting_user=request.user, kind=kind, unit=unit, area=area, day=day, format=export,
            show_ids=show_ids,
        )  # fmt: skip
        return redirect(job)
    name = f"{kind}-{day:%Y%m%d}.{export}"
    if export == "pdf":
        content = exports.to_pdf(drawn, signer=request.user.get_full_name())
    else:
        buffer = io.BytesIO()
        exports.to_xlsx(drawn, buffer)
        content = buffer.getvalue()
    return file_response(content, filename=name, as_attachment=True)


@login_required
def export_detail(request, pk):
    job = get_export_for_user(request.user, pk)
    recover_if_dead(job)
    if request.GET.get("download") and job.status == ExportJob.Status.DONE:
        return file_response(
            job.file.open("rb"), filename=job.file.name.split("/")[-1], as_attachment=True
        )
    template = job.STATUS_TEMPLATE if request.htmx else "reports/export.html"
    return render(request, template, {"job": job})


@login_required
def indicators(request, pk):
    """A unit's indicators beside its child units', with charts drawn on the server."""
    unit = get_unit_for_user(request.user, pk, Capability.VIEW_RESIDENTS)
    today = timezone.localdate()
    children = list(unit.children.current(today).order_by("path"))
    computed_at, day = None, today
    if unit.kind == Unit.Kind.PROVINCE:
        figures, details = roll_up_summaries(unit, children), None
    elif unit.kind == Unit.Kind.COMMUNE:
        figures, summary = commune_indicators(unit, children)
        details, computed_at, day = summary.details, summary.computed_at, summary.day
    else:
        figures = unit_indicators(unit, children, today)
        details = breakdowns(unit)
    mine = figures[unit.pk]
    rows = [(child, figures.get(child.pk, {})) for child in children]
    context = {
        "unit": unit,
        "figures": mine,
        "rows": rows,
        "details": labelled(details) if details else None,
        "computed_at": computed_at,
        "today": today,
        "day": day,  # the day the figures count, which their lists are drawn for
        "pyramid_svg": pyramid_chart(mine),
        "coverage_svg": charts.bar_chart(
            [(c.name, f.get("insured_percent", 0)) for c, f in rows]
            or [(unit.name, mine.get("insured_percent", 0))],
            title=_("Health insurance coverage"),
            percent=True,
        ),
        "population_svg": charts.bar_chart(
            [(c.name, f.get("population", 0)) for c, f in rows], title=_("Residents")
        )
        if rows
        else "",
        "lists": [(key, label) for key, (_f, label) in LISTS.items()],
    }
    points = history(unit)
    if len(points) > 1:
        context["history_svg"] = charts.line_chart(points, title=_("Residents over time"))
    return render(request, "reports/indicators.html", context)


@login_required
def polling_areas(request, election_pk, commune_pk):
    """The polling areas a commune draws for an election, and a form for a new one."""
    commune = get_unit_for_user(request.user, commune_pk, Capability.VIEW_RESIDENTS)
    if commune.kind != Unit.Kind.COMMUNE:
        raise Http404
    try:
        election = Election.objects.get(pk=election_pk)
    except (Election.DoesNotExist, ValueError):
        raise Http404 from None
    can_manage = can(request.user, Capability.MANAGE_UNITS, commune)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = (
        AreaForm(request.POST or None, commune=commune, election=election) if can_manage else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        area = actions.create_polling_area(
            form, election=election, commune=commune, acting_user=request.user
        )
        messages.success(request, _("The polling area was saved."))
        return redirect(area)
    areas = PollingArea.objects.filter(election=election, commune=commune).prefetch_related("units")
    return render(
        request,
        "reports/polling_areas.html",
        {"election": election, "commune": commune, "areas": areas, "form": form},
    )


@login_required
def polling_area(request, pk):
    area = get_area_for_user(request.user, pk)
    drawn = _drawn(request, "voters", area.commune, area.election.day, area)
    return render(
        request,
        "reports/polling_area.html",
        {"area": area, "drawn": drawn, "rows": drawn.table()[:ROWS_ON_PAGE]},
    )


@login_required
def elections(request):
    communes = (
        units_for_user(request.user, Capability.VIEW_RESIDENTS)
        .filter(kind=Unit.Kind.COMMUNE)
        .order_by("path")
    )
    return render(
        request,
        "reports/elections.html",
        {
            "elections": Election.objects.all()[:20],
            "communes": communes[:50],
            "can_create": has_capability(request.user, Capability.MANAGE_UNITS),
        },
    )


@login_required
def election_create(request):
    """A new election, set up by whoever manages a commune's units; then its polling areas."""
    if not has_capability(request.user, Capability.MANAGE_UNITS):
        raise Http404
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        election = actions.create_election(form, acting_user=request.user)
        messages.success(request, _("The election was created. Now draw its polling areas."))
        communes = units_for_user(request.user, Capability.MANAGE_UNITS).filter(
            kind=Unit.Kind.COMMUNE
        )
        if len(communes[:2]) == 1:
            return redirect("reports:polling-areas", election.pk, communes[0].pk)
        return redirect("reports:elections")
    return render(request, "reports/election_form.html", {"form": form})


class MilitaryStatusForm(forms.ModelForm):
    class Meta:
        model = MilitaryStatus
        fields = ["year", "status", "note"]


class VoterExclusionForm(forms.ModelForm):
    class Meta:
        model = VoterExclusion
        fields = ["reason", "since", "until", "note"]
        field_classes = {"since": DateField, "until": DateField}


@login_required
def person_record(request, pk, kind):
    """A military-service finding or a voter exclusion, recorded from the person's page."""
    person = get_person_for_user(request.user, pk, Capability.EDIT_RESIDENTS)
    if kind == "military":
        form = MilitaryStatusForm(request.POST or None, initial={"year": timezone.localdate().year})
        title = _("Military service status")
    else:
        form = VoterExclusionForm(request.POST or None)
        title = _("Leave off voter lists")
    if request.method == "POST" and form.is_valid():
        action = actions.record_military_status if kind == "military" else actions.exclude_voter
        action(person, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(person)
    return render(
        request,
        "registry/person_event.html",
        {"form": form, "person": person, "title": title, "kind": kind},
    )
