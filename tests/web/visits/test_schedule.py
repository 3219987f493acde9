"""The visit schedule in the application (issue 13 items 1 and 3): the roster, the consensus
meeting, conflicts and pins given to the scheduler, its answer stored as visits with their teams.
Seed 002 §四(一) (醫護、管理與環境安全 surveyors who attended the consensus meeting), §十(二)
(3 hours: one half-day), §四(二) (conflicts of interest)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pingjian.rules.workcal import WorkingDayCalendar
from pingjian.web.applications.actions import fire
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from pingjian.web.visits.actions import (
    do_declare_conflict,
    do_pin_visit,
    do_plan_cycle_visits,
    do_record_consensus_attendance,
    do_set_surveyor_profile,
)
from pingjian.web.visits.models import Visit
from tests.web.support import client_for, make_user

TODAY = dt.date.today()


@pytest.fixture
def accepted(application, institution_user, office):
    for name, actor in (("submit", institution_user), ("start_review", office), ("accept", office)):
        fire(application, name, actor=actor)
    return application


def on_roster(username, expertise, cycle, office, *, consensus=True):
    user = make_user(username, "surveyor")
    do_set_surveyor_profile(user, expertise=expertise, programs=["postpartum"], actor=office)
    if consensus:
        do_record_consensus_attendance(user, cycle, attended_on=TODAY, actor=office)
    return user


def test_an_accepted_application_gets_a_half_day_visit_with_one_of_each_role(
    accepted, postpartum_cycle, office
):
    nurse = on_roster("nurse", ["nursing"], postpartum_cycle, office)
    safety = on_roster("safety", ["environment_safety"], postpartum_cycle, office)
    schedule = do_plan_cycle_visits(postpartum_cycle, actor=office)
    visit = Visit.objects.get(application=accepted)
    assert {(m.role, m.surveyor) for m in visit.members.all()} == {
        ("醫護", nurse),
        ("管理與環境安全", safety),
    }
    assert postpartum_cycle.visit_opens <= visit.day <= postpartum_cycle.visit_closes
    assert WorkingDayCalendar.load().is_workday(visit.day, "臺北市")
    assert schedule.optimal
    assert AuditEvent.objects.filter(event_type=EventType.VISITS_PLANNED).count() == 1


def test_a_conflicted_surveyor_is_never_on_the_team_and_the_missing_role_is_named(
    accepted, postpartum_cycle, office, ours
):
    nurse = on_roster("nurse", ["nursing"], postpartum_cycle, office)
    on_roster("safety", ["management"], postpartum_cycle, office)
    do_declare_conflict(nurse, ours, actor=nurse, reason="曾任該機構護理長")
    with pytest.raises(ValidationError, match="醫護"):
        do_plan_cycle_visits(postpartum_cycle, actor=office)
    assert not Visit.objects.exists()


def test_a_surveyor_who_missed_the_consensus_meeting_is_not_assigned(accepted, postpartum_cycle, office):
    on_roster("nurse", ["nursing"], postpartum_cycle, office, consensus=False)
    on_roster("safety", ["management"], postpartum_cycle, office)
    with pytest.raises(ValidationError, match="醫護"):
        do_plan_cycle_visits(postpartum_cycle, actor=office)


def test_a_pinned_visit_keeps_its_half_day_when_the_cycle_is_planned_again(
    accepted, postpartum_cycle, office
):
    on_roster("nurse", ["nursing"], postpartum_cycle, office)
    on_roster("safety", ["management"], postpartum_cycle, office)
    do_plan_cycle_visits(postpartum_cycle, actor=office)
    visit = Visit.objects.get()
    calendar = WorkingDayCalendar.load()
    day = calendar.next_workday(calendar.next_workday(visit.day, "臺北市"), "臺北市")
    do_pin_visit(visit, day=day, half="pm", actor=office, reason="機構負責人另有行程（電話確認）")
    do_plan_cycle_visits(postpartum_cycle, actor=office)
    visit.refresh_from_db()
    assert (visit.day, visit.half, visit.pinned) == (day, "pm", True)


def test_a_pin_on_a_day_off_is_refused(accepted, postpartum_cycle, office):
    on_roster("nurse", ["nursing"], postpartum_cycle, office)
    on_roster("safety", ["management"], postpartum_cycle, office)
    do_plan_cycle_visits(postpartum_cycle, actor=office)
    visit = Visit.objects.get()
    saturday = visit.day + dt.timedelta(days=(5 - visit.day.weekday()) % 7)
    with pytest.raises(ValidationError, match="非臺北市之上班日"):
        do_pin_visit(visit, day=saturday, half="am", actor=office, reason="測試")


@pytest.mark.parametrize(
    ("role", "status"), [("office", 200), ("institution", 403), ("surveyor", 403), ("bureau", 403)]
)
def test_only_the_office_plans(role, status, role_users, postpartum_cycle):
    response = client_for(role_users[role]).get(f"/visits/cycles/{postpartum_cycle.pk}/schedule/")
    assert response.status_code == status


def test_the_office_plans_from_the_page_and_the_surveyor_sees_the_visit(accepted, postpartum_cycle, office):
    nurse = on_roster("nurse", ["nursing"], postpartum_cycle, office)
    on_roster("safety", ["management"], postpartum_cycle, office)
    client = client_for(office)
    assert "待排定 1 件" in client.get(f"/cycles/{postpartum_cycle.pk}/").content.decode()
    response = client.post(f"/visits/cycles/{postpartum_cycle.pk}/schedule/plan/", follow=True)
    page = response.content.decode()
    assert "已排定 1 場實地訪查" in page and accepted.institution.name in page
    assert accepted.institution.name in client_for(nurse).get("/visits/").content.decode()


def test_the_roster_form_on_the_surveyor_page(office, postpartum_cycle, programs):
    surveyor = make_user("newcomer", "surveyor")
    client = client_for(office)
    client.post(
        f"/visits/surveyors/{surveyor.pk}/profile/", {"expertise": ["midwifery"], "programs": ["postpartum"]}
    )
    client.post(
        f"/visits/surveyors/{surveyor.pk}/consensus/",
        {"cycle": postpartum_cycle.pk, "attended_on": "111/06/20"},
    )
    surveyor.refresh_from_db()
    assert surveyor.surveyor_profile.expertise == ["midwifery"]
    assert surveyor.consensus_meetings.get().attended_on == dt.date(2022, 6, 20)
    assert "助產" in client.get(f"/visits/surveyors/{surveyor.pk}/").content.decode()


def test_the_surveyors_dashboard_shows_todays_and_upcoming_visits(accepted, postpartum_cycle, office, ours):
    nurse = on_roster("nurse", ["nursing"], postpartum_cycle, office)
    on_roster("safety", ["management"], postpartum_cycle, office)
    do_plan_cycle_visits(postpartum_cycle, actor=office)
    visit = Visit.objects.get()
    page = client_for(nurse).get("/dashboard/").content.decode()
    upcoming = page[page.index('data-testid="visits-upcoming"') :]
    assert ours.name in upcoming[: upcoming.index("</ul>")]
    Visit.objects.filter(pk=visit.pk).update(day=dt.date.today())
    today = client_for(nurse).get("/dashboard/").content.decode()
    listed = today[today.index('data-testid="visits-today"') :]
    assert f"/assessments/visits/{visit.pk}/" in listed[: listed.index("</ul>")]
