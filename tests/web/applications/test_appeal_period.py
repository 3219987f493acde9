"""Closing a decided case (結果確定) waits for the appeal period (申復期間) to end — seed 002
§十二(一)「應自收受通知之次日起14日內…提出申復，逾期不受理」 — unless the institution waived its
appeal (放棄申復). The refusal names, in ROC dates, the last day of the period and the first day
the case may be closed; the period is the program's (the program file's `appeal` condition) or,
where the seeds state none, the system's default, counted by the rules core."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingjian.rules.roc import roc_date_long
from pingjian.web.applications import actions
from pingjian.web.applications.appeals import DEFAULT_REFERENCE, appeal_deadline, appeal_period
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.audit.models import AuditEvent
from pingjian.web.notifications.models import Notification
from pingjian.web.reminders.due import due_items
from pingjian.web.reminders.sending import open_deadlines
from tests.web.support import client_for

DECIDED_ON = dt.date(2023, 1, 2)
RECEIVED_ON = dt.date(2023, 1, 3)  # appeal_due 112-01-17 (行政程序法第48條: 1/4 … 1/17, a Tuesday)


def _decided(application, office, *, result="fail"):  # type: ignore[no-untyped-def]
    Application.objects.filter(pk=application.pk).update(state=State.SCORED, total=Decimal("65"))
    application.refresh_from_db()
    return actions.do_decide_application(application, actor=office, result=result, today=DECIDED_ON)


@pytest.fixture
def received(application, office):
    app = _decided(application, office)
    return actions.do_record_notice_receipt(
        app, actor=office, received_on=RECEIVED_ON, today=dt.date(2023, 1, 5)
    )


def test_the_office_cannot_close_inside_the_appeal_period_and_is_told_from_when_it_may(received, office):
    assert received.appeal_due == dt.date(2023, 1, 17)
    with pytest.raises(ValidationError) as refused:
        actions.do_finalize_application(received, actor=office, today=dt.date(2023, 1, 17))
    message = refused.value.messages[0]
    assert "申復期間至112年1月17日（星期二）屆滿" in message and "自112年1月18日起始得確定結果" in message
    assert "放棄申復" in message
    assert Application.objects.get(pk=received.pk).state == State.DECIDED
    closed = actions.do_finalize_application(received, actor=office, today=dt.date(2023, 1, 18))
    assert closed.state == State.FINAL


def test_closing_is_refused_while_the_receipt_is_not_recorded(application, office):
    app = _decided(application, office, result="pass")
    with pytest.raises(ValidationError, match="尚未登錄收受評定通知，申復期間尚未起算"):
        actions.do_finalize_application(app, actor=office, today=dt.date(2023, 6, 1))


def test_an_appeal_lodged_in_time_can_be_closed_at_once_after_review(received, office, institution_user):
    app = actions.do_appeal_application(
        received, actor=institution_user, message="不服", today=dt.date(2023, 1, 10)
    )
    assert actions.do_finalize_application(app, actor=office, today=dt.date(2023, 1, 11)).state == State.FINAL


def test_a_members_waiver_lets_the_office_close_at_once_and_ends_the_right_to_appeal(
    received, office, institution_user
):
    day = dt.date(2023, 1, 6)
    with pytest.raises(ValidationError, match="今日"):
        actions.do_waive_appeal(received, actor=institution_user, waived_on=dt.date(2023, 1, 5), today=day)
    app = actions.do_waive_appeal(received, actor=institution_user, today=day)
    assert app.appeal_waived_on == day
    event = AuditEvent.objects.for_subject(app).get(event_type="application.appeal_waived")
    assert event.actor_id == institution_user.pk and event.after["appeal_waived_on"] == "2023-01-06"
    assert Notification.objects.filter(
        recipient=office, subject__contains="已聲明放棄申復（112/01/06）"
    ).exists()
    assert "appeal" not in [t.name for t in actions.available_transitions(institution_user, app)]
    with pytest.raises(ValidationError, match="已於112年1月6日聲明放棄申復"):
        actions.do_appeal_application(app, actor=institution_user, message="不服", today=day)
    with pytest.raises(ValidationError, match="已於"):
        actions.do_waive_appeal(app, actor=institution_user, today=day)
    assert actions.do_finalize_application(app, actor=office, today=day).state == State.FINAL


def test_the_office_records_a_written_waiver_with_its_date_and_document(
    application, office, institution_user
):
    app = _decided(application, office)  # the receipt is not even recorded: the waiver is enough
    today = dt.date(2023, 1, 9)
    with pytest.raises(ValidationError, match="請填寫"):
        actions.do_waive_appeal(app, actor=office, reason="書面聲明", today=today)
    with pytest.raises(ValidationError, match="須說明"):
        actions.do_waive_appeal(app, actor=office, waived_on=dt.date(2023, 1, 5), today=today)
    with pytest.raises(ValidationError, match="早於評定通知日"):
        actions.do_waive_appeal(app, actor=office, waived_on=dt.date(2022, 12, 30), reason="x", today=today)
    with pytest.raises(ValidationError, match="晚於今天"):
        actions.do_waive_appeal(app, actor=office, waived_on=dt.date(2023, 1, 10), reason="x", today=today)
    app = actions.do_waive_appeal(
        app, actor=office, waived_on=dt.date(2023, 1, 5), reason="機構112年1月5日書面聲明", today=today
    )
    assert Notification.objects.filter(recipient=institution_user, subject__contains="放棄申復").exists()
    assert actions.do_finalize_application(app, actor=office, today=today).state == State.FINAL


def test_only_the_institution_and_the_office_may_waive(application, office, role_users):
    app = _decided(application, office)
    for name in ("program_admin", "bureau", "surveyor", "nhi", "outsider"):
        with pytest.raises(PermissionDenied):
            actions.do_waive_appeal(app, actor=role_users[name])
    with pytest.raises(actions.TransitionNotAllowedError):
        actions.do_waive_appeal(
            actions.do_finalize_application(
                actions.do_waive_appeal(app, actor=role_users["institution"]), actor=office
            ),
            actor=role_users["institution"],
        )


def test_pages_show_when_the_case_may_be_closed_and_take_the_waiver(application, office, institution_user):
    app = _decided(application, office)  # the pages use the real today: a receipt recorded today
    app = actions.do_record_notice_receipt(app, actor=institution_user)
    first = roc_date_long(app.appeal_due + dt.timedelta(days=1))
    member = client_for(institution_user)
    page = member.get(f"/applications/{app.pk}/").content.decode()
    assert 'data-testid="closable-from"' in page and f"自{first}起" in page
    assert "聲明放棄申復" in page
    refused = client_for(office).post(
        f"/applications/{app.pk}/transition/finalize/", {"finalize-version": app.version}
    )
    assert refused.status_code == 422 and f"自{first}起始得確定結果" in refused.content.decode()
    unconfirmed = member.post(f"/applications/{app.pk}/waive-appeal/", {"waiver-version": app.version})
    assert unconfirmed.status_code == 302 and Application.objects.get(pk=app.pk).appeal_waived_on is None
    done = member.post(
        f"/applications/{app.pk}/waive-appeal/", {"waiver-version": app.version, "waiver-confirm": "on"}
    )
    assert done.status_code == 302
    app = Application.objects.get(pk=app.pk)
    assert app.appeal_waived_on == app.notice_received_on  # today
    page = member.get(f"/applications/{app.pk}/").content.decode()
    assert "機構已放棄申復，即得確定結果" in page and 'data-testid="waiver-form"' not in page
    closed = client_for(office).post(
        f"/applications/{app.pk}/transition/finalize/", {"finalize-version": app.version}
    )
    assert closed.status_code == 302 and Application.objects.get(pk=app.pk).state == State.FINAL


def test_the_waiver_page_and_api_answer_404_outside_and_403_inside_without_the_role(
    application, office, role_users
):
    app = _decided(application, office)
    expected = {"outsider": 404, "nhi": 404, "bureau": 403, "surveyor": 403, "program_admin": 403}
    for name, status in expected.items():
        client = client_for(role_users[name])
        page = client.post(f"/applications/{app.pk}/waive-appeal/", {"waiver-version": app.version})
        api = client.post(
            f"/api/applications/{app.pk}/appeal-waiver",
            {"version": app.version},
            content_type="application/json",
        )
        assert (page.status_code, api.status_code) == (status, status), name
    assert Application.objects.get(pk=app.pk).appeal_waived_on is None


def test_the_api_takes_the_waiver_like_the_page(application, office, institution_user):
    app = _decided(application, office)
    client = client_for(institution_user)
    response = client.post(
        f"/api/applications/{app.pk}/appeal-waiver", {"version": app.version}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["appeal_waived_on"] == dt.date.today().isoformat()
    assert "appeal" not in response.json()["available"]
    again = client.post(
        f"/api/applications/{app.pk}/appeal-waiver",
        {"version": response.json()["version"]},
        content_type="application/json",
    )
    assert again.status_code == 422
    schema = client.get("/api/openapi.json").json()
    assert "/api/applications/{application_id}/appeal-waiver" in schema["paths"]


def test_the_office_dashboard_lists_cases_it_may_close_and_reminders_skip_waived_appeals(
    received, office, institution_user
):
    assert any(i.kind == "待確定結果" for i in due_items(office, dt.date(2023, 1, 18)))
    assert not any(i.kind == "待確定結果" for i in due_items(office, dt.date(2023, 1, 17)))
    assert any(i.kind == "申復期限" for i in due_items(institution_user, dt.date(2023, 1, 10)))
    assert [d.kind for d in open_deadlines(dt.date(2023, 1, 10)) if d.kind == "appeal"] == ["appeal"]
    actions.do_waive_appeal(received, actor=institution_user, today=dt.date(2023, 1, 10))
    assert any(i.kind == "待確定結果" for i in due_items(office, dt.date(2023, 1, 10)))
    assert not any(i.kind == "申復期限" for i in due_items(institution_user, dt.date(2023, 1, 10)))
    assert [d.kind for d in open_deadlines(dt.date(2023, 1, 10)) if d.kind == "appeal"] == []


# --------------------------------------------------------------------------- the period per program


def test_the_postpartum_period_is_read_from_its_program_file(programs):
    period = appeal_period(programs["postpartum-111"].program())
    assert (period.days, period.stated) == (14, True)
    assert period.reference.startswith("seed 002 §十二(一)")


@pytest.mark.parametrize(
    "program_id",
    ["aesthetic-clinic-112", "cell-therapy-clinic-112", "psych-rehab-day-107", "psych-rehab-residential-107"],
)
def test_programs_whose_seeds_state_no_period_use_the_default_and_say_so(programs, program_id):
    period = appeal_period(programs[program_id].program())  # seeds 000/001/003 state no appeal period
    assert (period.days, period.stated, period.reference) == (14, False, DEFAULT_REFERENCE)


def test_a_program_stating_another_period_is_counted_with_it_by_the_core(jct_cycle, clinic, office):
    app = actions.do_open_application(jct_cycle, clinic, actor=office)
    default = appeal_deadline(app, RECEIVED_ON)
    assert default.due == dt.date(2023, 1, 17) and "本系統預設" in default.explanation
    assert default.reference == DEFAULT_REFERENCE
    stated = SimpleNamespace(appeal=SimpleNamespace(days=30, reference="某作業程序 §九"))
    period = appeal_period(stated)
    assert (period.days, period.stated, period.reference) == (30, True, "某作業程序 §九")
