"""Figures of a campaign's ledger, one function each, shared by pages, PDF, Excel and tests.

Money given counts cash, transfers and the value of goods in kind; the balance is cash
and transfers minus expenses (goods are not money in the fund). Reversals carry the
opposite sign, so plain sums are correct.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Sum

from langso.campaigns.models import Campaign, Entry, Exemption, Pledge, totals
from langso.registry import hooks
from langso.registry.models import Household, Membership, Person

MEMO_SECONDS = 3600


def _stamp(campaign: Campaign) -> str:
    """The campaign's newest ledger line. The ledger only grows (no line is changed or
    deleted), so figures computed at one stamp hold until the stamp moves."""
    newest = campaign.entries.order_by("-pk").values_list("pk", "recorded_at").first()
    return f"{newest[0]}@{newest[1].timestamp()}" if newest else "0"


def _memo(campaign: Campaign, what: str, compute: Callable[[], Any]) -> Any:
    key = f"campaigns:{campaign.pk}:{_stamp(campaign)}:{what}"
    return cache.get_or_set(key, compute, MEMO_SECONDS)


def balance_at(campaign: Campaign, day: date) -> int:
    """Contributions in money minus expenses, as the ledger stood at the end of `day`."""
    return int(figures(campaign, day)["balance"])


def figures(campaign: Campaign, day: date | None = None) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        entries = campaign.entries.all() if day is None else campaign.entries.on_or_before(day)
        return totals(entries)

    return _memo(campaign, f"figures:{day}", compute)


def _share(done: object, target: object) -> int:
    if not target:
        return 0
    return max(0, min(100, int(Decimal(str(done)) * 100 / Decimal(str(target)))))


@dataclass(frozen=True)
class Bar:
    label: str
    done: object
    target: object
    unit: str

    @property
    def percent(self) -> int:
        return _share(self.done, self.target)


def progress(campaign: Campaign, day: date | None = None) -> list[Bar]:
    """The bars of the campaign's progress against each of its targets set."""
    from django.utils.translation import gettext as _

    figure = figures(campaign, day)
    bars = []
    if campaign.target_money:
        bars.append(Bar(_("Money"), figure["money"], campaign.target_money, "đ"))
    if campaign.target_labour_days:
        bars.append(Bar(_("Labour"), figure["labour"], campaign.target_labour_days, _("days")))
    if campaign.target_land_m2:
        bars.append(Bar(_("Land"), figure["land"], campaign.target_land_m2, "m²"))
    return bars


def asked_households(campaign: Campaign, on: date) -> list[dict[str, object]]:
    """Every household of the campaign's unit that is asked, with its suggested amount.

    Poor households are exempt when the campaign says so: from the poverty status when an
    app provides it (`registry.hooks.poverty_status`), from the hand-set flag otherwise.
    Households exempted by hand for another reason are never asked.
    """
    households = list(
        Household.objects.within(campaign.unit)
        .filter(closed_on__isnull=True)
        .select_related("head")
        .order_by("pk")
    )
    ids = [h.pk for h in households]
    exempt = dict(Exemption.objects.filter(campaign=campaign).values_list("household_id", "reason"))
    skip = {pk for pk, reason in exempt.items() if reason == Exemption.Reason.OTHER}
    if campaign.exempt_poor:
        status = hooks.poverty_status(ids, on)
        if status is None:
            skip |= {pk for pk, reason in exempt.items() if reason == Exemption.Reason.POOR}
        else:
            skip |= {pk for pk, level in status.items() if level == hooks.POOR}
    sizes: dict[int, int] = {}
    if campaign.asks == Campaign.Asks.PERSON:
        rows = (
            Membership.objects.on(on)
            .filter(household_id__in=ids)
            .values("household_id")
            .annotate(n=Count("id"))
        )
        sizes = {row["household_id"]: row["n"] for row in rows}
    asked = []
    for household in households:
        if household.pk in skip:
            continue
        people = sizes.get(household.pk, 0) if sizes else 1
        asked.append(
            {"household": household, "suggested": campaign.suggested_amount * max(people, 1)}
        )
    return asked


def household_account(campaign: Campaign, household: Household) -> dict[str, object]:
    """What a household pledged, gave and still owes in the campaign."""
    pledges = Pledge.objects.filter(
        campaign=campaign, household=household, cancelled_at__isnull=True
    )
    pledged = pledges.aggregate(money=Sum("amount"), labour=Sum("labour_days"), land=Sum("land_m2"))
    given = totals(campaign.entries.filter(household=household))
    pledged = {key: value or 0 for key, value in pledged.items()}
    return {
        "pledges": list(pledges),
        "pledged": pledged,
        "given": given,
        "owed": {
            "money": max(pledged["money"] - given["money"], 0),
            "labour": max(Decimal(pledged["labour"]) - given["labour"], Decimal(0)),
            "land": max(Decimal(pledged["land"]) - given["land"], Decimal(0)),
        },
    }


