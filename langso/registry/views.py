import copy
import io
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from langso.accounts import sensitive
from langso.accounts.access import (
    breadcrumbs,
    can,
    get_unit_for_user,
    has_capability,
    scope_q,
    units_for_user,
)
from langso.accounts.roles import Capability
from langso.lib import charts
from langso.lib.excel import write_xlsx
from langso.lib.files import file_response
from langso.lib.jobs import recover_if_dead
from langso.lib.masking import mask_id
from langso.lib.versions import StaleEdit
from langso.places.models import Unit
from langso.registry import actions, person_data
from langso.registry.access import (
    duplicate_flags_for_user,
    get_duplicate_flag_for_user,
    get_household_for_user,
    get_import_for_user,
    get_person_for_user,
    is_local,
    people_for_user,
    scope_is_local,
    search_people_for_user,
)
from langso.registry.figures import to_do_q
from langso.registry.forms import (
    BenefitForm,
    BirthForm,
    ChangeHeadForm,
    CorrectionForm,
    DeathForm,
    EventForm,
    HouseholdForm,
    ImmunisationForm,
    ImportForm,
    NewcomerForm,
    PlaceEventForm,
    SearchForm,
    SplitForm,
)
from langso.registry.models import ImportJob, LifeEvent, Membership, Person, official_order

PAGE_SIZE = 50
# A bigger list is a job for the reports' background export, not for one request.
EXPORT_LIMIT = 50_000


def _log_id_numbers(request, what, target, unit):
    """ID numbers are sensitive (Decree 13/2023, domain.md §11): log who saw them."""
    sensitive.log_read(request.user, what, target=target, unit=unit)


def _resident_units(user, capability=Capability.VIEW_RESIDENTS):
    return (
        units_for_user(user, capability)
        .current()
        .filter(kind__in=[Unit.Kind.HAMLET, Unit.Kind.GROUP])
        .order_by("path")
    )


def _filtered(request):
    """(form, rows, as_of, query) of the resident list as the GET parameters ask.

    Rows are people, or — when read as of a past day — that day's stays.
    """
    if not has_capability(request.user, Capability.VIEW_RESIDENTS):
        raise Http404
    form = SearchForm(request.GET or None, units=_filter_units(request.user))
    form.is_valid()
    data = form.cleaned_data if form.is_bound else {}
    query, unit, as_of = data.get("q", ""), data.get("unit"), data.get("as_of")
    local = (unit is not None and is_local(unit)) or scope_is_local(request.user)
    if query:
        unit_ids = set(Unit.objects.within(unit).values_list("pk", flat=True)) if unit else None
        rows = [
            p for p in search_people_for_user(request.user, query) if _passes(p, data, unit_ids)
        ]
    elif as_of:
        # Scoped by the household of that day, not of today: someone who has since moved
        # away is still on their old hamlet's list for the day.
        rows = Membership.objects.as_of(as_of).filter(
            scope_q(request.user, Capability.VIEW_RESIDENTS, field="household__unit__path")
        )
        if unit:
            rows = rows.within(unit)
        if data.get("status"):
            rows = rows.filter(residence_status=data["status"])
        if data.get("sex"):
            rows = rows.filter(person__sex=data["sex"])
        rows = rows.order_by(*official_order(local=local, prefix="person__"))
    else:
        rows = people_for_user(request.user).registered().select_related("household__unit")
        if unit:
            rows = rows.within(unit)
        if data.get("status"):
            rows = rows.filter(residence_status=data["status"])
        if data.get("sex"):
            rows = rows.filter(sex=data["sex"])
        if data.get("todo"):
            rows = rows.filter(to_do_q(data["todo"], timezone.localdate()))
        rows = rows.order_by(*official_order(local=local))
    return form, rows, as_of, query


def _page(rows, number):
    """A page of `rows`. A queryset is ordered and cut on its keys alone, then the page's
    rows are read whole: sorting a commune's 16,000 narrow rows rather than wide ones
    halves the first page's query on PostgreSQL (39 → 21 ms, benchmark province)."""
    if not isinstance(rows, QuerySet):
        return Paginator(rows, PAGE_SIZE).get_page(number)
    page = Paginator(rows.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    found = rows.order_by().in_bulk(list(page.object_list))
    page.object_list = [found[pk] for pk in page.object_list]
    return page


@login_required
def person_list(request):
    """Residents in scope: one search box, filters, Vietnamese order, or the list on a past day."""
    form, rows, as_of, query = _filtered(request)
    page = _page(rows, request.GET.get("page"))
    template = "registry/_person_rows.html" if request.htmx else "registry/person_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "as_of": as_of,
            "query": query,
            "export_query": request.GET.urlencode(),
            "today": timezone.localdate(),
            "can_edit": _resident_units(request.user, Capability.EDIT_RESIDENTS).exists(),
        },
    )


