"""A quarter run from an indicator table instead of claims (contract dental-south-113, "indicator
table": one row per clinic and quarter, the claims stage skipped; bad input named by file, row and
column, nothing written): the web run scores as `pingjian dental score --indicators FILE`."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pingjian.cli import main as cli_main
from pingjian.web.audit.models import AuditEvent
from pingjian.web.dentalreview import engine
from pingjian.web.dentalreview.models import ClinicResult, QuarterRun, RunSource, RunState
from tests.web.support import client_for, run_jobs

from .conftest import QUARTER


def cli(*args: str) -> str:
    result = CliRunner().invoke(cli_main, ["dental", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def indicator_table(demo_quarter, tmp_path_factory) -> Path:
    """The demo quarter's indicator table, as `pingjian dental indicators` writes it."""
    out = tmp_path_factory.mktemp("dental-indicators") / "indicators-2024Q4.csv"
    cli("indicators", "--data", str(demo_quarter), "--quarter", QUARTER, "--out", str(out))
    return out


@pytest.fixture(scope="module")
def indicator_parquet(indicator_table) -> Path:
    """The same table as Parquet (the CLI reads either)."""
    import duckdb

    out = indicator_table.with_suffix(".parquet")
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{indicator_table}', header=true, all_varchar=true)) "
        f"TO '{out}' (FORMAT parquet)"
    )
    return out


def cli_scores(table: Path, tmp_path: Path) -> dict[str, tuple[Decimal | None, int | None, bool]]:
    """`pingjian dental score --indicators TABLE`: points, level and exclusion per clinic."""
    out = tmp_path / "score.csv"
    cli("score", "--indicators", str(table), "--quarter", QUARTER, "--out", str(out))
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    return {
        r["clinic_id"]: (
            Decimal(r["points"]) if r["points"] else None,
            int(r["level"]) if r["level"] else None,
            r["excluded"].lower() in ("true", "1"),
        )
        for r in rows
    }


def post_table(client, name: str, data: bytes, **extra):
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(reverse("dentalreview:runs"), {"quarter": "113Q4", "indicators": upload, **extra})


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_run_from_an_indicator_table_scores_each_clinic_as_the_cli_does(
    nhi, dental_settings, request, fmt, tmp_path, django_capture_on_commit_callbacks
):
    indicator_table = request.getfixturevalue("indicator_table" if fmt == "csv" else "indicator_parquet")
    client = client_for(nhi)
    with django_capture_on_commit_callbacks(execute=True):
        page = post_table(client, indicator_table.name, indicator_table.read_bytes())
    assert page.status_code == 302, page.content.decode()[:2000]
    run = QuarterRun.objects.get()
    assert run.source == RunSource.TABLE and run.state == RunState.QUEUED
    assert Path(run.folder).name == indicator_table.name and Path(run.folder).is_file()
    run_jobs()
    run.refresh_from_db()
    assert run.state == RunState.DONE, run.error
    assert run.run_record["engine"] == "indicator-table" and run.run_record["source"] == run.folder

    expected = cli_scores(indicator_table, tmp_path)
    got = {r.clinic_id: (r.points, r.level, r.excluded) for r in ClinicResult.objects.filter(run=run)}
    assert len(got) > 20 and got == expected
    assert any(level for _p, level, _x in got.values())  # some clinic fired a level: a real comparison

    # the claims store is neither read nor written by a table run
    assert engine.store_state(dental_settings.PINGJIAN_DENTAL_STORE)["generation"] == 0
    assert run.store_generation is None and run.load_report == {}
    assert AuditEvent.objects.filter(event_type="dental.run_requested").count() == 1
    assert AuditEvent.objects.filter(event_type="dental.run_finished").count() == 1

    # the results page, the clinic page (the CLI's explain trace, and a note on the missing claims
    # detail instead of a failure), exports and what-if work as for a claims run
    html = client.get(reverse("dentalreview:run", args=[run.pk])).content.decode()
    assert 'data-testid="run-table"' in html
    fired = ClinicResult.objects.filter(run=run, level__gte=1).order_by("-points").first()
    trace = json.loads(
        cli("explain", fired.clinic_id, "--indicators", str(indicator_table), "--quarter", QUARTER, "--json")
    )
    assert fired.trace == trace
    clinic = client.get(reverse("dentalreview:clinic", args=[run.pk, fired.clinic_id]))
    assert clinic.status_code == 200
    body = clinic.content.decode()
    assert 'data-testid="no-claims-detail"' in body and "指標表" in body
    for f in trace["fired"]:
        assert f'data-rule="{f["rule"]}" data-points="{f["points"]}"' in body
    assert client.get(reverse("dentalreview:export_csv", args=[run.pk])).status_code == 200
    whatif = client.post(reverse("dentalreview:whatif", args=[run.pk]), {"params": "pr_general_band=50,94"})
    assert whatif.status_code == 200 and 'data-testid="whatif-table"' in whatif.content.decode()
    assert engine.store_state(dental_settings.PINGJIAN_DENTAL_STORE)["generation"] == 0


