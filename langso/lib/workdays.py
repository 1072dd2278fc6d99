"""Working days: Monday to Friday, less the public holidays, plus make-up Saturdays.

Deadlines of the state's work are counted in working days (ngày làm việc). Weekends do
not count, nor do the public holidays of the Labour Code 2019 (art. 112: 1 January, five
days of Tết, the Hùng Kings' day, 30 April, 1 May, 2 September and one day next to it),
nor the days the Prime Minister's yearly schedule moves next to them, while a Saturday
worked in exchange for such a day does count. Which days those are changes every year, so
they are data: `OFFICIAL_DAYS` below is the starting table (sources in docs/feedback.md),
and the apps keep an editable copy in their database and pass it in. Nothing here knows a
model.
"""

from collections.abc import Collection
from datetime import date, timedelta

# (day, name, is a make-up working day). Tết holidays are listed as the weekdays off;
# the weekend days inside the break are weekends anyway.
OFFICIAL_DAYS: tuple[tuple[date, str, bool], ...] = (
    # 2025: Tết Ất Tỵ 25/1–2/2; Hùng Kings 7/4; 30/4–4/5 with Friday 2/5 swapped for
    # Saturday 26/4; National Day 30/8–2/9.
    (date(2025, 1, 1), "Tết Dương lịch", False),
    (date(2025, 1, 27), "Tết Nguyên đán", False),
    (date(2025, 1, 28), "Tết Nguyên đán", False),
    (date(2025, 1, 29), "Tết Nguyên đán", False),
    (date(2025, 1, 30), "Tết Nguyên đán", False),
    (date(2025, 1, 31), "Tết Nguyên đán", False),
    (date(2025, 4, 7), "Giỗ Tổ Hùng Vương", False),
    (date(2025, 4, 26), "Làm bù cho ngày 02/5", True),
    (date(2025, 4, 30), "Ngày Giải phóng miền Nam", False),
    (date(2025, 5, 1), "Ngày Quốc tế Lao động", False),
    (date(2025, 5, 2), "Nghỉ hoán đổi", False),
    (date(2025, 9, 1), "Quốc khánh", False),
    (date(2025, 9, 2), "Quốc khánh", False),
    # 2026: Tết Bính Ngọ 14/2–22/2 (nine days); Hùng Kings on Sunday 26/4, made up on
    # Monday 27/4; 30/4 and 1/5 on Thursday and Friday; National Day 2/9 and 1/9.
    (date(2026, 1, 1), "Tết Dương lịch", False),
    (date(2026, 2, 16), "Tết Nguyên đán", False),
    (date(2026, 2, 17), "Tết Nguyên đán", False),
    (date(2026, 2, 18), "Tết Nguyên đán", False),
    (date(2026, 2, 19), "Tết Nguyên đán", False),
    (date(2026, 2, 20), "Tết Nguyên đán", False),
    (date(2026, 4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương", False),
    (date(2026, 4, 30), "Ngày Giải phóng miền Nam", False),
    (date(2026, 5, 1), "Ngày Quốc tế Lao động", False),
    (date(2026, 9, 1), "Quốc khánh", False),
    (date(2026, 9, 2), "Quốc khánh", False),
    # 2027: the statutory days only, until the Prime Minister's schedule is published
    # (Tết Đinh Mùi: New Year's Day of the lunar calendar is Saturday 6/2/2027).
    (date(2027, 1, 1), "Tết Dương lịch", False),
    (date(2027, 2, 4), "Tết Nguyên đán", False),
    (date(2027, 2, 5), "Tết Nguyên đán", False),
    (date(2027, 2, 8), "Tết Nguyên đán", False),
    (date(2027, 2, 9), "Tết Nguyên đán", False),
    (date(2027, 2, 10), "Tết Nguyên đán", False),
    (date(2027, 4, 16), "Giỗ Tổ Hùng Vương", False),
    (date(2027, 4, 30), "Ngày Giải phóng miền Nam", False),
    (date(2027, 5, 3), "Nghỉ bù Ngày Quốc tế Lao động", False),
    (date(2027, 9, 2), "Quốc khánh", False),
    (date(2027, 9, 3), "Quốc khánh", False),
)


class Calendar:
    """Which days are worked: weekdays not in `days_off`, and the days in `make_up`."""

    def __init__(self, days_off: Collection[date] = (), make_up: Collection[date] = ()) -> None:
        self.days_off = frozenset(days_off)
        self.make_up = frozenset(make_up)

    @classmethod
    def official(cls) -> "Calendar":
        return cls(
            [day for day, _name, worked in OFFICIAL_DAYS if not worked],
            [day for day, _name, worked in OFFICIAL_DAYS if worked],
        )

    def is_working_day(self, day: date) -> bool:
        if day in self.make_up:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def add_working_days(self, start: date, days: int) -> date:
        """The day `days` working days after `start` (which itself does not count).

        A report received on a Friday with a deadline of one working day is due on the
        next Monday that is worked.
        """
        day = start
        left = days
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end ≤ start)."""
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
