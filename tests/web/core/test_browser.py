"""Each demo role signs in through the real login form in Chromium and sees its dashboard in
Traditional Chinese with an ROC date. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pingjian.web.dashboard.demo import seed_demo

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
ROLES = ["office", "admin", "institution", "surveyor", "bureau", "nhi"]


@pytest.mark.browser
def test_each_demo_role_signs_in_and_sees_its_dashboard_in_chinese_with_an_roc_date(
    live_server, page, settings, transactional_db
):
    settings.DEMO = True
    seed_demo()
    ARTIFACTS.mkdir(exist_ok=True)
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.set_viewport_size({"width": 1024, "height": 768})  # a tablet held landscape
    for username in ROLES:
        page.goto(f"{live_server.url}/accounts/login/")
        assert page.locator("html").get_attribute("lang") == "zh-Hant-TW"
        page.get_by_label("使用者名稱").fill(username)
        page.get_by_label("密碼").fill("pingjian-demo")
        page.get_by_role("button", name="登入").click()
        page.wait_for_url(f"{live_server.url}/dashboard/")
        assert page.get_by_role("heading", name="工作台", level=1).is_visible()
        today = page.get_by_test_id("today-roc").inner_text()
        assert re.fullmatch(r"1\d\d年\d{1,2}月\d{1,2}日", today), today
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{username}.png"), full_page=True)
        page.get_by_role("button", name="登出").click()
    assert external == []
