import calendar
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from langso.lib.dates import add_months, month_start, months_before, years_before

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
shifts = st.integers(min_value=-600, max_value=600)
# The machine is shared: a slow example is not a failure.
unhurried = settings(deadline=None)


def test_a_month_after_31_january_is_the_last_day_of_february():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_it_crosses_year_ends_both_ways():
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)
    assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)
    assert months_before(date(2025, 3, 31), 13) == date(2024, 2, 29)


def test_29_february_a_year_back_is_28_february():
    assert years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)
    assert years_before(date(2024, 2, 29), 4) == date(2020, 2, 29)


def test_month_start_is_the_first():
    assert month_start(date(2025, 7, 19)) == date(2025, 7, 1)


@unhurried
@given(days, shifts)
def test_adding_then_taking_back_months_returns_the_day_unless_it_was_clamped(day, n):
    moved = add_months(day, n)
    back = add_months(moved, -n)
    if moved.day == day.day:
        assert back == day
    else:
        # Clamped at a shorter month's end: back in the same month, not after the day.
        assert (back.year, back.month) == (day.year, day.month)
        assert back <= day


@unhurried
@given(days, shifts)
def test_it_keeps_the_day_or_clamps_to_the_month_end(day, n):
    moved = add_months(day, n)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == n
    last = calendar.monthrange(moved.year, moved.month)[1]
    assert moved.day == min(day.day, last)


@unhurried
@given(days, st.integers(min_value=0, max_value=100))
def test_years_before_is_twelve_months_per_year(day, years):
    assert years_before(day, years) == months_before(day, 12 * years)
    assert years_before(day, years).month == day.month


def test_born_on_29_february_is_a_year_older_on_28_february_of_a_common_year():
    """Civil Code 2015, arts. 147–148 (domain.md §4)."""
    from langso.lib.dates import born_by, completed_years

    assert born_by(date(2026, 2, 28), 18) == date(2008, 2, 29)
    assert born_by(date(2026, 2, 27), 18) == date(2008, 2, 27)
    assert born_by(date(2028, 2, 28), 20) == date(2008, 2, 28)  # 2028 is leap: the 29th comes
    assert completed_years(date(2008, 2, 29), date(2026, 2, 28)) == 18
    assert completed_years(date(2008, 2, 29), date(2026, 2, 27)) == 17
    assert completed_years(date(2008, 2, 29), date(2028, 2, 28)) == 19


def test_a_month_is_complete_on_the_same_day_or_a_shorter_month_s_last_day():
    """Civil Code 2015, art. 148."""
    from langso.lib.dates import completed_months

    assert completed_months(date(2025, 1, 31), date(2025, 2, 27)) == 0
    assert completed_months(date(2025, 1, 31), date(2025, 2, 28)) == 1
    assert completed_months(date(2024, 1, 31), date(2024, 2, 28)) == 0  # leap: the 29th comes
    assert completed_months(date(2007, 3, 15), date(2025, 3, 14)) == 18 * 12 - 1
    assert completed_months(date(2007, 3, 15), date(2025, 3, 15)) == 18 * 12


@unhurried
@given(days, days)
def test_completed_months_are_the_most_whole_months_that_fit(born, day):
    from langso.lib.dates import completed_months, completed_years

    months = completed_months(born, day)
    assert add_months(born, months) <= day < add_months(born, months + 1)
    years = completed_years(born, day)
    assert add_months(born, 12 * years) <= day < add_months(born, 12 * (years + 1))