def public_contributors(campaign: Campaign) -> list[dict[str, object]]:
    """Givers by name with what they gave, for the public ledger, largest first.

    Anonymous gifts appear as "nhà hảo tâm"; residents who asked not to be named are left
    out here and counted only in `unnamed_totals`.
    """
    rows = (
        campaign.entries.exclude(kind=Entry.Kind.EXPENSE)
        .filter(unnamed=False)
        .values(
            "giver_kind",
            "household_id",
            "household__head__full_name",
            "person_id",
            "person__full_name",
            "giver_name",
            "anonymous",
        )
        .annotate(
            money=Sum("amount"),
            labour=Sum("labour_days"),
            land=Sum("land_m2"),
        )
        .order_by()
    )
    result = []
    for row in rows:
        if not (row["money"] or row["labour"] or row["land"]):
            continue  # fully reversed
        if row["anonymous"]:
            name = None
        elif row["household_id"]:
            name = row["household__head__full_name"]
        elif row["person_id"]:
            name = row["person__full_name"]
        else:
            name = row["giver_name"]
        result.append({**row, "name": name})
    result.sort(key=lambda r: (-(r["money"] or 0), str(r["name"] or "")))
    return result


PUBLIC_PAGE = 100


def expenses(campaign: Campaign) -> list[dict[str, Any]]:
    """The campaign's expenses (and their corrections) in date order, for the public page."""

    def compute() -> list[dict[str, Any]]:
        return list(
            campaign.entries.filter(kind=Entry.Kind.EXPENSE)
            .order_by("on", "pk")
            .values("pk", "on", "description", "supplier", "amount", "document", "reverses_id")
        )

    return _memo(campaign, "expenses", compute)


def contributors_page(campaign: Campaign, page: int = 1) -> tuple[list[dict[str, Any]], bool]:
    """One page of `public_contributors` (largest first) and whether another follows.

    The ranking is grouped once for all pages (`_ranked`), then the page's names read in
    two small queries: a commune's campaign has thousands of givers and the page must
    stay fast.
    """
    return _memo(campaign, f"contributors:{page}", lambda: _contributors_page(campaign, page))


def _ranked(campaign: Campaign) -> list[dict[str, Any]]:
    """Every named giver's sums, largest first: grouped once in SQL without joins, and
    memoised for all pages together (reading page 7 costs no second grouping)."""

    def compute() -> list[dict[str, Any]]:
        return list(
            campaign.entries.exclude(kind=Entry.Kind.EXPENSE)
            .filter(unnamed=False)
            .values("giver_kind", "household_id", "person_id", "giver_name", "anonymous")
            .annotate(money=Sum("amount"), labour=Sum("labour_days"), land=Sum("land_m2"))
            .exclude(money=0, labour=0, land=0)
            .order_by("-money", "-labour", "-land", "household_id", "person_id", "giver_name")
        )

    return _memo(campaign, "ranked", compute)


def _contributors_page(campaign: Campaign, page: int) -> tuple[list[dict[str, Any]], bool]:
    offset = (max(page, 1) - 1) * PUBLIC_PAGE
    rows = [dict(row) for row in _ranked(campaign)[offset : offset + PUBLIC_PAGE + 1]]
    more = len(rows) > PUBLIC_PAGE
    rows = rows[:PUBLIC_PAGE]
    heads = dict(
        Household.objects.filter(
            pk__in={r["household_id"] for r in rows if r["household_id"]}
        ).values_list("pk", "head__full_name")
    )
    people = dict(
        Person.objects.filter(pk__in={r["person_id"] for r in rows if r["person_id"]}).values_list(
            "pk", "full_name"
        )
    )
    for row in rows:
        if row["anonymous"]:
            row["name"] = None
        elif row["household_id"]:
            row["name"] = heads.get(row["household_id"])
        elif row["person_id"]:
            row["name"] = people.get(row["person_id"])
        else:
            row["name"] = row["giver_name"]
    return rows, more


def unnamed_totals(campaign: Campaign) -> dict[str, Any]:
    return _memo(campaign, "unnamed", lambda: _unnamed_totals(campaign))


def _unnamed_totals(campaign: Campaign) -> dict[str, Any]:
    entries = campaign.entries.exclude(kind=Entry.Kind.EXPENSE).filter(unnamed=True)
    figure = totals(entries)
    figure["givers"] = entries.values("household_id", "person_id").distinct().count()
    return figure
