from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pingjian.web.audit.models import AuditEvent
from pingjian.web.institutions.actions import do_import_institutions
from pingjian.web.institutions.csv_import import parse_institutions_csv
from pingjian.web.institutions.models import Institution

HEADER = "醫事機構代碼,機構名稱,機構類型,縣市,地址,負責人,負責人起日,開業日期,停業日期,復業日期,床數\n"
GOOD = (
    HEADER
    + "0190000101,晴天產後護理之家,產後護理之家,台北市,臺北市中山區1號,林美惠,104/03/01,104/03/01,,,24\n"
    + "0250000102,康復之家,精神復健機構（住宿型）,KHH,高雄市2號,,,2016-01-05,110年3月1日,110年9月1日,30\n"
)


def test_a_good_file_gives_rows_with_roc_and_iso_dates_read():
    plan = parse_institutions_csv(GOOD.encode("utf-8-sig"), "good.csv")
    assert plan.ok, plan.errors
    first, second = plan.rows
    assert first.code == "0190000101" and first.fields["county"] == "TPE"
    assert first.owner_since == dt.date(2015, 3, 1) and first.fields["capacity"] == 24
    assert second.fields["type"] == "psych_rehab_residential"
    assert second.fields["suspended_on"] == dt.date(2021, 3, 1)


def test_big5_files_are_read():
    assert parse_institutions_csv(GOOD.encode("big5"), "big5.csv").ok


def test_every_bad_cell_is_reported_with_row_and_column():
    bad = (
        HEADER
        + "01900001,短代碼,產後護理之家,臺北市,地址,,,,,,\n"
        + "0190000103,,太空站,火星市,地址,,,113/02/30,,,-4\n"
        + "0190000104,停復業顛倒,診所,臺中市,地址,,,,112/05/01,112/01/01,\n"
        + "0190000104,重複代碼,診所,臺中市,地址,,,,,,\n"
    )
    plan = parse_institutions_csv(bad, "bad.csv")
    found = {(e.row, e.column) for e in plan.errors}
    assert (2, "醫事機構代碼") in found
    assert {(3, "機構名稱"), (3, "機構類型"), (3, "縣市"), (3, "開業日期"), (3, "床數")} <= found
    assert (4, "復業日期") in found
    assert (5, "醫事機構代碼") in found
    assert "第 2 列「醫事機構代碼」欄" in str(plan.errors[0])


def test_missing_and_unknown_columns_are_reported_on_the_header_row():
    plan = parse_institutions_csv("code,name,顏色\n", "x.csv")
    columns = {e.column for e in plan.errors}
    assert {"機構類型", "縣市", "地址", "顏色"} <= columns
    assert all(e.row == 1 for e in plan.errors)


def test_import_creates_then_updates_and_records_an_owner_change(db):
    plan = parse_institutions_csv(GOOD, "good.csv")
    summary = do_import_institutions(plan.rows, actor=None, source="good.csv")
    assert (summary.created, summary.updated) == (2, 0)
    again = do_import_institutions(plan.rows, actor=None, source="good.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = GOOD.replace("林美惠,104/03/01", "陳志豪,112/07/01")
    do_import_institutions(parse_institutions_csv(changed, "c.csv").rows, actor=None, source="c.csv")
    institution = Institution.objects.get(code="0190000101")
    terms = list(institution.owner_terms.order_by("started_on").values_list("owner_name", "ended_on"))
    assert terms == [("林美惠", dt.date(2023, 6, 30)), ("陳志豪", None)]
    assert AuditEvent.objects.filter(event_type="institution.owner_changed").count() == 1


def test_command_imports_a_good_file(db, tmp_path, capsys):
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_institutions", str(path))
    assert Institution.objects.count() == 2


def test_command_refuses_a_bad_file_naming_row_and_column_and_writes_nothing(db, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(GOOD + "0190000109,壞,產後護理之家,月球,地址,,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("import_institutions", str(path))
    assert excinfo.value.returncode == 2
    assert "第 4 列「縣市」欄" in capsys.readouterr().err
    assert Institution.objects.count() == 0
    assert not AuditEvent.objects.exists()
