"""Who reaches on-site scoring (issue 13 items 2, 5, 6): the team and the office; a surveyor
conflicted with the institution (seed 002 §四(二)) gets 404 on everything; the institution sees
the trace only once the result is decided."""

from __future__ import annotations

import datetime as dt
import json

from pingjian.rules.workcal import WorkingDayCalendar
from pingjian.web.applications.actions import fire
from pingjian.web.assessments.actions import do_record_assessment_score, do_submit_assessment
from pingjian.web.assessments.models import Assessment
from pingjian.web.visits.actions import do_declare_conflict
from pingjian.web.visits.models import VisitMember
from tests.web.support import client_for, make_user

from .test_scoring_api import enter_case, post_entry

FULL_MARKS = {
    "preconditions": {"fire_safety": "compliant", "building_safety": "compliant"},
    "items": {
        **{k: {"score": 4} for k in ("A1.1", "A1.2", "A2.1", "A2.2", "A2.3")},
        **{k: {"score": 6} for k in ("B1.1", "B1.2", "B1.6", "B2.1", "B2.3")},
        **{k: {"score": 5} for k in ("B1.3", "B1.4", "B1.5", "B2.2")},
        "C1": {"score": 15},
        "C2": {"score": 15},
    },
}


def test_a_surveyor_conflicted_with_the_institution_gets_404_on_everything(visit, nurse):
    enter_case(client_for(nurse), visit, FULL_MARKS)
    conflicted = make_user("conflicted2", "surveyor")
    VisitMember.objects.create(visit=visit, surveyor=conflicted, role="委員")
    do_declare_conflict(conflicted, visit.application.institution, actor=conflicted, reason="曾任該機構顧問")
    client = client_for(conflicted)
    assessment = Assessment.objects.get()
    assert client.get(f"/api/assessments/visits/{visit.pk}").status_code == 404
    assert post_entry(client, visit, "C1", {"score": 1}).status_code == 404
    assert client.post(f"/api/assessments/visits/{visit.pk}/submit").status_code == 404
    assert client.get(f"/api/assessments/{assessment.pk}").status_code == 404
    assert client.get(f"/assessments/visits/{visit.pk}/").status_code == 404


def test_someone_outside_the_team_gets_404_and_the_institution_403(visit, institution_user, surveyor):
    assert client_for(surveyor).get(f"/api/assessments/visits/{visit.pk}").status_code == 404
    assert client_for(make_user("nobody")).get(f"/api/assessments/visits/{visit.pk}").status_code == 404


def test_the_office_records_the_rules_cores_total_and_the_institution_sees_the_trace_after_the_decision(
    visit, nurse, office
):
    enter_case(client_for(nurse), visit, FULL_MARKS)
    assessment = do_submit_assessment(visit, actor=nurse)
    application = visit.application
    inst = make_user("inst2", "institution", institution=application.institution)
    assert client_for(inst).get(f"/api/assessments/{assessment.pk}").status_code == 404

    for name, actor in (("submit", inst), ("start_review", office), ("accept", office)):
        fire(application, name, actor=actor)
    day = dt.date.today() + dt.timedelta(days=60)
    while not WorkingDayCalendar.load().is_workday(day, "臺北市"):
        day += dt.timedelta(days=1)
    fire(application, "request_evidence", actor=office, visit_date=day)
    fire(application, "schedule_visit", actor=office, visit_date=day)
    fire(application, "record_visit", actor=office, today=day)
    application = do_record_assessment_score(assessment, actor=office)
    assert str(application.total) == "100.00"
    fire(application, "decide", actor=office, result="pass")
    answer = client_for(inst).get(f"/api/assessments/{assessment.pk}")
    assert answer.status_code == 200
    assert answer.json()["total"] == "100.00" and answer.json()["trace"]
    # still no entries for the institution
    assert client_for(inst).get(f"/api/assessments/visits/{visit.pk}").status_code in (403, 404)
    assert json.loads(json.dumps(answer.json()))["result"] == "pass"
