"""ROC (民國) date filters, built on the rules core: `{{ d|roc_date }}` → 112/06/08,
`{{ d|roc_date_long }}` → 112年6月8日. Datetimes are shown as the local (Asia/Taipei) date."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from pingjian.rules import roc

register = template.Library()


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return None


@register.filter
def roc_date(value: object) -> str:
    d = _as_date(value)
    return roc.roc_date(d) if d else ""


@register.filter
def roc_date_long(value: object) -> str:
    d = _as_date(value)
    return roc.roc_date_long(d) if d else ""


@register.filter
def roc_datetime(value: object) -> str:
    """112/06/08 14:05, local time."""
    if not isinstance(value, dt.datetime):
        return roc_date(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{roc.roc_date(local.date())} {local:%H:%M}"
