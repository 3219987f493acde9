"""Free text is bounded in the model, the form, the API schema and the action (issue 17, item 1):
the issue's 1,000,000-character supplement message and 200,000-character institution message are
refused with a message naming the field, and nothing is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pingjian.web.applications.actions import fire
from pingjian.web.applications.models import Application, ApplicationTransition
from pingjian.web.bureau.models import SurveyReply
from pingjian.web.core.error_codes import CoreErrorCode
from pingjian.web.core.text import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH, STATEMENT_MAX_LENGTH, bounded_text
from pingjian.web.evidence.actions import do_comment_evidence
from pingjian.web.evidence.models import EvidenceComment
from pingjian.web.evidence.slots import slots_for

from ..support import client_for


def _submitted(application, institution_user, office):
    fire(application, "submit", actor=institution_user)
    fire(application, "start_review", actor=office)
    application.refresh_from_db()
    return application


def test_bounded_text_names_the_field_and_both_lengths():
    with pytest.raises(ValidationError) as caught:
        bounded_text("字" * 4001, max_length=4000, label="訊息")
    assert caught.value.code == CoreErrorCode.TEXT_TOO_LONG
    assert caught.value.messages == ["「訊息」最多 4,000 字，目前 4,001 字；請精簡後再送出。"]
    assert bounded_text("  字" * 1 + " ", max_length=1, label="訊息") == "字"


def test_a_nul_in_free_text_is_refused_because_postgresql_cannot_store_it():
    with pytest.raises(ValidationError) as caught:
        bounded_text("a\x00b", max_length=10, label="意見")
    assert caught.value.code == CoreErrorCode.CONTROL_CHARACTER


def test_the_model_fields_carry_the_same_maximum_the_forms_and_admin_use():
    assert ApplicationTransition._meta.get_field("message").max_length == MESSAGE_MAX_LENGTH
    assert EvidenceComment._meta.get_field("text").max_length == MESSAGE_MAX_LENGTH
    assert SurveyReply._meta.get_field("institution_statement").max_length == STATEMENT_MAX_LENGTH
    assert SurveyReply._meta.get_field("findings").max_length == STATEMENT_MAX_LENGTH
    assert ApplicationTransition._meta.get_field("message").formfield().max_length == MESSAGE_MAX_LENGTH


def test_a_million_character_supplement_message_is_refused_by_the_api_and_nothing_changes(
    application, institution_user, office
):
    app = _submitted(application, institution_user, office)
    response = client_for(office).post(
        f"/api/applications/{app.pk}/transitions/request_supplement",
        {"version": app.version, "message": "x" * 1_000_000},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "message" in response.content.decode()
    assert Application.objects.get(pk=app.pk).state == app.state
    assert not app.transitions.filter(name="request_supplement").exists()


def test_a_million_character_supplement_message_is_a_form_error_on_the_page(
    application, institution_user, office
):
    app = _submitted(application, institution_user, office)
    response = client_for(office).post(
        f"/applications/{app.pk}/transition/request_supplement/",
        {"request_supplement-version": app.version, "request_supplement-message": "x" * 1_000_000},
        follow=True,
    )
    assert response.status_code == 422
    assert "通知補件：請確認這個值至多包含 4000 個字 (目前為 1000000 個字)" in response.content.decode()
    assert not app.transitions.filter(name="request_supplement").exists()


def test_an_overlong_message_is_refused_by_the_action_itself_whatever_calls_it(
    application, institution_user, office
):
    app = _submitted(application, institution_user, office)
    with pytest.raises(ValidationError, match="「訊息」最多 4,000 字"):
        fire(app, "request_supplement", actor=office, message="缺" * (MESSAGE_MAX_LENGTH + 1))
    fire(
        app, "request_supplement", actor=office, message="缺" * MESSAGE_MAX_LENGTH
    )  # the maximum itself is fine


def test_a_200000_character_message_from_an_institution_is_refused(application, institution_user):
    response = client_for(institution_user).post(
        f"/api/applications/{application.pk}/transitions/submit",
        {"version": application.version, "message": "機" * 200_000},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Application.objects.get(pk=application.pk).state == application.state


def test_a_200000_character_survey_reply_is_refused_on_the_page_with_the_field_named(
    application, institution_user
):
    response = client_for(institution_user).post(
        f"/bureau/{application.pk}/survey-reply/send/", {"statement": "機" * 200_000}, follow=True
    )
    assert response.status_code == 200
    assert "「機構填報內容」最多 20,000 字，目前 200,000 字" in response.content.decode()
    assert not SurveyReply.objects.filter(application=application).exists()


def test_an_overlong_review_comment_is_refused(application, office):
    key = slots_for(application.program_version.program())[0].key
    with pytest.raises(ValidationError, match="審閱意見"):
        do_comment_evidence(application, slot_key=key, text="x" * (MESSAGE_MAX_LENGTH + 1), actor=office)
    assert not EvidenceComment.objects.exists()


def test_the_api_schema_states_the_maximum_lengths(office):
    spec = client_for(office).get("/api/openapi.json").json()["components"]["schemas"]
    assert spec["TransitionIn"]["properties"]["message"]["maxLength"] == MESSAGE_MAX_LENGTH
    assert spec["NoticeReceiptIn"]["properties"]["reason"]["maxLength"] == REASON_MAX_LENGTH


def test_the_pages_textareas_carry_the_maximum_so_the_browser_stops_typing_there(
    application, institution_user, office
):
    app = _submitted(application, institution_user, office)
    page = client_for(office).get(f"/applications/{app.pk}/").content.decode()
    assert f'name="request_supplement-message" cols="40" rows="2" maxlength="{MESSAGE_MAX_LENGTH}"' in page
    assert f'name="text" maxlength="{MESSAGE_MAX_LENGTH}"' in page
