"""Small formatting helpers shared by the `programs`, `score` and `eligibility` commands."""

from __future__ import annotations

import datetime as dt


def roc(d: dt.date | None) -> str:
    """ROC date for people (``111/05/31``); the one place to swap the implementation."""
    if d is None:
        return "—"
    try:
        from pingjian.rules.roc import roc_date

        return roc_date(d)
    except Exception:  # pragma: no cover - the calendar module may be mid-edit
        return f"{d.year - 1911}/{d.month:02}/{d.day:02}"
