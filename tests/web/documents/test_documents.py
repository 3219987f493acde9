"""PDF documents: the 補件通知函 and the 申請資料摘要 render with WeasyPrint, say what they must
(institution, ROC deadline with the rules core's explanation, 主旨, a stable 發文字號), embed only
Traditional Chinese Noto fonts (pdffonts: no -JP/-SC/-KR/-HK, nothing unembedded, the @page margin
box included), render fast, and are served only to the applicant's members and office staff
(404 outside the scope, 403 for others who see the application, login for anonymous).
The first page of each is rasterised into test-artifacts/ for a look."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pingjian.rules.roc import roc_date_long
from pingjian.web.applications.actions import fire
from pingjian.web.applications.models import Application
from pingjian.web.documents.content import chinese_number, supplement_letter
from pingjian.web.visits.actions import do_assign_surveyor
from tests.web.support import client_for, make_user, text_of

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fonts_of(pdf: bytes, tmp_path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font pdffonts lists."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        match = re.match(r"^(\S+)\s+.*?\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
        assert match, f"unexpected pdffonts line: {line!r}"
        rows.append((match.group(1), match.group(2) == "yes"))
    return rows


def assert_tc_fonts_only(pdf: bytes, tmp_path: Path) -> None:
    fonts = fonts_of(pdf, tmp_path)
    assert fonts
    for name, embedded in fonts:
        assert embedded, f"{name} is not embedded"
        assert not re.search(r"-(JP|SC|KR|HK)\b|CJKjp|CJKsc|CJKkr|CJKhk", name), (
            f"{name} is not Traditional Chinese"
        )
        assert re.search(r"CJK-?TC|CJKtc", name, re.IGNORECASE), f"{name}: a font other than Noto CJK TC"


def rasterise_first_page(pdf: bytes, name: str, tmp_path: Path) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(tmp_path / name),
        ],
        check=True,
    )
    target = ARTIFACTS / f"{name}.png"
    shutil.copyfile(tmp_path / f"{name}.png", target)
    shutil.copyfile(source, ARTIFACTS / f"{name}.pdf")
    return target


def test_chinese_numbers_count_the_paragraphs_of_a_letter():
    assert [chinese_number(n) for n in (1, 2, 9, 10, 11, 20, 35)] == [
        "一",
        "二",
        "九",
        "十",
        "十一",
        "二十",
        "三十五",
    ]


def test_supplement_letter_says_who_what_and_until_when_in_roc(supplement_case, clinic_user, tmp_path):
    response = client_for(clinic_user).get(
        f"/documents/applications/{supplement_case.pk}/supplement-letter.pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pdf = response.content
    text = text_of(pdf)
    due = supplement_case.supplement_due
    assert due == dt.date(2023, 6, 30)  # 5th working day after 6/21, past 端午節 and the day off 6/23
    assert "晶漾美學診所" in text
    assert "主旨" in text and "說明" in text and "正本" in text and "副本" in text
    assert f"期限為{roc_date_long(due)}" in text.replace("\n", "")
    assert "中華民國112年6月21日" in text  # 發文日期
    assert "5個工作天內完成補件" in text.replace("\n", "")
    assert "負責醫師專科醫師證書影本" in text and "緊急後送合約書" in text
    assert "儀器保養紀錄" in text  # the review comment is one of the items
    letter = supplement_letter(supplement_case)
    assert letter.number == f"評鑑字第112{supplement_case.pk:05d}01號"
    assert letter.number in text.replace("\n", "")
    assert "第 1 頁／共 1 頁" in text or "第 1 頁／共 2 頁" in text
    assert_tc_fonts_only(pdf, tmp_path)
    rasterise_first_page(pdf, "documents-supplement-letter", tmp_path)


def test_letter_number_is_stable_and_a_second_request_gets_the_next(supplement_case, clinic_user, office):
    first = supplement_letter(supplement_case).number
    assert supplement_letter(supplement_case).number == first
    fire(supplement_case, "resubmit", actor=clinic_user)
    fire(supplement_case, "start_review", actor=office)
    fire(
        supplement_case,
        "request_supplement",
        actor=office,
        message="請補附保養紀錄",
        today=dt.date(2023, 7, 3),
    )
    second = supplement_letter(Application.objects.get(pk=supplement_case.pk)).number
    assert second == first.replace("01號", "02號")


def test_no_letter_before_the_office_asks_for_supplements(application, office):
    response = client_for(office).get(f"/documents/applications/{application.pk}/supplement-letter.pdf")
    assert response.status_code == 404


def test_summary_lists_institution_program_history_fees_and_latest_uploads(supplement_case, office, tmp_path):
    response = client_for(office).get(f"/documents/applications/{supplement_case.pk}/summary.pdf")
    assert response.status_code == 200
    pdf = response.content
    text = text_of(pdf).replace("\n", "")
    assert "申請資料摘要" in text and "Application Summary" in text
    assert "晶漾美學診所" in text and "0130000004" in text
    assert "112年度診所美容醫學品質認證" in text
    assert "待補件" in text and "資格審查中" in text  # state history
    assert "徐榕君" in text  # the actor of the request
    assert roc_date_long(supplement_case.supplement_due) in text
    assert "人員資格.pdf" in text and "第1版" in text and "未上傳" in text
    assert "申請期間" in text and "實地訪查期間" in text
    assert_tc_fonts_only(pdf, tmp_path)
    rasterise_first_page(pdf, "documents-summary", tmp_path)


def test_documents_render_fast(supplement_case, office):
    client = client_for(office)
    for url in ("supplement-letter.pdf", "summary.pdf"):
        client.get(f"/documents/applications/{supplement_case.pk}/{url}")  # warm: fonts, imports
        response = client.get(f"/documents/applications/{supplement_case.pk}/{url}")
        millis = int(re.search(r"dur=(\d+)", response["Server-Timing"]).group(1))
        assert millis < 3000, f"{url} took {millis} ms"


@pytest.mark.parametrize("path", ["supplement-letter.pdf", "summary.pdf"])
def test_documents_are_404_for_another_institution_and_login_for_anonymous(supplement_case, theirs, path):
    other = make_user("other", "institution", institution=theirs)
    url = f"/documents/applications/{supplement_case.pk}/{path}"
    assert client_for(other).get(url).status_code == 404
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_download_matrix_members_and_office_staff_only(supplement_case, clinic, clinic_user, office):
    """200 for the applicant's members, office staff and program admins; 403 for those who see the
    application but are neither (the county's bureau, an assigned surveyor); 404 for the rest."""
    surveyor = make_user("assigned", "surveyor")
    do_assign_surveyor(surveyor, clinic, actor=office)
    expected = {
        clinic_user: 200,
        office: 200,
        make_user("admin", "program_admin"): 200,
        make_user("tpe", "bureau", county=clinic.county): 403,
        surveyor: 403,
        make_user("nhi", "nhi"): 404,
        make_user("nobody"): 404,
    }
    url = f"/documents/applications/{supplement_case.pk}/summary.pdf"
    got = {user: client_for(user).get(url).status_code for user in expected}
    assert got == expected


def test_application_page_links_the_documents_for_members_and_office(
    supplement_case, clinic_user, office, clinic
):
    for user in (clinic_user, office):
        page = client_for(user).get(f"/applications/{supplement_case.pk}/").content.decode()
        assert f"/documents/applications/{supplement_case.pk}/supplement-letter.pdf" in page
        assert f"/documents/applications/{supplement_case.pk}/summary.pdf" in page
    officer = make_user("tpe", "bureau", county=clinic.county)
    page = client_for(officer).get(f"/applications/{supplement_case.pk}/").content.decode()
    assert "/documents/" not in page
