"""In Chromium at 1366×768: the demo institution uploads several files at once (chosen and dropped),
one matched by its name, one by the slot chosen beside it, and the counts go up (issue 18)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pingjian.web.applications.models import Application
from pingjian.web.dashboard.demo import seed_demo
from pingjian.web.evidence.models import EvidenceFile
from pingjian.web.evidence.slots import slots_for
from tests.web.core.browser import open_tablet, screenshot
from tests.web.support import pdf_bytes


@pytest.mark.browser
def test_the_institution_uploads_several_files_at_once_and_the_count_updates(
    live_server, page, transactional_db, settings, tmp_path
):
    settings.DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"
    data = seed_demo()
    own = Application.objects.get(institution__name="安心產後護理之家")
    keys = [s.key for s in slots_for(own.program_version.program())]
    empty = [k for k in keys if not EvidenceFile.objects.filter(application=own, slot_key=k).exists()]
    before = len(keys) - len(empty)
    watch = open_tablet(page, live_server, data.users["institution"])
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/applications/{own.pk}/")
    assert page.get_by_test_id("evidence-count").inner_text() == f"已上傳 {before}/{len(keys)}"

    pdf = pdf_bytes()
    page.locator("#evidence-files").set_input_files(
        [
            {"name": f"{empty[0]} 人員名冊.pdf", "mimeType": "application/pdf", "buffer": pdf},
            {"name": "平面圖.pdf", "mimeType": "application/pdf", "buffer": pdf},
        ]
    )
    selects = page.locator("[data-file-slots] select")
    assert selects.count() == 2
    selects.nth(1).select_option(empty[1])
    screenshot(page, "evidence-upload-many-chosen")
    page.get_by_role("button", name="上傳所選檔案").click()
    expect(page.get_by_test_id("evidence-count")).to_have_text(f"已上傳 {before + 2}/{len(keys)}")
    expect(page.locator(".messages")).to_contain_text("已上傳 2 個檔案")

    # dropped on the zone: matched by its name
    handle = page.evaluate_handle(
        """([bytes, name]) => { const t = new DataTransfer();
             t.items.add(new File([new Uint8Array(bytes)], name, {type: "application/pdf"})); return t; }""",
        [list(pdf), f"{empty[2]}_訓練簽到表.pdf"],
    )
    page.dispatch_event("[data-dropzone]", "drop", {"dataTransfer": handle})
    assert page.locator("[data-file-slots] li").inner_text().startswith(f"{empty[2]}_訓練簽到表.pdf")
    page.get_by_role("button", name="上傳所選檔案").click()
    expect(page.get_by_test_id("evidence-count")).to_have_text(f"已上傳 {before + 3}/{len(keys)}")
    page.locator("#evidence").scroll_into_view_if_needed()
    screenshot(page, "evidence-upload-many-done")
    watch.assert_clean()
