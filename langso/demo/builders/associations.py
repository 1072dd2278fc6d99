"""The demo commune's associations (issue 16, item 8).

The Fatherland Front committee and its six member organisations with a branch in every
hamlet; the Women's Union holds 60–70 % of the women of 18 and over of each hamlet, the
Farmers' Association about half of the farming households (one member each), the Youth
Union, the Elderly Association, the Veterans and the Red Cross what a commune of the
northern uplands would show. A year of quarterly branch meetings with their attendance,
dues for this year and last, two movements, and the Farmers' cattle-breeding group's
300,000,000 đ revolving fund lent to 15 households, two of them behind with repayment.

`hoi` leads the Women's Union (its chair's account) and `chihoi` heads its Bình Chiến
branch. Organisations and branches, the fund and the loans go through
`langso.associations.actions`; the many small rows (members, their history, attendance,
dues, repayments) are written with `bulk_create`. Every date is counted from `as_of`.
"""

import random
import time as time_module
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from langso.accounts.models import User
from langso.associations import actions, rules
from langso.associations.models import (
    Activity,
    Attendance,
    DuesPayment,
    Member,
    MemberEvent,
    MovementResult,
    Repayment,
)
from langso.lib.dates import add_months, born_by
from langso.places.models import Unit
from langso.registry.models import Person

ORDER = 30

# The farm work of the demo's occupations (langso/demo/registry/data.py FARM_WORK; the
# builders may not import the registry demo, which runs them).
FARM_WORK = {
    "Làm ruộng", "Làm nương", "Trồng cà phê", "Trồng ngô", "Trồng mía", "Trồng cây ăn quả",
    "Trồng chè", "Chăn nuôi",
}  # fmt: skip
MILLION = 1_000_000
# (kind, name, branch prefix, share of the eligible who are members, dues a year)
ORGANISATIONS = [
    (rules.WOMEN, "Hội Liên hiệp Phụ nữ", "Chi hội Phụ nữ", None, 24_000),
    (rules.FARMERS, "Hội Nông dân", "Chi hội Nông dân", None, 24_000),
    (rules.YOUTH, "Đoàn Thanh niên", "Chi đoàn", 0.45, 12_000),
    (rules.VETERANS, "Hội Cựu chiến binh", "Chi hội Cựu chiến binh", 0.12, 24_000),
    (rules.ELDERLY, "Hội Người cao tuổi", "Chi hội Người cao tuổi", 0.8, 12_000),
    (rules.RED_CROSS, "Hội Chữ thập đỏ", "Chi hội Chữ thập đỏ", 0.06, 12_000),
]
TARGETS = {rules.WOMEN: 70, rules.FARMERS: 55, rules.YOUTH: 50, rules.ELDERLY: 85}
LOANS = 15
LOAN_AMOUNT = 20 * MILLION
OVERDUE = 2


def build(commune, *, as_of, seed, log):
    started = time_module.perf_counter()
    rng = random.Random(seed + 16)
    place = commune.name.removeprefix("Xã ").strip()
    hamlets = list(
        Unit.objects.filter(parent=commune, kind=Unit.Kind.HAMLET).current().order_by("path")
    )
    hamlet_of = _hamlet_of(commune, hamlets)
    people = list(
        Person.objects.registered()
        .within(commune)
        .filter(birth_date__isnull=False)
        .select_related("household")
        .only("pk", "sex", "birth_date", "birth_precision", "occupation", "household__unit")
        .order_by("pk")
    )
    actions.create_organisation(
        acting_user=None,
        name=f"Ủy ban MTTQ Việt Nam xã {place}",
        kind=rules.FRONT,
        unit=commune,
        is_demo=True,
    )
    members: list[Member] = []
    organisations = {}
    branches = {}
    for kind, name, prefix, share, dues_amount in ORGANISATIONS:
        organisation = actions.create_organisation(
            acting_user=None, name=f"{name} xã {place}", kind=kind, unit=commune, is_demo=True
        )
        organisations[kind] = organisation
        for hamlet in hamlets:
            branches[kind, hamlet.pk] = actions.create_branch(
                organisation,
                acting_user=None,
                name=f"{prefix} {hamlet.type_name} {hamlet.name}",
                unit=hamlet,
            )
        chosen = _choose(kind, share, organisation, people, hamlet_of, as_of, rng)
        for person in chosen:
            hamlet_id = hamlet_of[person.household.unit_id]
            members.append(
                Member(
                    organisation=organisation,
                    branch=branches[kind, hamlet_id],
                    person=person,
                    joined_on=_joined(person, organisation, as_of, rng),
                    card_number=f"{kind[:2].upper()}{person.pk:06d}",
                )
            )
        if kind in TARGETS:
            actions.set_target(organisation, acting_user=None, year=as_of.year, rate=TARGETS[kind])
        actions.set_dues_rate(
            organisation,
            acting_user=None,
            period="yearly",
            amount=dues_amount,
            valid_from=date(as_of.year - 1, 1, 1),
        )
    members = Member.objects.bulk_create(members)
    _positions(members, rng)
    MemberEvent.objects.bulk_create(
        MemberEvent(member=m, kind=MemberEvent.Kind.JOINED, on=m.joined_on, to_branch=m.branch)
        for m in members
    )
    _officers(organisations[rules.WOMEN], branches, hamlets)
    activities = _meetings(organisations, branches, hamlets, members, as_of, rng)
    _dues(members, organisations, as_of, rng)
    _movements(organisations, branches, hamlets, as_of, rng)
    loans = _cattle_fund(organisations[rules.FARMERS], members, as_of, rng)
    log(
        f"Associations: {len(organisations) + 1} organisations, {len(branches)} branches, "
        f"{len(members):,} members, {activities} meetings, {loans} loans "
        f"({time_module.perf_counter() - started:.1f} s)."
    )


