"""Reading applications for pages of this and other apps (evidence, bureau, documents …): the
choke point that answers 404 outside the user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pingjian.rules.errors import CalendarError
from pingjian.web.closures.calendar import county_calendar, county_name
from pingjian.web.core.access import get_object_for_user
from pingjian.web.cycles.models import Cycle

from .models import Application
from .workflow import State


def get_application(request: HttpRequest, pk: int, perm: str | None = None) -> Application:
    """The application PK as REQUEST's user may see it (404 outside the scope, 403 without PERM)."""
    return get_object_for_user(Application, request.user, perm=perm, pk=pk)


def applications_of_cycle(user: Any, cycle: Any) -> Any:
    return Application.objects.visible_to(user).filter(cycle=cycle).select_related("institution")


# ------------------------------------------------------------------ the office's charts (issue 15)


def state_labels() -> list[tuple[str, str]]:
    """(state, its words) in the workflow's order."""
    return [(value, str(label)) for value, label in State.choices]


def state_counts_by_cycle(user: Any) -> list[tuple[Any, dict[str, int]]]:
    """[(cycle, {state: applications})] over the applications USER may see, newest cycle first."""
    rows = (
        Application.objects.visible_to(user)
        .values("cycle", "state")
        .annotate(n=Count("pk"))
        .order_by("cycle", "state")
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["cycle"], {})[row["state"]] = row["n"]
    cycles = {c.pk: c for c in Cycle.objects.filter(pk__in=counts)}
    return [(cycles[pk], counts[pk]) for pk in sorted(counts, reverse=True)]


@dataclass(frozen=True)
class DecidedResult:
    program_id: str
    program_title: str
    cycle_id: int
    cycle_title: str
    county: str
    result: str  # pass | fail


def decided_results(user: Any) -> list[DecidedResult]:
    """Every application USER may see that has a result (評定: decided, under appeal or final)."""
    apps = (
        Application.objects.visible_to(user)
        .exclude(result="")
        .select_related("cycle", "program_version", "institution")
        .order_by("cycle_id", "pk")
    )
    return [
        DecidedResult(
            program_id=a.program_version.program_id,
            program_title=a.program_version.title,
            cycle_id=a.cycle_id,
            cycle_title=a.cycle.title,
            county=a.institution.county,
            result=a.result,
        )
        for a in apps
    ]


# The date each open state waits for (what the institution or the office must meet next).
_NEXT_DUE: dict[str, tuple[str, Any]] = {
    State.DRAFT: (_("申請截止"), lambda a: a.cycle.application_closes),
    State.SUPPLEMENT_REQUESTED: (_("補件期限"), lambda a: a.supplement_due),
    State.EVIDENCE_DUE: (_("申報資料繳交期限"), lambda a: a.evidence_due),
    State.SCHEDULED: (_("實地訪查日"), lambda a: a.visit_date),
    State.DECIDED: (_("申復期限"), lambda a: None if a.appeal_waived_on else a.appeal_due),
}


@dataclass(frozen=True)
class NextDeadline:
    application_id: int
    label: str  # institution（cycle）
    kind: Any
    due: dt.date
    working_days_left: int | None  # None when overdue
    overdue: bool


def next_deadlines(user: Any, today: dt.date, within: int) -> list[NextDeadline]:
    """The open applications USER may see whose next deadline is overdue or falls within WITHIN
    working days of TODAY (the calendar of the institution's county, its closures for work
    included), soonest first."""
    apps = (
        Application.objects.visible_to(user)
        .filter(state__in=list(_NEXT_DUE))
        .select_related("institution", "cycle")
    )
    calendars: dict[str, Any] = {}
    found: list[NextDeadline] = []
    for app in apps:
        kind, due_of = _NEXT_DUE[app.state]
        due = due_of(app)
        if due is None:
            continue
        left = None
        if due >= today:
            county = app.institution.county
            if county not in calendars:
                calendars[county] = county_calendar(county)
            try:
                left = calendars[county].workdays_between(today, due, county_name(county) if county else None)
            except CalendarError:
                continue  # beyond the loaded calendars: not within any N we can count
            if left > within:
                continue
        found.append(
            NextDeadline(app.pk, f"{app.institution.name}（{app.cycle.title}）", kind, due, left, due < today)
        )
    found.sort(key=lambda d: (d.due, d.label))
    return found
