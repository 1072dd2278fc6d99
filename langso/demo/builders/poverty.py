"""The demo commune's poverty review (issue 13, domain.md §6).

The registry demo gave the members of poor households an HN health insurance card and of
near-poor ones a CN card; this builder makes that standing the recognised result of last
year's review (surveys, hamlet meetings, posting, the chairperson's decision, support
given) and opens this year's review, listing those households again with a few
applicants, surveyed, with about half the hamlets' meetings held: the review stands at
the hamlet-meeting step. A target for this year is set. Written in bulk: a few hundred
rows, well under a second.
"""

import random
import time
from datetime import date, timedelta

from django.db.models import Q

from langso.accounts.models import User
from langso.lib.bulk import update_rows
from langso.places.models import Unit
from langso.poverty import actions
from langso.poverty.models import (
    Entry,
    HamletMeeting,
    Result,
    Review,
    Standard,
    Status,
    Support,
    Survey,
    Target,
)
from langso.poverty.scoring import Line, classify, per_person
from langso.registry.models import Household, Membership

ORDER = 40

POOR_LACKING = [
    "health_insurance",
    "housing_quality",
    "water",
    "latrine",
    "information_access",
    "adult_education",
    "floor_area",
]
NEAR_LACKING = ["latrine", "information_access", "water"]


def _standing(commune, day):
    """{household id: poor | near_poor} from the members' HN / CN cards on `day`."""
    stays = (
        Membership.objects.as_of(day, commune)
        .filter(
            Q(person__health_insurance_number__startswith="HN")
            | Q(person__health_insurance_number__startswith="CN")
        )
        .values_list("household_id", "person__health_insurance_number")
    )
    standing = {}
    for household_id, number in stays:
        if number.startswith("HN"):
            standing[household_id] = Result.POOR
        else:
            standing.setdefault(household_id, Result.NEAR_POOR)
    return standing


def _hamlet_of(paths, commune, unit_path):
    rest = unit_path[len(commune.path) + 1 :]
    return paths[f"{commune.path}/{rest.split('/')[0]}"]


