"""In Chromium: the demo clinic finds the certification cycle open for application on its dashboard
and applies; the draft tells it what to do next (issue 18)."""

from __future__ import annotations

import pytest

from pingjian.web.dashboard.demo import seed_demo
from tests.web.core.browser import open_tablet, screenshot


@pytest.mark.browser
def test_the_demo_clinic_applies_to_the_open_cycle(live_server, page, transactional_db, settings, tmp_path):
    settings.DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"
    data = seed_demo()
    watch = open_tablet(page, live_server, data.users["clinic"])
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/dashboard/")
    screenshot(page, "demo-clinic-dashboard")
    page.get_by_test_id("open-cycles").get_by_role("link").first.click()
    page.get_by_role("button", name="建立申請案").click()
    page.wait_for_url("**/applications/*/")
    assert page.get_by_test_id("state").inner_text() == "草稿"
    assert "送出申請" in page.get_by_test_id("next-step").inner_text()
    screenshot(page, "demo-clinic-draft")
    watch.assert_clean()
