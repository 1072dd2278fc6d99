"""The review's official outputs as Excel and PDF, with the national heading like the
voter list (langso/lib/pdf.py, langso/lib/excel.py): the list of households to review,
the hamlet meeting minutes, the posting list, the recognition decision's annex, the
summary by hamlet; and a unit's list of poor, near-poor or exited households for a year.
The posting list carries names and classification only, never incomes or scores."""

import io
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from langso.lib.excel import write_xlsx
from langso.places.models import Unit
from langso.poverty.models import Entry, HamletMeeting, Result, Review, Status, Target
from langso.poverty.status import counts_by_child
from langso.reports.exports import issuing_lines

REVIEW_OUTPUTS = ("review_list", "minutes", "posting", "decision", "summary")
LIST_KINDS = ("poor", "near_poor", "exited")


@dataclass
class Table:
    title: str
    subtitle: str
    headings: list[str]
    rows: list[list[object]]
    unit: Unit
    day: date
    notes: list[str]
    signers: list[tuple[str, str]]


@dataclass
class Document:
    content: bytes
    content_type: str
    filename: str


def _label(value: str) -> str:
    return str(dict(Result.choices).get(value, value or ""))


def _head(entry: Entry) -> str:
    head = entry.household.head
    return head.full_name if head else str(entry.household)


def _entries(review: Review, hamlet: Unit | None = None):
    entries = review.entries.select_related(
        "household__head", "household__unit", "hamlet", "survey"
    )
    if hamlet is not None:
        entries = entries.filter(hamlet=hamlet)
    return list(entries)


def posting_rows(review: Review, hamlet: Unit | None = None) -> list[list[object]]:
    """The posting list's rows, names and classification only, from one query of the
    five columns printed (a commune's 2,000 households build no model objects)."""
    entries = review.entries.all()
    if hamlet is not None:
        entries = entries.filter(hamlet=hamlet)
    values = entries.order_by("hamlet__path", "pk").values_list(
        "household__head__full_name",
        "hamlet__name",
        "household__house_number",
        "household__address",
        "final",
        "agreed",
    )
    labels = dict(Result.choices)
    no_head = _("no head")
    return [
        [
            i,
            head or no_head,
            hamlet_name,
            " ".join(part for part in (number, address) if part),
            str(labels.get(final or agreed, "")),
        ]
        for i, (head, hamlet_name, number, address, final, agreed) in enumerate(values, start=1)
    ]


