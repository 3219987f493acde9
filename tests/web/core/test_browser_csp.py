"""Under the strict Content-Security-Policy the language menu still switches languages (its
handler is in core/static/core/pingjian.js) and no page reports a violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.core.browser import open_tablet

pytestmark = pytest.mark.browser


def test_the_language_menu_switches_to_english_under_the_csp(live_server, page, db):
    watch = open_tablet(page, live_server)
    response = page.goto(f"{live_server.url}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_label("語言").select_option("en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    expect(page).to_have_title(re.compile("Healthcare institution quality evaluation"))
    watch.assert_clean()


def test_the_api_docs_run_under_the_csp(live_server, page, office):
    watch = open_tablet(page, live_server, office)
    page.goto(f"{live_server.url}/api/docs")
    page.locator(".swagger-ui .info").wait_for()
    watch.assert_clean()
