"""A visit moved keeps the application's dates with it (issue 13 item 3): the visit date told to the
institution and the evidence due day computed from it (seed 001 「繳交資料」: 實地訪視當日前1個月)
follow a pin, an institution's change and a closure's re-plan; a closure withdrawn moves the visits
it cancelled back (seed 002 §九(三)) or asks the office to; and a visit of two half-days is busy in
both (the pin's busy-check)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pingjian.rules import deadlines
from pingjian.rules.program_schema import VisitPlan
from pingjian.web.applications.actions import fire
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from pingjian.web.closures.actions import do_enter_closure, do_withdraw_closure
from pingjian.web.closures.calendar import closures_calendar
from pingjian.web.core.counties import County
from pingjian.web.notifications.models import Notification
from pingjian.web.visits import actions as visit_actions
from pingjian.web.visits import planning
from pingjian.web.visits.actions import do_change_visit_date, do_pin_visit
from pingjian.web.visits.models import Visit

from .test_changes import _next_workday, planned  # noqa: F401  (the fixture)


def _evidence_requested(visit, office):
    fire(visit.application, "request_evidence", actor=office, visit_date=visit.day)
    visit.application.refresh_from_db()
    return visit.application


def _expected_due(day):
    return deadlines.evidence_due(day, closures_calendar(), "臺北市").due


def test_a_pinned_visit_moves_the_applications_visit_date_and_evidence_due(planned, office):  # noqa: F811
    ours = planned[0]
    application = _evidence_requested(ours, office)
    day = _next_workday(ours)
    assert application.visit_date != day
    do_pin_visit(ours, day=day, half="pm", actor=office, reason="機構負責人另有行程（電話確認）")
    application.refresh_from_db()
    assert application.visit_date == day and application.evidence_due == _expected_due(day)
    event = AuditEvent.objects.get(event_type=EventType.APPLICATION_VISIT_DATE_MOVED)
    assert "電話確認" in event.reason and event.after["visit_date"] == day.isoformat()


def test_an_institutions_change_moves_the_applications_dates_too(planned, office):  # noqa: F811
    ours = planned[0]
    application = _evidence_requested(ours, office)
    day = _next_workday(ours)
    do_change_visit_date(
        ours, day=day, half="am", reason_code="natural_disaster", reason="地震", actor=office
    )
    application.refresh_from_db()
    assert (application.visit_date, application.evidence_due) == (day, _expected_due(day))


def test_before_the_evidence_request_the_application_has_no_date_to_move(planned, office):  # noqa: F811
    ours = planned[0]
    do_pin_visit(ours, day=_next_workday(ours), half="am", actor=office, reason="調整")
    ours.application.refresh_from_db()
    assert ours.application.visit_date is None
    assert not AuditEvent.objects.filter(event_type=EventType.APPLICATION_VISIT_DATE_MOVED).exists()


def _close(day, office):
    return do_enter_closure(
        day=day, county=County.TAIPEI, closed_for_work=True, source="臺北市政府", actor=office
    )


def test_a_withdrawn_closure_moves_the_visit_back_with_the_applications_dates(
    planned,  # noqa: F811
    office,
    institution_user,
):
    """Seed 002 §九(三): the closure cancelled the visit; withdrawn (entered by mistake), it stands."""
    ours = planned[0]
    application = _evidence_requested(ours, office)
    old = (ours.day, ours.half)
    closure = _close(ours.day, office)
    ours.refresh_from_db()
    application.refresh_from_db()
    assert ours.day != old[0] and application.visit_date == ours.day
    assert application.evidence_due == _expected_due(ours.day)

    do_withdraw_closure(closure, reason="誤植日期", actor=office)
    ours.refresh_from_db()
    application.refresh_from_db()
    assert (ours.day, ours.half) == old and ours.moved_from_day is None
    assert (application.visit_date, application.evidence_due) == (old[0], _expected_due(old[0]))
    event = AuditEvent.objects.get(event_type=EventType.VISIT_RESTORED_AFTER_CLOSURE)
    assert "誤植日期" in event.reason
    assert Notification.objects.filter(recipient=institution_user, subject__contains="改回原訂日期").exists()


def test_when_the_team_is_busy_then_the_office_is_asked_to_move_it_back(planned, office):  # noqa: F811
    ours, theirs = planned[0], planned[1]
    old = (ours.day, ours.half)
    closure = _close(ours.day, office)
    ours.refresh_from_db()
    moved = (ours.day, ours.half)
    do_pin_visit(theirs, day=old[0], half=old[1], actor=office, reason="機構要求（政府政策）")
    do_withdraw_closure(closure, reason="誤植日期", actor=office)
    ours.refresh_from_db()
    assert (ours.day, ours.half) == moved and ours.moved_from_day == old[0]
    note = Notification.objects.get(recipient=office, subject__contains="可改回原訂日期")
    assert "安心產後護理之家" in note.body
    assert not AuditEvent.objects.filter(event_type=EventType.VISIT_RESTORED_AFTER_CLOSURE).exists()


@pytest.fixture
def two_half_days(monkeypatch):
    """The programs' visits take two half-days (a whole day), as a program file may set."""
    real = planning.plan_of

    def whole_day(program):
        plan = real(program)
        return VisitPlan(half_days=2, team=plan.team, reference=plan.reference)

    monkeypatch.setattr(planning, "plan_of", whole_day)
    monkeypatch.setattr(visit_actions, "plan_of", whole_day)


def test_a_pin_overlapping_another_visits_half_day_is_refused_for_a_two_half_day_visit(
    planned,  # noqa: F811
    office,
    two_half_days,
):
    ours, theirs = planned[0], planned[1]
    day = _next_workday(ours)
    Visit.objects.filter(pk=theirs.pk).update(day=day, half="pm")  # the team's afternoon is taken
    old = (ours.day, ours.half)
    with pytest.raises(ValidationError, match="已有其他實地訪查"):
        do_pin_visit(ours, day=day, half="am", actor=office, reason="調整")
    with pytest.raises(ValidationError, match="須自上午開始"):
        do_pin_visit(ours, day=day, half="pm", actor=office, reason="調整")
    ours.refresh_from_db()
    assert (ours.day, ours.half) == old


def test_a_half_day_visit_may_take_the_other_half_of_that_day(planned, office):  # noqa: F811
    ours, theirs = planned[0], planned[1]
    day = _next_workday(ours)
    Visit.objects.filter(pk=theirs.pk).update(day=day, half="pm")
    do_pin_visit(ours, day=day, half="am", actor=office, reason="調整")
    ours.refresh_from_db()
    assert (ours.day, ours.half) == (day, "am")
