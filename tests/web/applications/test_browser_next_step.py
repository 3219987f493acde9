"""In Chromium at 1366×768: the demo institution finds its supplement items and deadline in the
first screen; an irreversible step asks again with its consequence (issue 18)."""

from __future__ import annotations

import pytest

from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.dashboard.demo import seed_demo
from tests.web.core.browser import ARTIFACTS, open_tablet

FIRST_SCREEN = {"width": 1366, "height": 768}


@pytest.mark.browser
def test_the_institution_finds_the_supplement_items_and_deadline_in_the_first_screen(
    live_server, page, transactional_db, settings, tmp_path
):
    settings.DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"
    data = seed_demo()
    own = Application.objects.get(institution__name="安心產後護理之家")
    watch = open_tablet(page, live_server, data.users["institution"])
    page.set_viewport_size(FIRST_SCREEN)
    page.goto(f"{live_server.url}/applications/{own.pk}/")
    for testid in ("supplement-items", "next-due"):
        box = page.get_by_test_id(testid).bounding_box()
        assert box is not None and box["y"] + box["height"] <= FIRST_SCREEN["height"], testid
    assert "消防安全設備檢查紀錄表" in page.get_by_test_id("supplement-items").inner_text()
    assert "個工作天" in page.get_by_test_id("next-due").inner_text()
    resubmit = page.locator("[data-testid=next-step] form[data-transition=resubmit] button")
    box = resubmit.bounding_box()
    assert box is not None and box["y"] + box["height"] <= FIRST_SCREEN["height"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "next-step-first-screen-1366x768.png"))

    # withdrawing is apart, red, and asks again with the consequence; dismissing changes nothing
    page.locator("[data-testid=irreversible] summary").click()
    form = page.locator("form[data-transition=withdraw]")
    form.get_by_label("訊息").fill("本年度不受評。")
    form.get_by_role("checkbox").check()
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    form.get_by_role("button", name="撤回申請").click()
    page.wait_for_timeout(300)
    assert asked and "無法復原" in asked[0]
    assert Application.objects.get(pk=own.pk).state == State.SUPPLEMENT_REQUESTED
    page.screenshot(path=str(ARTIFACTS / "irreversible-withdraw-confirm.png"), full_page=True)
    watch.assert_clean()
