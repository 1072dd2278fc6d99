"""Every write of the poverty review: atomic, audited, taking the acting user.

The review's steps run in order (Decision 24/2021/QĐ-TTg, domain.md §6): listing →
surveys → hamlet meeting → public posting (complaints during it, each resolved by a
re-check) → the chairperson's recognition, effective from the decision's date. A step
out of order is refused with a `ValidationError` saying why.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.models import AuditEntry, User
from langso.lib.bulk import update_rows_joined
from langso.lib.workdays import Calendar
from langso.notices import actions as notice_actions
from langso.notices.models import Audience, Notice
from langso.party import actions as party_actions
from langso.party.models import Member
from langso.places.models import Unit
from langso.poverty import notices as poverty_notices
from langso.poverty import scoring
from langso.poverty.models import (
    AreaSetting,
    Complaint,
    Entry,
    HamletMeeting,
    Indicator,
    Reason,
    Result,
    Review,
    Standard,
    Status,
    Support,
    Survey,
    SurveyMember,
    Target,
)
from langso.poverty.status import forget_classified
from langso.registry import actions as registry_actions
from langso.registry.models import Household, Membership, Person

# Health insurance group codes (Decision 1351/QĐ-BHXH): HN poor, CN near-poor. A card
# of the household-based group (GD) or of the other poverty group is switched on
# recognition; other groups (children under 6, pupils, meritorious people…) are kept.
CARD_CODES = {Result.POOR: "HN", Result.NEAR_POOR: "CN"}
SWITCHABLE_CARDS = {"GD", "HN", "CN"}


def _actor(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def _audit(
    user: User | None, verb: str, target: Any, unit: Unit | None, changes: dict | None = None
) -> None:
    AuditEntry.objects.record(
        _actor(user), f"poverty.{verb}", target=target, unit=unit, changes=changes
    )


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# --- Area and standard -------------------------------------------------------------------


def is_urban(commune: Unit) -> bool:
    """Urban by the commune's setting, else by its kind: a phường is urban, a xã or
    đặc khu rural (domain.md §1)."""
    setting = AreaSetting.objects.filter(commune=commune).first()
    if setting is not None:
        return setting.urban
    return commune.type_name.strip().casefold() == "phường"


@transaction.atomic
def set_area(commune: Unit, *, acting_user: User | None, urban: bool) -> AreaSetting:
    """Count the commune as urban or rural for the income line from now on (surveys
    already recorded keep the area they were scored with)."""
    if commune.kind != Unit.Kind.COMMUNE:
        raise ValidationError(_("Only a commune is set rural or urban."))
    old = is_urban(commune)
    setting, _created = AreaSetting.objects.update_or_create(
        commune=commune, defaults={"urban": urban}
    )
    _audit(acting_user, "set_area", commune, commune, {"urban": [old, urban]})
    return setting


STANDARD_FIELDS = (
    "name",
    "legal_basis",
    "valid_from",
    "valid_to",
    "rural_line",
    "urban_line",
    "rural_middle_line",
    "urban_middle_line",
    "poor_min_lacking",
    "indicators_provisional",
    "source",
)
SCORING_FIELDS = {"rural_line", "urban_line", "poor_min_lacking"}


@transaction.atomic
def update_standard(standard: Standard, *, acting_user: User | None, **fields: Any) -> int:
    """Correct a standard's figures (the commune administrator, from the documents).

    Surveys scored by it that no recognition has used yet (in an open review or in none)
    are scored again with the corrected figures; a recognised review's results stay as
    decided. Returns how many surveys were scored again."""
    unknown = set(fields) - set(STANDARD_FIELDS)
    if unknown:
        raise ValueError(f"Not a standard's field: {', '.join(sorted(unknown))}")
    new = {name: fields.get(name, getattr(standard, name)) for name in STANDARD_FIELDS}
    new = {k: v.strip() if isinstance(v, str) else v for k, v in new.items()}
    errors: dict[str, str] = {}
    if not str(new["name"] or "").strip():
        errors["name"] = _("Name the standard.")
    if new["valid_to"] is not None and new["valid_to"] <= new["valid_from"]:
        errors["valid_to"] = _("A standard ends after it comes into force.")
    for line in ("rural_line", "urban_line"):
        if new[line] is None or new[line] <= 0:
            errors[line] = _("An income line is more than 0 đồng.")
    for middle, line in (("rural_middle_line", "rural_line"), ("urban_middle_line", "urban_line")):
        if new[middle] is not None and new[line] and new[middle] <= new[line]:
            errors[middle] = _("The middle-income line is above the poverty line.")
    indicators = standard.indicators.count()
    if not new["poor_min_lacking"] or not 1 <= new["poor_min_lacking"] <= max(indicators, 1):
        errors["poor_min_lacking"] = _(
            "Between 1 and the number of the standard's indicators (%(n)s)."
        ) % {"n": indicators}
    if "valid_from" not in errors and "valid_to" not in errors:
        overlapping = Standard.objects.exclude(pk=standard.pk).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=new["valid_from"])
        )
        if new["valid_to"] is not None:
            overlapping = overlapping.filter(valid_from__lt=new["valid_to"])
        other = overlapping.first()
        if other is not None:
            errors["valid_from"] = _(
                "The period overlaps the standard “%(name)s”: one standard is in force on a day."
            ) % {"name": other.name}
    if errors:
        raise ValidationError(errors)
    changes = {
        name: [str(getattr(standard, name)), str(value)]
        for name, value in new.items()
        if getattr(standard, name) != value
    }
    if not changes:
        return 0
    for name, value in new.items():
        setattr(standard, name, value)
    standard.save()
    rescored = 0
    if SCORING_FIELDS & set(changes):
        ids = list(
            Survey.objects.filter(standard=standard)
            .exclude(entry__review__stage=Review.Stage.RECOGNISED)
            .values_list("pk", flat=True)
        )
        rescored = rescore(ids)
    _audit(acting_user, "update_standard", standard, None, changes)
    return rescored


def _check_indicator(name: str, dimension: str) -> None:
    errors = {}
    if not name.strip():
        errors["name"] = _("Name the indicator.")
    if dimension not in Indicator.Dimension.values:
        errors["dimension"] = _("Choose the dimension.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_indicator(
    indicator: Indicator, *, acting_user: User | None, name: str, dimension: str, definition: str
) -> Indicator:
    """Correct an indicator's name, dimension or definition (its code stays: surveys name
    the indicators they found lacking by code)."""
    _check_indicator(name, dimension)
    new = {"name": name.strip(), "dimension": dimension, "definition": definition.strip()}
    changes = {k: [getattr(indicator, k), v] for k, v in new.items() if getattr(indicator, k) != v}
    for key, value in new.items():
        setattr(indicator, key, value)
    indicator.save()
    if changes:
        _audit(acting_user, "update_indicator", indicator, None, changes)
    return indicator


@transaction.atomic
def add_indicator(
    standard: Standard,
    *,
    acting_user: User | None,
    code: str,
    name: str,
    dimension: str,
    definition: str = "",
) -> Indicator:
    """A further indicator of a standard (a provisional list being completed)."""
    code = code.strip().lower()
    _check_indicator(name, dimension)
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,29}", code):
        raise ValidationError(
            {"code": _("A code of 2 to 30 letters a–z, digits or _, starting with a letter.")}
        )
    if standard.indicators.filter(code=code).exists():
        raise ValidationError({"code": _("The standard already has an indicator of this code.")})
    order = (standard.indicators.aggregate(n=Max("order"))["n"] or 0) + 1
    indicator = Indicator.objects.create(
        standard=standard,
        code=code,
        name=name.strip(),
        dimension=dimension,
        definition=definition.strip(),
        order=order,
    )
    _audit(acting_user, "add_indicator", indicator, None, {"code": [None, code]})
    return indicator


def standard_on(day: date) -> Standard:
    standard = Standard.objects.valid_on(day)
    if standard is None:
        raise ValidationError(
            {"on": _("No poverty standard is in force on %(day)s.") % {"day": _dmy(day)}}
        )
    return standard


# --- Surveys -----------------------------------------------------------------------------


def members_on(household: Household, on: date) -> list[Membership]:
    """The household's members on `on` (alive, their stay covering the day), oldest first."""
    stays = Membership.objects.as_of(on).filter(household=household)
    return sorted(stays, key=lambda stay: (stay.person.birth_date or date.min, stay.person_id))


