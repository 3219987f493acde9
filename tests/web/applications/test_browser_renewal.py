"""In Chromium: the JCT 3-year renewal (續約; seed 000 認證效期「通過者3年」, seed 001 醫策會認證).
A clinic's member opens, from its finalised pass in the last 12 months of validity, the renewal in
the open cycle, and sees the two applications linked both ways; a pass with more than 12 months of
validity left offers no renewal, and its renewal address refuses, naming (in ROC form) the first
day a renewal may be opened. Every step waits with Playwright's expect; screenshots go to
test-artifacts/."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from pingjian.rules.roc import roc_date_long
from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from tests.web.applications.test_renewal import _finalised_pass
from tests.web.core.browser import open_tablet, screenshot
from tests.web.support import TODAY, make_cycle


@pytest.mark.browser
def test_a_clinic_opens_its_renewal_in_the_window_and_is_refused_outside_it(
    live_server, page, transactional_db, settings, programs, office, clinic, clinic_user, jct_cycle
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_cycle(programs["cell-therapy-clinic-112"], office)  # open: the refusal is the window's
    near = _finalised_pass(
        programs["aesthetic-clinic-112"], clinic, office, valid_until=TODAY + dt.timedelta(days=100)
    )
    far_last = TODAY + dt.timedelta(days=500)  # more than 12 months of validity left
    far = _finalised_pass(programs["cell-therapy-clinic-112"], clinic, office, valid_until=far_last)
    first_day = actions.renewal_window(far)[0]
    assert first_day > TODAY
    watch = open_tablet(page, live_server, clinic_user)

    # in its last 12 months: the button opens the renewal, which names the application it renews
    page.goto(f"{live_server.url}/applications/{near.pk}/")
    panel = page.get_by_test_id("renewal-panel")
    expect(panel).to_contain_text(roc_date_long(TODAY + dt.timedelta(days=100)))
    screenshot(page, "renewal-1-offered")
    panel.get_by_role("button", name="開啟續約申請案").click()
    expect(page).not_to_have_url(re.compile(rf"/applications/{near.pk}/$"))
    expect(page).to_have_url(re.compile(r"/applications/\d+/$"))
    expect(page.locator("ul.messages")).to_contain_text("已開啟續約申請案")
    renewal = Application.objects.get(renews=near)
    assert page.url.endswith(f"/applications/{renewal.pk}/")
    assert renewal.cycle == jct_cycle and renewal.state == State.DRAFT
    renews = page.get_by_test_id("renews").get_by_role("link")
    expect(renews).to_have_attribute("href", f"/applications/{near.pk}/")
    expect(renews).to_have_text(near.cycle.title)
    screenshot(page, "renewal-2-opened")

    # and the renewed one names its renewal, and offers it no more
    renews.click()
    expect(page).to_have_url(re.compile(rf"/applications/{near.pk}/$"))
    renewed_by = page.get_by_test_id("renewal").get_by_role("link")
    expect(renewed_by).to_have_attribute("href", f"/applications/{renewal.pk}/")
    expect(renewed_by).to_have_text(jct_cycle.title)
    expect(page.get_by_test_id("renewal-panel")).to_have_count(0)
    screenshot(page, "renewal-3-linked")

    # the applications list marks the renewal, with a link to the application it renews
    page.goto(f"{live_server.url}/applications/")
    marker = page.get_by_test_id("renews-marker")
    expect(marker).to_have_count(1)
    expect(marker.get_by_role("link")).to_have_attribute("href", f"/applications/{near.pk}/")

    # more than 12 months left: no button, the first day a renewal may be opened named in ROC form
    refusal = f"自{roc_date_long(first_day)}起"
    page.goto(f"{live_server.url}/applications/{far.pk}/")
    expect(page.get_by_test_id("renewal-refusal")).to_contain_text(refusal)
    expect(page.get_by_test_id("renewal-refusal")).to_contain_text(roc_date_long(far_last))
    expect(page.get_by_test_id("renewal-form")).to_have_count(0)
    screenshot(page, "renewal-4-too-early")

    # the renewal address refuses a post all the same (a form kept from another page, say)
    page.evaluate(
        """(url) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = url;
            form.append(document.querySelector("input[name=csrfmiddlewaretoken]").cloneNode());
            document.body.append(form);
            form.submit();
        }""",
        f"/applications/{far.pk}/renewal/",
    )
    expect(page.locator("ul.messages li.error")).to_contain_text(refusal)
    expect(page).to_have_url(re.compile(rf"/applications/{far.pk}/$"))
    expect(page.get_by_test_id("renewal-form")).to_have_count(0)
    assert not Application.objects.filter(renews=far).exists()
    screenshot(page, "renewal-5-refused")
    watch.assert_clean()
