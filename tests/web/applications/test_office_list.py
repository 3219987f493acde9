"""The office's application list: search, filters, CSV export of what is shown; the pipeline on
the dashboard (issue 18)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.dashboard.demo import seed_demo
from tests.web.support import client_for


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return seed_demo()


def _rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheet programs read the Chinese
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_office_filters_by_state_and_searches_by_name_and_exports_exactly_that(db, demo):
    office = client_for(demo.users["office"])
    page = office.get("/applications/", {"state": State.SUPPLEMENT_REQUESTED}).content.decode()
    expected = Application.objects.filter(state=State.SUPPLEMENT_REQUESTED)
    assert f"共 {expected.count()} 件" in page and "export.csv?state=supplement_requested" in page
    response = office.get("/applications/export.csv", {"state": State.SUPPLEMENT_REQUESTED})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    header, *rows = _rows(response)
    assert header[:3] == ["醫事機構代碼", "機構名稱", "縣市"]
    assert sorted(r[1] for r in rows) == sorted(a.institution.name for a in expected)
    assert {r[5] for r in rows} == {"待補件"} and all("/" in r[7] for r in rows)  # ROC dates, words
    searched = _rows(office.get("/applications/export.csv", {"q": "安心"}))[1:]
    assert [r[1] for r in searched] == ["安心產後護理之家"]


def test_county_program_and_overdue_filters(db, demo):
    office = client_for(demo.users["office"])
    taipei = _rows(office.get("/applications/export.csv", {"county": "TPE"}))[1:]
    assert taipei and {r[2] for r in taipei} == {"臺北市"}
    postpartum = _rows(office.get("/applications/export.csv", {"program": "postpartum-111"}))[1:]
    assert postpartum and {r[3] for r in postpartum} == {"111年度產後護理之家評鑑"}
    overdue = _rows(office.get("/applications/export.csv", {"overdue": "on"}))[1:]
    assert all(r[5] in ("待補件", "待繳交申報資料") for r in overdue)


def test_the_export_holds_only_what_the_user_may_see(db, demo):
    rows = _rows(client_for(demo.users["institution"]).get("/applications/export.csv"))[1:]
    assert {r[1] for r in rows} == {"安心產後護理之家"}


def test_the_dashboard_shows_the_office_the_pipeline_by_state(db, demo):
    page = client_for(demo.users["office"]).get("/dashboard/").content.decode()
    pipeline = page[page.index('data-testid="pipeline"') :]
    count = Application.objects.filter(state=State.SUPPLEMENT_REQUESTED).count()
    assert f'?state=supplement_requested"><span class="n">{count}</span> 待補件' in pipeline
    assert (
        'data-testid="pipeline"'
        not in client_for(demo.users["institution"]).get("/dashboard/").content.decode()
    )


def test_the_excel_export_holds_the_same_rows_as_the_csv(db, demo):
    office = client_for(demo.users["office"])
    response = office.get("/applications/export.xlsx", {"county": "TPE"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "filename*=utf-8''%E7%94%B3%E8%AB%8B%E6%A1%88" in response["Content-Disposition"]  # 申請案…
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    excel = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    csv_rows = _rows(office.get("/applications/export.csv", {"county": "TPE"}))
    assert len(excel) == len(csv_rows) > 1 and excel[0] == csv_rows[0]
    for in_excel, in_csv in zip(excel[1:], csv_rows[1:], strict=True):
        total = in_csv[10]  # a number in the workbook (19), text in the CSV (19.00)
        assert in_excel[10] == (Decimal(total) if total else "")
        assert [str(v) for v in in_excel[:10] + in_excel[11:]] == in_csv[:10] + in_csv[11:]


def test_the_excel_export_holds_only_what_the_user_may_see(db, demo):
    response = client_for(demo.users["institution"]).get("/applications/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert {row[1] for row in list(sheet.iter_rows(values_only=True))[1:]} == {"安心產後護理之家"}