def _insured(person: Person, on: date) -> bool:
    return bool(person.health_insurance_number) and (
        person.health_insurance_expiry is None or person.health_insurance_expiry >= on
    )


def prefill(household: Household, on: date) -> list[dict[str, Any]]:
    """What the registry knows of each member on `on`, for the survey form."""
    rows = []
    for stay in members_on(household, on):
        person = stay.person
        rows.append(
            {
                "person": person,
                "relationship": stay.relationship,
                "age": person.age_on(on),
                "insured": _insured(person, on),
                "card": person.health_insurance_number[:2],
                "education": person.education,
                "employment": person.employment,
                "disability": person.disability,
                "income": 0,
            }
        )
    return rows


def suggested_lacking(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Indicators the registry already shows lacking, ticked for the surveyor to check:
    a member without a valid health insurance card (the surveyor confirms the ages the
    indicator counts)."""
    return ["health_insurance"] if any(not row["insured"] for row in rows) else []


def _clean_reasons(reasons: Iterable[str]) -> list[str]:
    reasons = list(reasons)
    unknown = [r for r in reasons if r not in Reason.values]
    if unknown:
        raise ValidationError({"reasons": _("Unknown reason for poverty.")})
    return reasons


@transaction.atomic
def record_survey(
    household: Household,
    *,
    acting_user: User | None,
    on: date,
    form: str = Survey.Form.B2,
    incomes: Mapping[int, int] | None = None,
    income_total: int | None = None,
    lacking: Iterable[str] = (),
    floor_area: Decimal | int | None = None,
    reasons: Iterable[str] = (),
    note: str = "",
    entry: Entry | None = None,
    insured: Mapping[int, bool] | None = None,
) -> Survey:
    """Record and score a survey of `household` on `on`.

    B2 gives `incomes` {person id: đồng per month} for each member on that day; B1 gives
    the household's `income_total` per month. `lacking` names the indicators the
    household lacks, by code of the standard in force on `on`.
    """
    standard = standard_on(on)
    commune = household.unit.commune()
    urban = is_urban(commune) if commune else False
    stays = members_on(household, on)
    people = {stay.person_id: stay.person for stay in stays}
    errors: dict[str, str] = {}
    if not stays:
        errors["on"] = _("The household has no members on %(day)s.") % {"day": _dmy(on)}
    incomes = dict(incomes or {})
    for pid, amount in incomes.items():
        if pid not in people:
            errors[f"income_{pid}"] = _(
                "This person is not a member of the household on %(day)s."
            ) % {"day": _dmy(on)}
        elif amount is None or amount < 0:
            errors[f"income_{pid}"] = _("Income cannot be negative.")
    if form == Survey.Form.B1 or income_total is not None:
        if income_total is None:
            errors["income_total"] = _("Enter the household's income per month.")
        elif income_total < 0:
            errors["income_total"] = _("Income cannot be negative.")
    if floor_area is not None and Decimal(floor_area) <= 0:
        errors["floor_area"] = _("The floor area must be more than 0 m².")
    codes = set(standard.indicators.values_list("code", flat=True))
    lacking = list(dict.fromkeys(lacking))
    if any(code not in codes for code in lacking):
        errors["lacking"] = _("Unknown indicator for the standard in force on that day.")
    if errors:
        raise ValidationError(errors)
    reasons = _clean_reasons(reasons)
    members = len(stays)
    total = income_total if income_total is not None else sum(incomes.values())
    line = scoring.Line(standard.line(urban), standard.poor_min_lacking)
    result = scoring.classify(total, members, len(lacking), line)
    survey = Survey.objects.create(
        household=household,
        entry=entry,
        form=form,
        on=on,
        standard=standard,
        urban=urban,
        members=members,
        income_total=total,
        income_per_person=scoring.per_person(total, members),
        floor_area=floor_area,
        lacking=lacking,
        result=result,
        reasons=reasons if result != Result.NOT_POOR else [],
        note=note,
        surveyed_by=_actor(acting_user),
    )
    insured = insured or {}
    SurveyMember.objects.bulk_create(
        SurveyMember(
            survey=survey,
            person=stay.person,
            age=stay.person.age_on(on),
            income=incomes.get(stay.person_id, 0),
            insured=insured.get(stay.person_id, _insured(stay.person, on)),
            education=stay.person.education,
        )
        for stay in stays
    )
    if entry is not None:
        entry.survey = survey
        entry.save(update_fields=["survey"])
        review = entry.review
        if review.stage == Review.Stage.LISTING:
            review.stage = Review.Stage.SURVEYING
            review.save(update_fields=["stage"])
    _audit(acting_user, "survey", survey, household.unit, {"result": [None, result]})
    return survey


def rescore(survey_ids: Sequence[int]) -> int:
    """Score these surveys again by their standards and write the results, in bulk.

    For a standard whose figures were corrected, or a whole commune's review at once: a
    few queries and one prepared UPDATE for all rows.
    """
    standards = {s.pk: s for s in Standard.objects.all()}
    rows = []
    for start in range(0, len(survey_ids), 5000):
        chunk = survey_ids[start : start + 5000]
        values = Survey.objects.filter(pk__in=chunk).values_list(
            "pk", "standard_id", "urban", "members", "income_total", "lacking"
        )
        for pk, standard_id, urban, members, total, lacking in values:
            standard = standards[standard_id]
            line = scoring.Line(standard.line(urban), standard.poor_min_lacking)
            rows.append(
                (
                    scoring.classify(total, members, len(lacking), line),
                    scoring.per_person(total, members),
                    pk,
                )
            )
    with transaction.atomic():
        update_rows_joined(Survey, ["result", "income_per_person"], rows)
    return len(rows)


# --- Reviews -----------------------------------------------------------------------------


def add_working_days(start: date, days: int) -> date:
    """The last day of a period of `days` working days starting on `start`: weekends,
    public holidays and Tết skipped, make-up Saturdays worked (`lib.workdays`, the official
    calendar; Decision 24/2021/QĐ-TTg counts the posting in working days)."""
    calendar = Calendar.official()
    day = start
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return calendar.add_working_days(day, days - 1)


def _hamlet_of(household: Household, commune: Unit) -> Unit:
    """The hamlet (the commune's child) the household lives in, or within."""
    return _hamlet_from(_hamlets_by_path(commune), commune, household)


def _in_commune(household: Household, commune: Unit) -> bool:
    return household.unit.path.startswith(commune.path + "/")


@transaction.atomic
def open_review(
    commune: Unit,
    *,
    acting_user: User | None,
    year: int,
    kind: str = Review.Kind.YEARLY,
    opens_on: date | None = None,
    closes_on: date | None = None,
    posting_days: int = 3,
    is_demo: bool = False,
) -> Review:
    """Open a review. A yearly one runs 1 September – 14 December by default and lists
    the households poor or near-poor on its first day."""
    if commune.kind != Unit.Kind.COMMUNE:
        raise ValidationError(_("A poverty review is held by a commune."))
    if posting_days < 1:
        raise ValidationError({"posting_days": _("Posting lasts at least one working day.")})
    opens_on = opens_on or (
        date(year, 9, 1) if kind == Review.Kind.YEARLY else timezone.localdate()
    )
    closes_on = closes_on or (date(year, 12, 14) if kind == Review.Kind.YEARLY else opens_on)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The review cannot close before it opens.")})
    if (
        kind == Review.Kind.YEARLY
        and Review.objects.filter(commune=commune, year=year, kind=kind).exists()
    ):
        raise ValidationError(
            _("This commune's review of %(year)s is already open.") % {"year": year}
        )
    review = Review.objects.create(
        commune=commune,
        year=year,
        kind=kind,
        opens_on=opens_on,
        closes_on=closes_on,
        posting_days=posting_days,
        is_demo=is_demo,
    )
    if kind == Review.Kind.YEARLY:
        current = Status.objects.on(opens_on).filter(household__unit__path__within=commune.path)
        households = {
            h.pk: h
            for h in Household.objects.filter(pk__in=current.values("household_id")).select_related(
                "unit"
            )
        }
        hamlets = _hamlets_by_path(commune)
        # One row per household (overlapping rows, if any were written by hand, once).
        standing = {row.household_id: row.status for row in current}
        Entry.objects.bulk_create(
            Entry(
                review=review,
                household_id=household_id,
                hamlet=_hamlet_from(hamlets, commune, households[household_id]),
                source=Entry.Source.CURRENT,
                previous=status,
            )
            for household_id, status in standing.items()
        )
    _audit(acting_user, "open_review", review, commune)
    return review


def _hamlets_by_path(commune: Unit) -> dict[str, Unit]:
    return {u.path: u for u in Unit.objects.filter(parent=commune)}


def _hamlet_from(hamlets: dict[str, Unit], commune: Unit, household: Household) -> Unit:
    rest = household.unit.path[len(commune.path) + 1 :]
    return hamlets[f"{commune.path}/{rest.split('/')[0]}"]


def _require_stage(review: Review, allowed: Iterable[str], message: str) -> None:
    if review.stage not in allowed:
        raise ValidationError(message)


@transaction.atomic
def add_entry(
    review: Review,
    household: Household,
    *,
    acting_user: User | None,
    source: str,
    applied_on: date | None = None,
    proposed_by: str = "",
) -> Entry:
    """Put a household on the review's list: it applied (with the date), or the hamlet
    head proposes it."""
    _require_stage(
        review,
        (Review.Stage.LISTING, Review.Stage.SURVEYING),
        _("Households are listed before the hamlet meetings."),
    )
    if not _in_commune(household, review.commune):
        raise ValidationError({"household": _("The household does not live in this commune.")})
    if source == Entry.Source.APPLIED and applied_on is None:
        raise ValidationError({"applied_on": _("Enter the date of the application.")})
    if Entry.objects.filter(review=review, household=household).exists():
        raise ValidationError({"household": _("The household is already on the list.")})
    previous = Status.objects.on(review.opens_on).filter(household=household).first()
    entry = Entry.objects.create(
        review=review,
        household=household,
        hamlet=_hamlet_of(household, review.commune),
        source=source,
        applied_on=applied_on,
        proposed_by=proposed_by,
        previous=previous.status if previous else Result.NOT_POOR,
    )
    _audit(acting_user, "add_entry", entry, household.unit, {"source": [None, source]})
    return entry


@transaction.atomic
def open_adhoc_review(
    household: Household,
    *,
    acting_user: User | None,
    on: date,
    source: str,
    applied_on: date | None = None,
    proposed_by: str = "",
    posting_days: int = 3,
) -> Review:
    """A review of one household during the year: the same steps, for one entry."""
    commune = household.unit.commune()
    if commune is None:
        raise ValidationError(_("The household is not in a commune."))
    review = open_review(
        commune,
        acting_user=acting_user,
        year=on.year,
        kind=Review.Kind.ADHOC,
        opens_on=on,
        closes_on=on,
        posting_days=posting_days,
    )
    add_entry(
        review,
        household,
        acting_user=acting_user,
        source=source,
        applied_on=applied_on or (on if source == Entry.Source.APPLIED else None),
        proposed_by=proposed_by,
    )
    return review


@transaction.atomic
def assign_surveyor(entries: Iterable[Entry], *, acting_user: User | None, surveyor: User) -> int:
    count = 0
    for entry in entries:
        entry.surveyor = surveyor
        entry.save(update_fields=["surveyor"])
        count += 1
        _audit(
            acting_user, "assign_surveyor", entry, entry.hamlet, {"surveyor": [None, str(surveyor)]}
        )
    return count


@transaction.atomic
def record_meeting(
    review: Review,
    hamlet: Unit,
    *,
    acting_user: User | None,
    held_on: date,
    attendance: int,
    results: Mapping[int, tuple[str, int, int]],
    chaired_by: str = "",
    households_represented: int | None = None,
    minutes: str = "",
) -> HamletMeeting:
    """The hamlet meeting's minutes: for each household of the hamlet on the list, the
    agreed result with votes in favour and votes cast."""
    _require_stage(
        review,
        (Review.Stage.LISTING, Review.Stage.SURVEYING, Review.Stage.MEETING),
        _("The hamlet meetings are over: the list is posted or recognised."),
    )
    entries = {e.pk: e for e in review.entries.filter(hamlet=hamlet).select_related("household")}
    unsurveyed = [e for e in entries.values() if e.survey_id is None]
    if unsurveyed:
        raise ValidationError(
            _("%(n)s households of this hamlet are not surveyed yet, e.g. %(name)s.")
            % {"n": len(unsurveyed), "name": unsurveyed[0].household}
        )
    if held_on < review.opens_on:
        raise ValidationError({"held_on": _("The meeting cannot be held before the review opens.")})
    if attendance < 1:
        raise ValidationError({"attendance": _("Enter how many attended.")})
    errors = {}
    for pk, (agreed, votes_for, votes_cast) in results.items():
        if pk not in entries:
            errors[f"entry_{pk}"] = _("This household is not on this hamlet's list.")
        elif agreed not in Result.values:
            errors[f"entry_{pk}"] = _("Choose the agreed result.")
        elif votes_cast < 1 or not 0 <= votes_for <= votes_cast or votes_cast > attendance:
            errors[f"entry_{pk}"] = _(
                "Votes in favour are between 0 and the votes cast, "
                "which are at most the attendance."
            )
    missing = set(entries) - set(results)
    if missing:
        errors["results"] = _("Every household of the hamlet's list needs an agreed result.")
    if errors:
        raise ValidationError(errors)
    meeting, _created = HamletMeeting.objects.update_or_create(
        review=review,
        hamlet=hamlet,
        defaults={
            "held_on": held_on,
            "attendance": attendance,
            "chaired_by": chaired_by,
            "households_represented": households_represented,
            "minutes": minutes,
        },
    )
    for pk, (agreed, votes_for, votes_cast) in results.items():
        entry = entries[pk]
        entry.agreed, entry.votes_for, entry.votes_cast = agreed, votes_for, votes_cast
        entry.save(update_fields=["agreed", "votes_for", "votes_cast"])
    review.stage = Review.Stage.MEETING
    review.save(update_fields=["stage"])
    _audit(acting_user, "hamlet_meeting", meeting, hamlet)
    return meeting


@transaction.atomic
def start_posting(review: Review, *, acting_user: User | None, starts_on: date) -> Review:
    """Post the preliminary list publicly for the review's working days."""
    if review.stage != Review.Stage.MEETING:
        raise ValidationError(
            _("The list is posted after the hamlet meetings have agreed the results.")
        )
    pending = review.entries.filter(agreed="").select_related("hamlet")
    if pending.exists():
        hamlets = sorted({str(e.hamlet) for e in pending})
        raise ValidationError(
            _("No hamlet meeting has agreed the results of %(hamlets)s yet.")
            % {"hamlets": ", ".join(hamlets)}
        )
    last_meeting = max(m.held_on for m in review.meetings.all())
    if starts_on < last_meeting:
        raise ValidationError({"starts_on": _("Posting starts after the last hamlet meeting.")})
    review.posting_from = starts_on
    review.posting_until = add_working_days(starts_on, review.posting_days)
    review.stage = Review.Stage.POSTING
    review.save(update_fields=["posting_from", "posting_until", "stage"])
    for entry in review.entries.all():
        entry.final = entry.agreed
        entry.save(update_fields=["final"])
    _audit(
        acting_user,
        "start_posting",
        review,
        review.commune,
        {"posted": [None, f"{_dmy(starts_on)}–{_dmy(review.posting_until)}"]},
    )
    return review


@transaction.atomic
def record_complaint(
    entry: Entry, *, acting_user: User | None, received_on: date, complainant: str, text: str
) -> Complaint:
    review = entry.review
    if review.stage != Review.Stage.POSTING or not review.is_posted_on(received_on):
        raise ValidationError(
            {"received_on": _("Complaints are received while the list is posted.")}
        )
    if not complainant.strip() or not text.strip():
        raise ValidationError(_("Say who complains and about what."))
    complaint = Complaint.objects.create(
        entry=entry, received_on=received_on, complainant=complainant.strip(), text=text.strip()
    )
    _audit(acting_user, "complaint", complaint, entry.hamlet)
    return complaint


@transaction.atomic
def resolve_complaint(
    complaint: Complaint,
    *,
    acting_user: User | None,
    resolved_on: date,
    resolution: str,
    recheck: Survey | None = None,
    result: str | None = None,
) -> Complaint:
    """Resolve a complaint by a re-check; the re-check survey's result (or the one given)
    becomes the household's result."""
    if complaint.resolved_on is not None:
        raise ValidationError(_("This complaint is already resolved."))
    if resolved_on < complaint.received_on:
        raise ValidationError({"resolved_on": _("A complaint is resolved after it is received.")})
    if not resolution.strip():
        raise ValidationError({"resolution": _("Write the result of the re-check.")})
    entry = complaint.entry
    new = recheck.result if recheck is not None else (result or entry.final)
    if new not in Result.values:
        raise ValidationError({"result": _("Choose the result.")})
    old = entry.final
    complaint.resolved_on = resolved_on
    complaint.resolution = resolution.strip()
    complaint.recheck = recheck
    complaint.save()
    if recheck is not None:
        entry.survey = recheck
    entry.final = new
    entry.save(update_fields=["final", "survey"])
    _audit(acting_user, "resolve_complaint", complaint, entry.hamlet, {"result": [old, new]})
    return complaint


@transaction.atomic
def recognise(
    review: Review, *, acting_user: User | None, number: str, on: date
) -> dict[str, list[Entry]]:
    """The chairperson's decision: new poor, new near-poor, households leaving; effective
    from `on`. Refused before the posting ends or with a complaint unresolved."""
    if review.stage == Review.Stage.RECOGNISED:
        raise ValidationError(_("This review is already recognised."))
    if review.stage != Review.Stage.POSTING or review.posting_until is None:
        raise ValidationError(
            _("The preliminary list must be posted publicly before the recognition.")
        )
    if on <= review.posting_until:
        raise ValidationError(
            {
                "on": _("The public posting runs until %(day)s: recognise after it ends.")
                % {"day": _dmy(review.posting_until)}
            }
        )
    open_complaints = Complaint.objects.filter(entry__review=review, resolved_on__isnull=True)
    if open_complaints.exists():
        first = open_complaints.select_related("entry__household").first()
        raise ValidationError(
            _(
                "%(n)s complaints are not resolved yet (%(household)s): "
                "resolve them by a re-check first."
            )
            % {"n": open_complaints.count(), "household": first.entry.household if first else ""}
        )
    if not number.strip():
        raise ValidationError({"number": _("Enter the decision's number.")})
    outcome: dict[str, list[Entry]] = {"poor": [], "near_poor": [], "exited": [], "kept": []}
    entries = list(review.entries.select_related("household", "survey"))
    current = {
        row.household_id: row
        for row in Status.objects.on(on).filter(household_id__in=[e.household_id for e in entries])
    }
    for entry in entries:
        new = entry.final or entry.agreed or Result.NOT_POOR
        row = current.get(entry.household_id)
        old = row.status if row else Result.NOT_POOR
        if old == new:
            outcome["kept"].append(entry)
            continue
        if row is not None:
            row.end = on
            row.ended_by = review
            row.save(update_fields=["end", "ended_by"])
        if new in (Result.POOR, Result.NEAR_POOR):
            Status.objects.create(
                household=entry.household,
                status=new,
                start=on,
                review=review,
                reasons=entry.survey.reasons if entry.survey else [],
            )
            outcome[new].append(entry)
        else:
            outcome["exited"].append(entry)
    review.stage = Review.Stage.RECOGNISED
    review.decision_number = number.strip()
    review.decision_on = on
    review.signed_by = _actor(acting_user)
    review.save(update_fields=["stage", "decision_number", "decision_on", "signed_by"])
    forget_classified(review.commune, on)
    follow_recognition([e.household for e in entries], acting_user=acting_user, on=on)
    _audit(
        acting_user,
        "recognise",
        review,
        review.commune,
        {k: [None, len(v)] for k, v in outcome.items()},
    )
    return outcome


def follow_recognition(
    households: Sequence[Household], *, acting_user: User | None, on: date
) -> None:
    """What depends on the classification: the members' health insurance card group
    (HN / CN) and the party-fee exemption of members of poor or near-poor households."""
    status = dict(
        Status.objects.on(on)
        .filter(household_id__in=[h.pk for h in households])
        .values_list("household_id", "status")
    )
    stays = (
        Membership.objects.as_of(on)
        .filter(household_id__in=[h.pk for h in households])
        .values_list("person_id", "household_id", "person__health_insurance_number")
    )
    person_status: dict[int, str | None] = {}
    switch: dict[int, str] = {}
    for pid, household_id, number in stays:
        household_status = status.get(household_id)
        person_status[pid] = household_status
        code = CARD_CODES.get(household_status) if household_status else None
        if code and number and number[:2] in SWITCHABLE_CARDS and number[:2] != code:
            switch[pid] = code
    # Only the people whose card changes are read whole and corrected (audited, dated).
    for person in Person.objects.filter(pk__in=list(switch)):
        registry_actions.correct_person(
            person,
            acting_user=acting_user,  # type: ignore[arg-type]
            note=_("Poverty recognition"),
            health_insurance_number=switch[person.pk] + person.health_insurance_number[2:],
        )
    members = Member.objects.filter(person_id__in=list(person_status), status__in=Member.CURRENT)
    for member in members:
        classified = person_status.get(member.person_id) in (Result.POOR, Result.NEAR_POOR)
        if classified and not member.exemption:
            party_actions.update_member(
                member, acting_user=acting_user, exemption=Member.Exemption.POOR_HOUSEHOLD
            )
        elif not classified and member.exemption == Member.Exemption.POOR_HOUSEHOLD:
            party_actions.update_member(member, acting_user=acting_user, exemption="")


# --- Telling residents ------------------------------------------------------------------


def announcement(review: Review) -> dict[str, str]:
    """The notice's title and text as first offered: the posting's dates, where the list
    hangs and where to complain (Decision 24/2021/QĐ-TTg: complaints during the posting go
    to the commune's People's Committee)."""
    commune = review.commune
    title = _("Public posting of the preliminary list of poor and near-poor households, %(year)s")
    lines = [
        _(
            "The People's Committee of %(commune)s posts the preliminary list of poor and "
            "near-poor households of %(year)s from %(start)s to %(end)s (%(days)s working "
            "days): at the commune's offices, at each hamlet's meeting house and on the "
            "commune's public page %(url)s."
        )
        % {
            "commune": commune.display_name,
            "year": review.year,
            "start": _dmy(review.posting_from) if review.posting_from else "…",
            "end": _dmy(review.posting_until) if review.posting_until else "…",
            "days": review.posting_days,
            "url": reverse("public:public-poverty", args=[commune.code]) if commune.code else "",
        },
        _(
            "Anyone who disagrees with a household's result may complain, in writing or in "
            "person, to the People's Committee (the labour–social affairs officer) or to "
            "the hamlet head before the posting ends. Each complaint is checked again "
            "before the chairperson's decision."
        ),
    ]
    return {"title": title % {"year": review.year}, "body": "\n\n".join(lines)}


@transaction.atomic
def announce_review(
    review: Review,
    *,
    acting_user: User | None,
    title: str,
    body: str,
    relay: bool = True,
    listed_only: bool = False,
) -> Notice:
    """Tell residents about the review's posting through notices: the residents of the
    commune (or only the households on the list), each hamlet head asked to relay it, and
    on the commune's public notice page until the posting ends. Sent at once."""
    if review.stage != Review.Stage.POSTING or review.posting_until is None:
        raise ValidationError(_("Residents are told about the review once its list is posted."))
    if review.posting_until < timezone.localdate():
        raise ValidationError(_("The posting is over: there is nothing left to announce."))
    if not title.strip() or not body.strip():
        raise ValidationError(_("Write the notice's title and text."))
    if listed_only:
        audiences = [Audience(kind=poverty_notices.KIND, target_id=review.pk)]
    else:
        audiences = [Audience(kind=Audience.Kind.UNIT, unit=review.commune)]
    if relay:
        hamlets = review.commune.children.current().order_by("path")
        if listed_only:
            hamlets = hamlets.filter(
                pk__in=list(review.entries.values_list("hamlet_id", flat=True))
            )
        audiences += [Audience(kind=Audience.Kind.RELAY, unit=hamlet) for hamlet in hamlets]
    closing = datetime.combine(
        review.posting_until + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )
    notice = notice_actions.create_notice(
        acting_user=acting_user,
        unit=review.commune,
        title=title.strip(),
        body=body.strip(),
        audiences=audiences,
        is_public=not listed_only,
        expires_at=closing,
    )
    notice_actions.send_notice(notice, acting_user=acting_user)
    review.notice = notice
    review.save(update_fields=["notice"])
    _audit(acting_user, "announce", review, review.commune, {"notice": [None, notice.pk]})
    return notice


# --- Support and targets -----------------------------------------------------------------


@transaction.atomic
def record_support(
    household: Household,
    *,
    acting_user: User | None,
    programme: str,
    given_on: date,
    person: Person | None = None,
    is_demo: bool = False,
    **fields: Any,
) -> Support:
    if programme not in Support.Programme.values:
        raise ValidationError({"programme": _("Choose the programme.")})
    errors = {}
    for name in ("amount", "balance", "overdue"):
        if fields.get(name) is not None and fields[name] < 0:
            errors[name] = _("An amount cannot be negative.")
    state, family = fields.get("state_share"), fields.get("family_share")
    if state is not None and family is not None and state + family != 100:
        errors["family_share"] = _("The state and family shares add up to 100 %.")
    if (
        fields.get("balance") is not None
        and fields.get("amount") is not None
        and fields["balance"] > fields["amount"]
    ):
        errors["balance"] = _("The balance cannot exceed the amount lent.")
    if errors:
        raise ValidationError(errors)
    support = Support.objects.create(
        household=household,
        person=person,
        programme=programme,
        given_on=given_on,
        is_demo=is_demo,
        **fields,
    )
    _audit(acting_user, "support", support, household.unit)
    return support


@transaction.atomic
def set_target(
    unit: Unit,
    *,
    acting_user: User | None,
    year: int,
    poor: int | None = None,
    near_poor: int | None = None,
    rate: Decimal | None = None,
) -> Target:
    if rate is not None and not 0 <= rate <= 100:
        raise ValidationError({"rate": _("A rate is between 0 and 100 %.")})
    target, _created = Target.objects.update_or_create(
        unit=unit, year=year, defaults={"poor": poor, "near_poor": near_poor, "rate": rate}
    )
    _audit(
        acting_user, "target", target, unit, {"poor": [None, poor], "near_poor": [None, near_poor]}
    )
    return target


def audit_read(user: User | None, verb: str, target: Any, unit: Unit | None) -> None:
    """A sensitive read (a survey opened, a list exported) in the audit log."""
    _audit(user, verb, target, unit)
