"""Enter and withdraw closures. Each is one transaction: the row, its audit event, and the
recomputation of every open deadline of that county's institutions that the closure can move.

The deadlines belong to apps above this one (applications today; visits and appeals later): each
such app's `deadlines.py` has `recompute_county_deadlines(county, *, actor, reason)`, found by
discovery and called inside this transaction (itself audited and announced by that app)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from pingjian.rules.errors import CalendarError
from pingjian.web.accounts.permissions import is_office_operator
from pingjian.web.audit.actions import record_event
from pingjian.web.audit.events import EventType
from pingjian.web.core.clock import working_calendar
from pingjian.web.core.discovery import domain_modules
from pingjian.web.core.text import REASON_MAX_LENGTH, STATEMENT_MAX_LENGTH, bounded_text

from .calendar import county_name
from .error_codes import ClosureErrorCode
from .models import Closure


def _recompute_county_deadlines(county: str, *, actor: Any, reason: str) -> None:
    for _app, module in domain_modules("deadlines"):
        recompute = getattr(module, "recompute_county_deadlines", None)
        if recompute is not None:
            recompute(county, actor=actor, reason=reason)


def _check_actor(actor: Any, perm: str) -> None:
    if actor is None or not is_office_operator(actor):
        raise PermissionDenied(perm)


@transaction.atomic
def do_enter_closure(
    *,
    day: dt.date,
    county: str,
    closed_for_work: bool,
    source: str,
    announcement: str = "",
    actor: Any,
) -> Closure:
    """Record a county's closure (停班停課) for DAY and move the deadlines it affects."""
    _check_actor(actor, "closures.add_closure")
    if not (source or "").strip():
        raise ValidationError("請填寫公告來源。", code=ClosureErrorCode.SOURCE_REQUIRED)
    try:
        working_calendar().is_workday(day)
    except CalendarError:
        raise ValidationError(f"{day.year - 1911}年之辦公日曆尚未載入，不能登錄該年之停班停課。") from None
    if Closure.objects.filter(day=day, county=county).exists():
        raise ValidationError(f"{county_name(county)}於該日已有停班停課紀錄；如有錯誤請先撤銷再登錄。")
    closure = Closure.objects.create(
        day=day,
        county=county,
        closed_for_work=closed_for_work,
        source=source.strip(),
        announcement=bounded_text(announcement, max_length=STATEMENT_MAX_LENGTH, label="公告內容"),
        entered_by=actor,
    )
    record_event(actor=actor, event_type=EventType.CLOSURE_ENTERED, subject=closure, after=closure.snapshot())
    if closed_for_work:
        _recompute_county_deadlines(county, actor=actor, reason=f"登錄停止上班：{_describe(closure)}")
    return closure


@transaction.atomic
def do_withdraw_closure(closure: Closure, *, reason: str, actor: Any) -> None:
    """Remove a closure entered by mistake (with the reason) and move the deadlines back."""
    _check_actor(actor, "closures.delete_closure")
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="事由")
    if not reason:
        raise ValidationError("撤銷須說明理由。", code=ClosureErrorCode.REASON_REQUIRED)
    row = Closure.objects.select_for_update().get(pk=closure.pk)
    record_event(
        actor=actor,
        event_type=EventType.CLOSURE_WITHDRAWN,
        subject=row,
        before=row.snapshot(),
        reason=reason.strip(),
    )
    description = _describe(row)
    closed_for_work, county = row.closed_for_work, row.county
    row.delete()
    if closed_for_work:
        _recompute_county_deadlines(
            county, actor=actor, reason=f"撤銷停止上班：{description}（{reason.strip()}）"
        )


def _describe(closure: Closure) -> str:
    from pingjian.rules.roc import roc_date_long

    return f"{roc_date_long(closure.day)}{county_name(closure.county)}（{closure.source}）"