def review_table(review: Review, what: str, hamlet: Unit | None = None) -> Table:
    commune = review.commune
    day = timezone.localdate()
    unit = hamlet or commune
    year = _("Year %(year)s") % {"year": review.year}
    committee = (_("ON BEHALF OF THE PEOPLE'S COMMITTEE"), "")
    if what == "review_list":
        rows = [
            [
                i,
                _head(e),
                e.hamlet.name,
                e.household.full_address,
                e.get_source_display(),
                e.applied_on.strftime("%d/%m/%Y") if e.applied_on else "",
                _label(e.previous),
                _label(e.survey.result) if e.survey else "",
            ]
            for i, e in enumerate(_entries(review, hamlet), start=1)
        ]
        return Table(
            _("LIST OF HOUSEHOLDS TO REVIEW"),
            f"{unit.display_name} – {year}",
            [
                "STT",
                _("Head of household"),
                _("Hamlet"),
                _("Address"),
                _("why listed"),
                _("applied on"),
                _("classification before"),
                _("Survey result"),
            ],
            rows,
            unit,
            day,
            [],
            [(_("PREPARED BY"), ""), committee],
        )
    if what == "minutes":
        meetings = HamletMeeting.objects.filter(review=review)
        if hamlet is not None:
            meetings = meetings.filter(hamlet=hamlet)
        notes = [
            _("%(hamlet)s met on %(day)s; %(n)s attended; chaired by %(chair)s.")
            % {
                "hamlet": m.hamlet.display_name,
                "day": m.held_on.strftime("%d/%m/%Y"),
                "n": m.attendance,
                "chair": m.chaired_by or "…",
            }
            for m in meetings.select_related("hamlet")
        ]
        rows = [
            [
                i,
                _head(e),
                e.hamlet.name,
                _label(e.agreed),
                e.votes_for or 0,
                e.votes_cast or 0,
                f"{e.vote_share:.1f} %" if e.vote_share is not None else "",
            ]
            for i, e in enumerate(_entries(review, hamlet), start=1)
        ]
        return Table(
            _("MINUTES OF THE HAMLET MEETING ON THE POVERTY REVIEW"),
            f"{unit.display_name} – {year}",
            [
                "STT",
                _("Head of household"),
                _("Hamlet"),
                _("agreed at the hamlet meeting"),
                _("votes in favour"),
                _("votes cast"),
                _("Share"),
            ],
            rows,
            unit,
            day,
            notes,
            [(_("SECRETARY"), ""), (_("CHAIR OF THE MEETING"), "")],
        )
    if what == "posting":
        rows = posting_rows(review, hamlet)
        notes = []
        if review.posting_from and review.posting_until:
            notes.append(
                _(
                    "Posted from %(start)s to %(end)s. Complaints are received at the "
                    "commune's People's Committee during the posting."
                )
                % {
                    "start": review.posting_from.strftime("%d/%m/%Y"),
                    "end": review.posting_until.strftime("%d/%m/%Y"),
                }
            )
        return Table(
            _("PRELIMINARY LIST OF POOR AND NEAR-POOR HOUSEHOLDS"),
            f"{unit.display_name} – {year}",
            ["STT", _("Head of household"), _("Hamlet"), _("Address"), _("Classification")],
            rows,
            unit,
            day,
            notes,
            [committee],
        )
    if what == "decision":
        rows = []
        groups = [
            (Result.POOR, _("New poor households")),
            (Result.NEAR_POOR, _("New near-poor households")),
        ]
        entries = _entries(review, hamlet)
        n = 0
        for result, heading in groups:
            rows.append(["", heading, "", "", ""])
            for e in entries:
                if (e.final or e.agreed) == result and e.previous != result:
                    n += 1
                    rows.append(
                        [n, _head(e), e.hamlet.name, e.household.full_address, _label(e.previous)]
                    )
        rows.append(["", _("Households leaving poverty or near-poverty"), "", "", ""])
        for e in entries:
            if (e.final or e.agreed) == Result.NOT_POOR and e.previous != Result.NOT_POOR:
                n += 1
                rows.append(
                    [n, _head(e), e.hamlet.name, e.household.full_address, _label(e.previous)]
                )
        notes = []
        if review.decision_number:
            notes.append(
                _(
                    "Annex to Decision No. %(number)s of %(day)s of the chairperson of the "
                    "People's Committee, effective from its date."
                )
                % {
                    "number": review.decision_number,
                    "day": review.decision_on.strftime("%d/%m/%Y") if review.decision_on else "",
                }
            )
        return Table(
            _("RECOGNITION OF POOR AND NEAR-POOR HOUSEHOLDS"),
            f"{commune.display_name} – {year}",
            ["STT", _("Head of household"), _("Hamlet"), _("Address"), _("classification before")],
            rows,
            commune,
            review.decision_on or day,
            notes,
            [(_("CHAIRPERSON"), "")],
        )
    # summary by hamlet
    on = review.decision_on or day
    hamlets = list(commune.children.order_by("path"))
    figures = counts_by_child(commune, on, hamlets)
    targets = {
        t.unit_id: t for t in Target.objects.filter(year=review.year, unit__in=[commune, *hamlets])
    }
    rows = []
    for place in [*hamlets, commune]:
        f = figures[place.pk]
        t = targets.get(place.pk)
        rows.append(
            [
                place.display_name if place != commune else _("Whole commune"),
                f["households"],
                f["poor"],
                f"{f['poor_rate']:.2f}",
                f["near_poor"],
                f"{f['near_poor_rate']:.2f}",
                t.poor if t and t.poor is not None else "",
                t.near_poor if t and t.near_poor is not None else "",
            ]
        )
    return Table(
        _("SUMMARY OF POOR AND NEAR-POOR HOUSEHOLDS BY HAMLET"),
        f"{commune.display_name} – " + _("as of %(day)s") % {"day": on.strftime("%d/%m/%Y")},
        [
            _("Hamlet"),
            _("Households"),
            _("Poor"),
            _("Rate (%)"),
            _("Near-poor"),
            _("Rate (%)"),
            _("Target: poor"),
            _("Target: near-poor"),
        ],
        rows,
        commune,
        on,
        [],
        [(_("PREPARED BY"), ""), committee],
    )