def _hamlet_of(commune, hamlets):
    paths = dict(Unit.objects.within(commune).values_list("pk", "path"))
    mapping = {}
    for unit_id, path in paths.items():
        for hamlet in hamlets:
            if path == hamlet.path or path.startswith(hamlet.path + "/"):
                mapping[unit_id] = hamlet.pk
    return mapping


def _choose(kind, share, organisation, people, hamlet_of, as_of, rng):
    """The members of one organisation among the registered people."""
    # The rule's own check (Organisation.rule_warnings) words its reasons; here only
    # the answer matters, for thousands of people.
    low = born_by(as_of, organisation.min_age) if organisation.min_age else date.max
    high = born_by(as_of, organisation.max_age + 1) if organisation.max_age else date.min
    eligible = [
        p
        for p in people
        if p.household.unit_id in hamlet_of
        and (not organisation.sex or p.sex == organisation.sex)
        and high < p.birth_date <= low
    ]
    if kind == rules.WOMEN:
        # 60–70 % of each hamlet's women of 18 and over.
        by_hamlet: dict[int, list] = {}
        for p in eligible:
            by_hamlet.setdefault(hamlet_of[p.household.unit_id], []).append(p)
        chosen = []
        for group in by_hamlet.values():
            chosen += rng.sample(group, round(len(group) * rng.uniform(0.60, 0.70)))
        return chosen
    if kind == rules.FARMERS:
        # About half of the farming households, each by one of its farmers (the eldest).
        farmers: dict[int, Person] = {}
        for p in eligible:
            if p.occupation in FARM_WORK:
                current = farmers.get(p.household_id)
                if current is None or p.birth_date < current.birth_date:
                    farmers[p.household_id] = p
        households = sorted(farmers)
        return [farmers[h] for h in rng.sample(households, round(len(households) * 0.5))]
    if kind == rules.VETERANS:
        # Men who served: of 40 and over.
        old_enough = born_by(as_of, 40)
        eligible = [p for p in eligible if p.sex == Person.Sex.MALE and p.birth_date <= old_enough]
    return [p for p in eligible if rng.random() < share]


def _joined(person, organisation, as_of, rng):
    earliest = date(2005, 1, 1)
    if organisation.min_age:
        earliest = max(earliest, add_months(person.birth_date, 12 * organisation.min_age))
    latest = as_of - timedelta(days=30)
    if earliest >= latest:
        return latest
    return earliest + timedelta(days=rng.randrange((latest - earliest).days))


def _positions(members, rng):
    """A chair and a deputy for each organisation; a head for each branch."""
    by_branch: dict[int, list[Member]] = {}
    for m in members:
        by_branch.setdefault(m.branch_id, []).append(m)
    heads = [rng.choice(group) for group in by_branch.values()]
    for m in heads:
        m.position = Member.Position.BRANCH_HEAD
    by_org: dict[int, list[Member]] = {}
    for m in heads:
        by_org.setdefault(m.organisation_id, []).append(m)
    for group in by_org.values():
        group[0].position = Member.Position.CHAIR
        if len(group) > 1:
            group[1].position = Member.Position.DEPUTY
    Member.objects.bulk_update(heads, ["position"])


def _officers(women, branches, hamlets):
    """`hoi` chairs the Women's Union; `chihoi` heads its Bình Chiến branch."""
    leader = User.objects.filter(username="hoi").first()
    if leader is not None:
        actions.appoint_officer(leader, acting_user=None, organisation=women)
    head = User.objects.filter(username="chihoi").first()
    binh_chien = next((h for h in hamlets if h.name == "Bình Chiến"), hamlets[0])
    if head is not None:
        actions.appoint_officer(
            head,
            acting_user=None,
            organisation=women,
            branch=branches[rules.WOMEN, binh_chien.pk],
        )