@login_required
@require_GET
def person_export(request):
    """The filtered list as an Excel workbook, ID numbers masked unless the role needs them."""
    _form, rows, as_of, _query = _filtered(request)
    count = len(rows) if isinstance(rows, list) else rows.count()
    if count > EXPORT_LIMIT:
        messages.error(
            request,
            _("This list has %(count)s people; narrow it to %(limit)s or fewer to export it.")
            % {
                "count": charts.number(count),
                "limit": charts.number(EXPORT_LIMIT),
            },
        )
        return redirect(f"{reverse('registry:person-list')}?{request.GET.urlencode()}")
    rows = list(rows)
    people = [row.person for row in rows] if as_of else rows
    stays = {row.person_id: row for row in rows} if as_of else {}
    if as_of:
        units = {row.household.unit for row in rows}
    else:  # search hits carry their household's unit id only (`SEARCH_FIELDS`)
        units = set(Unit.objects.filter(pk__in={p.household.unit_id for p in people}))
    show_ids = all(can(request.user, Capability.VIEW_ID_NUMBERS, unit) for unit in units)
    # Every export of people is logged, masked or not: it carries names, births, phones.
    sensitive.log_export(
        request.user,
        "registry.people",
        unit=sensitive.common_unit(units),
        rows=len(people),
        format="xlsx",
        query=request.GET.urlencode(),
        unmasked=show_ids,
    )
    headings = [
        _("No."), _("Full name"), _("Date of birth"), _("Sex"), _("Personal ID number"),
        _("Relationship to the head"), _("Address"), _("Residence"), _("Ethnicity"),
        _("Occupation"), _("Phone"),
    ]  # fmt: skip
    table = []
    for number, person in enumerate(people, 1):
        stay = stays.get(person.pk)
        household = stay.household if stay else person.household
        table.append([
            number, person.full_name, person.birth_display, person.get_sex_display(),
            person.id_number if show_ids else mask_id(person.id_number),
            stay.relationship if stay else person.relationship,
            household.full_address if household else "",
            (stay or person).get_residence_status_display(),
            person.ethnicity, person.occupation, person.phone,
        ])  # fmt: skip
    buffer = io.BytesIO()
    day = as_of or timezone.localdate()
    write_xlsx(
        buffer,
        title=_("LIST OF RESIDENTS"),
        subtitle=_("As of %(day)s") % {"day": day.strftime("%d/%m/%Y")},
        headings=headings,
        rows=table,
    )
    return file_response(
        buffer.getvalue(), filename=f"nhan-khau-{day:%Y%m%d}.xlsx", as_attachment=True
    )


def _filter_units(user):
    """The units the list can be narrowed to: the hamlets, or one hamlet's groups.

    A commune has a dozen hamlets but hundreds of groups; a list of every group would
    make the page slow to send and the menu useless on a phone.
    """
    units = _resident_units(user)
    hamlets = units.filter(kind=Unit.Kind.HAMLET)
    return hamlets if hamlets.count() > 1 else units


def _passes(person, data, unit_ids):
    """Whether a search hit also meets the list's filters."""
    if data.get("status") and person.residence_status != data["status"]:
        return False
    if data.get("sex") and person.sex != data["sex"]:
        return False
    return unit_ids is None or (person.household and person.household.unit_id in unit_ids)


@login_required
def person_detail(request, pk):
    person = get_person_for_user(request.user, pk)
    unit = person.household.unit
    show_ids = can(request.user, Capability.VIEW_ID_NUMBERS, unit)
    if show_ids and (person.id_number or person.old_id_number):
        _log_id_numbers(request, "person.id_numbers", person, unit)
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "show_ids": show_ids,
            "can_edit": can(request.user, Capability.EDIT_RESIDENTS, unit),
            "events": person.events.select_related("recorded_by", "household__head"),
            "stays": person.memberships.select_related("household__unit").order_by("start"),
            "immunisations": person.immunisations.all(),
            "benefits": person.benefits.all(),
            "military": person.military_statuses.order_by("year"),
            "exclusions": person.voter_exclusions.order_by("since"),
            "warnings": actions.id_number_warnings(person),
            "breadcrumbs": breadcrumbs(request.user, unit),
            "today": timezone.localdate(),
        },
    )


