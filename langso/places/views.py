from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.access import can, capabilities_at, get_unit_for_user
from langso.accounts.roles import Capability
from langso.places import actions
from langso.places.forms import EndDateForm, MergeForm, UnitNameForm
from langso.places.models import Unit
from langso.registry.models import Household, Person

HOUSEHOLDS_ON_PAGE = 50


def unit_figures(unit, children):
    """Households and residents of `unit` and of each child, from two grouped queries."""
    households = Household.objects.within(unit).count_by_unit()
    people = Person.objects.within(unit).count_by_unit()
    units = Unit.objects.filter(pk__in=[unit.pk, *[child.pk for child in children]])
    totals = units.roll_up(households, people)
    empty = {"households": 0, "residents": 0, "temporary": 0, "absent": 0}
    return {pk: {**empty, **row} for pk, row in totals.items()}


def breadcrumbs(user, unit):
    """The units above `unit`, top first, each with whether the user may open it."""
    return [(ancestor, can(user, Capability.VIEW_UNITS, ancestor)) for ancestor in unit.ancestors()]


def to_do(unit, today):
    """What the hamlet head should see to: gaps in the records and this year's duties."""
    living = Person.objects.within(unit).registered()
    turning_17 = today.year - 17
    try:
        born_14_years_ago = today.replace(year=today.year - 14)
    except ValueError:  # 29 February: fourteen years ago had none
        born_14_years_ago = today.replace(year=today.year - 14, day=28)
    return [
        {
            "label": _("residents aged 14 or more without an ID number"),
            "count": living.filter(id_number__isnull=True)
            .filter(birth_date__lte=born_14_years_ago)
            .count(),
        },
        {
            "label": _("residents without a date of birth"),
            "count": living.filter(birth_date__isnull=True).count(),
        },
        {
            # Law on Military Service 2015: men register in the year they turn 17 (domain.md §5).
            "label": _("young men turning 17 this year, to register for military service"),
            "count": living.filter(
                sex=Person.Sex.MALE,
                birth_date__gte=date(turning_17, 1, 1),
                birth_date__lte=date(turning_17, 12, 31),
            ).count(),
        },
    ]


@login_required
def unit_detail(request, pk):
    unit = get_unit_for_user(request.user, pk)
    caps = capabilities_at(request.user, unit)
    today = timezone.localdate()
    children = list(unit.children.order_by("valid_to", "path"))
    context = {
        "unit": unit,
        "breadcrumbs": breadcrumbs(request.user, unit),
        "children": [c for c in children if c.is_current(today)],
        "former_children": [c for c in children if not c.is_current(today)],
        "can_manage": Capability.MANAGE_UNITS in caps and unit.is_current(today),
        "can_see_residents": Capability.VIEW_RESIDENTS in caps,
        "can_edit_residents": Capability.EDIT_RESIDENTS in caps,
        "child_kind": unit.child_kind(),
    }
    if context["can_see_residents"]:
        figures = unit_figures(unit, children)
        context["figures"] = figures[unit.pk]
        for child in children:
            child.figures = figures.get(child.pk)
        if unit.kind in (Unit.Kind.HAMLET, Unit.Kind.GROUP):
            context["to_do"] = to_do(unit, today)
            context["households"] = (
                Household.objects.within(unit)
                .select_related("head", "unit")
                .order_by("unit__path", "house_number", "pk")[:HOUSEHOLDS_ON_PAGE]
            )
    return render(request, "places/unit_detail.html", context)


def _managed_unit(request, pk, kinds):
    unit = get_unit_for_user(request.user, pk, Capability.MANAGE_UNITS)
    if unit.kind not in kinds or not unit.is_current():
        messages.error(request, _("This unit cannot be changed here."))
        return None
    return unit


@login_required
def unit_create(request, pk):
    parent = _managed_unit(request, pk, {Unit.Kind.COMMUNE, Unit.Kind.HAMLET})
    if parent is None:
        return redirect("places:unit-detail", pk)
    kind = parent.child_kind()
    form = UnitNameForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            unit = actions.create_unit(parent, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(unit)s was created.") % {"unit": unit})
            return redirect(unit)
    return render(
        request,
        "places/unit_form.html",
        {"form": form, "parent": parent, "unit": None, "kind": Unit.Kind(kind)},
    )


@login_required
def unit_rename(request, pk):
    unit = _managed_unit(request, pk, {Unit.Kind.HAMLET, Unit.Kind.GROUP})
    if unit is None:
        return redirect("places:unit-detail", pk)
    initial = {"name": unit.name, "type_name": unit.type_name}
    form = UnitNameForm(request.POST or None, initial=initial, kind=unit.kind)
    if request.method == "POST" and form.is_valid():
        try:
            actions.rename_unit(unit, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The new name was saved."))
            return redirect(unit)
    return render(
        request,
        "places/unit_form.html",
        {"form": form, "parent": unit.parent, "unit": unit, "kind": Unit.Kind(unit.kind)},
    )


@login_required
def unit_merge(request, pk):
    unit = _managed_unit(request, pk, {Unit.Kind.HAMLET, Unit.Kind.GROUP})
    if unit is None:
        return redirect("places:unit-detail", pk)
    form = MergeForm(request.POST or None, source=unit)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["into"]
        try:
            actions.merge_units(
                unit, into=target, on=form.cleaned_data["on"], acting_user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(unit)s was merged into %(into)s.") % {"unit": unit, "into": target}
            )
            return redirect(target)
    return render(request, "places/unit_merge.html", {"form": form, "unit": unit})


@login_required
def unit_retire(request, pk):
    unit = _managed_unit(request, pk, {Unit.Kind.HAMLET, Unit.Kind.GROUP})
    if unit is None:
        return redirect("places:unit-detail", pk)
    form = EndDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.retire_unit(unit, on=form.cleaned_data["on"], acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(unit)s was retired.") % {"unit": unit})
            return redirect(unit.parent)
    blockers = Household.objects.filter(unit__path__within=unit.path).exists() or (
        Unit.objects.current().filter(parent=unit).exists()
    )
    return render(
        request, "places/unit_retire.html", {"form": form, "unit": unit, "blockers": blockers}
    )
