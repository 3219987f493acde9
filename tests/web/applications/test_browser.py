"""In Chromium: an institution user applies to a JCT cycle, the office starts the qualification
review and asks for a supplement, the institution uploads and resubmits, the office accepts.
Screenshots of each step go to test-artifacts/."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfWriter

from pingjian.web.core.counties import County
from pingjian.web.institutions.actions import do_create_institution
from pingjian.web.institutions.models import InstitutionType
from pingjian.web.programs.actions import do_load_program_files
from pingjian.web.programs.models import ProgramVersion
from tests.web.core.browser import sign_in_with_form
from tests.web.support import make_cycle, make_user

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    sign_in_with_form(page, base, username)


def _logout(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="登出").click()


@pytest.mark.browser
def test_apply_review_supplement_resubmit_accept(live_server, page, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ARTIFACTS.mkdir(exist_ok=True)
    do_load_program_files(actor=None)
    office = make_user("office", "office")
    clinic = do_create_institution(
        actor=None,
        code="0130000004",
        name="晶漾美學診所",
        type=InstitutionType.CLINIC,
        county=County.TAIPEI,
        address="臺北市信義區松仁路4號",
        opened_on=dt.date(2018, 1, 1),
    )
    make_user("clinic", "institution", institution=clinic)
    cycle = make_cycle(
        ProgramVersion.objects.latest_published("aesthetic-clinic-112"),
        office,
        title="診所美容醫學品質認證（瀏覽器測試梯次）",
    )
    base = live_server.url
    page.set_viewport_size({"width": 1024, "height": 768})
    shot = lambda name: page.screenshot(path=str(ARTIFACTS / f"workflow-{name}.png"), full_page=True)  # noqa: E731

    # the institution applies and submits
    _login(page, base, "clinic")
    page.goto(f"{base}/cycles/{cycle.pk}/")
    page.get_by_role("button", name="建立申請案").click()
    page.wait_for_url("**/applications/*/")
    application_url = page.url
    page.get_by_role("button", name="送出申請").click()
    expect(page.get_by_test_id("state")).to_have_text("已送件")
    shot("1-submitted")
    _logout(page)

    # the office starts the qualification review and asks for a supplement (a message is required)
    _login(page, base, "office")
    page.goto(application_url)
    page.get_by_role("button", name="開始資格審查").click()
    expect(page.get_by_test_id("state")).to_have_text("資格審查中")
    page.get_by_label("通知機構之訊息（必填）").fill("請補上醫師證書影本（I-01）。")
    page.locator("form[data-transition=request_supplement] button").click()
    expect(page.get_by_test_id("state")).to_have_text("待補件")
    due = page.get_by_test_id("supplement-due").inner_text()
    assert due.startswith("1") and "年" in due  # ROC date
    shot("2-supplement-requested")
    _logout(page)

    # the institution reads the message, uploads the document and resubmits
    _login(page, base, "clinic")
    assert page.get_by_test_id("deadlines").get_by_text("補件").first.is_visible()
    page.goto(application_url)
    assert page.get_by_test_id("history").get_by_text("請補上醫師證書影本（I-01）。").is_visible()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    pdf = io.BytesIO()
    writer.write(pdf)
    page.locator("tr[data-slot='I-01'] input[type=file]").set_input_files(
        {"name": "醫師證書.pdf", "mimeType": "application/pdf", "buffer": pdf.getvalue()}
    )
    page.locator("tr[data-slot='I-01'] button", has_text="上傳").click()
    expect(page.get_by_text("已上傳 I-01 第1版")).to_be_visible()
    page.locator("tr[data-slot='I-02'] input[type=file]").set_input_files(
        {"name": "訓練.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + b"\x00" * 300}
    )
    page.locator("tr[data-slot='I-02'] button", has_text="上傳").click()
    expect(page.get_by_text("不是可接受的格式")).to_be_visible()
    page.get_by_role("button", name="完成補件").click()
    expect(page.get_by_test_id("state")).to_have_text("已補件")
    shot("3-resubmitted")
    _logout(page)

    # the office reviews again and accepts
    _login(page, base, "office")
    page.goto(application_url)
    page.get_by_role("button", name="開始資格審查").click()
    page.get_by_role("button", name="資格審查通過").click()
    expect(page.get_by_test_id("state")).to_have_text("資格審查通過")
    shot("4-accepted")
