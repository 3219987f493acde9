"""Days and quarters for the generator: dates as integer days since 1970-01-01 in the arrays."""

from __future__ import annotations

import datetime as dt

from pingjian.rules.errors import CalendarError
from pingjian.rules.roc import Quarter, parse_quarter_code

EPOCH = dt.date(1970, 1, 1)


def target_quarter(text: str) -> Quarter:
    """The quarter to generate for, ``2024Q4`` or ``113Q4``; a ValueError (a bad option) if not."""
    try:
        return Quarter(*parse_quarter_code(text))
    except CalendarError:
        raise ValueError(f"quarter must look like 2024Q4, got {text!r}") from None


def to_days(d: dt.date) -> int:
    """A date as days since 1970-01-01, the integer form the numpy arrays hold."""
    return (d - EPOCH).days


def from_days(days: int) -> dt.date:
    """The date of a day number (see `to_days`)."""
    return EPOCH + dt.timedelta(days=int(days))


def add_years(d: dt.date, years: int) -> dt.date:
    """The same day YEARS later; 29 February becomes the 28th in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def month_start(d: dt.date, n: int) -> dt.date:
    """The first day of the month N months after D's."""
    k = d.year * 12 + d.month - 1 + n
    return dt.date(k // 12, k % 12 + 1, 1)
