"""Dues owed and paid (issue 16, item 4): the rate in force at the start of each period,
for every period of a membership up to a day; what is not paid is in arrears."""

from dataclasses import dataclass
from datetime import date

from langso.associations.models import DuesPayment, DuesRate, Member, Organisation
from langso.lib.dates import add_months


@dataclass
class DuesLine:
    member: Member
    owed: int
    paid: int

    @property
    def arrears(self) -> int:
        return max(0, self.owed - self.paid)


def periods(rates: list[DuesRate], start: date, until: date) -> list[tuple[date, int]]:
    """[(period start, amount)] due from `start` to `until` (both included)."""
    result = []
    for i, rate in enumerate(rates):
        end = rates[i + 1].valid_from if i + 1 < len(rates) else None
        step = 12 if rate.period == DuesRate.Period.YEARLY else 1
        first = date(rate.valid_from.year, 1 if step == 12 else rate.valid_from.month, 1)
        day = first
        while day <= until and (end is None or day < end):
            # A member owes the periods that begin after they joined, and the one they
            # joined in.
            if add_months(day, step) > start:
                result.append((day, rate.amount))
            day = add_months(day, step)
    return result


def dues_lines(organisation: Organisation, members, year: int, on: date) -> list[DuesLine]:
    """Each member's dues for `year` as of `on`."""
    rates = list(organisation.dues_rates.order_by("valid_from"))
    until = min(on, date(year, 12, 31))
    members = list(members)
    paid: dict[int, int] = {}
    for member_id, amount in DuesPayment.objects.filter(
        member__in=members, period__year=year, paid_on__lte=on
    ).values_list("member_id", "amount"):
        paid[member_id] = paid.get(member_id, 0) + amount
    lines = []
    for member in members:
        start = max(member.joined_on, date(year, 1, 1))
        end = min(until, member.left_on) if member.left_on else until
        owed = sum(amount for day, amount in periods(rates, start, end) if day.year == year)
        lines.append(DuesLine(member, owed, paid.get(member.pk, 0)))
    return lines
