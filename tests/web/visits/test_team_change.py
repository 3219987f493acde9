"""The office changes a visit's team by hand (PRODUCT.md: the program office builds surveyor teams;
a surveyor who falls ill or whose conflict comes to light is replaced): only by a surveyor the
planner could have chosen — on the roster with the role's expertise and at the consensus meeting
(seed 002 §四(一)), without a conflict of interest (§四(二)), free that half-day — with the reason,
audited, both surveyors told; planning again keeps the new team."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from pingjian.web.notifications.models import Notification
from pingjian.web.visits.actions import (
    do_change_team_member,
    do_declare_conflict,
    do_plan_cycle_visits,
    do_set_unavailable,
)
from pingjian.web.visits.models import Visit
from tests.web.support import client_for

from .test_changes import planned  # noqa: F401  (the fixture)
from .test_schedule import on_roster

NURSE = "醫護"


def test_the_office_replaces_a_member_and_planning_again_keeps_the_new_team(
    planned,  # noqa: F811
    postpartum_cycle,
    office,
):
    ours, _theirs, nurse, _safety = planned
    relief = on_roster("relief", ["nursing"], postpartum_cycle, office)
    do_change_team_member(ours, role=NURSE, surveyor=relief, actor=office, reason="原委員因病請假")
    ours.refresh_from_db()
    assert ours.pinned
    assert ours.members.get(role=NURSE).surveyor == relief
    event = AuditEvent.objects.for_subject(ours).get(event_type=EventType.VISIT_TEAM_CHANGED)
    assert (event.before["surveyor"], event.after["surveyor"], event.reason) == (
        str(nurse),
        str(relief),
        "原委員因病請假",
    )
    assert Notification.objects.filter(recipient=relief, body__contains="擔任醫護").exists()
    assert Notification.objects.filter(recipient=nurse, body__contains="您已不在").exists()
    day, half = ours.day, ours.half
    do_plan_cycle_visits(postpartum_cycle, actor=office)
    ours.refresh_from_db()
    assert (ours.day, ours.half, ours.members.get(role=NURSE).surveyor) == (day, half, relief)


def test_a_surveyor_the_planner_could_not_choose_is_refused_and_nothing_changes(
    planned,  # noqa: F811
    postpartum_cycle,
    office,
    ours,
):
    visit, theirs, nurse, safety = planned
    absent = on_roster("absent", ["nursing"], postpartum_cycle, office, consensus=False)
    manager = on_roster("manager", ["management"], postpartum_cycle, office)
    conflicted = on_roster("conflicted", ["nursing"], postpartum_cycle, office)
    do_declare_conflict(conflicted, ours, actor=conflicted, reason="曾任該機構護理長")
    away = on_roster("away", ["nursing"], postpartum_cycle, office)
    do_set_unavailable(away, slots=[(visit.day, visit.half)], actor=away, reason="出國")
    cases = [
        (absent, NURSE, "原因", "未出席本梯次共識會議"),
        (manager, NURSE, "原因", "不具「醫護」所需之專長"),
        (conflicted, NURSE, "原因", "利益迴避"),
        (away, NURSE, "原因", "不克出席"),
        (safety, NURSE, "原因", "已在本場訪查小組"),
        (absent, "院長", "原因", "沒有「院長」"),
        (absent, NURSE, " ", "須說明理由"),
    ]
    if theirs.day == visit.day and theirs.half == visit.half:
        pytest.fail("the fixture plans the two visits on one half-day")
    for surveyor, role, reason, refusal in cases:
        with pytest.raises(ValidationError, match=refusal):
            do_change_team_member(visit, role=role, surveyor=surveyor, actor=office, reason=reason)
    with pytest.raises(PermissionDenied):
        do_change_team_member(visit, role=NURSE, surveyor=safety, actor=nurse, reason="原因")
    visit.refresh_from_db()
    assert visit.members.get(role=NURSE).surveyor == nurse and not visit.pinned
    assert not AuditEvent.objects.filter(event_type=EventType.VISIT_TEAM_CHANGED).exists()


def test_a_surveyor_on_another_visit_that_half_day_is_refused(
    planned,  # noqa: F811
    postpartum_cycle,
    office,
):
    ours, theirs, _nurse, _safety = planned
    relief = on_roster("relief", ["nursing"], postpartum_cycle, office)
    do_change_team_member(theirs, role=NURSE, surveyor=relief, actor=office, reason="調度")
    Visit.objects.filter(pk=theirs.pk).update(day=ours.day, half=ours.half)
    with pytest.raises(ValidationError, match="已有其他實地訪查"):
        do_change_team_member(ours, role=NURSE, surveyor=relief, actor=office, reason="調度")


def test_a_past_visit_keeps_its_team(planned, postpartum_cycle, office):  # noqa: F811
    ours, *_ = planned
    relief = on_roster("relief", ["nursing"], postpartum_cycle, office)
    Visit.objects.filter(pk=ours.pk).update(day=dt.date.today() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="訪查日已過"):
        do_change_team_member(ours, role=NURSE, surveyor=relief, actor=office, reason="補登")


def test_the_schedule_page_offers_the_cleared_surveyors_and_changes_the_team(
    planned,  # noqa: F811
    postpartum_cycle,
    office,
):
    ours, _theirs, nurse, _safety = planned
    relief = on_roster("relief", ["nursing"], postpartum_cycle, office)
    absent = on_roster("absent", ["nursing"], postpartum_cycle, office, consensus=False)
    client = client_for(office)
    page = client.get(f"/visits/cycles/{postpartum_cycle.pk}/schedule/").content.decode()
    assert f'<option value="{relief.pk}">{relief}</option>' in page
    assert f'<option value="{absent.pk}">' not in page  # missed the consensus meeting
    response = client.post(
        f"/visits/{ours.pk}/team/",
        {"role": NURSE, "surveyor": relief.pk, "reason": "原委員因病請假"},
        follow=True,
    )
    assert "已更換訪查委員" in response.content.decode()
    assert ours.members.get(role=NURSE).surveyor == relief
    response = client.post(
        f"/visits/{ours.pk}/team/", {"role": NURSE, "surveyor": nurse.pk, "reason": ""}, follow=True
    )
    assert "請選擇角色與委員，並填寫事由" in response.content.decode()
