"""A scored postpartum application (the team's submitted assessment recorded as the score), its
visit team, a meeting of its cycle with two members (one conflicted with the institution)."""

from __future__ import annotations

import datetime as dt

import pytest

from pingjian.web.assessments.actions import do_record_assessment_score, do_submit_assessment
from pingjian.web.decisions import actions
from pingjian.web.visits.actions import do_declare_conflict
from tests.web.assessments.conftest import advance_to_visited, make_visit
from tests.web.assessments.test_permissions import FULL_MARKS
from tests.web.assessments.test_scoring_api import enter_case
from tests.web.support import client_for, make_user


def make_scored(programs, office, name: str, marks=FULL_MARKS):
    """A new institution's postpartum application, scored by its team (NAME-nurse) from MARKS."""
    nurse = make_user(f"{name}-nurse", "surveyor")
    visit = make_visit(programs, office, "postpartum-111", team=[("醫護", nurse)])
    inst = make_user(f"{name}-inst", "institution", institution=visit.application.institution)
    enter_case(client_for(nurse), visit, marks, device=f"{name}-tablet")
    assessment = do_submit_assessment(visit, actor=nurse)
    advance_to_visited(visit.application, office, inst)
    application = do_record_assessment_score(assessment, actor=office)
    return application, inst, nurse


@pytest.fixture
def scored(programs, office):
    return make_scored(programs, office, "a")


@pytest.fixture
def member(db):
    return make_user("member", "surveyor")


@pytest.fixture
def recused(scored):
    user = make_user("recused", "surveyor")
    do_declare_conflict(user, scored[0].institution, actor=user, reason="曾任該機構顧問")
    return user


@pytest.fixture
def meeting(scored, office, member, recused):
    application = scored[0]
    meeting = actions.do_create_meeting(
        application.cycle, title="第1次評定會議", held_on=dt.date.today(), actor=office
    )
    for user in (member, recused):
        seat = actions.do_seat_member(meeting, user, actor=office)
        actions.do_record_attendance(seat, attended=True, actor=office)
    return meeting


@pytest.fixture
def item(meeting, scored, office):
    return actions.do_add_item(meeting, scored[0], actor=office)


@pytest.fixture
def approver(db):
    return make_user("approver", "program_admin")
