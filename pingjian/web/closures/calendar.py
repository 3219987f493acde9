"""The working-day calendar of one county: the rules core's government calendar plus that county's
closures for work (停止上班) from the Closure table. Every deadline the web app computes for an
institution asks this calendar with the institution's county name (``county_name``), so a
closure in 臺北市 moves Taipei's deadlines and nobody else's."""

from __future__ import annotations

from django.utils import translation

from pingjian.rules.workcal import Closure as CalendarClosure
from pingjian.rules.workcal import WorkingDayCalendar
from pingjian.web.core.clock import working_calendar
from pingjian.web.core.counties import County

from .models import Closure


def county_name(code: str) -> str:
    """臺北市 for TPE (always the Chinese name: the calendar's explanations are Chinese)."""
    with translation.override("zh-hant"):
        return str(County(code).label)


def county_calendar(code: str | None) -> WorkingDayCalendar:
    """The calendar with the closures for work of county CODE (the base calendar without one)."""
    base = working_calendar()
    if not code:
        return base
    name = county_name(code)
    rows = Closure.objects.closing_work().filter(county=code).only("day", "source")
    return base.with_closures(CalendarClosure(row.day, name, row.source) for row in rows)


def closures_calendar() -> WorkingDayCalendar:
    """The calendar with every county's closures for work (each applies to its own county only)."""
    rows = Closure.objects.closing_work().only("day", "county", "source")
    return working_calendar().with_closures(
        CalendarClosure(row.day, county_name(row.county), row.source) for row in rows
    )
