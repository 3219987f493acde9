"""In Chromium: forgotten password → e-mail → link → new password → signed in (issue 18)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.web.core.browser import open_tablet, screenshot
from tests.web.support import make_user


@pytest.mark.browser
def test_password_reset_by_email_end_to_end(live_server, page, transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = make_user("wang", "surveyor")  # password alone (an office account would go on to its TOTP)
    user.email = "wang@example.tw"
    user.save(update_fields=["email"])
    watch = open_tablet(page, live_server)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="忘記密碼？").click()
    page.get_by_label("電子郵件").fill("wang@example.tw")
    screenshot(page, "password-reset-form")
    page.get_by_role("button", name="寄送重設連結").click()
    page.wait_for_url("**/accounts/password/reset/sent/")
    assert page.get_by_role("heading", level=1).inner_text() == "請查收電子郵件"
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.locator("#id_new_password1").fill("評鑑-新密碼-2026-好記")
    page.locator("#id_new_password2").fill("評鑑-新密碼-2026-好記")
    screenshot(page, "password-reset-confirm")
    page.get_by_role("button", name="設定新密碼").click()
    page.wait_for_url("**/accounts/password/reset/complete/")
    page.get_by_role("link", name="以新密碼登入").click()
    page.get_by_label("使用者名稱").fill("wang")
    page.get_by_label("密碼").fill("評鑑-新密碼-2026-好記")
    page.get_by_role("button", name="登入").click()
    page.wait_for_url("**/dashboard/")
    page.get_by_role("link", name="變更密碼").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("變更密碼")
    screenshot(page, "password-change")
    watch.assert_clean()
