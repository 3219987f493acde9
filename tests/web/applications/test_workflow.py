"""The application workflow: every transition allowed or refused by role and state, checked
deadlines, messages on returns, optimistic concurrency, locking, pinning; seed 001 認證申請流程 and
seed 002 §八–§十二."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from pingjian.web.applications import actions
from pingjian.web.applications.error_codes import ApplicationErrorCode as ErrorCode
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import LOCKED_STATES, TRANSITIONS, State
from pingjian.web.audit.chain import verify_chain
from pingjian.web.audit.models import AuditEvent
from pingjian.web.notifications.models import Notification
from pingjian.web.programs.actions import do_copy_to_draft, do_publish_draft
from tests.web.support import TODAY, make_cycle, run_jobs

VISIT = TODAY + dt.timedelta(days=60)
DATA = {"visit_date": VISIT, "total": Decimal("80"), "result": "pass", "message": "說明"}


def set_state(app: Application, state: str, **fields) -> Application:  # type: ignore[no-untyped-def]
    Application.objects.filter(pk=app.pk).update(state=state, **fields)
    app.refresh_from_db()
    return app


def _role_user(name, role_users, clinic_user):  # type: ignore[no-untyped-def]
    return {"member": role_users["institution"], "office": role_users["office"], **role_users}[name]


ROLES = ["member", "office", "program_admin", "bureau", "surveyor", "nhi", "outsider"]
ROLE_GRANTS = {"member": {"institution"}, "office": {"office"}}


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_every_transition_is_allowed_exactly_for_its_roles_and_source_states(name, application, role_users):
    transition = TRANSITIONS[name]
    for state in State.values:
        for role in ROLES:
            user = role_users["institution"] if role == "member" else role_users[role]
            app = set_state(
                application,
                state,
                visit_date=VISIT,
                appeal_due=TODAY + dt.timedelta(days=14),
                fee_paid_on=TODAY,
                fee_receipt_no="R-1",
            )
            allowed = state in transition.sources and bool(ROLE_GRANTS.get(role, set()) & transition.roles)
            assert actions.can_fire(user, app, transition) == allowed, (name, state, role)
            try:
                actions.fire(app, name, actor=user, today=TODAY, **DATA)
            except PermissionDenied:
                assert not ROLE_GRANTS.get(role, set()) & transition.roles, (name, state, role)
                continue
            except actions.TransitionNotAllowedError:
                assert state not in transition.sources, (name, state, role)
                continue
            except ValidationError as exc:  # data checks of an allowed move (e.g. the visit not yet come,
                # or closing a decided case inside its appeal period)
                assert allowed and name in ("record_visit", "submit", "finalize"), (name, state, exc.messages)
                continue
            assert allowed, (name, state, role)
            assert Application.objects.get(pk=app.pk).state == transition.target


def test_apply_review_supplement_resubmit_accept_with_messages_deadlines_audit_and_notifications(
    application, role_users, office, django_capture_on_commit_callbacks
):
    member = role_users["institution"]
    member.email = "inst@example.org"
    member.save()
    app = actions.do_submit_application(application, actor=member)
    assert app.state == State.SUBMITTED and app.submitted_on == TODAY
    app = actions.do_start_review(app, actor=office)
    with pytest.raises(ValidationError, match="須附說明訊息"):
        actions.do_request_supplement(app, actor=office)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        app = actions.do_request_supplement(app, actor=office, message="請補消防安全設備檢查紀錄表")
    assert len(callbacks) == 1  # the e-mail job is enqueued after commit, never from a rolled-back change
    run_jobs()  # the background worker sends it
    assert app.state == State.SUPPLEMENT_REQUESTED and app.supplement_due > TODAY
    app = actions.do_resubmit_application(app, actor=member, message="已補上")
    assert app.state == State.RESUBMITTED  # distinct from submitted: a second review is visible as such
    app = actions.do_start_review(app, actor=office)
    app = actions.do_accept_application(app, actor=office)
    assert app.state == State.ACCEPTED
    history = list(app.transitions.values_list("from_state", "to_state", "actor__username", "message"))
    assert history[2] == (
        "qualification_review",
        "supplement_requested",
        "office",
        "請補消防安全設備檢查紀錄表",
    )
    assert [h[1] for h in history] == [
        "submitted",
        "qualification_review",
        "supplement_requested",
        "resubmitted",
        "qualification_review",
        "accepted",
    ]
    events = AuditEvent.objects.for_subject(app).values_list("event_type", flat=True)
    assert "application.request_supplement" in events and "application.accept" in events
    assert verify_chain().ok
    assert Notification.objects.filter(recipient=member, subject__contains="通知補件").exists()
    assert any("請補消防安全設備檢查紀錄表" in m.body for m in mail.outbox)


def test_supplement_is_due_on_the_fifth_working_day_across_the_dragon_boat_holidays(programs, office, ours):
    # seed 001: 5 working days. Notified Tue 2023-06-20; 6/22–6/23 端午節 and the weekend are skipped:
    # 6/21, 6/26, 6/27, 6/28, 6/29 → due Thu 2023-06-29.
    cycle = make_cycle(
        programs["aesthetic-clinic-112"],
        office,
        application_opens=dt.date(2023, 5, 15),
        application_closes=dt.date(2023, 6, 30),
        visit_opens=dt.date(2023, 8, 1),
        visit_closes=dt.date(2023, 12, 31),
    )
    app = actions._create(cycle, ours, actor=office, reason="")
    app = set_state(app, State.QUALIFICATION_REVIEW)
    app = actions.do_request_supplement(app, actor=office, message="補件", today=dt.date(2023, 6, 20))
    assert app.supplement_due == dt.date(2023, 6, 29)
    assert "第5個上班日" in app.transitions.get(name="request_supplement").explanation


def test_evidence_is_due_a_month_before_the_visit_moved_back_off_a_holiday(programs, office, ours):
    # seed 001: 1 month before the visit. Visit 2023-11-10 → 2023-10-10 國慶日 → the working day before, 10/06
    # (10/09 is the bridge holiday of 2023).
    cycle = make_cycle(
        programs["aesthetic-clinic-112"],
        office,
        application_opens=dt.date(2023, 5, 15),
        application_closes=dt.date(2023, 6, 30),
        visit_opens=dt.date(2023, 8, 1),
        visit_closes=dt.date(2023, 12, 31),
    )
    app = set_state(actions._create(cycle, ours, actor=office, reason=""), State.ACCEPTED)
    app = actions.do_request_evidence(
        app, actor=office, visit_date=dt.date(2023, 11, 10), today=dt.date(2023, 7, 1)
    )
    assert app.evidence_due == dt.date(2023, 10, 6)
    with pytest.raises(ValidationError, match="訪查期間"):
        actions.do_schedule_visit(
            app, actor=office, visit_date=dt.date(2024, 1, 5), today=dt.date(2023, 7, 2)
        )


def test_appeal_is_refused_after_14_days_from_the_day_after_notice(application, office, role_users):
    app = set_state(application, State.SCORED, total=Decimal("65"))
    app = actions.do_decide_application(app, actor=office, result="fail", today=dt.date(2023, 1, 2))
    assert app.appeal_due is None  # seed 002 §十二(一): counted from receipt, not yet known
    app = actions.do_record_notice_receipt(app, actor=role_users["institution"], today=dt.date(2023, 1, 3))
    assert app.notice_received_on == dt.date(2023, 1, 3)
    assert app.appeal_due == dt.date(2023, 1, 17)  # 行政程序法第48條: 1/4 … 1/17 (a Tuesday)
    with pytest.raises(ValidationError, match="逾期不受理"):
        actions.do_appeal_application(
            app, actor=role_users["institution"], message="不服", today=dt.date(2023, 1, 18)
        )
    app = actions.do_appeal_application(
        app, actor=role_users["institution"], message="不服", today=dt.date(2023, 1, 17)
    )
    assert app.state == State.APPEAL


def test_a_stale_version_cannot_fire_a_conflicting_transition(application, office, role_users):
    app = set_state(application, State.QUALIFICATION_REVIEW)
    read_by_a = Application.objects.get(pk=app.pk)
    read_by_b = Application.objects.get(pk=app.pk)
    actions.do_accept_application(read_by_a, actor=office)
    with pytest.raises(actions.ConcurrentChangeError):
        actions.do_reject_application(read_by_b, actor=office, message="不受理")
    with pytest.raises(actions.ConcurrentChangeError):
        actions.fire(app, "reject", actor=office, message="x", expected_version=read_by_b.version)
    assert Application.objects.get(pk=app.pk).state == State.ACCEPTED


def test_a_decided_record_is_locked_and_unlocking_one_part_needs_a_reason(application, office):
    app = set_state(application, State.DECIDED, result="pass")
    assert app.is_locked and State.DECIDED in LOCKED_STATES
    with pytest.raises(actions.LockedError):
        actions.do_record_fee(app, actor=office, amount=Decimal(5000), paid_on=TODAY, receipt_no="R-9")
    with pytest.raises(ValidationError, match="理由"):
        actions.do_unlock_part(app, part="fee", reason=" ", actor=office)
    actions.do_unlock_part(app, part="fee", reason="收據號碼誤植", actor=office)
    app = actions.do_record_fee(app, actor=office, amount=Decimal(5000), paid_on=TODAY, receipt_no="R-9")
    assert app.fee_receipt_no == "R-9"
    actions.do_relock_part(app, part="fee", actor=office)
    with pytest.raises(actions.LockedError):
        actions.do_record_fee(app, actor=office, amount=Decimal(6000), paid_on=TODAY, receipt_no="R-9")
    types = list(AuditEvent.objects.for_subject(app).values_list("event_type", "reason"))
    assert ("application.part_unlocked", "收據號碼誤植") in types and (
        "application.part_relocked",
        "",
    ) in types


def test_fee_must_be_paid_before_acceptance_when_the_cycle_charges_one(programs, office, clinic, clinic_user):
    cycle = make_cycle(programs["aesthetic-clinic-112"], office, fee_amount=Decimal(30000))
    app = actions.do_open_application(cycle, clinic, actor=clinic_user)
    app = set_state(app, State.QUALIFICATION_REVIEW)
    with pytest.raises(ValidationError, match="繳費"):
        actions.do_accept_application(app, actor=office)
    app = actions.do_record_fee(
        app, actor=office, amount=Decimal(30000), paid_on=TODAY, receipt_no="JCT-112-0001"
    )
    with pytest.raises(PermissionDenied):
        actions.do_record_fee(app, actor=clinic_user, amount=Decimal(1), paid_on=TODAY, receipt_no="x")
    assert actions.do_accept_application(app, actor=office).state == State.ACCEPTED


def test_an_application_stays_pinned_to_the_version_it_started_under(application, programs, program_admin):
    draft = do_copy_to_draft(programs["postpartum-111"], actor=program_admin)
    do_publish_draft(draft, actor=program_admin, reason="新版")
    application.refresh_from_db()
    assert application.program_version == programs["postpartum-111"]
    assert application.program_version.number == 1


def test_institutions_apply_to_voluntary_cycles_only_inside_the_window(programs, office, clinic, clinic_user):
    closed = make_cycle(
        programs["aesthetic-clinic-112"],
        office,
        application_opens=TODAY - dt.timedelta(days=30),
        application_closes=TODAY - dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="不在申請期間"):
        actions.do_open_application(closed, clinic, actor=clinic_user)
    mandatory = make_cycle(programs["postpartum-111"], office)
    with pytest.raises(ValidationError):
        actions.do_open_application(mandatory, clinic, actor=clinic_user)


def test_withdrawal_carries_a_message_and_ends_the_application(application, role_users):
    with pytest.raises(ValidationError):
        actions.do_withdraw_application(application, actor=role_users["institution"])
    app = actions.do_withdraw_application(application, actor=role_users["institution"], message="本年度停業")
    assert app.state == State.WITHDRAWN
    with pytest.raises(actions.TransitionNotAllowedError):
        actions.do_submit_application(app, actor=role_users["institution"])


NAMED_ACTIONS = {
    "submit": actions.do_submit_application,
    "start_review": actions.do_start_review,
    "request_supplement": actions.do_request_supplement,
    "resubmit": actions.do_resubmit_application,
    "accept": actions.do_accept_application,
    "reject": actions.do_reject_application,
    "request_evidence": actions.do_request_evidence,
    "schedule_visit": actions.do_schedule_visit,
    "record_visit": actions.do_record_visit,
    "record_score": actions.do_record_score,
    "decide": actions.do_decide_application,
    "appeal": actions.do_appeal_application,
    "finalize": actions.do_finalize_application,
    "withdraw": actions.do_withdraw_application,
}


def test_every_transition_has_exactly_one_effect_function():
    assert set(actions.EFFECTS) == set(TRANSITIONS)
    assert all(callable(effect) for effect in actions.EFFECTS.values())


def test_every_transition_has_a_written_out_do_action_that_fires_it(monkeypatch):
    assert set(NAMED_ACTIONS) == set(TRANSITIONS)
    fired = []
    monkeypatch.setattr(actions, "fire", lambda application, name, **kwargs: fired.append(name))
    for name, action in NAMED_ACTIONS.items():
        assert action.__name__.startswith("do_") and action.__doc__, name
        action(None, actor=None, message="m", today=TODAY)
        assert fired[-1] == name


def test_every_transition_writes_its_own_audit_event_type_named_as_before():
    assert set(actions.TRANSITION_EVENTS) == set(TRANSITIONS)
    for name, event_type in actions.TRANSITION_EVENTS.items():
        assert event_type.value == f"application.{name}"  # the stored (and hashed) value never changes
        assert event_type.label == TRANSITIONS[name].label


def test_refusals_carry_their_error_codes_as_the_same_text_as_before(application, office, role_users):
    app = set_state(application, State.QUALIFICATION_REVIEW)
    with pytest.raises(ValidationError) as missing_message:
        actions.do_reject_application(app, actor=office)
    with pytest.raises(actions.TransitionNotAllowedError) as wrong_state:
        actions.do_submit_application(app, actor=role_users["institution"])
    with pytest.raises(actions.ConcurrentChangeError) as stale:
        actions.fire(app, "accept", actor=office, expected_version=app.version - 1)
    codes = [missing_message.value.code, wrong_state.value.code, stale.value.code]
    assert codes == ["message_required", "invalid_state", "conflict"]
    assert codes == [ErrorCode.MESSAGE_REQUIRED, ErrorCode.INVALID_STATE, ErrorCode.CONFLICT]
    assert [str(code) for code in codes] == ["message_required", "invalid_state", "conflict"]
