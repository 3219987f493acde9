"""In Chromium: the office cannot close a decided case inside the appeal period and is told from
which day it may; the institution waives its appeal; the office then closes the case.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from pingjian.rules.roc import roc_date_long
from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.core.counties import County
from pingjian.web.institutions.actions import do_create_institution
from pingjian.web.institutions.models import InstitutionType
from pingjian.web.programs.actions import do_load_program_files
from pingjian.web.programs.models import ProgramVersion
from tests.web.core.browser import open_tablet, screenshot
from tests.web.support import make_cycle, make_user


@pytest.mark.browser
def test_closing_waits_for_the_appeal_period_unless_the_institution_waives_it(
    live_server, page, transactional_db, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    do_load_program_files(actor=None)
    office = make_user("office", "office")
    home = do_create_institution(
        actor=None, code="0190000001", name="安心產後護理之家", type=InstitutionType.POSTPARTUM_HOME,
        county=County.TAIPEI, address="臺北市大安區復興南路一段1號", opened_on=dt.date(2015, 3, 1),
    )  # fmt: skip
    member = make_user("home", "institution", institution=home)
    cycle = make_cycle(ProgramVersion.objects.latest_published("postpartum-111"), office)
    app = actions.do_open_application(cycle, home, actor=office)
    Application.objects.filter(pk=app.pk).update(state=State.SCORED, total=Decimal("82.50"))
    app.refresh_from_db()
    app = actions.do_decide_application(app, actor=office, result="pass")
    app = actions.do_record_notice_receipt(app, actor=member)  # today: the period runs 14 days ahead
    first = roc_date_long(app.appeal_due + dt.timedelta(days=1))
    url = f"{live_server.url}/applications/{app.pk}/"

    # the office tries to close: refused, naming the first day it may
    watch = open_tablet(page, live_server, office)
    page.goto(url)
    assert page.get_by_test_id("closable-from").inner_text() == f"申復期間屆滿後，自{first}起"
    page.locator("form[data-transition=finalize] button").click()
    expect(page.get_by_text(f"自{first}起始得確定結果", exact=False).first).to_be_visible()
    expect(page.get_by_test_id("state")).to_have_text("已評定")
    screenshot(page, "appeal-1-close-refused")
    watch.assert_clean()
    page.context.clear_cookies()

    # the institution waives its appeal (the confirmation box is required)
    watch = open_tablet(page, live_server, member)
    page.goto(url)
    page.get_by_label("本機構對本次評鑑結果不提出申復，並聲明放棄申復。").check()
    page.get_by_role("button", name="聲明放棄申復").click()
    assert page.get_by_test_id("appeal-waived").inner_text() == roc_date_long(app.notice_received_on)
    expect(page.get_by_test_id("closable-from")).to_have_text("機構已放棄申復，即得確定結果")
    expect(page.locator("form[data-transition=appeal]")).to_have_count(0)
    screenshot(page, "appeal-2-waived")
    watch.assert_clean()
    page.context.clear_cookies()

    # the office closes the case
    watch = open_tablet(page, live_server, office)
    page.goto(url)
    page.locator("form[data-transition=finalize] button").click()
    expect(page.get_by_test_id("state")).to_have_text("結果確定")
    screenshot(page, "appeal-3-closed")
    watch.assert_clean()
