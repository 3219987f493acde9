"""A tablet scores a postpartum visit, loses the network half-way, keeps typing, reconnects: every
entry is stored exactly once (issue 13, done when)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pingjian.web.assessments.models import ScoreEntry, Submission
from tests.web.core.browser import open_tablet, screenshot

pytestmark = pytest.mark.browser

SCORES = {"A1.1": "4", "A1.2": "3.5", "A2.1": "4", "A2.2": "2", "B1.1": "6", "B1.2": "5"}


def test_a_tablet_that_loses_its_connection_loses_nothing(live_server, page, visit, nurse):
    watch = open_tablet(page, live_server, nurse)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"{live_server.url}/assessments/visits/{visit.pk}/")
    items = list(SCORES.items())
    for key, value in items[:2]:
        page.locator(f'input[name="{key}-score"]').fill(value)
        page.keyboard.press("Tab")  # the change event, as a surveyor moving on
    # "0 waiting" holds too before the first change is even queued: wait until the page shows both
    # stored (version 1). Polling the database here instead locks SQLite's shared in-memory table
    # against the live server's writes.
    for key, _ in items[:2]:
        expect(page.locator(f'fieldset[data-entry-key="{key}"]')).to_have_attribute("data-version", "1")
    expect(page.get_by_test_id("sync-status")).to_have_attribute("data-waiting", "0")
    page.context.set_offline(True)
    try:
        for key, value in items[2:]:
            page.locator(f'input[name="{key}-score"]').fill(value)
            page.keyboard.press("Tab")  # the change event, as a surveyor moving on
        expect(page.get_by_test_id("sync-status")).to_have_attribute("data-waiting", "4")
        assert ScoreEntry.objects.count() == 2
    finally:
        page.context.set_offline(False)  # never leave the browser offline for the next test
    expect(page.get_by_test_id("sync-status")).to_have_attribute("data-waiting", "0")
    screenshot(page, "assessment-offline-reconnected")
    stored = {e.key: e.value["score"] for e in ScoreEntry.objects.all()}
    assert stored == SCORES
    assert Submission.objects.count() == len(SCORES)
    assert all(e.version == 1 for e in ScoreEntry.objects.all())
    watch.assert_clean()


def test_an_entry_refused_with_422_leaves_the_queue_with_its_reason(live_server, page, visit, nurse):
    """Issue 17: a sequence counter gone beyond a 64-bit integer (a corrupted localStorage) is a
    422 naming `sequence`; the tablet says so on the criterion and does not resend it forever."""
    watch = open_tablet(page, live_server, nurse)
    page.goto(f"{live_server.url}/assessments/visits/{visit.pk}/")
    page.evaluate("localStorage.setItem('pingjian-sequence', '1e20')")
    page.locator('input[name="A1.1-score"]').fill("4")
    page.keyboard.press("Tab")
    status = page.locator('fieldset[data-entry-key="A1.1"] [data-entry-status]')
    expect(status).to_contain_text("未儲存")
    expect(status).to_contain_text("sequence")
    expect(page.get_by_test_id("sync-status")).to_have_attribute("data-waiting", "0")
    assert not ScoreEntry.objects.exists()
    watch.assert_clean()


@pytest.mark.parametrize("status", [500, 401])
def test_a_server_error_or_a_lapsed_session_keeps_the_entry_without_resending_it_in_a_loop(
    live_server, page, visit, nurse, status
):
    """Issue 17: a 5xx (the 500 that sequence=10**20 was) made the queue resend at once, without
    end; a 401 dropped what was typed offline. Both now keep the entry for the next change or
    reconnection, and send it once each time."""
    open_tablet(page, live_server, nurse)
    calls = []

    def answer(route):
        calls.append(route.request.url)
        route.fulfill(status=status, content_type="application/json", body='{"detail": "x"}')

    page.route("**/api/assessments/visits/*/entries", answer)
    page.goto(f"{live_server.url}/assessments/visits/{visit.pk}/")
    page.locator('input[name="A1.1-score"]').fill("4")
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("sync-status")).to_have_attribute("data-waiting", "1")
    page.wait_for_timeout(1500)
    assert 1 <= len(calls) <= 2, len(calls)
    page.unroute("**/api/assessments/visits/*/entries")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_test_id("sync-status")).to_have_attribute("data-waiting", "0")
    assert ScoreEntry.objects.get().value == {"score": "4"}
