"""The conflict pages and the calendar feed in a browser at tablet width: an institution declares a
conflict with a surveyor, the office waives a soft conflict found in the records, a surveyor
subscribes to their visits."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from pingjian.web.institutions.actions import do_create_institution
from pingjian.web.institutions.models import County, InstitutionType
from pingjian.web.visits.actions import do_add_surveyor_history
from pingjian.web.visits.conflicts import conflicted_institution_ids
from tests.web.core.browser import open_tablet, screenshot

pytestmark = pytest.mark.browser


def test_an_institution_declares_a_conflict_with_a_surveyor(
    live_server, page, institution_user, surveyor, ours
):
    watch = open_tablet(page, live_server, institution_user)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="申報委員迴避").click()
    page.get_by_label("評鑑委員").select_option(label=str(surveyor))
    page.get_by_label("事由類別").select_option(label="與該機構有訴訟、糾紛或競爭關係")
    page.get_by_role("textbox", name="迴避事由").fill("委員為本機構前員工之訴訟代理人")
    page.get_by_role("button", name="申報", exact=True).click()
    declared = page.locator("section", has=page.get_by_role("heading", name="貴機構的申報"))
    expect(declared).to_contain_text("委員為本機構前員工之訴訟代理人")  # then the database
    assert ours.pk in conflicted_institution_ids(surveyor)
    screenshot(page, "institution-conflict-declared")
    watch.assert_clean()


def test_the_office_waives_a_soft_conflict_found_in_the_records(live_server, page, office, surveyor, ours):
    sister = do_create_institution(
        actor=None, code="0190000009", name="美玲產後護理之家", type=InstitutionType.POSTPARTUM_HOME,
        county=County.TAIPEI, address="臺北市信義區松仁路9號", opened_on=dt.date(2010, 1, 1),
        owner_name="王美玲", owner_since=dt.date(2010, 1, 1),
    )  # fmt: skip
    do_add_surveyor_history(surveyor, sister, kind="employment", started_on=dt.date(2019, 1, 1), actor=office)
    watch = open_tablet(page, live_server, office)
    page.goto(f"{live_server.url}/visits/conflicts/")
    rows = page.locator("tbody tr")
    hard = rows.filter(has_text="美玲產後護理之家").filter(has_text="絕對迴避")
    assert "不得免除" in hard.inner_text()
    soft = rows.filter(has_text="安心產後護理之家")
    soft.get_by_label("免除理由").fill("僅任兼職，與現任負責人無業務往來")
    soft.get_by_role("button", name="免除").click()
    expect(page.locator("tbody tr").filter(has_text="安心產後護理之家").first).to_contain_text("已免除")
    waivers = page.get_by_role("heading", name="免除紀錄").locator("..")
    expect(waivers).to_contain_text("僅任兼職，與現任負責人無業務往來")  # then the database
    assert conflicted_institution_ids(surveyor) == {sister.pk}
    screenshot(page, "office-conflict-waived")
    watch.assert_clean()


def test_a_surveyor_subscribes_to_the_calendar_feed(live_server, page, surveyor):
    watch = open_tablet(page, live_server, surveyor)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="訪查行事曆").click()
    page.get_by_role("button", name="產生訂閱網址").click()
    url = page.get_by_test_id("feed-url").input_value()
    assert url.endswith(".ics")
    response = page.request.get(url)
    assert response.status == 200 and response.text().startswith("BEGIN:VCALENDAR\r\n")
    page.get_by_role("button", name="停用訂閱").click()
    expect(page.get_by_role("button", name="產生訂閱網址")).to_be_visible()  # revoked: then ask the server
    assert page.request.get(url).status == 404
    screenshot(page, "calendar-feed-revoked")
    watch.assert_clean()
