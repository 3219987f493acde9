"""One finalised case per visit program (issue 14, done when: 「The demo has one finalised case per
program with its certificate in the registry」), each gone the real way at the program's own
dates: the application opened in the program's official cycle, reviewed and accepted, its visit
planned by the scheduler with a roster surveyor of the program, scored on site through the
assessments app (the rules core's own full-marks case of the program: pingjian/rules/programs/
cases), the opinions approved; listed on a determination meeting with the rules core's proposal,
the decision recorded by the office and approved by the program's owner (the demo 計畫管理者),
which decides the application; the result letter's receipt recorded from the proof of service;
the appeal period let pass; finalised, which publishes the result with its certificate
(decisions.actions.do_finalize_decision → registry.actions.do_publish_result).

Idempotent: a program whose cycle already holds a decision is skipped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import yaml

from pingjian.rules.programs import PROGRAMS_DIR
from pingjian.web.accounts.actions import do_create_user, do_grant_membership
from pingjian.web.accounts.models import User
from pingjian.web.accounts.roles import Role
from pingjian.web.applications import actions
from pingjian.web.applications.workflow import State
from pingjian.web.assessments.scoring import PRECONDITION_PREFIX
from pingjian.web.closures.calendar import county_calendar, county_name
from pingjian.web.cycles.actions import defaults_for, do_create_cycle
from pingjian.web.cycles.models import Cycle
from pingjian.web.decisions import actions as decisions
from pingjian.web.decisions.models import Decision
from pingjian.web.institutions.models import Institution, InstitutionType
from pingjian.web.programs.models import ProgramVersion
from pingjian.web.registry.models import RegistryEntry
from pingjian.web.visits.actions import (
    do_plan_cycle_visits,
    do_record_consensus_attendance,
    do_set_surveyor_profile,
)

from .applications import _drive
from .base import demo_clinic
from .scored import score_on_site
from .visits import PARTNER


@dataclass(frozen=True)
class Case:
    program_id: str
    type: str
    applied: dt.date  # the application (the program's application period)
    visit: dt.date  # the first working day of the county on or after this day
    meeting: dt.date  # the determination meeting, its decision approved that day
    roster: str  # the roster surveyor (username) who visits; "" for the demo surveyor and partner
    opinion: tuple[str, str]


CASES = [
    Case(
        "postpartum-111", InstitutionType.POSTPARTUM_HOME, dt.date(2022, 5, 2), dt.date(2022, 8, 16),
        dt.date(2022, 10, 20), "",
        ("嬰兒室動線清楚，感染管制落實。", "建議定期檢討產婦滿意度調查之改善追蹤。"),
    ),
    Case(
        "aesthetic-clinic-112", InstitutionType.CLINIC, dt.date(2023, 5, 22), dt.date(2023, 8, 8),
        dt.date(2023, 9, 15), "surveyor-jct",
        ("術前說明及同意書完整，處置紀錄詳實。", "建議將術後追蹤電訪紀錄納入病歷。"),
    ),
    Case(
        "cell-therapy-clinic-112", InstitutionType.CLINIC, dt.date(2023, 5, 23), dt.date(2023, 8, 10),
        dt.date(2023, 9, 15), "surveyor-jct",
        ("細胞製品之接收與保存紀錄完整。", "建議強化不良反應通報之教育訓練。"),
    ),
    Case(
        "psych-rehab-day-107", InstitutionType.PSYCH_REHAB_DAY, dt.date(2018, 4, 2), dt.date(2018, 7, 10),
        dt.date(2018, 11, 20), "surveyor-psych",
        ("復健活動多元，個案參與度高。", "建議依個案就業目標訂定階段性評估。"),
    ),
    Case(
        "psych-rehab-residential-107", InstitutionType.PSYCH_REHAB_RESIDENTIAL, dt.date(2018, 4, 3),
        dt.date(2018, 7, 12), dt.date(2018, 11, 20), "surveyor-psych",
        ("住民生活自理訓練落實。", "建議加強夜間緊急應變演練之紀錄。"),
    ),
]  # fmt: skip

# Roster colleagues (no password: not demo sign-ins) for the programs the demo surveyor does not visit.
ROSTER = {
    "surveyor-jct": (
        "吳明德（示範委員）", ["medicine", "management"], ["aesthetic-clinic", "cell-therapy-clinic"],
    ),
    "surveyor-psych": (
        "許文彥（示範委員）", ["psychiatry", "social_work"], ["psych-rehab-day", "psych-rehab-residential"],
    ),
}  # fmt: skip

# The psychiatric programs' seed (003) states no cycle dates: the demo's 107 cycles.
PSYCH_DATES = {
    "application_opens": dt.date(2018, 3, 1),
    "application_closes": dt.date(2018, 4, 30),
    "visit_opens": dt.date(2018, 6, 1),
    "visit_closes": dt.date(2018, 10, 31),
}


def full_marks(program_id: str) -> dict[str, Any]:
    """The consensus entries of the rules core's first case of PROGRAM_ID (every one all met)."""
    path = PROGRAMS_DIR / "cases" / f"{program_id}.yaml"
    assessment = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"][0]["assessment"]
    values = {
        f"{PRECONDITION_PREFIX}{key}": {"status": status}
        for key, status in (assessment.get("preconditions") or {}).items()
    }
    return values | dict(assessment["items"])


