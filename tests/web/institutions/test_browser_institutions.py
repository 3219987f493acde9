"""Office staff record an owner change and a suspension in Chromium and see both in the history
with ROC dates; an institution user sees who shares their institution and gets 404 for another's."""

from __future__ import annotations

import pytest

from tests.web.core.browser import open_tablet, screenshot

pytestmark = pytest.mark.browser


def test_office_records_an_owner_change_and_a_suspension_and_sees_them_in_the_history(
    live_server, page, office, ours
):
    watch = open_tablet(page, live_server, office)
    page.goto(f"{live_server.url}/institutions/{ours.code}/")
    page.get_by_role("link", name="負責人變更").click()
    page.get_by_label("新任負責人").fill("林志明")
    page.get_by_label("新任起始日期").fill("112/07/01")
    page.get_by_label("事由").fill("負責人異動，依衛生局函")
    page.get_by_role("button", name="記錄變更").click()
    page.wait_for_url(f"{live_server.url}/institutions/{ours.code}/")
    owners = page.locator("section", has=page.get_by_role("heading", name="負責人", exact=True))
    assert "112/06/30" in owners.inner_text() and "現任" in owners.inner_text()

    page.get_by_role("link", name="停業／復業／歇業").click()
    page.get_by_label("異動").select_option("suspend")
    page.get_by_label("日期").fill("112年8月1日")
    page.get_by_label("事由").fill("內部整修")
    page.get_by_role("button", name="記錄異動").click()
    page.wait_for_url(f"{live_server.url}/institutions/{ours.code}/")
    assert page.get_by_test_id("institution-status").inner_text() == "停業中"
    history = page.locator("section", has=page.get_by_role("heading", name="異動紀錄")).inner_text()
    assert "負責人變更" in history and "負責人異動，依衛生局函" in history
    assert "停業" in history and "112/08/01" in history and "內部整修" in history
    screenshot(page, "institution-history-office")
    watch.assert_clean()


def test_an_institution_user_sees_colleagues_and_gets_404_for_another_institution(
    live_server, page, institution_user, ours, theirs
):
    from tests.web.support import make_user

    make_user("colleague", "institution", institution=ours)
    watch = open_tablet(page, live_server, institution_user)
    page.goto(f"{live_server.url}/institutions/{ours.code}/")
    members = page.locator("section", has=page.get_by_role("heading", name="可存取本機構資料的機構使用者"))
    assert "colleague" in members.inner_text()
    assert page.get_by_role("link", name="編輯機構資料").count() == 0
    screenshot(page, "institution-own-page")
    response = page.goto(f"{live_server.url}/institutions/{theirs.code}/")
    assert response.status == 404 and theirs.name not in page.content()
    response = page.goto(f"{live_server.url}/institutions/{ours.code}/edit/")
    assert response.status == 403
    watch.assert_clean()
