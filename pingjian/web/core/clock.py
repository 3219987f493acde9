"""The working-day calendar and today's date as the web app uses them (the rules core computes)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.utils import timezone

from pingjian.rules.workcal import WorkingDayCalendar


@lru_cache(maxsize=1)
def working_calendar() -> WorkingDayCalendar:
    return WorkingDayCalendar.load()


def local_today() -> dt.date:
    """Today in Taipei (settings.TIME_ZONE)."""
    return timezone.localdate()
