"""Working-day arithmetic for complaint due dates: Saturdays, Sundays and holidays do not count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

ONE_DAY = dt.timedelta(days=1)


def is_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    """Return True for Monday–Friday dates that are not holidays."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: dt.date, days: int, holidays: Collection[dt.date] = ()) -> dt.date:
    """Return the date `days` working days after `start` (start itself never counts).

    A complaint filed on Friday with 1 day allowed is due on Monday; with 0 days it is due
    the same day.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    day = start
    while days:
        day += ONE_DAY
        if is_working_day(day, holidays):
            days -= 1
    return day


def working_days_between(a: dt.date, b: dt.date, holidays: Collection[dt.date] = ()) -> int:
    """Return the working days in (a, b]: how many working days b is after a (negative if before)."""
    if b < a:
        return -working_days_between(b, a, holidays)
    count = 0
    day = a
    while day < b:
        day += ONE_DAY
        if is_working_day(day, holidays):
            count += 1
    return count