def _meetings(organisations, branches, hamlets, members, as_of, rng):
    """Each branch of the Women's Union and the Farmers met every quarter of the past year."""
    by_branch: dict[int, list[Member]] = {}
    for m in members:
        by_branch.setdefault(m.branch_id, []).append(m)
    created = []
    attendance = []
    for kind in (rules.WOMEN, rules.FARMERS):
        for hamlet in hamlets:
            branch = branches[kind, hamlet.pk]
            for quarter in range(4):
                day = add_months(as_of, -3 * quarter - 1).replace(day=15)
                activity = Activity(
                    organisation=organisations[kind],
                    branch=branch,
                    title=f"Sinh hoạt {branch.name} quý {((day.month - 1) // 3) + 1}/{day.year}",
                    starts_at=timezone.make_aware(datetime.combine(day, time(19, 30))),
                    place=f"Nhà văn hoá {hamlet.type_name} {hamlet.name}",
                    minutes="Triển khai nhiệm vụ quý; bình xét hộ vay vốn; thu hội phí.",
                )
                created.append(activity)
    Activity.objects.bulk_create(created)
    for activity in created:
        rate = rng.uniform(0.7, 0.9)
        for m in by_branch.get(activity.branch_id, []):
            if m.joined_on <= activity.starts_at.date():
                status = (
                    Attendance.Status.PRESENT if rng.random() < rate else Attendance.Status.ABSENT
                )
                attendance.append(Attendance(activity=activity, member=m, status=status))
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    return len(created)


def _dues(members, organisations, as_of, rng):
    amounts = {
        org.pk: dues for (kind, _n, _p, _s, dues) in ORGANISATIONS for org in [organisations[kind]]
    }
    payments = []
    for m in members:
        for year, share in ((as_of.year - 1, 0.95), (as_of.year, 0.8)):
            if m.joined_on.year <= year and rng.random() < share:
                paid_on = min(as_of, date(year, 3, 1) + timedelta(days=rng.randrange(200)))
                payments.append(
                    DuesPayment(
                        member=m,
                        period=date(year, 1, 1),
                        amount=amounts[m.organisation_id],
                        paid_on=paid_on,
                    )
                )
    DuesPayment.objects.bulk_create(payments, batch_size=2000)


def _movements(organisations, branches, hamlets, as_of, rng):
    clean = actions.create_movement(
        organisations[rules.WOMEN],
        acting_user=None,
        name="Xây dựng gia đình 5 không, 3 sạch",
        started_on=date(as_of.year, 1, 1),
        measure="hộ đăng ký",
        goal=400,
    )
    green = actions.create_movement(
        organisations[rules.FARMERS],
        acting_user=None,
        name="Nhà sạch, vườn xanh",
        started_on=date(as_of.year, 1, 1),
        measure="hộ đạt",
        goal=250,
    )
    rows = []
    for hamlet in hamlets:
        rows.append(
            MovementResult(
                movement=clean,
                branch=branches[rules.WOMEN, hamlet.pk],
                on=as_of - timedelta(days=20),
                count=rng.randrange(40, 90),
            )
        )
        rows.append(
            MovementResult(
                movement=green,
                branch=branches[rules.FARMERS, hamlet.pk],
                on=as_of - timedelta(days=20),
                count=rng.randrange(25, 60),
            )
        )
    MovementResult.objects.bulk_create(rows)


def _cattle_fund(farmers, members, as_of, rng):
    """The cattle-breeding group's 300,000,000 đ fund, lent to 15 households: 20 million
    each at 0 % for 24 months, repaid in four half-yearly instalments; two are behind."""
    group = actions.create_organisation(
        acting_user=None,
        name="Tổ hợp tác chăn nuôi bò",
        kind=rules.LOCAL,
        unit=farmers.unit,
        parent=farmers,
        is_demo=True,
    )
    received = add_months(as_of, -14)
    fund = actions.create_fund(
        group,
        acting_user=None,
        name="Quỹ hỗ trợ chăn nuôi bò",
        source="Quỹ Hỗ trợ nông dân tỉnh",
        amount=300 * MILLION,
        received_on=received,
    )
    farmers_members = [m for m in members if m.organisation_id == farmers.pk]
    # A tiny demo (a few dozen households) has fewer farmers than loans: lend to them all.
    borrowers = rng.sample(farmers_members, min(LOANS, len(farmers_members)))
    Member.objects.bulk_create(
        Member(organisation=group, person=m.person, joined_on=received, card_number="")
        for m in borrowers
    )
    late = set(rng.sample(range(len(borrowers)), min(OVERDUE, len(borrowers))))
    repayments = []
    for i, member in enumerate(borrowers):
        lent_on = received + timedelta(days=15 + i)
        loan = actions.make_loan(
            fund,
            member.person,
            acting_user=None,
            amount=LOAN_AMOUNT,
            purpose="Mua bò cái sinh sản",
            lent_on=lent_on,
            term_months=24,
            interest_rate=Decimal(0),
            instalments=4,
        )
        for n, instalment in enumerate(loan.instalments.all()):
            if instalment.due_on > as_of:
                break
            if i in late and n >= 1:
                break  # behind since its second instalment
            # Each repayment is one instalment on its day: written at once, as the other
            # small rows (the loans went through make_loan's balance check).
            repayments.append(
                Repayment(
                    loan=loan,
                    paid_on=instalment.due_on - timedelta(days=rng.randrange(0, 10)),
                    principal=instalment.principal,
                )
            )
    Repayment.objects.bulk_create(repayments)
    return len(borrowers)
