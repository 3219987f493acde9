"""The demo's one visit scored on site (issue 13): a postpartum home of the demo cycle visited
eleven days ago by the demo surveyor (護理) and the partner (管理與環境安全). Each member enters
their own scores, the team agrees a consensus entry per criterion and submits it, the office
records the score the rules core computed (登錄成績), and the team's opinions (評鑑意見書) are
written, sent for review and approved by the office: every step through the assessments actions.

The application waits in 申報資料 (evidence requested) with its visit date until this step, so the
scheduler places its visit on that past day (planning as on a day before the cycle's visit period),
then the visit is recorded and scored; the cycle's other visits are planned afterwards as of today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pingjian.web.accounts.models import User
from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.assessments.actions import (
    do_approve_opinion,
    do_record_assessment_score,
    do_save_entry,
    do_save_opinion_entry,
    do_submit_assessment,
    do_submit_opinion,
)
from pingjian.web.assessments.models import Kind
from pingjian.web.assessments.scoring import PRECONDITION_PREFIX, keys_of
from pingjian.web.closures.calendar import county_calendar, county_name
from pingjian.web.core.clock import local_today
from pingjian.web.visits.actions import do_accept_confidentiality, do_plan_cycle_visits
from pingjian.web.visits.models import Visit
from pingjian.web.visits.selectors import program_year_of

DAYS_AGO = 11
# The points each member and the team take off the item's maximum (the rest get full marks).
MEMBER_DEDUCTIONS = ({"B1.4": 1, "C2": 3}, {"B1.4": 2, "C2": 2, "A2.3": 1})
CONSENSUS_DEDUCTIONS = {"B1.4": 1, "C2": 2, "A2.3": 1}
OPINIONS = {
    "": (
        "機構環境整潔，護理人員配置充足，母嬰同室及哺乳支持作業落實。",
        "建議強化團體護理指導之成效評估，並依演練結果修訂緊急災害應變計畫。",
    ),
    "B1.4": ("團體護理指導課程主題多元。", "建議增加課後回饋問卷，追蹤產婦學習成效。"),
    "C2": ("每半年辦理一次夜間緊急應變演練。", "演練情境宜納入夜間人力最少時段，並檢討疏散時間。"),
}


def visit_day(application: Application, today: dt.date) -> dt.date:
    """The last working day of the institution's county at least DAYS_AGO days before TODAY."""
    calendar = county_calendar(application.institution.county)
    day = today - dt.timedelta(days=DAYS_AGO)
    while not calendar.is_workday(day, county_name(application.institution.county)):
        day -= dt.timedelta(days=1)
    return day


def waiting(cycle: Any, today: dt.date) -> Application | None:
    """The application held in 申報資料 for this step: evidence requested, its visit already past."""
    return Application.objects.filter(cycle=cycle, state=State.EVIDENCE_DUE, visit_date__lt=today).first()


def _value(program: Any, key: str, deductions: dict[str, int]) -> dict[str, Any]:
    if key.startswith(PRECONDITION_PREFIX):
        return {"status": "compliant"}
    item = program.item(key)
    return {"score": str(Decimal(item.max_points) - deductions.get(key, 0))}


def seed(cycle: Any, *, office: Any, team: list[Any]) -> None:
    today = local_today()
    application = waiting(cycle, today)
    if application is None or Visit.objects.filter(application=application).exists():
        return
    do_plan_cycle_visits(cycle, actor=office, today=cycle.visit_opens - dt.timedelta(days=45))
    program = application.program_version.program()
    keys = keys_of(program)
    score_on_site(
        application,
        office=office,
        team=team,
        member_values=[{k: _value(program, k, d) for k in keys} for d in MEMBER_DEDUCTIONS],
        consensus={k: _value(program, k, CONSENSUS_DEDUCTIONS) for k in keys},
        opinions=OPINIONS,
    )


def score_on_site(
    application: Application,
    *,
    office: Any,
    team: list[Any],
    consensus: dict[str, Any],
    opinions: dict[str, tuple[str, str]],
    member_values: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> Application:
    """APPLICATION's planned visit (on its visit date) scheduled and recorded; each member of its
    team (of TEAM), having accepted confidentiality for the cycle's program year (seed 002 §四(二):
    no scores without it), enters MEMBER_VALUES, the lead the CONSENSUS, submits it, the office
    records the rules core's total, and the team's OPINIONS (key → strengths, recommendations) are
    approved."""
    visit = Visit.objects.get(application=application)
    day = application.visit_date
    application = actions.fire(
        application, "schedule_visit", actor=office, today=day - dt.timedelta(days=7), visit_date=day
    )
    actions.fire(application, "record_visit", actor=office, today=day)
    # fresh users: the team's visits are cached on a user object by the permission rules
    members = [User.objects.get(pk=m.pk) for m in team if visit.members.filter(surveyor=m).exists()]
    for member in members:
        do_accept_confidentiality(member, program_year=program_year_of(application.cycle), actor=member)
    for member, values in zip(members, member_values, strict=False):
        for key, value in values.items():
            do_save_entry(visit, actor=member, key=key, value=value, kind=Kind.MEMBER)
    lead = members[0]
    for key, value in consensus.items():
        do_save_entry(visit, actor=lead, key=key, value=value)
    assessment = do_submit_assessment(visit, actor=lead)
    application = do_record_assessment_score(assessment, actor=office)
    writers = [lead, *members[1:]]
    for index, (key, (strengths, recommendations)) in enumerate(opinions.items()):
        do_save_opinion_entry(
            visit,
            actor=writers[index % len(writers)],
            key=key,
            strengths=strengths,
            recommendations=recommendations,
        )
    opinion = do_submit_opinion(visit, actor=lead)
    do_approve_opinion(opinion, actor=office)
    return application
