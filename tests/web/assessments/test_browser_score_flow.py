"""The page flow from the visit to the application's score (issue 13 item 6): a surveyor submits the
team's scoring on the page, the office records the score with one button, and the application page
shows the total the rules core computed (no total typed anywhere)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pingjian.web.applications.models import Application
from pingjian.web.assessments.actions import do_save_entry
from tests.web.core.browser import open_tablet, screenshot
from tests.web.support import make_user

from .conftest import advance_to_visited
from .test_permissions import FULL_MARKS

pytestmark = pytest.mark.browser


def test_a_surveyor_submits_the_office_records_and_the_application_shows_the_computed_total(
    live_server, page, visit, nurse, office
):
    application = visit.application
    advance_to_visited(
        application, office, make_user("inst-flow", "institution", institution=application.institution)
    )
    entries = [(f"precondition:{k}", {"status": v}) for k, v in FULL_MARKS["preconditions"].items()]
    for key, value in [*entries, *FULL_MARKS["items"].items()]:
        assert do_save_entry(visit, actor=nurse, key=key, value=value)["status"] == "stored"

    watch = open_tablet(page, live_server, nurse)
    page.goto(f"{live_server.url}/assessments/visits/{visit.pk}/")
    expect(page.get_by_test_id("computed-total")).to_contain_text("100.00")
    page.get_by_test_id("submit-assessment").click()
    expect(page.get_by_test_id("assessment-state")).to_be_visible()
    expect(page.get_by_test_id("submit-assessment")).to_have_count(0)
    watch.assert_clean()

    page.context.clear_cookies()
    watch = open_tablet(page, live_server, office)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(page.locator('input[name="record_score-total"]')).to_have_count(0)
    expect(page.get_by_test_id("assessment-total")).to_contain_text("100.00")
    page.get_by_test_id("record-assessment-score").click()
    expect(page.get_by_test_id("record-assessment-score")).to_have_count(0)
    expect(page.locator("dl.facts")).to_contain_text("總分100.00")
    screenshot(page, "assessment-score-recorded")
    assert str(Application.objects.get(pk=application.pk).total) == "100.00"
    watch.assert_clean()
