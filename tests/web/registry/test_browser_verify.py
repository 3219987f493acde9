"""The public, signed out, searches by status, opens an entry, types a certificate's code and
sees it confirmed; a made-up code is refused (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest

from pingjian.web.registry.actions import do_publish_result
from tests.web.core.browser import open_tablet, screenshot

pytestmark = pytest.mark.browser


def test_the_public_verifies_a_certificate(live_server, page, ours, office):
    entry = do_publish_result(
        institution=ours, program_id="postpartum-111", program_title="111年度產後護理之家評鑑", result="合格",
        valid_from=dt.date(2023, 1, 1), valid_until=dt.date(2099, 12, 31), source="測試", actor=office,
    )  # fmt: skip
    code = entry.certificate.verification_code
    watch = open_tablet(page, live_server)
    page.goto(f"{live_server.url}/registry/")
    page.get_by_label("狀態").select_option("valid")
    page.get_by_test_id("result-count").filter(has_text="1 筆").wait_for()
    page.get_by_role("link", name=ours.name).click()
    assert page.get_by_test_id("certificate-number").inner_text() == entry.certificate.number
    screenshot(page, "registry-entry-certificate")
    page.goto(f"{live_server.url}/registry/verify/")
    page.get_by_label("證書驗證碼").fill(code)
    page.get_by_role("button", name="驗證").click()
    assert page.get_by_test_id("verify-institution").inner_text() == ours.name
    assert "目前有效" in page.get_by_test_id("verify-status").inner_text()
    assert "112年1月1日" in page.get_by_test_id("verify-validity").inner_text()
    screenshot(page, "registry-verify")
    page.goto(f"{live_server.url}/registry/verify/")
    page.get_by_label("證書驗證碼").fill("not-a-real-code-12345")
    page.get_by_role("button", name="驗證").click()
    assert "不是本系統核發" in page.get_by_test_id("verify-unknown").inner_text()
    watch.assert_clean()