def _table_with(table: Path, row: int, column: str, value: str) -> bytes:
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "clinic_id")
    header = rows[header_at]
    rows[header_at + row][header.index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode()


def _nothing_stored(dental_settings) -> None:
    assert QuarterRun.objects.count() == 0 and ClinicResult.objects.count() == 0
    assert not AuditEvent.objects.filter(event_type__startswith="dental.").exists()
    uploads = Path(dental_settings.PINGJIAN_DENTAL_UPLOAD_DIR)
    assert not uploads.exists() or not any(uploads.iterdir())


def test_a_malformed_indicator_table_is_refused_naming_file_row_and_column(
    nhi, dental_settings, indicator_table
):
    """Contract dental-south-113: bad input is rejected naming the file, row and column; nothing is
    written (no run, no file kept, no audit event, no job)."""
    column = next(c for c in next(csv.reader(io.StringIO(indicator_table.read_text()))) if c.endswith("_num"))
    data = _table_with(indicator_table, 3, column, "abc")
    page = post_table(client_for(nhi), "bad-table.csv", data)
    assert page.status_code == 422
    html = page.content.decode()
    assert 'data-testid="run-errors"' in html
    assert f"bad-table.csv: row 3, column {column}: not an integer" in html
    _nothing_stored(dental_settings)


def test_a_table_without_the_quarter_or_with_a_missing_column_is_refused(
    nhi, dental_settings, indicator_table
):
    client = client_for(nhi)
    page = client.post(
        reverse("dentalreview:runs"),
        {"quarter": "2025Q1", "indicators": SimpleUploadedFile("t.csv", indicator_table.read_bytes())},
    )
    assert page.status_code == 422 and "t.csv: unknown quarter 2025Q1" in page.content.decode()
    lines = indicator_table.read_text().splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("clinic_id"))
    cols = lines[header_at].split(",")
    drop = cols.index("opened_on")
    cut = [",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in lines[header_at:]]
    page = post_table(client, "t.csv", "\n".join(cut).encode())
    assert page.status_code == 422 and "opened_on" in page.content.decode()
    _nothing_stored(dental_settings)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("t.parquet", b"clinic_id,quarter\n1,2024Q4\n", "t.parquet：不是 Parquet 檔"),
        ("t.csv", b"PAR1\x00\x01binary PAR1", "t.csv：不是 UTF-8 文字之 CSV 檔"),
        ("t.csv", b"\xff\xfe\x00garbage", "t.csv：不是 UTF-8 文字之 CSV 檔"),
        ("t.csv", b"a,b,c\n1,2,3\n", "t.csv：第 1 行欄位缺少 clinic_id, quarter, region, opened_on"),
        ("t.xlsx", b"clinic_id,quarter\n", "t.xlsx：指標表之副檔名應為 .csv 或 .parquet"),
    ],
)
def test_an_indicator_table_is_checked_by_content_not_by_name(nhi, dental_settings, name, data, message):
    page = post_table(client_for(nhi), name, data)
    assert page.status_code == 422 and message in page.content.decode()
    _nothing_stored(dental_settings)


def test_an_indicator_table_over_the_size_cap_is_refused(nhi, dental_settings, monkeypatch, indicator_table):
    monkeypatch.setattr(engine, "MAX_INDICATOR_BYTES", 1024)
    page = post_table(client_for(nhi), "big.csv", indicator_table.read_bytes())
    assert page.status_code == 422 and "big.csv：超過" in page.content.decode()
    _nothing_stored(dental_settings)


def test_an_indicator_table_and_claims_together_are_refused(nhi, dental_settings, indicator_table):
    page = post_table(client_for(nhi), "t.csv", indicator_table.read_bytes(), folder="demo")
    assert page.status_code == 422 and "擇一" in page.content.decode()
    _nothing_stored(dental_settings)


def test_only_nhi_reviewers_may_run_from_an_indicator_table(role_users, dental_settings, indicator_table):
    for name, user in role_users.items():
        if name == "nhi":
            continue
        response = post_table(client_for(user), "t.csv", indicator_table.read_bytes())
        assert response.status_code == 403, name
    _nothing_stored(dental_settings)