def unit_list(place: Unit, year: int, kind: str) -> Table:
    """The households of `place` poor or near-poor at the end of `year` (or today, for
    the current year), or those that left poverty or near-poverty during it."""
    today = timezone.localdate()
    day = min(date(year, 12, 31), today) if year >= today.year else date(year, 12, 31)
    statuses = Status.objects.filter(household__unit__path__within=place.path).select_related(
        "household__head", "household__unit", "review", "ended_by"
    )
    if kind == "exited":
        ended = statuses.filter(end__year=year)
        still = set(
            Status.objects.filter(
                household__in=ended.values("household"), start__year=year
            ).values_list("household_id", flat=True)
        )
        chosen = [s for s in ended if s.household_id not in still]
        title = _("HOUSEHOLDS LEAVING POVERTY OR NEAR-POVERTY")
    else:
        chosen = list(statuses.on(day).filter(status=kind))
        title = (
            _("LIST OF POOR HOUSEHOLDS") if kind == "poor" else _("LIST OF NEAR-POOR HOUSEHOLDS")
        )
    chosen.sort(key=lambda s: (s.household.unit.path, s.household_id))
    rows = []
    for i, s in enumerate(chosen, start=1):
        head = s.household.head
        decision = s.ended_by if kind == "exited" else s.review
        rows.append(
            [
                i,
                head.full_name if head else "",
                s.household.unit.name,
                s.household.full_address,
                _label(s.status),
                (s.end if kind == "exited" else s.start).strftime("%d/%m/%Y"),
                decision.decision_number if decision else "",
            ]
        )
    return Table(
        title,
        f"{place.display_name} – " + _("Year %(year)s") % {"year": year},
        [
            "STT",
            _("Head of household"),
            _("Unit"),
            _("Address"),
            _("Classification"),
            _("Since"),
            _("decision number"),
        ],
        rows,
        place,
        day,
        [],
        [(_("PREPARED BY"), ""), (_("ON BEHALF OF THE PEOPLE'S COMMITTEE"), "")],
    )


def render(table: Table, fmt: str, name: str) -> Document:
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(
            buffer,
            title=table.title,
            subtitle=table.subtitle,
            headings=table.headings,
            rows=table.rows,
        )
        return Document(
            buffer.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{name}.xlsx",
        )
    from langso.lib.pdf import render_list_pdf

    content = render_list_pdf(
        unit_lines=issuing_lines(table.unit),
        title=table.title,
        subtitle=table.subtitle,
        headings=table.headings,
        rows=[["" if v is None else str(v) for v in row] for row in table.rows],
        day=table.day,
        place=(table.unit.commune() or table.unit).name,
        signers=table.signers,
        notes=table.notes,
    )
    return Document(content, "application/pdf", f"{name}.pdf")


def review_output(review: Review, what: str, fmt: str, *, hamlet: Unit | None = None) -> Document:
    return render(review_table(review, what, hamlet), fmt, f"{what}-{review.year}-{review.pk}")
