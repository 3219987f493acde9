"""The appeal deadline counts from the institution's receipt of the result notice (seed 002
§十二(一)「應自收受通知之次日起14日內」): pending until the receipt is recorded, by the institution
(acknowledging today) or by the office (the delivery date from the proof of service)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.audit.models import AuditEvent
from pingjian.web.notifications.models import Notification
from tests.web.support import client_for


@pytest.fixture
def decided(application, office):
    Application.objects.filter(pk=application.pk).update(state=State.SCORED, total=65)
    application.refresh_from_db()
    return actions.do_decide_application(application, actor=office, result="fail")


def test_the_appeal_deadline_is_pending_until_receipt_then_counted_from_it(decided, institution_user, office):
    assert decided.appeal_due is None and decided.notice_received_on is None
    page = client_for(institution_user).get(f"/applications/{decided.pk}/").content.decode()
    assert "待確認收受評定通知後計算" in page and "確認已收受評定通知" in page
    response = client_for(institution_user).post(
        f"/applications/{decided.pk}/notice-receipt/", {"version": decided.version}
    )
    assert response.status_code == 302
    app = Application.objects.get(pk=decided.pk)
    assert app.notice_received_on == app.decided_on  # acknowledged today
    assert app.appeal_due is not None and app.appeal_due >= app.notice_received_on + dt.timedelta(days=14)
    event = AuditEvent.objects.for_subject(app).get(event_type="application.notice_received")
    assert "自收受通知" in event.reason and event.actor_id == institution_user.pk
    assert Notification.objects.filter(recipient=office, subject__contains="已確認收受評定通知").exists()
    page = client_for(institution_user).get(f"/applications/{decided.pk}/").content.decode()
    assert "確認已收受評定通知" not in page  # once
    with pytest.raises(ValidationError, match="已於"):
        actions.do_record_notice_receipt(app, actor=institution_user)


def test_the_office_records_the_delivery_date_and_corrects_it_only_with_a_reason(
    application, office, institution_user
):
    Application.objects.filter(pk=application.pk).update(state=State.SCORED, total=65)
    application.refresh_from_db()
    app = actions.do_decide_application(application, actor=office, result="fail", today=dt.date(2023, 1, 2))
    with pytest.raises(ValidationError, match="早於評定通知日"):
        actions.do_record_notice_receipt(
            app, actor=office, received_on=dt.date(2022, 12, 30), today=dt.date(2023, 1, 9)
        )
    with pytest.raises(ValidationError, match="晚於今天"):
        actions.do_record_notice_receipt(
            app, actor=office, received_on=dt.date(2023, 1, 10), today=dt.date(2023, 1, 9)
        )
    app = actions.do_record_notice_receipt(
        app, actor=office, received_on=dt.date(2023, 1, 3), today=dt.date(2023, 1, 9)
    )
    assert app.appeal_due == dt.date(2023, 1, 17)
    assert Notification.objects.filter(recipient=institution_user, subject__contains="申復期限112年1月17日")
    with pytest.raises(ValidationError, match="說明理由"):
        actions.do_record_notice_receipt(
            app, actor=office, received_on=dt.date(2023, 1, 4), today=dt.date(2023, 1, 9)
        )
    app = actions.do_record_notice_receipt(
        app, actor=office, received_on=dt.date(2023, 1, 4), reason="依送達證書更正", today=dt.date(2023, 1, 9)
    )
    assert app.appeal_due == dt.date(2023, 1, 18)


def test_only_the_institution_and_the_office_record_receipt(decided, role_users, theirs):
    for name in ("program_admin", "bureau", "surveyor", "nhi", "outsider"):
        user = role_users[name]
        with pytest.raises(PermissionDenied):
            actions.do_record_notice_receipt(decided, actor=user)
        status = (
            client_for(user).post(f"/applications/{decided.pk}/notice-receipt/", {"version": 1}).status_code
        )
        assert status in (403, 404), name
    # an outsider to the institution gets 404, never a hint that the application exists
    assert (
        client_for(role_users["outsider"]).post(f"/applications/{decided.pk}/notice-receipt/").status_code
        == 404
    )
    assert client_for(None).post(f"/applications/{decided.pk}/notice-receipt/").status_code == 302


def test_receipt_is_only_for_a_decided_result(application, institution_user):
    with pytest.raises(ValidationError, match="只有已評定"):
        actions.do_record_notice_receipt(application, actor=institution_user)


# --------------------------------------------------------------------------- the same through the API


def _post_receipt(user, app, **body):  # type: ignore[no-untyped-def]
    return client_for(user).post(
        f"/api/applications/{app.pk}/notice-receipt", body, content_type="application/json"
    )


def test_the_api_records_the_institutions_receipt_as_the_page_does(decided, institution_user, office):
    yesterday = (decided.decided_on - dt.timedelta(days=1)).isoformat()
    other_day = _post_receipt(institution_user, decided, version=decided.version, received_on=yesterday)
    assert other_day.status_code == 422 and "今日" in other_day.json()["detail"][0]
    response = _post_receipt(institution_user, decided, version=decided.version)
    assert response.status_code == 200, response.content
    body = response.json()
    app = Application.objects.get(pk=decided.pk)
    assert body["notice_received_on"] == app.decided_on.isoformat() == app.notice_received_on.isoformat()
    assert body["appeal_due"] == app.appeal_due.isoformat() and body["version"] == app.version
    assert AuditEvent.objects.for_subject(app).filter(event_type="application.notice_received").count() == 1
    again = _post_receipt(institution_user, app, version=app.version)
    assert again.status_code == 422 and "已於" in again.json()["detail"][0]


def test_the_api_lets_the_office_record_and_correct_the_delivery_date(decided, office):
    day = decided.decided_on
    missing = _post_receipt(office, decided, version=decided.version)
    assert missing.status_code == 422 and "請填寫" in missing.json()["detail"][0]
    first = _post_receipt(office, decided, version=decided.version, received_on=day.isoformat())
    assert first.status_code == 200 and first.json()["notice_received_on"] == day.isoformat()
    stale = _post_receipt(office, decided, version=decided.version, received_on=day.isoformat(), reason="x")
    assert stale.status_code == 409
    version = first.json()["version"]
    no_reason = _post_receipt(office, decided, version=version, received_on=day.isoformat())
    assert no_reason.status_code == 422 and "說明理由" in no_reason.json()["detail"][0]
    fixed = _post_receipt(
        office, decided, version=version, received_on=day.isoformat(), reason="依送達證書更正"
    )
    assert fixed.status_code == 200 and fixed.json()["version"] == version + 1


def test_the_api_answers_404_to_outsiders_and_403_to_insiders_without_the_role(decided, role_users, theirs):
    from tests.web.support import make_user

    stranger = make_user("stranger", "institution", institution=theirs)  # a member of another institution
    expected = {"outsider": 404, "nhi": 404, "bureau": 403, "surveyor": 403, "program_admin": 403}
    for name, status in expected.items():
        response = _post_receipt(role_users[name], decided, version=decided.version)
        assert response.status_code == status, name
        assert decided.institution.name not in response.content.decode()
    assert _post_receipt(stranger, decided, version=decided.version).status_code == 404
    assert _post_receipt(None, decided, version=decided.version).status_code == 401
    missing = client_for(role_users["office"]).post(
        "/api/applications/999999/notice-receipt", {"version": 1}, content_type="application/json"
    )
    assert missing.status_code == 404
    assert Application.objects.get(pk=decided.pk).notice_received_on is None


def test_the_api_refuses_receipt_before_a_decision_with_409(application, institution_user):
    response = _post_receipt(institution_user, application, version=application.version)
    assert response.status_code == 409 and "只有已評定" in response.json()["detail"][0]


def test_the_receipt_endpoint_is_in_the_openapi_document(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/applications/{application_id}/notice-receipt"]["post"]
    assert {"200", "403", "404", "409", "422"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    fields = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]["properties"]
    assert {"version", "received_on", "reason"} <= set(fields)
