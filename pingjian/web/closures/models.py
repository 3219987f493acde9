"""Typhoon (and other natural-disaster) closures, 停班停課, as each county announces them.

One row per county and day, entered by office staff from the announcement (行政院人事行政總處
「天然災害停止上班及上課情形」 or the county's own). A row with ``closed_for_work`` makes the day a
rest day for that county in every deadline the web app computes (the rules core's
``WorkingDayCalendar`` with ``Closure`` records, see calendar.py); a row without it (停課 only,
offices open) is kept for the record and moves nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from pingjian.web.core.counties import County
from pingjian.web.core.text import STATEMENT_MAX_LENGTH


class ClosureQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ClosureQuerySet:
        from .permissions import visible_closures

        return visible_closures(self, user)

    def closing_work(self) -> ClosureQuerySet:
        return self.filter(closed_for_work=True)


class Closure(models.Model):
    day = models.DateField("日期")
    county = models.CharField("縣市", max_length=3, choices=County.choices)
    closed_for_work = models.BooleanField(
        "停止上班", default=True, help_text="停止上班者，該縣市當日不計入上班日；僅停課者不影響期限。"
    )
    source = models.CharField(
        "公告來源", max_length=200, help_text="例：行政院人事行政總處「天然災害停止上班及上課情形」"
    )
    announcement = models.TextField("公告內容", blank=True, max_length=STATEMENT_MAX_LENGTH)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄者"
    )
    entered_at = models.DateTimeField("登錄時間", auto_now_add=True)

    objects = ClosureQuerySet.as_manager()

    class Meta:
        verbose_name = "停班停課"
        verbose_name_plural = "停班停課"
        ordering = ("-day", "county")
        constraints = (models.UniqueConstraint(fields=["day", "county"], name="one_closure_per_county_day"),)

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.get_county_display()}"

    def snapshot(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "county": self.county,
            "closed_for_work": self.closed_for_work,
            "source": self.source,
            "announcement": self.announcement,
        }
