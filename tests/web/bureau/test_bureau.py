"""Health bureau work: the postpartum preliminary review (seed 002 §八(三)) with its effects, fire
and building safety results (§六), the JCT survey reply form (seed 001), and who may record them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingjian.rules.scoring import score
from pingjian.web.applications.actions import do_open_application
from pingjian.web.bureau.actions import (
    do_record_preliminary_review,
    do_return_survey_reply,
    do_send_survey_reply,
)
from pingjian.web.bureau.review import review_effects, review_rows
from tests.web.support import client_for


def test_rows_1_and_2_decide_the_preconditions_and_3_to_5_feed_a11_and_a21(application, bureau):
    do_record_preliminary_review(
        application,
        actor=bureau,
        rows={1: "compliant", 2: "remediation_pending", 3: "met", 4: "not_met", 5: "met"},
        remediation_due={2: dt.date(2022, 12, 10)},
    )
    effects = {e.number: e for e in review_effects(application, dt.date(2022, 12, 10))}
    assert effects[1].target == "消防安全設備檢查結果" and not effects[1].fails_evaluation
    assert "12月10日" in effects[2].consequence and not effects[2].fails_evaluation
    assert effects[3].target == "A1.1 基準說明 2" and "符合" in effects[3].consequence
    assert effects[4].target == "A1.1 基準說明 4" and "不符合" in effects[4].consequence
    assert effects[5].target == "A2.1 基準說明 1"
    # the day after the remediation deadline, row 2 fails the evaluation (seed 002 §六(三))
    assert {e.number: e for e in review_effects(application, dt.date(2022, 12, 11))}[2].fails_evaluation


def test_the_recorded_review_is_the_scoring_engines_input(application, bureau, programs):
    do_record_preliminary_review(
        application, actor=bureau, rows={1: "compliant", 2: "non_compliant", 3: "met", 4: "met", 5: "met"}
    )
    rows = review_rows(application)
    assert rows == {1: "compliant", 2: "non_compliant", 3: "met", 4: "met", 5: "met"}
    program = programs["postpartum-111"].program()
    items = {item.id: {"score": str(item.max_points)} for item in program.items}
    result = score(program, {"items": items, "preliminary_review": rows, "assessed_on": "2022-10-01"})
    assert result.result == "fail" and any("precondition_not_met" in r for r in result.reasons)


def test_only_the_countys_bureau_records_the_review(
    application, their_application, bureau, office, institution_user
):
    with pytest.raises(PermissionDenied):
        do_record_preliminary_review(their_application, actor=bureau, rows={3: "met"})
    with pytest.raises(PermissionDenied):
        do_record_preliminary_review(application, actor=institution_user, rows={3: "met"})
    with pytest.raises(ValidationError):
        do_record_preliminary_review(application, actor=bureau, rows={3: "compliant"})
    response = client_for(bureau).post(f"/bureau/{their_application.pk}/preliminary/", {"row-3": "met"})
    assert response.status_code == 404
    response = client_for(bureau).post(
        f"/bureau/{application.pk}/preliminary/", {"row-1": "remediation_pending", "due-1": "111/12/10"}
    )
    assert response.status_code == 302
    assert application.safety_certificates.get(kind="fire_safety").remediation_due == dt.date(2022, 12, 10)
    page = client_for(bureau).get(f"/applications/{application.pk}/").content.decode()
    assert "地方政府初審" in page and "須限期改善或須再複評" in page


def test_the_jct_survey_reply_goes_to_the_bureau_and_comes_back(
    jct_cycle, clinic, clinic_user, bureau, role_users
):
    app = do_open_application(jct_cycle, clinic, actor=clinic_user)
    do_send_survey_reply(app, actor=clinic_user, statement="本診所無違規紀錄")
    with pytest.raises(ValidationError):
        do_send_survey_reply(app, actor=clinic_user)
    with pytest.raises(PermissionDenied):
        do_return_survey_reply(app, actor=role_users["institution"], verified=True, findings="x")
    reply = do_return_survey_reply(app, actor=bureau, verified=True, findings="經查核無違規紀錄")
    assert reply.status == "returned" and reply.verified
    page = client_for(clinic_user).get(f"/applications/{app.pk}/").content.decode()
    assert "衛生局已查證並寄回" in page and "經查核無違規紀錄" in page
