"""In Chromium: office staff enter a typhoon closure of the institution's county and see the
application's supplement deadline move. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from pingjian.rules.roc import roc_date, roc_date_long
from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.core.clock import working_calendar
from pingjian.web.core.counties import County
from pingjian.web.institutions.actions import do_create_institution
from pingjian.web.institutions.models import InstitutionType
from pingjian.web.programs.actions import do_load_program_files
from pingjian.web.programs.models import ProgramVersion
from tests.web.core.browser import sign_in_with_form
from tests.web.support import make_cycle, make_user

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.mark.browser
def test_office_enters_a_closure_and_the_supplement_deadline_moves(
    live_server, page, transactional_db, settings
):
    import datetime as dt

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ARTIFACTS.mkdir(exist_ok=True)
    do_load_program_files(actor=None)
    office = make_user("office", "office")
    clinic = do_create_institution(
        actor=None, code="0130000004", name="晶漾美學診所", type=InstitutionType.CLINIC,
        county=County.TAIPEI, address="臺北市信義區松仁路4號", opened_on=dt.date(2018, 1, 1),
    )  # fmt: skip
    cycle = make_cycle(ProgramVersion.objects.latest_published("aesthetic-clinic-112"), office)
    app = actions.do_open_application(cycle, clinic, actor=office)
    Application.objects.filter(pk=app.pk).update(state=State.QUALIFICATION_REVIEW)
    app.refresh_from_db()
    app = actions.do_request_supplement(app, actor=office, message="請補上醫師證書影本。")
    due = app.supplement_due
    moved = working_calendar().next_workday(due)  # the closed day no longer counts

    base = live_server.url
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in_with_form(page, base, "office")

    page.goto(f"{base}/applications/{app.pk}/")
    assert page.get_by_test_id("supplement-due").inner_text() == roc_date_long(due)

    page.get_by_role("link", name="停班停課").first.click()
    page.wait_for_url(f"{base}/closures/")
    page.get_by_label("日期").fill(roc_date(due))
    page.get_by_label("縣市").select_option(County.TAIPEI)
    page.get_by_label("公告來源").fill("行政院人事行政總處：颱風停止上班")
    page.get_by_role("button", name="登錄", exact=True).click()
    # the form posts to /closures/ and comes back there: waiting for that address waits for nothing
    expect(page.get_by_test_id("closures")).to_contain_text(roc_date_long(due))
    page.screenshot(path=str(ARTIFACTS / "closure-1-entered.png"), full_page=True)

    page.goto(f"{base}/applications/{app.pk}/")
    assert page.get_by_test_id("supplement-due").inner_text() == roc_date_long(moved)
    page.screenshot(path=str(ARTIFACTS / "closure-2-deadline-moved.png"), full_page=True)
