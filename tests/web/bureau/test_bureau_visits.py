"""The health bureau and the site visits of its county: each institution's visit date is told to
the institution and its local government's health bureau (seed 002 §九(一): 個別機構受評日期由本部
相關單位或本部委託辦理評鑑作業單位向各該機構及地方政府（衛生局）通知), whose officer attends the
visit (§十(一): 接受實地訪查機構所在地之地方政府（衛生局）應派員會同). A bureau sees, is told of
and subscribes to its own county's visits only."""

from __future__ import annotations

import pytest
from django.test import Client

from pingjian.rules.roc import roc_date, roc_date_long
from pingjian.web.core.counties import County
from pingjian.web.notifications.models import Notification
from pingjian.web.visits.actions import do_issue_calendar_feed, do_pin_visit
from pingjian.web.visits.models import Visit
from tests.web.support import client_for, make_user
from tests.web.visits.test_changes import _next_workday, planned  # noqa: F401  (a fixture)

HALF = {"am": "上午", "pm": "下午"}


@pytest.fixture
def kaohsiung_bureau(db):
    return make_user("kaohsiung-bureau", "bureau", county=County.KAOHSIUNG)


@pytest.fixture
def visits(bureau, kaohsiung_bureau, planned):  # noqa: F811  (the bureaus exist before planning)
    return planned[0], planned[1]


def _told(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_the_county_list_shows_the_visit_date_and_half_day_in_roc_form(visits, bureau, kaohsiung_bureau):
    """Seed 002 §九(一) and §十(一): the bureau knows when to attend each visit of its county."""
    ours, theirs = visits
    page = client_for(bureau).get("/bureau/").content.decode()
    assert "實地訪查日期" in page
    assert f"{roc_date(ours.day)} {HALF[ours.half]}" in page
    assert ours.application.institution.name in page
    assert theirs.application.institution.name not in page  # another county's visit: not shown
    other = client_for(kaohsiung_bureau).get("/bureau/").content.decode()
    assert f"{roc_date(theirs.day)} {HALF[theirs.half]}" in other
    assert ours.application.institution.name not in other


def test_an_application_without_a_visit_shows_no_date(application, bureau):
    page = client_for(bureau).get("/bureau/").content.decode()
    assert application.institution.name in page
    assert "實地訪查日期" in page and not Visit.objects.exists()
    assert '<td data-label="實地訪查日期">—</td>' in page


def test_scheduling_tells_the_countys_bureau_the_institution_and_the_date(visits, bureau, kaohsiung_bureau):
    """Seed 002 §九(一): 個別機構受評日期…向各該機構及地方政府（衛生局）通知."""
    ours, theirs = visits
    (note,) = _told(bureau)  # only its own county's visit
    name = ours.application.institution.name
    assert name in note.subject and roc_date_long(ours.day) in note.subject
    assert f"{roc_date_long(ours.day)}{HALF[ours.half]}" in note.body and "第十點第一款" in note.body
    assert note.url == f"/applications/{ours.application_id}/"
    (other,) = _told(kaohsiung_bureau)
    assert theirs.application.institution.name in other.subject and name not in other.subject


def test_a_moved_date_is_told_to_the_countys_bureau_only(visits, bureau, kaohsiung_bureau, office):
    """Seed 002 §九(一): the date told to the bureau is the date that holds."""
    ours, _theirs = visits
    old = f"{roc_date_long(ours.day)}{HALF[ours.half]}"
    day = _next_workday(ours)
    do_pin_visit(ours, day=day, half="pm", actor=office, reason="委員行程調整")
    notes = _told(bureau)
    assert len(notes) == 2
    moved = notes[-1]
    assert "變更" in moved.subject and roc_date_long(day) in moved.subject
    assert old in moved.body and f"{roc_date_long(day)}下午" in moved.body
    assert len(_told(kaohsiung_bureau)) == 1  # the other county's bureau is not told


def test_pinning_a_visit_where_it_already_is_tells_nobody(visits, bureau, office):
    ours, _theirs = visits
    do_pin_visit(ours, day=ours.day, half=ours.half, actor=office, reason="確認")
    assert len(_told(bureau)) == 1


def test_the_bureau_subscribes_to_its_countys_visits(visits, bureau):
    """Seed 002 §十(一): the bureau attends, so its calendar carries its county's visits."""
    ours, theirs = visits
    page = client_for(bureau).get("/visits/calendar/")
    assert page.status_code == 200
    text = page.content.decode()
    assert ours.application.institution.name in text
    assert theirs.application.institution.name not in text
    feed = do_issue_calendar_feed(bureau, actor=bureau)
    body = Client().get(f"/visits/calendar/{feed.token}.ics").content.decode()
    assert body.count("BEGIN:VEVENT") == 1
    assert f"visit-{ours.pk}@" in body and f"visit-{theirs.pk}@" not in body
