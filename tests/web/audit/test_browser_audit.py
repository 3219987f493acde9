"""The office reads the audit trail: the chain is verified after the page loads (htmx under the
CSP), events filter by type, before/after shows ROC dates."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from pingjian.web.institutions.actions import do_change_owner
from tests.web.core.browser import open_tablet, screenshot

pytestmark = pytest.mark.browser


def test_office_filters_the_audit_trail_and_sees_the_chain_verified(live_server, page, office, ours):
    do_change_owner(ours, owner_name="林志明", started_on=dt.date(2023, 7, 1), actor=office, reason="異動")
    watch = open_tablet(page, live_server, office)
    page.goto(f"{live_server.url}/audit/")
    assert "稽核鏈完整" in page.get_by_test_id("chain-status").inner_text()
    page.get_by_label("事件類型").select_option("institution.owner_changed")
    page.get_by_label("起日").fill("112/01/01")
    page.get_by_role("button", name="篩選").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)  # waits for the filtered page: count() alone read it mid-load
    assert "112/07/01" in rows.inner_text() and "林志明" in rows.inner_text()
    screenshot(page, "audit-filtered")
    watch.assert_clean()
