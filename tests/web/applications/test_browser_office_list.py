"""In Chromium: the office filters the application list and downloads the filtered CSV (issue 18)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.dashboard.demo import seed_demo
from tests.web.core.browser import open_tablet, screenshot


@pytest.mark.browser
def test_the_office_filters_the_list_and_exports_what_it_sees(
    live_server, page, transactional_db, settings, tmp_path
):
    settings.DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"
    data = seed_demo()
    watch = open_tablet(page, live_server, data.users["office"])
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_test_id("pipeline").get_by_role("link", name="待補件").click()
    page.wait_for_url("**/applications/?state=supplement_requested")
    page.get_by_label("縣市").select_option(label="臺北市")
    page.get_by_role("button", name="篩選").click()
    expected = Application.objects.filter(state=State.SUPPLEMENT_REQUESTED, institution__county="TPE").count()
    page.wait_for_url(re.compile(r"[?&]county=TPE"))  # the filtered page, not the one the button was on
    expect(page.get_by_test_id("total")).to_have_text(f"共 {expected} 件")
    screenshot(page, "office-list-filtered")
    with page.expect_download() as download_info:
        page.get_by_test_id("export-csv").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv") and download.suggested_filename.startswith("申請案_")
    lines = Path(download.path()).read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + expected and all("待補件" in line and "臺北市" in line for line in lines[1:])
    watch.assert_clean()
