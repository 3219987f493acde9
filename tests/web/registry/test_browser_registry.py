"""The public, signed out, searches the registry as they type and opens a result (ROC dates)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pingjian.web.registry.models import RegistryEntry
from tests.web.core.browser import open_tablet, screenshot

pytestmark = pytest.mark.browser


def test_the_public_searches_the_registry_and_opens_a_result(live_server, page, ours, theirs):
    for institution, title in ((ours, "111年度產後護理之家評鑑"), (theirs, "牙醫品質認證")):
        RegistryEntry.objects.create(
            institution=institution, program_id=title, program_title=title, valid_from=dt.date(2023, 1, 1),
            valid_until=dt.date(2099, 12, 31), published_at=timezone.now(),
        )  # fmt: skip
    watch = open_tablet(page, live_server)
    page.goto(f"{live_server.url}/registry/")
    assert page.get_by_test_id("result-count").inner_text() == "2 筆"
    page.get_by_label("機構名稱或代碼").fill("安心")
    page.get_by_test_id("result-count").filter(has_text="1 筆").wait_for()
    assert "?q=" in page.url  # htmx pushed the search into the address bar
    searches = []
    page.on("request", lambda request: searches.append(request.url) if "/registry/?" in request.url else None)
    page.get_by_label("機構名稱或代碼").blur()
    page.wait_for_timeout(500)
    # Leaving the field searched again once (its change event), and that second answer pushed the
    # address while the link clicked next was loading, which cancelled the click (a CI failure).
    assert searches == []
    page.get_by_label("縣市").select_option(label="高雄市")  # a choice still searches at once
    page.get_by_test_id("result-count").filter(has_text="0 筆").wait_for()
    page.get_by_label("縣市").select_option(label="全部")
    page.get_by_test_id("result-count").filter(has_text="1 筆").wait_for()
    results = page.locator("#results").inner_text()
    assert ours.name in results and theirs.name not in results and "112/01/01" in results
    screenshot(page, "registry-search")
    page.get_by_role("link", name=ours.name).click()
    assert page.get_by_test_id("validity").inner_text() == "效期內"
    assert "112年1月1日" in page.content()
    screenshot(page, "registry-detail")
    watch.assert_clean()
