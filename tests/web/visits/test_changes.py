"""After planning (issue 13 item 3): a typhoon closure re-plans that county's visits of the day and
keeps every other (seed 002 §九(三)); an institution's change is accepted only for the reasons of
§九(二); the health bureau's attendance (§十(一)); the iCalendar feed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from pingjian.web.applications.actions import fire
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from pingjian.web.closures.actions import do_enter_closure
from pingjian.web.core.counties import County
from pingjian.web.notifications.models import Notification
from pingjian.web.visits.actions import (
    do_change_visit_date,
    do_declare_conflict,
    do_issue_calendar_feed,
    do_plan_cycle_visits,
    do_record_bureau_attendance,
    do_revoke_calendar_feed,
)
from pingjian.web.visits.ical import escape_text, fold
from pingjian.web.visits.models import CalendarFeed, Visit
from tests.web.support import client_for, make_user

from .test_schedule import on_roster


def _accept(application, actor_submit, office):
    for name, actor in (("submit", actor_submit), ("start_review", office), ("accept", office)):
        fire(application, name, actor=actor)
    return application


@pytest.fixture
def planned(application, their_application, institution_user, postpartum_cycle, office):
    _accept(application, institution_user, office)
    theirs_user = make_user("kangning", "institution", institution=their_application.institution)
    _accept(their_application, theirs_user, office)
    nurse = on_roster("nurse", ["nursing"], postpartum_cycle, office)
    safety = on_roster("safety", ["management"], postpartum_cycle, office)
    do_plan_cycle_visits(postpartum_cycle, actor=office)
    return (
        Visit.objects.get(application=application),
        Visit.objects.get(application=their_application),
        nurse,
        safety,
    )


def test_a_typhoon_closure_moves_that_countys_visits_of_the_day_and_keeps_the_others(
    planned, office, institution_user
):
    """Seed 002 §九(三): 實地訪查作業如遇機構所在地之直轄市或縣市政府發布停班，則予中止，由本部另擇期辦理."""
    ours, theirs, nurse, safety = planned
    old_day, kept = ours.day, (theirs.day, theirs.half)
    do_enter_closure(
        day=old_day, county=County.TAIPEI, closed_for_work=True, source="行政院人事行政總處", actor=office
    )
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.day != old_day
    assert ours.application.cycle.visit_opens <= ours.day <= ours.application.cycle.visit_closes
    assert (theirs.day, theirs.half) == kept  # another county's visit stays
    assert {m.surveyor for m in ours.members.all()} == {nurse, safety}
    event = AuditEvent.objects.get(event_type=EventType.VISITS_REPLANNED_FOR_CLOSURE)
    assert "停止上班" in event.reason
    told = set(
        Notification.objects.filter(subject__contains="實地訪查改期").values_list("recipient", flat=True)
    )
    assert told == {institution_user.pk, nurse.pk, safety.pk}


def test_a_closure_elsewhere_moves_nothing(planned, office):
    ours, _theirs, _nurse, _safety = planned
    old = (ours.day, ours.half)
    do_enter_closure(
        day=ours.day, county=County.HUALIEN, closed_for_work=True, source="花蓮縣政府", actor=office
    )
    ours.refresh_from_db()
    assert (ours.day, ours.half) == old
    assert not AuditEvent.objects.filter(event_type=EventType.VISITS_REPLANNED_FOR_CLOSURE).exists()


def _next_workday(visit):
    from pingjian.web.closures.calendar import closures_calendar

    other = Visit.objects.exclude(pk=visit.pk).get()
    return closures_calendar().next_workday(max(visit.day, other.day), "臺北市")  # no visit there


@pytest.mark.parametrize(
    "reason_code", ["natural_disaster", "major_disaster", "force_majeure", "government_policy"]
)
def test_an_institutions_change_is_accepted_for_the_reasons_of_the_seed(planned, office, reason_code):
    """Seed 002 §九(二): 除天然、重大災害、不可抗力情況或政府政策外，不接受受評機構要求而變更日期時間."""
    ours = planned[0]
    day = _next_workday(ours)
    do_change_visit_date(
        ours, day=day, half="pm", reason_code=reason_code, reason="地震後建物安全檢查", actor=office
    )
    ours.refresh_from_db()
    assert (ours.day, ours.half, ours.pinned) == (day, "pm", True)
    event = AuditEvent.objects.get(event_type=EventType.VISIT_DATE_CHANGED)
    assert event.reason == "地震後建物安全檢查" and event.after["reason_code"] == reason_code


@pytest.mark.parametrize("reason_code", ["other", "", "staff_leave"])
def test_an_institutions_change_for_any_other_reason_is_refused(planned, office, reason_code):
    """Seed 002 §九(二)."""
    ours = planned[0]
    old = (ours.day, ours.half)
    with pytest.raises(ValidationError, match="第九點第二款"):
        do_change_visit_date(
            ours,
            day=_next_workday(ours),
            half="pm",
            reason_code=reason_code,
            reason="負責人出國",
            actor=office,
        )
    ours.refresh_from_db()
    assert (ours.day, ours.half) == old


def test_the_change_form_on_the_schedule_page_refuses_other_reasons(planned, office, postpartum_cycle):
    ours = planned[0]
    client = client_for(office)
    page = client.post(
        f"/visits/{ours.pk}/change-date/",
        {"day": "2099-01-01", "half": "am", "reason_code": "other", "reason": "負責人出國"},
        follow=True,
    ).content.decode()
    assert "不接受受評機構要求變更訪查日期" in page


def test_the_bureau_attendance_is_recorded_on_the_visit(planned, office):
    """Seed 002 §十(一): 接受實地訪查機構所在地之地方政府（衛生局）應派員會同."""
    ours = planned[0]
    with pytest.raises(ValidationError):
        do_record_bureau_attendance(ours, attended=True, attendee=" ", actor=office)
    do_record_bureau_attendance(ours, attended=True, attendee="臺北市政府衛生局 林科員", actor=office)
    ours.refresh_from_db()
    assert ours.bureau_attended and ours.bureau_attendee == "臺北市政府衛生局 林科員"
    page = client_for(office).get(f"/visits/cycles/{ours.application.cycle_id}/schedule/").content.decode()
    assert "林科員" in page
    assert AuditEvent.objects.filter(event_type=EventType.VISIT_BUREAU_ATTENDANCE).count() == 1


# --- iCalendar ----------------------------------------------------------------------------------------------


def test_text_is_escaped_and_long_lines_folded_without_splitting_a_character():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "實地訪查" * 30
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert "".join(parts) == line


def test_a_surveyor_subscribes_to_a_feed_of_their_visits(planned, office):
    ours, _theirs, nurse, _safety = planned
    feed = do_issue_calendar_feed(nurse, actor=nurse)
    response = Client().get(f"/visits/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode("utf-8")
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert body.count("BEGIN:VEVENT") == 2
    assert f"UID:visit-{ours.pk}@" in body
    start = dt.datetime.combine(
        ours.day, dt.time(9 if ours.half == "am" else 13, 0 if ours.half == "am" else 30)
    )
    utc = start - dt.timedelta(hours=8)
    assert f"DTSTART:{utc:%Y%m%dT%H%M%S}Z" in body
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:實地訪查：安心產後護理之家" in unfolded


def test_a_conflicted_surveyors_feed_drops_the_institution(planned, office):
    ours, _theirs, nurse, _safety = planned
    feed = do_issue_calendar_feed(nurse, actor=nurse)
    do_declare_conflict(
        nurse, ours.application.institution, actor=nurse, reason="親屬任職", reason_code="family"
    )
    body = Client().get(f"/visits/calendar/{feed.token}.ics").content.decode()
    assert f"visit-{ours.pk}@" not in body and body.count("BEGIN:VEVENT") == 1


def test_the_institutions_feed_and_a_revoked_token(planned, institution_user):
    ours = planned[0]
    feed = do_issue_calendar_feed(institution_user, actor=institution_user)
    body = Client().get(f"/visits/calendar/{feed.token}.ics").content.decode()
    assert body.count("BEGIN:VEVENT") == 1 and f"visit-{ours.pk}@" in body
    do_revoke_calendar_feed(institution_user, actor=institution_user)
    assert Client().get(f"/visits/calendar/{feed.token}.ics").status_code == 404
    assert AuditEvent.objects.filter(event_type=EventType.CALENDAR_FEED_REVOKED).count() == 1


def test_a_renewed_token_replaces_the_old_and_nobody_issues_anothers(surveyor, institution_user):
    old = do_issue_calendar_feed(surveyor, actor=surveyor)
    new = do_issue_calendar_feed(surveyor, actor=surveyor)
    assert Client().get(f"/visits/calendar/{old.token}.ics").status_code == 404
    assert Client().get(f"/visits/calendar/{new.token}.ics").status_code == 200
    with pytest.raises(PermissionDenied):
        do_issue_calendar_feed(surveyor, actor=institution_user)


def test_a_feed_stops_when_the_role_is_gone(surveyor):
    feed = do_issue_calendar_feed(surveyor, actor=surveyor)
    surveyor.is_active = False
    surveyor.save()
    assert Client().get(f"/visits/calendar/{feed.token}.ics").status_code == 404


def test_the_feed_page_issues_and_revokes(surveyor):
    client = client_for(surveyor)
    page = client.post("/visits/calendar/", {"action": "issue"}, follow=True).content.decode()
    assert ".ics" in page and "訂閱網址" in page
    client.post("/visits/calendar/", {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=surveyor).exists()


@pytest.mark.parametrize(
    ("role", "status"), [("surveyor", 200), ("institution", 200), ("bureau", 200), ("office", 403)]
)
def test_who_may_subscribe(role, status, role_users):
    assert client_for(role_users[role]).get("/visits/calendar/").status_code == status


def test_when_no_other_day_remains_the_visit_stays_and_the_office_is_told(planned, office, postpartum_cycle):
    ours = planned[0]
    old = (ours.day, ours.half)
    # the period shrinks to the visit's day (the other county's visit, outside it now, is kept)
    type(postpartum_cycle).objects.filter(pk=postpartum_cycle.pk).update(
        visit_opens=ours.day, visit_closes=ours.day
    )
    do_enter_closure(
        day=ours.day, county=County.TAIPEI, closed_for_work=True, source="臺北市政府", actor=office
    )
    ours.refresh_from_db()
    assert (ours.day, ours.half) == old
    assert Notification.objects.filter(recipient=office, subject__contains="無法自動改排").exists()


def test_a_change_onto_a_half_day_the_team_is_busy_is_refused(planned, office):
    ours, theirs, _nurse, _safety = planned
    old = (ours.day, ours.half)
    with pytest.raises(ValidationError, match="已有其他實地訪查"):
        do_change_visit_date(
            ours,
            day=theirs.day,
            half=theirs.half,
            reason_code="government_policy",
            reason="防疫政策",
            actor=office,
        )
    ours.refresh_from_db()
    assert (ours.day, ours.half) == old


def test_a_closure_leaves_alone_a_visit_the_scheduler_does_not_place(application, office):
    """A visit whose application is not in a planned state (here a draft) has no request in the
    schedule: a closure on its day re-plans nothing and does not fail (it failed with a KeyError)."""
    from pingjian.web.closures.calendar import closures_calendar
    from pingjian.web.core.clock import local_today

    day = closures_calendar().next_workday(local_today() + dt.timedelta(days=10), "臺北市")
    visit = Visit.objects.create(application=application, day=day, half="am")
    do_enter_closure(
        day=day, county=County.TAIPEI, closed_for_work=True, source="臺北市政府：颱風", actor=office
    )
    visit.refresh_from_db()
    assert (visit.day, visit.half) == (day, "am")