@login_required
def person_data_report(request, pk):
    """All the registry and the other apps hold about a person, and who saw or took it:
    the report a resident may ask for (Law 91/2025, domain.md §11), ready to print."""
    person = get_person_for_user(request.user, pk, Capability.VIEW_ID_NUMBERS)
    unit = person.household.unit
    sensitive.log_read(request.user, "person.data_report", target=person, unit=unit)
    identity = [
        (Person._meta.get_field(name).verbose_name, value)
        for name, value in [
            ("full_name", person.full_name),
            ("birth_date", person.birth_display),
            ("sex", person.get_sex_display()),
            ("ethnicity", person.ethnicity),
            ("religion", person.religion),
            ("id_number", person.id_number),
            ("old_id_number", person.old_id_number),
            ("phone", person.phone),
            ("email", person.email),
            ("occupation", person.occupation),
            ("employment", person.get_employment_display()),
            ("education", person.get_education_display() if person.education else ""),
            ("health_insurance_number", person.health_insurance_number),
            ("health_insurance_expiry", person.health_insurance_expiry),
            ("disability", person.get_disability_display() if person.disability else ""),
            ("residence_status", person.get_residence_status_display()),
            ("died_on", person.died_on),
        ]
        if value
    ]
    return render(
        request,
        "registry/person_data_report.html",
        {
            "person": person,
            "identity": identity,
            "stays": person.memberships.select_related(
                "household__unit", "household__head"
            ).order_by("start"),
            "events": person.events.select_related("recorded_by").order_by("on"),
            "immunisations": person.immunisations.all(),
            "benefits": person.benefits.all(),
            "sections": person_data.gathered(person),
            "history": person_data.access_history(person)[:500],
            "today": timezone.localdate(),
            "reader": request.user,
        },
    )


@login_required
def person_edit(request, pk):
    person = get_person_for_user(request.user, pk, Capability.EDIT_RESIDENTS)
    # A valid ModelForm writes the new values onto its instance: give it a copy, so that
    # the action can compare against `person` as stored to record old → new.
    form = CorrectionForm(request.POST or None, instance=copy.copy(person))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.correct_person(
                person,
                acting_user=request.user,
                note=request.POST.get("note", ""),
                version=form.cleaned_data["version"],
                **form.person_fields(),
            )
        except StaleEdit as stale:
            # Someone saved in between: keep what this user typed, show both values, and
            # let a second save (now from the stored version) keep theirs knowingly.
            person = stale.current
            conflict = _differences(person, form.person_fields())
            data = request.POST.copy()
            data["version"] = str(person.version)
            form = CorrectionForm(data, instance=copy.copy(person))
            form.is_valid()
            form.add_error(None, stale)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            for warning in form.warnings():
                messages.warning(request, warning)
            messages.success(request, _("The correction was saved."))
            return redirect(person)
    context = {"form": form, "person": person, "conflict": conflict}
    if conflict is not None:
        context["last_change"] = _last_change(person)
    return render(request, "registry/person_form.html", context)


def _differences(stored, typed):
    """(fact, stored value, typed value) for each fact where the two disagree."""
    rows = []
    for name, value in typed.items():
        before = getattr(stored, name)
        if before == value or (before in (None, "") and value in (None, "")):
            continue
        field = Person._meta.get_field(name)
        rows.append((capfirst(field.verbose_name), _shown(field, before), _shown(field, value)))
    return rows


def _shown(field, value):
    if value in (None, ""):
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, date):
        return date_format(value, "d/m/Y")
    return str(value)


def _last_change(person):
    """Who recorded the person's latest change, and when (their history's last entry)."""
    return (
        LifeEvent.objects.filter(person=person)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
        .first()
    )


@login_required
def person_add_fact(request, pk, kind):
    """An immunisation or a policy group, recorded from the person's page."""
    person = get_person_for_user(request.user, pk, Capability.EDIT_RESIDENTS)
    form_class, action, title = {
        "immunisation": (
            ImmunisationForm,
            actions.record_immunisation,
            _("Record an immunisation"),
        ),
        "benefit": (BenefitForm, actions.add_benefit, _("Add a policy group")),
    }[kind]
    return _record_for_person(request, person, kind, form_class, action, title)


EVENTS = {
    # kind in the URL: (action, form)
    "death": (actions.record_death, DeathForm),
    "move-out": (actions.move_out, PlaceEventForm),
    "absence": (actions.start_absence, PlaceEventForm),
    "return": (actions.end_absence, EventForm),
}


