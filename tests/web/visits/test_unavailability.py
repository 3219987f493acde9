"""Surveyors' unavailable half-days (seed 002 §四: the roster; issue 13 item 1: "availability by
half-day"): the surveyor marks and removes them on their own page, the office records them for a
surveyor, the planner never places the surveyor on one, and a half-day already on a visit is
refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from pingjian.rules.roc import roc_date, roc_date_long
from pingjian.scheduling import solve
from pingjian.web.applications.actions import fire
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from pingjian.web.closures.calendar import closures_calendar
from pingjian.web.core.clock import local_today
from pingjian.web.visits.actions import (
    do_plan_cycle_visits,
    do_record_consensus_attendance,
    do_set_surveyor_profile,
    do_set_unavailable,
)
from pingjian.web.visits.forms import UnavailabilityForm
from pingjian.web.visits.models import SurveyorUnavailability, Visit, VisitMember
from pingjian.web.visits.planning import cycle_problem
from tests.web.support import client_for, make_user

TODAY = dt.date.today()
LATER = TODAY + dt.timedelta(days=60)


@pytest.fixture
def accepted(application, institution_user, office):
    for name, actor in (("submit", institution_user), ("start_review", office), ("accept", office)):
        fire(application, name, actor=actor)
    return application


def on_roster(username, expertise, cycle, office):
    user = make_user(username, "surveyor")
    do_set_surveyor_profile(user, expertise=expertise, programs=["postpartum"], actor=office)
    do_record_consensus_attendance(user, cycle, attended_on=TODAY, actor=office)
    return user


def rows(surveyor):
    return set(SurveyorUnavailability.objects.filter(surveyor=surveyor).values_list("day", "half"))


def test_seed_002_s4_a_surveyor_marks_a_whole_day_and_a_half_day_and_removes_one(surveyor):
    client = client_for(surveyor)
    later = LATER + dt.timedelta(days=1)
    response = client.post(
        "/visits/unavailable/", {"day": roc_date(LATER), "half": "day", "reason": "出國開會"}
    )
    assert response.status_code == 302
    client.post("/visits/unavailable/", {"day": roc_date(later), "half": "pm"})  # reason optional
    assert rows(surveyor) == {(LATER, "am"), (LATER, "pm"), (later, "pm")}
    assert SurveyorUnavailability.objects.get(surveyor=surveyor, day=LATER, half="am").reason == "出國開會"
    page = client.get("/visits/").content.decode()
    listed = page.split('data-testid="unavailable-list"')[1].split("</table>")[0]
    assert roc_date_long(LATER) in listed and roc_date_long(later) in listed and "出國開會" in listed
    assert LATER.isoformat() not in listed  # shown in ROC dates
    row = SurveyorUnavailability.objects.get(surveyor=surveyor, day=later)
    assert client.post(f"/visits/unavailable/{row.pk}/remove/").status_code == 302
    assert rows(surveyor) == {(LATER, "am"), (LATER, "pm")}
    assert roc_date_long(later) not in client.get("/visits/").content.decode()
    events = AuditEvent.objects.filter(actor=surveyor)
    assert events.filter(event_type=EventType.SURVEYOR_UNAVAILABILITY_SET).count() == 2
    assert events.filter(event_type=EventType.SURVEYOR_UNAVAILABILITY_REMOVED).count() == 1


def test_a_past_day_and_a_bad_date_are_refused_on_the_form(surveyor):
    client = client_for(surveyor)
    yesterday = TODAY - dt.timedelta(days=1)
    assert client.post("/visits/unavailable/", {"day": roc_date(yesterday), "half": "am"}).status_code == 422
    assert client.post("/visits/unavailable/", {"day": "115/13/45", "half": "am"}).status_code == 422
    assert not rows(surveyor)


def test_the_office_sees_and_records_a_surveyors_half_days_with_a_reason(office, surveyor):
    do_set_unavailable(surveyor, slots=[(LATER, "am")], actor=surveyor, reason="門診")
    client = client_for(office)
    page = client.get(f"/visits/surveyors/{surveyor.pk}/").content.decode()
    assert roc_date_long(LATER) in page and "門診" in page
    later = LATER + dt.timedelta(days=2)
    url = f"/visits/surveyors/{surveyor.pk}/unavailable/"
    assert client.post(url, {"day": roc_date(later), "half": "am"}).status_code == 422  # the reason
    response = client.post(url, {"day": roc_date(later), "half": "am", "reason": "委員來電告知"})
    assert response.status_code == 302
    assert rows(surveyor) == {(LATER, "am"), (later, "am")}
    event = AuditEvent.objects.get(event_type=EventType.SURVEYOR_UNAVAILABILITY_SET, actor=office)
    assert event.reason == "委員來電告知"
    row = SurveyorUnavailability.objects.get(surveyor=surveyor, day=LATER)
    response = client.post(f"/visits/unavailable/{row.pk}/remove/")
    assert response.status_code == 302 and response["Location"].startswith(
        f"/visits/surveyors/{surveyor.pk}/"
    )
    assert rows(surveyor) == {(later, "am")}


def test_another_surveyor_cannot_see_or_remove_them(surveyor):
    do_set_unavailable(surveyor, slots=[(LATER, "am")], actor=surveyor)
    row = SurveyorUnavailability.objects.get()
    other = make_user("other", "surveyor")
    client = client_for(other)
    assert client.post(f"/visits/unavailable/{row.pk}/remove/").status_code == 404
    assert client.post(f"/visits/surveyors/{surveyor.pk}/unavailable/", {}).status_code == 404
    assert roc_date_long(LATER) not in client.get("/visits/").content.decode()
    assert SurveyorUnavailability.objects.filter(pk=row.pk).exists()
    with pytest.raises(PermissionDenied):
        do_set_unavailable(surveyor, slots=[(LATER, "pm")], actor=other)


def test_seed_002_s4_the_planner_does_not_place_the_surveyor_on_a_marked_half_day(
    accepted, postpartum_cycle, office
):
    nurse = on_roster("nurse", ["nursing"], postpartum_cycle, office)
    on_roster("safety", ["management"], postpartum_cycle, office)
    calendar = closures_calendar()
    # where the planner puts the visit (and the only nurse) while every half-day is free
    schedule = solve(cycle_problem(postpartum_cycle, calendar, local_today()).problem, calendar)
    (first,) = schedule.placements.values()
    assert first.team["醫護"] == str(nurse.pk)
    day = first.slot.day
    client_for(nurse).post("/visits/unavailable/", {"day": roc_date(day), "half": "day"})
    assert rows(nurse) == {(day, "am"), (day, "pm")}
    do_plan_cycle_visits(postpartum_cycle, actor=office)
    visit = Visit.objects.get(application=accepted)
    assert visit.members.filter(surveyor=nurse).exists()  # the only nurse, on another day
    assert visit.day != day


def test_a_half_day_already_on_a_visit_is_refused_naming_the_visit(accepted, surveyor):
    visit = Visit.objects.create(application=accepted, day=LATER, half="pm")
    VisitMember.objects.create(visit=visit, surveyor=surveyor, role="醫護")
    client = client_for(surveyor)
    response = client.post("/visits/unavailable/", {"day": roc_date(LATER), "half": "day"})
    assert response.status_code == 422
    body = response.content.decode()
    assert accepted.institution.name in body and "已排定" in body and roc_date_long(LATER) in body
    assert not rows(surveyor)  # not even the free morning: nothing of a refused entry is kept
    with pytest.raises(ValidationError, match=accepted.institution.name):
        do_set_unavailable(surveyor, slots=[(LATER, "pm")], actor=surveyor)
    do_set_unavailable(surveyor, slots=[(LATER, "am")], actor=surveyor)  # the other half is free
    assert rows(surveyor) == {(LATER, "am")}


def test_the_unavailable_half_days_in_english(surveyor):
    do_set_unavailable(surveyor, slots=[(LATER, "am")], actor=surveyor)
    with translation.override("en"):
        assert str(EventType.SURVEYOR_UNAVAILABILITY_REMOVED.label) == "Unavailable half-day removed"
        form = UnavailabilityForm()
        assert dict(form.fields["half"].choices)["day"] == "Whole day"
    client = client_for(surveyor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's cookie
    page = client.get("/visits/").content.decode()
    assert "Unavailable half-days" in page and "Mark as unavailable" in page
