"""A cycle's site visits as the scheduler's problem (pingjian.scheduling), built from the records:
the applications that need a visit, the roster, the consensus meeting, conflicts, unavailability,
pins, and the calendar with every county's typhoon closures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pingjian.rules import deadlines
from pingjian.rules.program_schema import EXPERTISE, TeamRole, VisitPlan
from pingjian.rules.workcal import WorkingDayCalendar
from pingjian.scheduling import Pin, Problem, Role, Slot, Surveyor, VisitRequest
from pingjian.web.accounts.models import User
from pingjian.web.accounts.roles import Role as AccountRole
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.closures.calendar import county_name

from .conflicts import conflicted_pairs
from .models import SurveyorUnavailability, Visit
from .selectors import consensus_attendees, may_be_planned, program_family

# The states in which an application waits for (or has) its visit: accepted, evidence requested.
PLANNED_STATES = (State.ACCEPTED, State.EVIDENCE_DUE)

# Where a program file states no team (the JCT certifications and the psychiatric programs' seeds
# name none): one surveyor of any field for one half-day, said in words where it is shown.
DEFAULT_PLAN = VisitPlan(
    half_days=1,
    team=[TeamRole(label="評鑑委員", expertise=list(EXPERTISE))],
    reference="系統預設：本計畫未規定訪查小組之組成與時間（一位委員、半天）",
)


def plan_of(program: Any) -> VisitPlan:
    return getattr(program, "visit_plan", None) or DEFAULT_PLAN


def halves_of(program: Any, half: str) -> frozenset[str]:
    """The half-days of its day a visit starting at HALF takes: both for a visit of two half-days
    (which starts in the morning, as the scheduler places it), else its own."""
    return frozenset({"am", "pm"}) if plan_of(program).half_days == 2 else frozenset({half})


def first_visit_day(cycle: Any, county: str, calendar: WorkingDayCalendar, today: dt.date) -> dt.date:
    """The first day a visit may be placed: inside the cycle's visit period, and late enough that
    the evidence due before it (seed 001: 實地訪視當日前1個月) is not already past."""
    day = max(cycle.visit_opens, today)
    while day <= cycle.visit_closes and deadlines.evidence_due(day, calendar, county).due < today:
        day += dt.timedelta(days=1)
    return day


def waiting_applications(cycle: Any) -> Any:
    """The cycle's applications that need a visit and have none yet."""
    return Application.objects.filter(
        cycle=cycle, state__in=PLANNED_STATES, visit__isnull=True
    ).select_related("institution")


def _may_start(
    day: dt.date, window: tuple[dt.date, dt.date], county: str, calendar: WorkingDayCalendar
) -> bool:
    return window[0] <= day <= window[1] and calendar.is_workday(day, county)


@dataclass(frozen=True)
class CyclePlan:
    problem: Problem
    applications: dict[str, Application]
    surveyors: dict[str, User]


def cycle_problem(cycle: Any, calendar: WorkingDayCalendar, today: dt.date) -> CyclePlan:
    program = cycle.program_version.program()
    plan = plan_of(program)
    team = tuple(Role(r.label, frozenset(r.expertise)) for r in plan.team)
    applications = {
        str(app.pk): app
        for app in Application.objects.filter(cycle=cycle, state__in=PLANNED_STATES).select_related(
            "institution"
        )
    }
    existing = {
        str(v.application_id): v
        for v in Visit.objects.filter(application__cycle=cycle).prefetch_related("members")
    }
    visits, pins = [], []
    for key, app in applications.items():
        county = county_name(app.institution.county)
        window = (first_visit_day(cycle, county, calendar, today), cycle.visit_closes)
        visits.append(
            VisitRequest(key, app.institution.code, county, program.id, window, team, plan.half_days)
        )
        visit = existing.get(key)
        if visit is not None and visit.pinned:
            roles = frozenset((m.role, str(m.surveyor_id)) for m in visit.members.all())
            pins.append(Pin(key, Slot(visit.day, visit.half), roles=roles))
        elif app.visit_date is not None and _may_start(app.visit_date, window, county, calendar):
            # the date told to the institution with the evidence request stays (a typed date that
            # is no working day of its county, or outside the period, is placed afresh)
            pins.append(Pin(key, Slot(app.visit_date, visit.half if visit else "am")))
    family = program_family(program.id)
    users = {
        str(u.pk): u
        for u in User.objects.filter(
            is_active=True,
            memberships__role=AccountRole.SURVEYOR,
            memberships__revoked_at__isnull=True,
            surveyor_profile__isnull=False,
        )
        .select_related("surveyor_profile")
        .distinct()
    }
    attended = consensus_attendees(cycle)
    off: dict[str, set[Slot]] = {}
    for row in SurveyorUnavailability.objects.filter(
        surveyor__in=users.values(), day__gte=cycle.visit_opens, day__lte=cycle.visit_closes
    ):
        off.setdefault(str(row.surveyor_id), set()).add(Slot(row.day, row.half))
    all_slots = None
    surveyors = []
    for key, user in users.items():
        profile = user.surveyor_profile
        may = may_be_planned(profile, family, user.pk, attended)
        available = None
        if key in off:
            if all_slots is None:
                days = calendar.workdays(cycle.visit_opens - dt.timedelta(days=1), cycle.visit_closes)
                all_slots = {Slot(day, half) for day in days for half in ("am", "pm")}
            available = frozenset(all_slots - off[key])
        programs = frozenset({program.id}) if may else frozenset()
        surveyors.append(Surveyor(key, frozenset(profile.expertise), programs, available))
    codes = {app.institution_id: app.institution.code for app in applications.values()}
    conflicts = frozenset(
        (str(surveyor_id), codes[institution_id])
        for surveyor_id, institution_id in conflicted_pairs(institution_ids=list(codes))
        if institution_id in codes
    )
    problem = Problem(tuple(visits), tuple(surveyors), conflicts, tuple(pins))
    return CyclePlan(problem, applications, users)
