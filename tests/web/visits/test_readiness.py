"""The surveyor's readiness block on their own page: per open cycle, the consensus meeting and the
confidentiality pledge, and whether the planner may assign them. Seed 002 §四(一): a surveyor who
did not attend the cycle's consensus meeting (評鑑委員共識會議) is not put on a visit team."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from pingjian.rules.roc import roc_date
from pingjian.web.applications.actions import fire
from pingjian.web.visits.actions import (
    do_plan_cycle_visits,
    do_record_consensus_attendance,
    do_set_surveyor_profile,
)
from pingjian.web.visits.models import Visit
from tests.web.support import client_for, make_user

DAY = dt.date(2022, 6, 20)


def on_roster(username, expertise, cycle, office, *, consensus=True):
    user = make_user(username, "surveyor")
    do_set_surveyor_profile(user, expertise=expertise, programs=["postpartum"], actor=office)
    if consensus:
        do_record_consensus_attendance(user, cycle, attended_on=DAY, actor=office)
    return user


def block(client, **extra):
    body = client.get("/visits/", **extra).content.decode()
    return body.split('data-testid="readiness"')[1].split("</section>")[0]


def test_seed_002_4_an_attendee_is_cleared_with_the_date(postpartum_cycle, office):
    nurse = on_roster("nurse", ["nursing"], postpartum_cycle, office)
    html = block(client_for(nurse))
    assert postpartum_cycle.title in html
    assert roc_date(DAY) in html and "可排入" in html and "不可排入" not in html
    assert "尚未簽署" in html and 'href="#confidentiality"' in html


def test_seed_002_4_a_non_attendee_sees_the_refusal(postpartum_cycle, office):
    nurse = on_roster("nurse", ["nursing"], postpartum_cycle, office, consensus=False)
    html = block(client_for(nurse))
    assert "尚未參加共識會議，不能排入訪查小組" in html and "不可排入" in html


def test_seed_002_4_the_block_agrees_with_the_planner(
    application, institution_user, postpartum_cycle, office
):
    for name, actor in (("submit", institution_user), ("start_review", office), ("accept", office)):
        fire(application, name, actor=actor)
    absent = on_roster("absent", ["nursing"], postpartum_cycle, office, consensus=False)
    nurse = on_roster("nurse", ["nursing"], postpartum_cycle, office)
    on_roster("safety", ["management"], postpartum_cycle, office)
    assert "不可排入" in block(client_for(absent))
    assert "不可排入" not in block(client_for(nurse))
    do_plan_cycle_visits(postpartum_cycle, actor=office)
    members = {m.surveyor for m in Visit.objects.get(application=application).members.all()}
    assert nurse in members and absent not in members


def test_seed_002_4_the_planner_refuses_when_only_non_attendees_remain(
    application, institution_user, postpartum_cycle, office
):
    for name, actor in (("submit", institution_user), ("start_review", office), ("accept", office)):
        fire(application, name, actor=actor)
    absent = on_roster("absent", ["nursing"], postpartum_cycle, office, consensus=False)
    on_roster("safety", ["management"], postpartum_cycle, office)
    assert "不可排入" in block(client_for(absent))
    with pytest.raises(ValidationError, match="醫護"):
        do_plan_cycle_visits(postpartum_cycle, actor=office)


def test_the_block_in_english(postpartum_cycle, office):
    nurse = on_roster("nurse", ["nursing"], postpartum_cycle, office, consensus=False)
    client = client_for(nurse)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's cookie
    html = block(client)
    assert "Readiness" in html
    assert "Not yet attended the consensus meeting; cannot be put on a visit team" in html
    assert "Not cleared" in html
