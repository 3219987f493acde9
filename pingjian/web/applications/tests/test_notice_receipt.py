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
from pingjian.web.conftest import client_for
from pingjian.web.dashboard.models import Notification


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
