"""The health bureau and the site visits of its county: each institution's visit date is told to
the institution and its local government's health bureau (seed 002 §九(一): 個別機構受評日期由本部
相關單位或本部委託辦理評鑑作業單位向各該機構及地方政府（衛生局）通知), whose officer attends the
visit (§十(一): 接受實地訪查機構所在地之地方政府（衛生局）應派員會同). A bureau sees, is told of
and subscribes to its own county's visits only."""

from __future__ import annotations

import pytest

from pingjian.rules.roc import roc_date
from pingjian.web.core.counties import County
from pingjian.web.visits.models import Visit
from tests.web.support import client_for, make_user
from tests.web.visits.test_changes import planned  # noqa: F401  (a fixture)

HALF = {"am": "上午", "pm": "下午"}


@pytest.fixture
def kaohsiung_bureau(db):
    return make_user("kaohsiung-bureau", "bureau", county=County.KAOHSIUNG)


@pytest.fixture
def visits(bureau, kaohsiung_bureau, planned):  # noqa: F811  (the bureaus exist before planning)
    return planned[0], planned[1]


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
