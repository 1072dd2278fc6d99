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


def born_by(day: date, years: int) -> date:
    """The latest birth date of someone aged `years` or more on `day`.

    Civil Code 2015, arts. 147–148: a period in years ends on the corresponding day,
    or on the month's last day when it has no such day, so someone born on 29 February
    reaches a birthday on 28 February of a common year.
    """
    year = day.year - years
    if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year) and calendar.isleap(year):
        return date(year, 2, 29)
    return years_before(day, years)


def completed_months(born: date, day: date) -> int:
    """Completed months from `born` to `day`.

    Civil Code 2015, art. 148: a month is complete on the same day of a later month,
    or on that month's last day when it is shorter (born on 31 January, a month old on
    28 or 29 February).
    """
    months = (day.year - born.year) * 12 + day.month - born.month
    if add_months(born, months) > day:
        months -= 1
    return months


def completed_years(born: date, day: date) -> int:
    """Completed years from `born` to `day`, by the Civil Code's counting (see `born_by`)."""
    return completed_months(born, day) // 12
