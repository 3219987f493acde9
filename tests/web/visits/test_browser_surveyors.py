"""A surveyor accepts confidentiality and declares a conflict: the institution disappears from
their list; the office then cannot assign them to it and is told why."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.core.browser import open_tablet, screenshot

pytestmark = pytest.mark.browser


def test_a_surveyor_declares_a_conflict_and_the_institution_disappears_from_their_list(
    live_server, page, surveyor, ours
):
    watch = open_tablet(page, live_server, surveyor)
    page.goto(f"{live_server.url}/visits/")
    assignments = page.locator("section", has=page.get_by_role("heading", name="我的評鑑指派"))
    assert ours.name in assignments.inner_text()
    page.get_by_label("本人已閱讀並同意遵守上述保密規定").check()
    page.get_by_role("button", name="簽署保密同意").click()
    assert "已於" in page.get_by_test_id("confidentiality-status").inner_text()

    page.get_by_label("受指派的機構").select_option(label=ours.name + "（" + ours.code + "）")
    page.get_by_label("迴避事由").fill("配偶任職於該機構")
    page.get_by_role("button", name="申報", exact=True).click()
    expect(assignments).to_contain_text("目前沒有指派")
    expect(assignments).not_to_contain_text(ours.name)
    declared = page.locator("section", has=page.get_by_role("heading", name="我的利益迴避申報"))
    expect(declared).to_contain_text("配偶任職於該機構")
    screenshot(page, "surveyor-conflict-declared")
    assert page.goto(f"{live_server.url}/institutions/{ours.code}/").status == 404
    watch.assert_clean()


def test_office_is_refused_assigning_a_conflicted_surveyor_with_a_clear_message(
    live_server, page, office, conflicted_surveyor, theirs
):
    watch = open_tablet(page, live_server, office)
    page.goto(f"{live_server.url}/visits/surveyors/")
    page.get_by_role("link", name=str(conflicted_surveyor)).click()
    page.get_by_label("機構（醫事機構代碼）").fill(theirs.code)
    page.get_by_label("評鑑梯次").fill("113年度牙醫品質認證")
    page.get_by_role("button", name="指派", exact=True).click()
    alert = page.get_by_role("alert")
    assert "不得指派" in alert.inner_text() and "曾任顧問" in alert.inner_text()
    screenshot(page, "surveyor-assignment-refused")
    watch.assert_clean()