def _event_titles():
    return {
        "death": _("Record a death"),
        "move-out": _("Record a move away"),
        "absence": _("Record a temporary absence"),
        "return": _("Record a return"),
    }


@login_required
def person_event(request, pk, kind):
    if kind not in EVENTS:
        raise Http404
    person = get_person_for_user(request.user, pk, Capability.EDIT_RESIDENTS)
    action, form_class = EVENTS[kind]
    return _record_for_person(request, person, kind, form_class, action, _event_titles()[kind])


def _record_for_person(request, person, kind, form_class, action, title):
    """The form of an event or a fact of `person`; `action` records it when valid.

    Says which benefits the recording ended and whether it closed the household.
    """
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "confirm"}
        try:
            done = action(person, acting_user=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            ended = getattr(done, "ended_benefits", None)
            if ended:
                messages.info(
                    request,
                    _("Ended on %(day)s: %(benefits)s.")
                    % {"day": f"{data['on']:%d/%m/%Y}", "benefits": "; ".join(ended)},
                )
            _say_if_closed(request, person.household)
            return redirect(person)
    return render(
        request,
        "registry/person_event.html",
        {"form": form, "person": person, "title": title, "kind": kind},
    )


def _say_if_closed(request, household):
    if household is not None:
        household.refresh_from_db(fields=["closed_on"])
        if household.closed_on:
            messages.info(
                request,
                _("No one is left in the household: it was closed on %(day)s.")
                % {"day": f"{household.closed_on:%d/%m/%Y}"},
            )


@login_required
@require_POST
def person_withdraw_death(request, pk):
    """A death recorded by mistake is withdrawn (the correction is kept in the history)."""
    person = get_person_for_user(request.user, pk, Capability.EDIT_RESIDENTS)
    try:
        actions.withdraw_death(person, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The death record was withdrawn."))
    return redirect(person)


@login_required
def household_move_out(request, pk):
    """The whole household moves away in one action."""
    household = get_household_for_user(request.user, pk, Capability.EDIT_RESIDENTS)
    form = PlaceEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.move_household_out(household, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _say_if_closed(request, household)
            return redirect(household)
    return render(
        request,
        "registry/household_action.html",
        {"form": form, "household": household, "title": _("The whole household moves away")},
    )


@login_required
def household_detail(request, pk):
    household = get_household_for_user(request.user, pk)
    show_ids = can(request.user, Capability.VIEW_ID_NUMBERS, household.unit)
    members = household.members_in_order()
    if show_ids and any(m.id_number for m in members):
        _log_id_numbers(request, "household.id_numbers", household, household.unit)
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "members": members,
            "show_ids": show_ids,
            "can_edit": can(request.user, Capability.EDIT_RESIDENTS, household.unit),
            "events": household.events.select_related("person", "recorded_by"),
            "breadcrumbs": breadcrumbs(request.user, household.unit),
        },
    )


def _duplicate_answer(form):
    """Where a duplicate ID number was refused, the page links to the person holding it."""
    return {"duplicate_of": getattr(form, "duplicate_of", None)}


@login_required
def household_create(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk, Capability.EDIT_RESIDENTS)
    units = _resident_units(request.user, Capability.EDIT_RESIDENTS).within(unit)
    household_form = HouseholdForm(request.POST or None, units=units, initial={"unit": unit})
    form = NewcomerForm(request.POST or None, initial={"relationship": actions.HEAD})
    form.fields["relationship"].disabled = True
    if request.method == "POST" and household_form.is_valid() and form.is_valid():
        try:
            household = actions.create_household(
                household_form.cleaned_data["unit"],
                acting_user=request.user,
                on=form.cleaned_data["on"],
                house_number=household_form.cleaned_data["house_number"],
                address=household_form.cleaned_data["address"],
                place=form.cleaned_data["place"],
                status=form.cleaned_data["status"],
                head_fields=form.person_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            for warning in form.warnings():
                messages.warning(request, warning)
            messages.success(request, _("The household was created."))
            return redirect(household)
    return render(
        request,
        "registry/household_form.html",
        {"form": form, "household_form": household_form, "unit": unit, **_duplicate_answer(form)},
    )


@login_required
def household_add(request, pk, kind):
    """A birth into the household, or someone moving in."""
    household = get_household_for_user(request.user, pk, Capability.EDIT_RESIDENTS)
    form_class = BirthForm if kind == "birth" else NewcomerForm
    form = form_class(request.POST or None, initial={"ethnicity": _usual_ethnicity(household)})
    if request.method == "POST" and form.is_valid():
        fields = form.person_fields()
        relationship = form.cleaned_data["relationship"]
        try:
            if kind == "birth":
                fields.pop("birth_precision", None)
                person = actions.register_birth(
                    household, acting_user=request.user, relationship=relationship, **fields
                )
            else:
                person = actions.move_in(
                    household,
                    acting_user=request.user,
                    on=form.cleaned_data["on"],
                    place=form.cleaned_data["place"],
                    relationship=relationship,
                    status=form.cleaned_data["status"],
                    **fields,
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            for warning in form.warnings():
                messages.warning(request, warning)
            messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
            return redirect(household)
    title = _("Register a birth") if kind == "birth" else _("Someone moves in")
    return render(
        request,
        "registry/household_action.html",
        {"form": form, "household": household, "title": title, **_duplicate_answer(form)},
    )


def _usual_ethnicity(household):
    head = household.head
    return head.ethnicity if head else "Kinh"


@login_required
def household_change_head(request, pk):
    household = get_household_for_user(request.user, pk, Capability.EDIT_RESIDENTS)
    form = ChangeHeadForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_head(household, acting_user=request.user, **form.cleaned_data)
        except StaleEdit as stale:
            household = stale.current
            form = _refreshed(ChangeHeadForm, request, household, stale)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The new head of household was recorded."))
            return redirect(household)
    return render(
        request,
        "registry/household_action.html",
        {"form": form, "household": household, "title": _("Change the head of household")},
    )


def _refreshed(form_class, request, household, stale):
    """The form again with what the user chose, on the household as it is now stored."""
    data = request.POST.copy()
    data["version"] = str(household.version)
    form = form_class(data, household=household)
    form.is_valid()
    form.add_error(None, stale)
    return form


@login_required
def household_split(request, pk):
    household = get_household_for_user(request.user, pk, Capability.EDIT_RESIDENTS)
    form = SplitForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = actions.split_household(
                household,
                head=data["head"],
                members=list(data["members"]),
                acting_user=request.user,
                on=data["on"],
                house_number=data["house_number"],
                address=data["address"],
                version=data["version"],
            )
        except StaleEdit as stale:
            household = stale.current
            form = _refreshed(SplitForm, request, household, stale)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The new household was created."))
            return redirect(new)
    return render(
        request,
        "registry/household_action.html",
        {"form": form, "household": household, "title": _("Split off a new household")},
    )


@login_required
def duplicate_list(request):
    flags = duplicate_flags_for_user(request.user).order_by("-created_at")
    page = Paginator(flags, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/duplicate_list.html", {"page": page})


@login_required
@require_POST
def duplicate_resolve(request, pk):
    flag = get_duplicate_flag_for_user(request.user, pk)
    keep = request.POST.get("keep")
    if keep in (str(flag.first_id), str(flag.second_id)):
        kept, dropped = (
            (flag.first, flag.second) if keep == str(flag.first_id) else (flag.second, flag.first)
        )
        person = actions.merge_people(kept, dropped, acting_user=request.user)
        messages.success(request, _("The two records were merged."))
        return redirect(person)
    actions.dismiss_duplicate(flag, acting_user=request.user)
    messages.success(request, _("Marked as two different people."))
    return redirect("registry:duplicate-list")


@login_required
def import_create(request):
    units = (
        units_for_user(request.user, Capability.EDIT_RESIDENTS)
        .current()
        .exclude(kind=Unit.Kind.PROVINCE)
    )
    if not units.exists():
        raise Http404
    initial = {"unit": request.GET.get("unit")}
    form = ImportForm(request.POST or None, request.FILES or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        job = actions.create_import_job(
            acting_user=request.user,
            unit=form.cleaned_data["unit"],
            upload=form.cleaned_data["file"],
            sheet=form.cleaned_data["sheet"],
        )
        return redirect(job)
    jobs = ImportJob.objects.filter(created_by=request.user).select_related("unit")[:10]
    return render(request, "registry/import_form.html", {"form": form, "jobs": jobs})


@login_required
def import_detail(request, pk):
    job = get_import_for_user(request.user, pk)
    recover_if_dead(job)
    template = job.STATUS_TEMPLATE if request.htmx else "registry/import_detail.html"
    return render(request, template, {"job": job})


@login_required
@require_POST
def import_commit(request, pk):
    job = get_import_for_user(request.user, pk)
    try:
        actions.confirm_import(job, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(job)
