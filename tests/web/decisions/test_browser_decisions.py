"""In Chromium (issue 14 "done when", the determination path): the office opens a determination
meeting, seats a member and lists a scored application; the rules core's proposal and trace are on
the item page; the office records the decision and the program's owner (計畫管理者) approves it,
which decides the application; the institution files an appeal on time; the office assigns a
re-reviewer outside the original team and records the outcome, then finalises: the result is in
the registry; the institution downloads its certificate (pdftotext shows institution, program,
validity in ROC dates and the verification code), whose verification URL confirms it to anyone
signed out, while a made-up code is refused. Another institution's appeal, after its last day, is
refused with that day in ROC dates (seed 002 §十二(一)). Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from playwright.sync_api import expect

from pingjian.rules.roc import roc_date_long
from pingjian.web.applications.actions import do_record_notice_receipt
from pingjian.web.applications.models import Application
from pingjian.web.decisions import actions
from pingjian.web.programs.actions import do_load_program_files
from pingjian.web.programs.models import ProgramVersion
from pingjian.web.registry.models import RegistryEntry
from tests.web.core.browser import open_tablet, screenshot
from tests.web.support import make_user

from .conftest import make_scored


def pdftotext(pdf: bytes) -> str:
    """The PDF's text as poppler's pdftotext reads it (what a person copying from it gets)."""
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


@pytest.mark.browser
@pytest.mark.slow
def test_a_scored_application_goes_through_the_meeting_to_a_published_result(
    live_server, page, transactional_db, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    do_load_program_files(actor=None)
    programs = {v.program_id: v for v in ProgramVersion.objects.published()}
    office = make_user("office", "office")
    approver = make_user("approver", "program_admin")
    member = make_user("member", "surveyor")
    reviewer = make_user("reviewer", "surveyor")
    application, inst, nurse = make_scored(programs, office, "a")
    late, late_inst, _n = make_scored(programs, office, "b")
    today = dt.date.today()

    # the office opens the meeting, seats the member, records attendance, lists the application
    watch = open_tablet(page, live_server, office)
    page.goto(f"{live_server.url}/decisions/")
    form = page.get_by_test_id("create-meeting")
    form.get_by_label("梯次").select_option(str(application.cycle_id))
    form.get_by_label("會議名稱").fill("第1次評定會議")
    form.get_by_label("會議日期").fill(f"{today.year - 1911}/{today.month}/{today.day}")
    form.get_by_role("button", name="建立").click()
    page.get_by_test_id("seat-member").get_by_label("評定委員").select_option(str(member.pk))
    page.get_by_test_id("seat-member").get_by_role("button", name="列入").click()
    page.get_by_test_id("member-member").get_by_role("button", name="出席", exact=True).click()
    # the page reloads with the attendance: the form below is on both pages, so wait for the new one
    expect(page.get_by_test_id("member-member").locator("td").nth(1)).to_have_text("出席")
    page.get_by_test_id("add-item").get_by_role("button", name="列入評定").click()
    page.get_by_test_id(f"item-{application.institution.code}").get_by_role("link").click()
    assert "建議結果：合格" in page.get_by_test_id("proposal").inner_text()
    assert "評鑑結果：合格" in page.get_by_test_id("trace").inner_text()
    page.get_by_test_id("record-decision").get_by_role("button", name="登錄決議").click()
    expect(page.get_by_test_id("decision").locator("xpath=..")).to_contain_text("待")
    screenshot(page, "decisions-1-item")
    item_url = page.url
    watch.assert_clean()
    page.context.clear_cookies()

    # the owner's approver approves: the application is decided with the decision's result
    watch = open_tablet(page, live_server, approver)
    page.goto(item_url)
    page.get_by_test_id("approve").get_by_role("button", name="核定").click()
    assert "衛生福利部" in page.get_by_test_id("approved").inner_text()
    application.refresh_from_db()
    assert application.state == "decided" and application.result == "pass"
    watch.assert_clean()
    page.context.clear_cookies()

    # the institution files its appeal on time
    watch = open_tablet(page, live_server, inst)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    assert "自收受通知之次日起14日內" in page.get_by_test_id("appeal-rule").inner_text()
    page.get_by_test_id("file-appeal").get_by_label("申復理由").fill("C1 之評分與佐證不符")
    page.get_by_test_id("file-appeal").get_by_role("button", name="提出申復").click()
    assert "複審中" in page.get_by_test_id("appeal").inner_text()
    screenshot(page, "decisions-2-appealed")
    watch.assert_clean()
    page.context.clear_cookies()

    # the office: the original team member is refused as re-reviewer; another one re-reviews
    watch = open_tablet(page, live_server, office)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.get_by_test_id("appeal").get_by_role("link", name="申復詳情").click()
    page.get_by_test_id("assign-reviewer").get_by_label(
        "複審委員（原訪查小組以外、無利益衝突）"
    ).select_option(str(nurse.pk))
    page.get_by_test_id("assign-reviewer").get_by_role("button", name="指派").click()
    expect(page.get_by_text("申復須由原小組以外之委員複審", exact=False).first).to_be_visible()
    page.get_by_test_id("assign-reviewer").get_by_label(
        "複審委員（原訪查小組以外、無利益衝突）"
    ).select_option(str(reviewer.pk))
    page.get_by_test_id("assign-reviewer").get_by_role("button", name="指派").click()
    expect(page.get_by_test_id("reviewers")).to_contain_text("reviewer")
    outcome = page.get_by_test_id("record-outcome")
    outcome.get_by_label("維持原評定結果").check()
    outcome.get_by_label("理由").fill("複審確認原評分無誤")
    outcome.get_by_role("button", name="登錄申復結果").click()
    assert "維持原評定結果" in page.get_by_test_id("outcome").inner_text()
    page.get_by_role("link", name="回申請案").click()
    page.get_by_test_id("finalize").get_by_role("button").click()
    expect(page.get_by_test_id("state")).to_have_text("結果確定")
    screenshot(page, "decisions-3-final")
    watch.assert_clean()
    page.context.clear_cookies()
    entry = RegistryEntry.objects.get(institution=application.institution)
    assert entry.result == "合格" and entry.valid_from == dt.date(2023, 1, 1)

    # the institution downloads its certificate from the registry entry: pdftotext shows the
    # institution, the program, the validity in ROC dates and the verification code
    certificate = entry.certificate
    watch = open_tablet(page, live_server, inst)
    page.goto(f"{live_server.url}/registry/{entry.pk}/")
    href = page.get_by_test_id("certificate-zh").get_attribute("href")
    response = page.context.request.get(f"{live_server.url}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = pdftotext(response.body())
    for expected in (
        application.institution.name,
        application.program_version.title,
        roc_date_long(entry.valid_from),
        roc_date_long(entry.valid_until),
        certificate.verification_code,
    ):
        assert expected in text, expected
    page.context.clear_cookies()
    # the verification URL printed on it confirms it to anyone; a made-up code is refused
    page.goto(f"{live_server.url}/registry/verify/{certificate.verification_code}/")
    assert page.get_by_test_id("verify-institution").inner_text() == application.institution.name
    assert "目前有效" in page.get_by_test_id("verify-status").inner_text()
    assert roc_date_long(entry.valid_from) in page.get_by_test_id("verify-validity").inner_text()
    page.goto(f"{live_server.url}/registry/verify/")
    page.get_by_label("證書驗證碼").fill("made-up-code-0000")
    page.get_by_role("button", name="驗證").click()
    assert "不是本系統核發" in page.get_by_test_id("verify-unknown").inner_text()
    screenshot(page, "decisions-3b-certificate-verified")
    watch.assert_clean()

    # another application: decided a month ago, received then; its appeal now is late
    meeting = actions.do_create_meeting(late.cycle, title="第2次評定會議", held_on=today, actor=office)
    item = actions.do_add_item(meeting, late, actor=office)
    decision = actions.do_record_decision(item, actor=office, result="pass")
    decided_on = today - dt.timedelta(days=40)
    actions.do_approve_decision(decision, actor=approver, today=decided_on)
    late.refresh_from_db()
    late = do_record_notice_receipt(late, actor=office, received_on=decided_on, today=today)
    watch = open_tablet(page, live_server, late_inst)
    page.goto(f"{live_server.url}/applications/{late.pk}/")
    page.get_by_test_id("file-appeal").get_by_label("申復理由").fill("不服")
    page.get_by_test_id("file-appeal").get_by_role("button", name="提出申復").click()
    refusal = f"申復期限（{roc_date_long(late.appeal_due)}）已過，逾期不受理"
    expect(page.get_by_text(refusal, exact=False).first).to_be_visible()  # then the database
    assert Application.objects.get(pk=late.pk).state == "decided"
    screenshot(page, "decisions-4-late-refused")
    watch.assert_clean()
