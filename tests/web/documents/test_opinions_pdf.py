"""評鑑意見書 as a PDF (issue 13 item 7): Traditional Chinese only, ROC dates, the program office's
letterhead, the team's opinions per criterion and overall; downloaded by the team and the office,
by the institution only once the office approved it, never by a conflicted surveyor (404)."""

from __future__ import annotations

import datetime as dt

import pytest

from pingjian.web.assessments.actions import (
    do_approve_opinion,
    do_save_opinion_entry,
    do_submit_assessment,
    do_submit_opinion,
)
from pingjian.web.programs.actions import do_save_program_office
from pingjian.web.programs.models import ProgramOffice
from pingjian.web.visits.actions import do_declare_conflict
from pingjian.web.visits.models import VisitMember
from tests.web.assessments.conftest import make_visit
from tests.web.assessments.test_permissions import FULL_MARKS
from tests.web.assessments.test_scoring_api import enter_case
from tests.web.support import client_for, make_user, text_of

from .test_documents import assert_tc_fonts_only


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def opinions_case(programs, office):
    """A postpartum visit on 111年8月15日 scored in full, with opinions written and submitted."""
    nurse = make_user("op-nurse", "surveyor")
    visit = make_visit(programs, office, "postpartum-111", day=dt.date(2022, 8, 15), team=[("醫護", nurse)])
    letterhead = ProgramOffice(owner="衛生福利部", unit="護理及健康照護司", phone="(02)8590-6666")
    letterhead.address = "115204臺北市南港區忠孝東路六段488號"
    do_save_program_office(letterhead, actor=office)
    enter_case(client_for(nurse), visit, FULL_MARKS)
    do_submit_assessment(visit, actor=nurse)
    do_save_opinion_entry(visit, actor=nurse, key="", strengths="機構環境整潔，護理人力充足。",
                          recommendations="宜加強夜間緊急應變演練。")  # fmt: skip
    do_save_opinion_entry(visit, actor=nurse, key="B1.1", strengths="產婦衛教資料完整。")
    do_save_opinion_entry(visit, actor=nurse, key="C1", recommendations="消防安全設備檢修紀錄宜逐月檢視。")
    opinion = do_submit_opinion(visit, actor=nurse)
    return visit, nurse, opinion


def _url(visit):
    return f"/documents/applications/{visit.application.pk}/opinions.pdf"


def test_the_pdf_is_traditional_chinese_with_roc_dates_letterhead_and_every_opinion(
    opinions_case, office, tmp_path
):
    visit, _nurse, opinion = opinions_case
    do_approve_opinion(opinion, actor=office)
    response = client_for(office).get(_url(visit))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert_tc_fonts_only(pdf, tmp_path)
    text = text_of(pdf).replace(" ", "")
    assert "評鑑意見書" in text
    assert "111年8月15日" in text  # the visit day, ROC (seed 002 dates are ROC throughout)
    assert "2022-08-15" not in text and "2022/08/15" not in text
    assert "護理及健康照護司" in text and "忠孝東路六段488號" in text
    assert "機構環境整潔，護理人力充足。" in text and "宜加強夜間緊急應變演練。" in text
    assert "B1.1" in text and "產婦衛教資料完整。" in text
    assert "C1" in text and "消防安全設備檢修紀錄宜逐月檢視。" in text
    assert "100.00" in text and "核定日期" in text and "中華民國" in text
    assert "未核定稿" not in text


def test_the_team_and_the_office_read_the_draft_marked_as_such(opinions_case, office):
    visit, nurse, _opinion = opinions_case
    for user in (nurse, office):
        response = client_for(user).get(_url(visit))
        assert response.status_code == 200
        assert "未核定稿" in text_of(response.content).replace(" ", "")


def test_the_institution_downloads_only_once_approved(opinions_case, office):
    visit, _nurse, opinion = opinions_case
    inst = make_user("op-inst", "institution", institution=visit.application.institution)
    assert client_for(inst).get(_url(visit)).status_code == 404
    do_approve_opinion(opinion, actor=office)
    assert client_for(inst).get(_url(visit)).status_code == 200


def test_a_conflicted_surveyor_and_a_surveyor_outside_the_team_get_404(opinions_case, office):
    visit, _nurse, opinion = opinions_case
    do_approve_opinion(opinion, actor=office)
    conflicted = make_user("op-conflicted", "surveyor")
    VisitMember.objects.create(visit=visit, surveyor=conflicted, role="委員")
    assert client_for(conflicted).get(_url(visit)).status_code == 200  # a team member reads it …
    do_declare_conflict(conflicted, visit.application.institution, actor=conflicted, reason="曾任該機構顧問")
    assert client_for(conflicted).get(_url(visit)).status_code == 404  # … until the conflict
    assert client_for(make_user("op-outsider", "surveyor")).get(_url(visit)).status_code == 404


def test_the_application_page_links_the_pdf_for_the_institution_once_approved(opinions_case, office):
    visit, _nurse, opinion = opinions_case
    inst = make_user("op-inst-link", "institution", institution=visit.application.institution)
    page = f"/applications/{visit.application.pk}/"
    assert _url(visit) not in client_for(inst).get(page).content.decode()
    assert _url(visit) in client_for(office).get(page).content.decode()
    do_approve_opinion(opinion, actor=office)
    assert _url(visit) in client_for(inst).get(page).content.decode()