def cycle_of(program_id: str, office: Any) -> Cycle:
    """The program's official cycle (demo/cycles.py), created here for the psychiatric programs."""
    version = ProgramVersion.objects.latest_published(program_id)
    title = defaults_for(version)["title"]
    cycle = Cycle.objects.filter(title=title).first()
    if cycle is None:
        cycle = do_create_cycle(version, actor=office, title=title, mode="mandatory", **PSYCH_DATES)
    return cycle


def _team(case: Case, cycle: Cycle, data: Any) -> list[User]:
    office = data.users["office"]
    if not case.roster:
        team = [data.users["surveyor"], User.objects.get(username=PARTNER)]
    else:
        user = User.objects.filter(username=case.roster).first()
        if user is None:
            name, expertise, programs = ROSTER[case.roster]
            user = do_create_user(
                username=case.roster,
                password=None,
                display_name=name,
                actor=None,
                reason="示範資料 demo data",
            )
            do_grant_membership(user, role=Role.SURVEYOR, actor=None, reason="示範資料 demo data")
            do_set_surveyor_profile(user, expertise=expertise, programs=programs, actor=office)
        team = [user]
    for member in team:
        do_record_consensus_attendance(
            member, cycle, attended_on=cycle.visit_opens - dt.timedelta(days=14), actor=office
        )
    return team


def _institution(case: Case, cycle: Cycle, data: Any) -> Institution:
    """The first institution of the type (by code) with no application in the cycle and no entry of
    the program in the registry; not the demo clinic account's (it applies in the open cycle)."""
    taken = RegistryEntry.objects.filter(program_id=case.program_id).values_list("institution", flat=True)
    return (
        Institution.objects.filter(type=case.type, pk__in=[i.pk for i in data.institutions])
        .exclude(applications__cycle=cycle)
        .exclude(pk__in=taken)
        .exclude(pk=demo_clinic(data.institutions).pk)
        .order_by("code")
        .first()
    )


def _workday(institution: Institution, day: dt.date) -> dt.date:
    calendar, county = county_calendar(institution.county), county_name(institution.county)
    while not calendar.is_workday(day, county):
        day += dt.timedelta(days=1)
    return day


def seed(data: Any) -> None:
    for case in CASES:
        finalise(case, data)


def finalise(
    case: Case, data: Any, *, cycle: Cycle | None = None, institution: Institution | None = None
) -> Decision | None:
    """CASE gone the real way in the program's official CYCLE (or the one given), for the first
    free institution of its type (or the one given); None when the cycle already holds a decision."""
    office, approver = data.users["office"], data.users["admin"]
    cycle = cycle or cycle_of(case.program_id, office)
    if Decision.objects.filter(application__cycle=cycle).exists():
        return None
    team = _team(case, cycle, data)
    institution = institution or _institution(case, cycle, data)
    application = actions.do_open_application(cycle, institution, actor=office)
    visit = _workday(institution, case.visit)
    application = _drive(
        application, State.EVIDENCE_DUE, office=office, member=None, start=case.applied, visit=visit
    )
    do_plan_cycle_visits(cycle, actor=office, today=cycle.visit_opens - dt.timedelta(days=45))
    application.refresh_from_db()
    application = score_on_site(
        application,
        office=office,
        team=team,
        consensus=full_marks(case.program_id),
        opinions={"": case.opinion},
    )
    meeting = decisions.do_create_meeting(
        cycle, title=f"{cycle.title}評定會議", held_on=case.meeting, actor=office
    )
    item = decisions.do_add_item(meeting, application, actor=office)
    decision = decisions.do_record_decision(item, actor=office, result=item.proposed_result)
    decisions.do_approve_decision(decision, actor=approver, today=case.meeting)
    application.refresh_from_db()
    # the result letter's delivery, from the proof of service, four days after the decision
    received = case.meeting + dt.timedelta(days=4)
    application = actions.do_record_notice_receipt(
        application, actor=office, received_on=received, today=received
    )
    # no appeal: closed the day after the appeal period
    return decisions.do_finalize_decision(
        application, actor=office, today=application.appeal_due + dt.timedelta(days=1)
    )
