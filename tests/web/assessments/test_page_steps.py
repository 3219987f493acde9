"""The scoring page's last steps (issue 13 item 6): the team submits on the page, the office records
the rules core's total on the application with one button, and the application page no longer
offers a typed total once the visit is scored."""

from __future__ import annotations

from pingjian.web.applications.models import Application
from pingjian.web.assessments.actions import do_submit_assessment
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from tests.web.support import client_for, make_user

from .conftest import advance_to_visited
from .test_permissions import FULL_MARKS
from .test_scoring_api import enter_case


def test_the_team_submits_on_the_page_and_the_button_then_disappears(visit, nurse):
    client = client_for(nurse)
    assert (
        'data-testid="submit-assessment"' in client.get(f"/assessments/visits/{visit.pk}/").content.decode()
    )
    enter_case(client, visit, FULL_MARKS)
    response = client.post(f"/assessments/visits/{visit.pk}/submit/", follow=True)
    html = response.content.decode()
    assert "已送出評分" in html and 'data-testid="submit-assessment"' not in html
    visit.assessment.refresh_from_db()
    assert visit.assessment.submitted and str(visit.assessment.total) == "100.00"
    assert AuditEvent.objects.filter(event_type=EventType.ASSESSMENT_SUBMITTED).count() == 1


def test_submitting_on_the_page_with_criteria_missing_names_them_and_changes_nothing(visit, nurse):
    client = client_for(nurse)
    html = client.post(f"/assessments/visits/{visit.pk}/submit/", follow=True).content.decode()
    assert "未達成小組共識" in html and "A1.1" in html
    assert not AuditEvent.objects.filter(event_type=EventType.ASSESSMENT_SUBMITTED).exists()


def test_only_the_team_submits(visit, office, surveyor):
    assert client_for(surveyor).post(f"/assessments/visits/{visit.pk}/submit/").status_code == 404
    assert client_for(office).post(f"/assessments/visits/{visit.pk}/submit/").status_code == 403


def test_the_office_records_the_computed_total_and_the_typed_total_is_no_longer_offered(visit, nurse, office):
    application = visit.application
    inst = make_user("inst-steps", "institution", institution=application.institution)
    enter_case(client_for(nurse), visit, FULL_MARKS)
    assessment = do_submit_assessment(visit, actor=nurse)
    advance_to_visited(application, office, inst)
    client = client_for(office)
    html = client.get(f"/applications/{application.pk}/").content.decode()
    assert 'data-testid="record-assessment-score"' in html
    assert "/transition/record_score/" not in html and 'name="record_score-total"' not in html
    assert 'data-testid="assessment-total"' in html and "100.00" in html

    typed = client.post(
        f"/applications/{application.pk}/transition/record_score/",
        {"record_score-version": application.version, "record_score-total": "55"},
    )
    assert typed.status_code == 409
    assert Application.objects.get(pk=application.pk).total is None

    response = client.post(f"/assessments/{assessment.pk}/record-score/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "scored" and str(application.total) == "100.00"
    assert AuditEvent.objects.filter(event_type=EventType.ASSESSMENT_SCORE_RECORDED).count() == 1
    assert (
        'data-testid="record-assessment-score"'
        not in client.get(f"/applications/{application.pk}/").content.decode()
    )


def test_without_an_assessment_the_office_still_types_the_total(programs, office):
    from .conftest import make_visit

    visit = make_visit(programs, office, "postpartum-111")
    application = visit.application
    inst = make_user("inst-typed", "institution", institution=application.institution)
    advance_to_visited(application, office, inst)
    html = client_for(office).get(f"/applications/{application.pk}/").content.decode()
    assert 'name="record_score-total"' in html and 'id="assessment"' not in html


def test_the_institution_sees_the_score_section_only_after_the_decision(visit, nurse, office):
    from pingjian.web.applications.actions import fire
    from pingjian.web.assessments.actions import do_record_assessment_score

    application = visit.application
    inst = make_user("inst-sees", "institution", institution=application.institution)
    enter_case(client_for(nurse), visit, FULL_MARKS)
    assessment = do_submit_assessment(visit, actor=nurse)
    advance_to_visited(application, office, inst)
    application = do_record_assessment_score(assessment, actor=office)
    page = f"/applications/{application.pk}/"
    assert 'id="assessment"' not in client_for(inst).get(page).content.decode()
    assert 'data-testid="assessment-trace"' in client_for(nurse).get(page).content.decode()
    fire(application, "decide", actor=office, result="pass")
    html = client_for(inst).get(page).content.decode()
    assert 'data-testid="assessment-total"' in html and "100.00" in html and "合格" in html
    assert 'data-testid="assessment-trace"' in html


def test_the_api_no_longer_offers_nor_takes_a_typed_total_once_the_visit_is_scored(visit, nurse, office):
    import json

    application = visit.application
    inst = make_user("inst-api", "institution", institution=application.institution)
    advance_to_visited(application, office, inst)
    client = client_for(office)
    assert "record_score" in client.get(f"/api/applications/{application.pk}").json()["available"]
    enter_case(client_for(nurse), visit, FULL_MARKS)
    assert "record_score" not in client.get(f"/api/applications/{application.pk}").json()["available"]
    typed = client.post(
        f"/api/applications/{application.pk}/transitions/record_score",
        data=json.dumps({"version": application.version, "total": "55"}),
        content_type="application/json",
    )
    assert typed.status_code == 409
    assert Application.objects.get(pk=application.pk).total is None


def _next_step(client, application):
    html = client.get(f"/applications/{application.pk}/").content.decode()
    start = html.index('data-testid="next-step"')
    return html[start : html.index("</section>", start)]


def test_the_next_step_points_to_the_scoring_page_then_to_the_computed_score(visit, nurse, office):
    """Issue 13 item 6: the typed total is withheld once the team scores, so the office's next step
    is the team's scoring (小組共識), then the button recording the rules core's score."""
    application = visit.application
    inst = make_user("inst-next", "institution", institution=application.institution)
    advance_to_visited(application, office, inst)
    client = client_for(office)
    assert "請登錄成績" in _next_step(client, application)  # no assessment yet: the typed total

    enter_case(client_for(nurse), visit, {"items": {"C1": {"score": 15}}})
    step = _next_step(client, application)
    assert "請登錄成績。" not in step and "訪查小組評分中" in step
    assert f'href="/assessments/visits/{visit.pk}/"' in step

    rest = {**FULL_MARKS, "items": {k: v for k, v in FULL_MARKS["items"].items() if k != "C1"}}
    enter_case(client_for(nurse), visit, rest, device="tablet-2")
    do_submit_assessment(visit, actor=nurse)
    step = _next_step(client, application)
    assert "訪查小組已送出評分" in step and 'href="#assessment"' in step
