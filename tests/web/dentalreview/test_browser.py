"""In Chromium: an NHI reviewer loads the demo quarter through the page (a zip of the engine's
generated files) into the app's claims store, watches the progress bar to the end, and opens a
clinic whose points and rules are those of `pingjian dental explain` (over the folder and over the
store); the chart pages are kept as screenshots (test-artifacts/)."""

from __future__ import annotations

import pytest

from pingjian.web.dentalreview.models import ClinicResult, QuarterRun
from tests.web.core.browser import open_tablet, screenshot
from tests.web.support import make_user, run_jobs

from .test_dentalreview import explain_cli


@pytest.mark.browser
@pytest.mark.slow
def test_reviewer_loads_a_quarter_watches_progress_and_reads_a_clinic(
    live_server, page, transactional_db, dental_settings, demo_zip, demo_quarter
):
    nhi = make_user("nhi", "nhi")
    watch = open_tablet(page, live_server, nhi)
    base = live_server.url
    page.goto(f"{base}/dentalreview/")
    page.get_by_label("季別").fill("113Q4")
    page.get_by_label("上傳申報資料").set_input_files(str(demo_zip))
    page.get_by_role("button", name="開始計算").click()
    page.wait_for_url(f"{base}/dentalreview/runs/*/")
    bar = page.get_by_test_id("progress-bar")
    assert bar.get_attribute("value") == "0"
    run_jobs()  # the worker (db_worker) runs the job while the page polls
    page.wait_for_selector("[data-testid=results]", timeout=30_000)
    run = QuarterRun.objects.get()
    assert run.progress == 100
    screenshot(page, "dentalreview-1-results")

    assert run.store_generation == 1 and "2024Q4" in run.store_manifest["quarters"]
    fired = ClinicResult.objects.filter(run=run, level__gte=1).order_by("-points").first()
    expected = explain_cli(demo_quarter, fired.clinic_id)
    # the run scored the app's claims store: `dental explain --store` over it says the same
    assert explain_cli(None, fired.clinic_id, store=dental_settings.PINGJIAN_DENTAL_STORE) == expected
    page.get_by_role("link", name=fired.clinic_id, exact=True).click()
    page.wait_for_url(f"{base}/dentalreview/runs/{run.pk}/clinics/{fired.clinic_id}/")
    assert page.get_by_test_id("points").inner_text() == expected["points"]
    assert page.get_by_test_id("level").inner_text() == str(expected["level"])
    rows = page.locator("[data-testid=fired] tbody tr[data-rule]")
    shown = [(rows.nth(i).get_attribute("data-rule"), int(rows.nth(i).get_attribute("data-points")))
             for i in range(rows.count())]  # fmt: skip
    assert shown == [(f["rule"], f["points"]) for f in expected["fired"]]
    assert "各規則積分" in page.get_by_test_id("chart-rules").inner_html()
    screenshot(page, "dentalreview-2-clinic-points-by-rule")

    page.locator("[data-indicator=s2] a").click()
    page.wait_for_selector("[data-testid=chart-mark]")
    assert "百分位 PR" in page.get_by_test_id("chart-distribution").inner_html()
    screenshot(page, "dentalreview-3-indicator-distribution")

    page.goto(f"{base}/dentalreview/")
    assert page.get_by_test_id("store-quarters").locator("tr[data-quarter='2024Q4']").count() == 1

    page.goto(f"{base}/dentalreview/levels/")
    assert "級別 1" in page.get_by_test_id("chart-levels").inner_html()
    screenshot(page, "dentalreview-4-levels-by-quarter")
    watch.assert_clean()
