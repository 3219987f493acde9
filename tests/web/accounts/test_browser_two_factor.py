"""In Chromium (issue 16 item 5): an office account signs in, sets up its authenticator from the
QR code page, signs out, signs in again with password + TOTP code; then reads its log-in history
and creates an API token. The code is computed with django_otp's TOTP from the device's key."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.web.core.browser import open_tablet, screenshot
from tests.web.support import PASSWORD, make_user, totp_code


@pytest.mark.browser
def test_enrolment_then_log_in_with_a_totp_code(live_server, page, transactional_db):
    user = make_user("chen", "office")
    base = live_server.url
    watch = open_tablet(page, live_server)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("使用者名稱").fill("chen")
    page.get_by_label("密碼").fill(PASSWORD)
    page.get_by_role("button", name="登入").click()
    page.wait_for_url("**/accounts/two-factor/enrol/**")
    assert page.get_by_role("heading", level=1).inner_text() == "設定雙重驗證"
    assert page.locator("figure.otp-qr svg").is_visible()  # drawn here, no image from elsewhere
    screenshot(page, "two-factor-enrol")
    page.goto(f"{base}/applications/")  # nothing else is open before the second factor
    page.wait_for_url("**/accounts/two-factor/enrol/**")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("驗證碼").fill(totp_code(device))
    page.get_by_role("button", name="確認並完成設定").click()
    page.wait_for_url("**/applications/")

    page.get_by_role("button", name="登出").click()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("使用者名稱").fill("chen")
    page.get_by_label("密碼").fill(PASSWORD)
    page.get_by_role("button", name="登入").click()
    page.wait_for_url("**/accounts/two-factor/verify/**")
    device.refresh_from_db()
    page.get_by_label("驗證碼").fill(totp_code(device))
    screenshot(page, "two-factor-verify")
    page.get_by_role("button", name="驗證").click()
    page.wait_for_url(f"{base}/dashboard/")

    page.get_by_role("link", name="登入紀錄").click()
    page.wait_for_url("**/accounts/history/")  # the dashboard being left has table rows too
    rows = page.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("雙重驗證通過")
    expect(rows.nth(0)).to_contain_text("127.0.0.1")
    screenshot(page, "login-history")
    page.get_by_role("link", name="API 存取權杖").click()
    page.get_by_label("名稱").fill("月報匯出")
    page.get_by_role("button", name="建立權杖").click()
    assert page.locator("#new-token").inner_text().startswith("pj_")
    screenshot(page, "api-tokens")
    watch.assert_clean()
