"""The program office creates an account, grants it a health-bureau role, revokes it and
deactivates the account, in Chromium at tablet size."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.core.browser import open_tablet, screenshot

pytestmark = pytest.mark.browser


def test_office_creates_a_user_grants_and_revokes_a_role_and_deactivates_the_account(
    live_server, page, office
):
    watch = open_tablet(page, live_server, office)
    page.goto(f"{live_server.url}/accounts/users/")
    page.get_by_role("link", name="新增使用者").click()
    page.locator("#id_username").fill("tpe-bureau-2")
    page.get_by_label("顯示名稱").fill("臺北市衛生局 周承辦")
    page.get_by_label("事由").fill("衛生局來函申請")
    page.get_by_role("button", name="新增").click()
    grant = page.locator("form", has=page.get_by_role("button", name="授予"))
    grant.get_by_label("角色").select_option("bureau")
    grant.get_by_label("縣市").select_option("TPE")
    grant.get_by_label("事由").fill("承辦產後護理之家初審")
    grant.get_by_role("button", name="授予").click()
    roles = page.locator("section", has=page.get_by_role("heading", name="角色", exact=True))
    expect(roles).to_contain_text("衛生局承辦人")
    expect(roles).to_contain_text("臺北市")
    screenshot(page, "user-granted")

    page.get_by_label("撤銷事由").fill("調離業務")
    page.get_by_role("button", name="撤銷").click()
    expect(page.get_by_text("已撤銷角色")).to_be_visible()
    page.locator("#activation-reason").fill("離職")
    page.get_by_role("button", name="停用帳號").click()
    expect(page.get_by_test_id("user-status")).to_have_text("已停用")
    screenshot(page, "user-deactivated")
    watch.assert_clean()
