"""Typhoon closures (停班停課) per county, entered by office staff, and every deadline the web app
computes: supplement (seed 001, 5 working days), evidence (seed 001, 1 month before the visit),
appeal (seed 002 §十二(一), 14 days from the day after receipt, 行政程序法第48條) and the
dashboard's working days left."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.audit.chain import verify_chain
from pingjian.web.audit.models import AuditEvent
from pingjian.web.closures.actions import do_enter_closure, do_withdraw_closure
from pingjian.web.closures.models import Closure
from pingjian.web.core.counties import County
from pingjian.web.notifications.models import Notification
from pingjian.web.reminders.due import due_items
from tests.web.support import client_for

NOTIFIED = dt.date(2023, 6, 20)  # Tue; 6/22–6/23 端午節 → 6/21, 6/26, 6/27, 6/28, 6/29


def _supplement(application, office):  # type: ignore[no-untyped-def]
    Application.objects.filter(pk=application.pk).update(state=State.QUALIFICATION_REVIEW)
    application.refresh_from_db()
    return actions.do_request_supplement(application, actor=office, message="請補件", today=NOTIFIED)


def _close(office, day, county=County.TAIPEI, **kw):  # type: ignore[no-untyped-def]
    values = {"closed_for_work": True, "source": "行政院人事行政總處：杜蘇芮颱風停止上班", **kw}
    return do_enter_closure(day=day, county=county, actor=office, **values)


def test_a_supplement_deadline_moves_when_its_county_closes_and_not_for_another_county(
    application, office, institution_user
):
    app = _supplement(application, office)
    assert app.supplement_due == dt.date(2023, 6, 29)
    _close(office, dt.date(2023, 6, 27), County.KAOHSIUNG)  # another county: nothing moves
    app.refresh_from_db()
    assert app.supplement_due == dt.date(2023, 6, 29)
    closure = _close(office, dt.date(2023, 6, 27))  # Taipei, the institution's county
    app.refresh_from_db()
    assert app.supplement_due == dt.date(2023, 6, 30)  # 6/27 no longer counts: the 5th is 6/30
    event = AuditEvent.objects.for_subject(app).get(event_type="application.deadlines_recomputed")
    assert event.after == {"supplement_due": "2023-06-30", "version": app.version}
    assert "杜蘇芮" in event.reason
    note = Notification.objects.get(recipient=institution_user, subject__contains="期限變更")
    assert "113年" not in note.subject and "112年6月30日" in note.subject
    assert "登錄停止上班：112年6月27日臺北市" in note.body and "末日為112年6月30日（星期五）" in note.body
    do_withdraw_closure(closure, reason="誤植日期", actor=office)
    app.refresh_from_db()
    assert app.supplement_due == dt.date(2023, 6, 29)
    assert verify_chain().ok


def test_a_closure_entered_first_counts_when_the_supplement_is_requested(application, office):
    _close(office, dt.date(2023, 6, 21))
    app = _supplement(application, office)
    assert app.supplement_due == dt.date(2023, 6, 30)
    assert "末日為112年6月30日" in app.transitions.get(name="request_supplement").explanation


def test_a_school_only_closure_moves_no_deadline(application, office):
    app = _supplement(application, office)
    _close(office, dt.date(2023, 6, 27), closed_for_work=False, source="臺北市政府：停課")
    app.refresh_from_db()
    assert app.supplement_due == dt.date(2023, 6, 29)


def test_the_evidence_deadline_moves_back_off_a_closure(programs, office, ours):
    from tests.web.support import make_cycle

    cycle = make_cycle(
        programs["aesthetic-clinic-112"],
        office,
        application_opens=dt.date(2023, 5, 15),
        application_closes=dt.date(2023, 6, 30),
        visit_opens=dt.date(2023, 8, 1),
        visit_closes=dt.date(2023, 12, 31),
    )
    app = actions._create(cycle, ours, actor=office, reason="")
    Application.objects.filter(pk=app.pk).update(state=State.ACCEPTED)
    app.refresh_from_db()
    # visit Wed 11/15 → 10/15 is a Sunday → the working day before, Fri 10/13
    app = actions.do_request_evidence(
        app, actor=office, visit_date=dt.date(2023, 11, 15), today=dt.date(2023, 7, 3)
    )
    assert app.evidence_due == dt.date(2023, 10, 13)
    _close(office, dt.date(2023, 10, 13))
    app.refresh_from_db()
    assert app.evidence_due == dt.date(2023, 10, 12)


def test_the_appeal_deadline_from_receipt_moves_off_a_closure(application, office, institution_user):
    Application.objects.filter(pk=application.pk).update(state=State.SCORED, total=65)
    application.refresh_from_db()
    app = actions.do_decide_application(application, actor=office, result="fail", today=dt.date(2023, 1, 2))
    app = actions.do_record_notice_receipt(app, actor=institution_user, today=dt.date(2023, 1, 3))
    assert app.appeal_due == dt.date(2023, 1, 17)
    _close(office, dt.date(2023, 1, 17))
    app.refresh_from_db()
    assert app.appeal_due == dt.date(2023, 1, 18)  # §48 IV: a rest day as last day → the next day
    event = AuditEvent.objects.for_subject(app).get(event_type="application.deadlines_recomputed")
    assert event.after["appeal_due"] == "2023-01-18"


def test_the_dashboard_counts_working_days_left_without_the_closed_day(application, office, institution_user):
    _supplement(application, office)

    def left() -> int | None:
        return next(
            i.working_days_left for i in due_items(institution_user, dt.date(2023, 6, 26)) if i.kind == "補件"
        )

    assert left() == 3  # 6/27, 6/28, 6/29
    _close(office, dt.date(2023, 6, 28), County.KAOHSIUNG)
    assert left() == 3
    _close(office, dt.date(2023, 6, 28))
    assert left() == 3  # 6/27, 6/29, 6/30: the deadline moved to 6/30 as well


def test_only_office_staff_enter_or_withdraw_closures(role_users, office):
    for name, user in role_users.items():
        if name == "office":
            continue
        with pytest.raises(PermissionDenied):
            _close(user, dt.date(2023, 7, 28))
    closure = _close(office, dt.date(2023, 7, 28))
    with pytest.raises(PermissionDenied):
        do_withdraw_closure(closure, reason="x", actor=role_users["institution"])
    with pytest.raises(ValidationError, match="理由"):
        do_withdraw_closure(closure, reason=" ", actor=office)
    assert AuditEvent.objects.for_subject(closure).get().event_type == "closure.entered"


def test_closure_input_is_checked(office):
    _close(office, dt.date(2023, 7, 28))
    with pytest.raises(ValidationError, match="已有停班停課紀錄"):
        _close(office, dt.date(2023, 7, 28))
    with pytest.raises(ValidationError, match="公告來源"):
        _close(office, dt.date(2023, 7, 29), County.YILAN, source=" ")
    with pytest.raises(ValidationError, match="尚未載入"):
        _close(office, dt.date(2017, 7, 28), County.YILAN)  # 2017: no calendar file


def test_the_closures_page_per_role(role_users, office):
    data = {"day": "112/07/28", "county": County.TAIPEI, "closed_for_work": "on", "source": "人事行政總處"}
    for name, user in role_users.items():
        client = client_for(user)
        page = client.get("/closures/")
        assert page.status_code == 200, name
        assert ('data-testid="closure-form"' in page.content.decode()) == (name == "office"), name
        if name != "office":
            assert client.post("/closures/", data).status_code == 403, name
    assert client_for(None).get("/closures/").status_code == 302  # to the login page
    response = client_for(office).post("/closures/", data)
    assert response.status_code == 302
    closure = Closure.objects.get()
    assert (closure.day, closure.county, closure.entered_by) == (dt.date(2023, 7, 28), "TPE", office)
    page = client_for(office).get("/closures/").content.decode()
    assert "112年7月28日" in page and "人事行政總處" in page
    assert client_for(office).post("/closures/", data).status_code == 422  # the same day again
    withdraw = {f"c{closure.pk}-reason": "誤植"}
    assert (
        client_for(role_users["institution"]).post(f"/closures/{closure.pk}/withdraw/", withdraw).status_code
        == 403
    )
    assert client_for(None).post(f"/closures/{closure.pk}/withdraw/", withdraw).status_code == 302
    assert client_for(office).post("/closures/999999/withdraw/", withdraw).status_code == 404
    assert client_for(office).post(f"/closures/{closure.pk}/withdraw/", withdraw).status_code == 302
    assert not Closure.objects.exists()
