"""In Chromium: office staff with admin-site access enter their office's letterhead in the Django
admin, and the next 補件通知函 prints it. Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from pingjian.web.accounts.actions import do_set_admin_site_access
from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.core.counties import County
from pingjian.web.institutions.actions import do_create_institution
from pingjian.web.institutions.models import InstitutionType
from pingjian.web.programs.actions import do_load_program_files
from pingjian.web.programs.models import ProgramOffice, ProgramVersion
from tests.web.core.browser import open_tablet, screenshot
from tests.web.support import client_for, make_cycle, make_user, text_of

JCT = "財團法人醫院評鑑暨醫療品質策進會 (JCT)"


@pytest.mark.browser
def test_office_enters_its_letterhead_in_the_admin_and_the_letter_prints_it(
    live_server, page, transactional_db, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    do_load_program_files(actor=None)
    office = do_set_admin_site_access(make_user("office", "office"), allowed=True, actor=None, reason="函稿")
    clinic = do_create_institution(
        actor=None, code="0130000004", name="晶漾美學診所", type=InstitutionType.CLINIC,
        county=County.TAIPEI, address="臺北市信義區松仁路4號", opened_on=dt.date(2018, 1, 1),
    )  # fmt: skip
    cycle = make_cycle(ProgramVersion.objects.latest_published("aesthetic-clinic-112"), office)
    app = actions.do_open_application(cycle, clinic, actor=office)
    Application.objects.filter(pk=app.pk).update(state=State.QUALIFICATION_REVIEW)
    app.refresh_from_db()
    actions.do_request_supplement(app, actor=office, message="請補上醫師證書影本。")

    watch = open_tablet(page, live_server, office)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="評鑑辦公室（函稿資料）").first.click()
    page.get_by_role("link", name="新增").first.click()
    page.get_by_label("主辦機關").select_option(JCT)
    page.get_by_label("承辦單位").fill("診所認證辦公室")
    page.get_by_label("地址").fill("220新北市板橋區文化路一段188號5樓")
    page.get_by_label("電話").fill("(02)2960-1188")
    screenshot(page, "letterhead-1-admin-form")
    page.get_by_role("button", name="儲存", exact=True).click()
    expect(page.get_by_role("link", name=f"{JCT} 診所認證辦公室")).to_be_visible()  # then the database
    screenshot(page, "letterhead-2-admin-list")
    assert ProgramOffice.objects.get(owner=JCT).phone == "(02)2960-1188"
    watch.assert_clean()  # the admin too: nothing from other hosts, no CSP violation

    client = client_for(office)
    letter = client.get(f"/documents/applications/{app.pk}/supplement-letter.pdf")
    text = text_of(letter.content).replace("\n", "")
    assert "地址：220新北市板橋區文化路一段188號5樓" in text and "電話：(02)2960-1188" in text
