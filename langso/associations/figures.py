"""The associations' figures for a commune and a day: the one function the association
page, the commune dashboard and the lists they link to share (style.md).

Members are counted by their branch's hamlet; the eligible population is the registry's
registered people (alive, not moved away) of the hamlet whom the organisation's rule
admits on the day. Grouped queries only: a commune's figures are a handful of queries
whatever its size.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum

from langso.associations import counts
from langso.associations.models import (
    Branch,
    Fund,
    Instalment,
    Loan,
    Member,
    Organisation,
    Repayment,
    Target,
)
from langso.lib.dates import born_by
from langso.lib.paths import is_within
from langso.places.models import Unit
from langso.registry.models import Person


@dataclass
class Rate:
    members: int = 0
    eligible: int = 0
    target: int | None = None

    @property
    def percent(self) -> float | None:
        if not self.eligible:
            return None
        return round(100 * self.members / self.eligible, 1)

    @property
    def below_target(self) -> bool:
        return self.target is not None and (self.percent or 0) < self.target


@dataclass
class OrganisationFigures:
    organisation: Organisation
    total: Rate
    hamlets: list[tuple[Unit, Rate]] = field(default_factory=list)


@dataclass
class CommuneFigures:
    day: date
    hamlets: list[Unit]
    organisations: list[OrganisationFigures]
    fund_balance: int
    loans_outstanding: int
    overdue_loans: int
    overdue_amount: int


def _hamlet_of(paths: dict[int, str], hamlets: list[Unit]) -> dict[int, int]:
    """{unit id: hamlet id} for every unit inside one of `hamlets`."""
    mapping = {}
    for unit_id, path in paths.items():
        for hamlet in hamlets:
            if is_within(path, hamlet.path):
                mapping[unit_id] = hamlet.pk
                break
    return mapping


def member_counts(organisations, day: date) -> dict[tuple[int, int], int]:
    """{(organisation id, branch unit id): members on `day`}: from the kept counts for
    today (counts.py), else one grouped query."""
    organisations = list(organisations)
    if counts.is_kept(day):
        return counts.member_counts(organisations, day)
    rows = (
        Member.objects.on(day)
        .filter(organisation__in=organisations)
        .values("organisation_id", "branch__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(r["organisation_id"], r["branch__unit_id"]): r["n"] for r in rows}


def eligible_counts(organisation: Organisation, unit: Unit, day: date) -> dict[int, int]:
    """{household unit id: people the rule admits on `day`} under `unit`."""
    people = organisation.eligible(Person.objects.registered().within(unit), day)
    rows = people.values("household__unit_id").annotate(n=Count("id")).order_by()
    return {r["household__unit_id"]: r["n"] for r in rows}


def commune_figures(commune: Unit, day: date, organisations=None) -> CommuneFigures:
    hamlets = list(
        Unit.objects.filter(parent=commune, kind=Unit.Kind.HAMLET).current().order_by("path")
    )
    if organisations is None:
        organisations = Organisation.objects.filter(unit=commune)
    organisations = list(organisations.order_by("kind", "name"))
    paths = dict(Unit.objects.within(commune).values_list("pk", "path"))
    hamlet_of = _hamlet_of(paths, hamlets)
    members = member_counts(organisations, day)
    targets = {
        (t.organisation_id, t.unit_id): t.rate
        for t in Target.objects.filter(organisation__in=organisations, year=day.year)
    }
    result = []
    # The same rule gives the same eligible counts: compute each rule once.
    eligible_by_rule: dict[tuple, dict[int, int]] = {}
    if counts.is_kept(day):
        eligible_by_rule = counts.eligible(commune, map(_rule, organisations), day)
    for organisation in organisations:
        rule = _rule(organisation)
        if rule not in eligible_by_rule:
            by_unit = eligible_counts(organisation, commune, day)
            per_hamlet: dict[int, int] = {}
            for unit_id, n in by_unit.items():
                hamlet_id = hamlet_of.get(unit_id)
                if hamlet_id is not None:
                    per_hamlet[hamlet_id] = per_hamlet.get(hamlet_id, 0) + n
            eligible_by_rule[rule] = per_hamlet
        eligible = eligible_by_rule[rule]
        total = Rate(target=targets.get((organisation.pk, None)))
        figures = OrganisationFigures(organisation, total)
        for hamlet in hamlets:
            n = sum(
                n
                for (org_id, unit_id), n in members.items()
                if org_id == organisation.pk and unit_id and hamlet_of.get(unit_id) == hamlet.pk
            )
            rate = Rate(n, eligible.get(hamlet.pk, 0), targets.get((organisation.pk, hamlet.pk)))
            figures.hamlets.append((hamlet, rate))
        total.members = sum(n for (org_id, _u), n in members.items() if org_id == organisation.pk)
        total.eligible = sum(eligible.values())
        result.append(figures)
    funds = Fund.objects.filter(organisation__in=organisations)
    money = _money(funds, day)
    return CommuneFigures(day, hamlets, result, *money)


def _rule(organisation: Organisation) -> counts.Rule:
    return (organisation.min_age, organisation.max_age, organisation.sex)


def _money(funds, day: date) -> tuple[int, int, int, int]:
    """(cash in the funds, loans outstanding, overdue loans, overdue principal) on `day`."""
    capital = funds.filter(received_on__lte=day).aggregate(s=Sum("amount"))["s"] or 0
    loans = Loan.objects.filter(fund__in=funds, lent_on__lte=day)
    lent = loans.aggregate(s=Sum("amount"))["s"] or 0
    back = Repayment.objects.filter(loan__fund__in=funds, paid_on__lte=day).aggregate(
        p=Sum("principal"), i=Sum("interest")
    )
    repaid = back["p"] or 0
    balance = capital - lent + repaid + (back["i"] or 0)
    due = dict(
        Instalment.objects.filter(loan__in=loans, due_on__lt=day)
        .values("loan_id")
        .annotate(s=Sum("principal"))
        .values_list("loan_id", "s")
        .order_by()
    )
    paid = dict(
        Repayment.objects.filter(loan__in=loans, paid_on__lte=day)
        .values("loan_id")
        .annotate(s=Sum("principal"))
        .values_list("loan_id", "s")
        .order_by()
    )
    overdue = {loan_id: s - paid.get(loan_id, 0) for loan_id, s in due.items()}
    overdue = {k: v for k, v in overdue.items() if v > 0}
    return balance, lent - repaid, len(overdue), sum(overdue.values())


def overdue_loans(funds, day: date) -> list[Loan]:
    """The loans behind their schedule on `day` (the list the dashboard's figure links to)."""
    return [
        loan
        for loan in Loan.objects.filter(fund__in=funds, lent_on__lte=day).select_related("person")
        if loan.overdue_on(day) > 0
    ]


def branch_members(branch: Branch, day: date):
    """The branch's list on `day` (its small groups' members with it)."""
    return (
        Member.objects.on(day)
        .filter(Q(branch=branch) | Q(branch__parent=branch))
        .select_related("person__household", "branch")
        .order_by("person__sort_key")
    )


def dashboard(user, day: date, limit: int = 3) -> list[CommuneFigures]:
    """The figures of each commune whose associations the user reads (the home page's and
    the associations' home page's panel): members per organisation and hamlet, rates,
    the funds' cash and the overdue loans."""
    from langso.associations.access import readable_organisations

    organisations = readable_organisations(user)
    communes = Unit.objects.filter(
        pk__in=organisations.values("unit_id"), kind=Unit.Kind.COMMUNE
    ).order_by("path")[:limit]
    return [commune_figures(c, day, organisations.filter(unit=c)) for c in communes]


def province_rates(province: Unit, day: date) -> dict[int, dict[int, Rate]]:
    """{commune id: {organisation id: Rate}} for every commune of `province` on `day`:
    one grouped query for the members and one pass over the registry counting each
    distinct membership rule at once (conditional counts), rolled up to communes."""
    organisations = list(Organisation.objects.filter(unit__path__within=province.path))
    if not organisations:
        return {}
    if counts.is_kept(day):
        return _kept_province_rates(province, organisations, day)
    rules_of = {o.pk: _rule(o) for o in organisations}
    distinct = sorted(set(rules_of.values()), key=str)
    conditions = {}
    for i, (low, high, sex) in enumerate(distinct):
        q = Q()
        if sex:
            q &= Q(sex=sex)
        if low is not None:
            q &= Q(birth_date__lte=born_by(day, low))
        if high is not None:
            q &= Q(birth_date__gt=born_by(day, high + 1))
        conditions[f"r{i}"] = Count("id", filter=q)
    rows = (
        Person.objects.registered()
        .within(province)
        .values("household__unit_id")
        .annotate(**conditions)
        .order_by()
    )
    paths = dict(Unit.objects.within(province).values_list("pk", "path"))
    communes = dict(
        Unit.objects.within(province).filter(kind=Unit.Kind.COMMUNE).values_list("path", "pk")
    )

    def commune_of(unit_id):
        path = paths.get(unit_id, "")
        parts = path.split("/")
        for n in range(len(parts), 0, -1):
            found = communes.get("/".join(parts[:n]))
            if found:
                return found
        return None

    eligible: dict[tuple[int, int], int] = {}
    for row in rows:
        commune_id = commune_of(row["household__unit_id"])
        if commune_id is None:
            continue
        for i in range(len(distinct)):
            key = (commune_id, i)
            eligible[key] = eligible.get(key, 0) + row[f"r{i}"]
    members = dict(
        Member.objects.on(day)
        .filter(organisation__in=organisations)
        .values("organisation_id")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "n")
        .order_by()
    )
    result: dict[int, dict[int, Rate]] = {}
    for o in organisations:
        index = distinct.index(rules_of[o.pk])
        result.setdefault(o.unit_id, {})[o.pk] = Rate(
            members.get(o.pk, 0), eligible.get((o.unit_id, index), 0)
        )
    return result


def _kept_province_rates(province: Unit, organisations, day: date) -> dict[int, dict[int, Rate]]:
    """`province_rates` for today from the kept counts: two grouped reads of small tables."""
    eligible = counts.eligible(province, map(_rule, organisations), day)
    members: dict[int, int] = {}
    for (org_id, _unit), n in counts.member_counts(organisations, day).items():
        members[org_id] = members.get(org_id, 0) + n
    result: dict[int, dict[int, Rate]] = {}
    for o in organisations:
        result.setdefault(o.unit_id, {})[o.pk] = Rate(
            members.get(o.pk, 0), eligible[_rule(o)].get(o.unit_id, 0)
        )
    return result
