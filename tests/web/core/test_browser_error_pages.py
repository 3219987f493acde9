"""In Chromium: the 404 and the CSRF failure page in the site's frame, in Chinese, with a way back
that works (issue 18). Screenshots in test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.core.browser import open_tablet, screenshot


@pytest.mark.browser
def test_404_and_csrf_failure_pages_are_framed_and_lead_back(live_server, page, transactional_db, office):
    watch = open_tablet(page, live_server, office)
    response = page.goto(f"{live_server.url}/applications/999999/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "找不到這個頁面"
    assert page.locator("header.site-header nav").is_visible()
    screenshot(page, "error-404")
    page.get_by_test_id("way-back").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")

    # a form sent after its CSRF cookie is gone (e.g. the page was left open while signing out elsewhere)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.context.clear_cookies()
    page.get_by_label("使用者名稱").fill("office")
    page.get_by_label("密碼").fill("x")
    page.get_by_role("button", name="登入").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("表單已過期，資料未送出")
    screenshot(page, "error-csrf")
    page.get_by_role("link", name="回到首頁").click()
    page.wait_for_url(f"{live_server.url}/")
    watch.assert_clean()
