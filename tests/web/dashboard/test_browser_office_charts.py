"""In Chromium: the program office opens each chart page from the navigation and runs a what-if;
the pages are kept as screenshots (test-artifacts/) and their SVG labels are Chinese."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.core.browser import open_tablet, screenshot


@pytest.mark.browser
@pytest.mark.slow
def test_office_reads_every_chart_and_runs_a_what_if(
    transactional_db, live_server, page, office, scored, deadlines
):
    watch = open_tablet(page, live_server, office)
    base = live_server.url
    page.goto(f"{base}/dashboard/")
    page.get_by_role("link", name="統計圖表").first.click()
    page.wait_for_url(f"{base}/dashboard/charts/")
    checks = [
        ("各梯次申請案狀態", "chart-states", "一一一年度第一梯次", "office-chart-1-states"),
        ("期限將屆之申請案", "chart-deadlines", "補件兩日護理之家", "office-chart-2-deadlines"),
        ("合格率", "chart-pass-rate-county", "臺北市", "office-chart-3-pass-rates"),
        ("各基準失分熱度圖", "chart-points-lost", "A1.1", "office-chart-4-points-lost"),
    ]
    for link, testid, label, shot in checks:
        links = "charts-index" if page.url.endswith("/charts/") else "charts-nav"
        page.get_by_test_id(links).get_by_role("link", name=link).click()
        chart = page.get_by_test_id(testid)
        chart.wait_for()
        svg = chart.inner_html()
        assert label in svg, (testid, label)
        assert chart.get_attribute("font-family").startswith("Noto Sans CJK TC")
        assert chart.bounding_box()["height"] > 40
        screenshot(page, shot)

    page.get_by_test_id("charts-nav").get_by_role("link", name="評鑑結果參數試算").click()
    page.get_by_label("評鑑梯次").select_option(label="一一一年度第一梯次（4）")
    page.get_by_label("變更之計畫參數").fill("pass_threshold=72")
    page.get_by_role("button", name="試算").click()
    page.wait_for_selector("[data-testid=whatif-changes]")
    expect(page.get_by_test_id("whatif-summary")).to_contain_text("1 家評鑑結果將改變")
    expect(page.locator("[data-testid=whatif-changes] tbody tr[data-code]")).to_have_count(1)
    screenshot(page, "office-chart-5-what-if")
    watch.assert_clean()
