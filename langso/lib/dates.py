"""Calendar arithmetic by whole months and years, the one copy the apps share.

A day moved into a shorter month is clamped to that month's last day: 31 January
plus one month is 28 (or 29) February, and 29 February a year back is 28 February.
"""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months (back when `months` is negative), clamped to the end
    of a shorter month."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last))


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, clamped to the end of a shorter month."""
    return add_months(day, -months)


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 29 February falls back to the 28th."""
    return add_months(day, -12 * years)


def month_start(day: date) -> date:
    """The first day of `day`'s month."""
    return day.replace(day=1)