class _Builder:
    def __init__(self, commune, as_of, rng):
        self.commune = commune
        self.as_of = as_of
        self.rng = rng
        self.officer = User.objects.filter(username="laodong").first()
        self.leader = User.objects.filter(username="chutich").first()
        self.hamlets = {u.path: u for u in Unit.objects.filter(parent=commune)}
        self.standards: dict[date, Standard] = {}
        self.urban = actions.is_urban(commune)
        stays = Membership.objects.as_of(as_of, commune).values_list(
            "household_id", "household__unit__path"
        )
        self.members: dict[int, int] = {}
        self.hamlet_of: dict[int, Unit] = {}
        for household_id, path in stays:
            self.members[household_id] = self.members.get(household_id, 0) + 1
            self.hamlet_of[household_id] = _hamlet_of(self.hamlets, commune, path)

    def survey(self, household_id, on, wanted, entry_id=None):
        """A B2 survey whose figures give `wanted` under the standard of `on`."""
        rng = self.rng
        if on not in self.standards:
            self.standards[on] = Standard.objects.valid_on(on)
        standard, urban = self.standards[on], self.urban
        line = standard.line(urban)
        members = self.members[household_id]
        if wanted == Result.POOR:
            income = rng.randint(int(line * 0.4), line)
            lacking = rng.sample(POOR_LACKING, rng.randint(3, 5))
        elif wanted == Result.NEAR_POOR:
            income = rng.randint(int(line * 0.7), line)
            lacking = rng.sample(NEAR_LACKING, rng.randint(0, 2))
        else:
            income = rng.randint(line + 100_000, line * 3)
            lacking = rng.sample(NEAR_LACKING, rng.randint(0, 1))
        total = income * members
        result = classify(total, members, len(lacking), Line(line, standard.poor_min_lacking))
        reasons = (
            rng.sample(
                ["no_capital", "no_labour", "illness", "no_skills", "no_land", "dependants"], 2
            )
            if result != Result.NOT_POOR
            else []
        )
        return Survey(
            household_id=household_id,
            entry_id=entry_id,
            form=Survey.Form.B2,
            on=on,
            standard=standard,
            urban=urban,
            members=members,
            income_total=total,
            income_per_person=per_person(total, members),
            lacking=lacking,
            result=result,
            reasons=reasons,
            surveyed_by=self.officer,
            is_demo=True,
            floor_area=rng.randint(18, 90),
        )

    def review(self, year, standing, applicants, *, recognise):
        """A yearly review of `year` over `standing` ({household: wanted result}) plus
        `applicants` (wanted results too), each surveyed; recognised or at the meeting step."""
        commune, rng = self.commune, self.rng
        opens = min(date(year, 9, 1), self.as_of)
        review = actions.open_review(
            commune, acting_user=self.officer, year=year, opens_on=opens, is_demo=True
        )
        listed = set(review.entries.values_list("household_id", flat=True))
        Entry.objects.bulk_create(
            Entry(
                review=review,
                household_id=hid,
                hamlet=self.hamlet_of[hid],
                source=Entry.Source.APPLIED if rng.random() < 0.6 else Entry.Source.PROPOSED,
                applied_on=opens + timedelta(days=rng.randint(2, 20)),
                proposed_by="",
                previous=Result.NOT_POOR,
            )
            for hid in standing.keys() | applicants.keys()
            if hid not in listed and hid in self.hamlet_of
        )
        wanted = {**applicants, **standing}
        entries = list(review.entries.all())
        survey_day = min(date(year, 10, 10), self.as_of)
        surveys = Survey.objects.bulk_create(
            self.survey(
                e.household_id, survey_day, wanted.get(e.household_id, Result.NOT_POOR), e.pk
            )
            for e in entries
        )
        by_household = {s.household_id: s for s in surveys}
        hamlets = sorted({e.hamlet_id for e in entries})
        met = hamlets if recognise else hamlets[: max(1, len(hamlets) // 2)]
        meeting_day = min(date(year, 11, 20), self.as_of)
        HamletMeeting.objects.bulk_create(
            HamletMeeting(
                review=review,
                hamlet_id=hid,
                held_on=meeting_day,
                chaired_by="Trưởng thôn",
                attendance=rng.randint(35, 80),
                minutes="Thống nhất kết quả rà soát theo phiếu B2.",
            )
            for hid in met
        )
        for e in entries:
            e.survey = by_household[e.household_id]
            if e.hamlet_id in met:
                e.agreed = e.survey.result
                e.votes_cast = rng.randint(30, 60)
                e.votes_for = e.votes_cast - rng.randint(0, 4)
                if recognise:
                    e.final = e.agreed
        update_rows(
            Entry,
            ["survey", "agreed", "votes_cast", "votes_for", "final"],
            [(e.survey.pk, e.agreed, e.votes_cast, e.votes_for, e.final, e.pk) for e in entries],
        )
        review.stage = Review.Stage.MEETING if met else Review.Stage.SURVEYING
        if recognise:
            review.posting_from = date(year, 12, 1)
            review.posting_until = actions.add_working_days(review.posting_from, 3)
            review.stage = Review.Stage.RECOGNISED
            review.decision_number = f"{rng.randint(300, 480)}/QĐ-UBND"
            review.decision_on = review.posting_until + timedelta(days=5)
            review.signed_by = self.leader
        review.save()
        return review, entries


def build(commune, *, as_of, seed, log):
    started = time.perf_counter()
    if Standard.objects.valid_on(date(as_of.year - 1, 10, 1)) is None:
        log("Poverty: no poverty standard in the database (migration 0002); no review built.")
        return
    rng = random.Random(f"{seed}-poverty")
    builder = _Builder(commune, as_of, rng)
    standing = {h: s for h, s in _standing(commune, as_of).items() if h in builder.hamlet_of}
    last_year = as_of.year - 1
    # Last year: the standing of today, and a few applicants found not poor.
    others = [h for h in builder.members if h not in standing]
    applicants = dict.fromkeys(rng.sample(others, min(len(others), 8)), Result.NOT_POOR)
    first, entries = builder.review(last_year, standing, applicants, recognise=True)
    Status.objects.bulk_create(
        Status(
            household_id=e.household_id,
            status=e.final,
            start=first.decision_on,
            review=first,
            reasons=e.survey.reasons,
        )
        for e in entries
        if e.final in (Result.POOR, Result.NEAR_POOR)
    )
    households = list(Household.objects.filter(pk__in=[e.household_id for e in entries]))
    actions.follow_recognition(households, acting_user=None, on=as_of)
    # Support for last year's poor and near-poor households.
    support = []
    for e in entries:
        if e.final not in (Result.POOR, Result.NEAR_POOR):
            continue
        given = first.decision_on + timedelta(days=rng.randint(10, 200))
        if given > as_of:
            given = first.decision_on
        amount = rng.choice([30, 40, 50, 70, 100]) * 1_000_000
        months = rng.choice([36, 48, 60])
        repaid = rng.randint(0, amount // 4 // 1_000_000) * 1_000_000
        support.append(
            Support(
                household_id=e.household_id,
                programme=Support.Programme.LOAN,
                description="Cho vay hộ nghèo"
                if e.final == Result.POOR
                else "Cho vay hộ cận nghèo",
                given_on=given,
                amount=amount,
                term_months=months,
                balance=amount - repaid,
                due_on=given + timedelta(days=30 * months),
                overdue=rng.choice([0] * 9 + [2_000_000]),
                is_demo=True,
            )
        )
        support.append(
            Support(
                household_id=e.household_id,
                programme=Support.Programme.HEALTH_INSURANCE,
                description="Thẻ BHYT cho thành viên hộ",
                given_on=date(as_of.year, 1, 1),
                is_demo=True,
            )
        )
        if e.final == Result.POOR and rng.random() < 0.3:
            support.append(
                Support(
                    household_id=e.household_id,
                    programme=Support.Programme.LIVESTOCK,
                    description="Bò sinh sản",
                    given_on=given,
                    amount=18_000_000,
                    state_share=60,
                    family_share=40,
                    is_demo=True,
                )
            )
        if e.final == Result.POOR and rng.random() < 0.1:
            support.append(
                Support(
                    household_id=e.household_id,
                    programme=Support.Programme.HOUSING,
                    description="Hỗ trợ làm nhà",
                    given_on=given,
                    amount=40_000_000,
                    is_demo=True,
                )
            )
    Support.objects.bulk_create(support)
    # This year: most keep their standing, some climb out, a few new applicants.
    changed = {}
    for household_id, result in standing.items():
        draw = rng.random()
        if result == Result.POOR and draw < 0.2:
            changed[household_id] = Result.NEAR_POOR
        elif draw < 0.12:
            changed[household_id] = Result.NOT_POOR
        else:
            changed[household_id] = result
    new = [h for h in others if h not in applicants]
    newcomers = {
        h: rng.choice([Result.NEAR_POOR, Result.NOT_POOR])
        for h in rng.sample(new, min(len(new), 6))
    }
    second, _entries = builder.review(as_of.year, changed, newcomers, recognise=False)
    poor = sum(1 for s in standing.values() if s == Result.POOR)
    near = len(standing) - poor
    Target.objects.update_or_create(
        unit=commune,
        year=as_of.year,
        defaults={
            "poor": max(0, round(poor * 0.85)),
            "near_poor": max(0, round(near * 0.9)),
            "rate": round(100 * poor * 0.85 / max(1, len(builder.members)), 2),
        },
    )
    log(
        f"Poverty: {poor} poor and {near} near-poor households recognised in {last_year} "
        f"({first.decision_number}), {len(support)} support records, the {as_of.year} review "
        f"at the hamlet meetings ({second.meetings.count()} held) "
        f"({time.perf_counter() - started:.1f} s)."
    )
