"""Bad input (contract: Inputs, "Bad input"): refused naming file, row and column; nothing written."""

import pytest
from click.testing import CliRunner

from pingjian.cli.dental import dental
from pingjian.dental import pipeline
from pingjian.rules.dental_program import load_dental_program
from pingjian.rules.errors import DataFileError, ProgramFileError
from tests.dental.builders import Data


def good() -> Data:
    d = Data()
    d.clinic("A")
    d.clinic("B")
    d.line("A", "2024-10-01", "89001C", 500, tooth="11", surfaces=2)
    d.line("B", "2024-10-02", "01271C", 300)
    d.line("A", "2024-10-03", "01271C", 300)
    return d


def refuse(d: Data, tmp_path, fmt="csv", quarter="2024Q4"):
    with pytest.raises(DataFileError) as exc:
        pipeline.score(d.write(tmp_path / "data", fmt), quarter)
    return str(exc.value)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_negative_points_names_file_row_and_column(tmp_path, fmt):
    d = good()
    d.claims[2]["points"] = -5
    assert refuse(d, tmp_path, fmt) == f"claims.{fmt}: row 3, column points: negative points"


def test_missing_column(tmp_path):
    d = good()
    for r in d.claims:
        del r["surfaces"]
    from tests.dental import builders

    cols = builders.CLAIM_COLS
    builders.CLAIM_COLS = [c for c in cols if c != "surfaces"]
    try:
        assert refuse(d, tmp_path) == "claims.csv: missing column surfaces"
    finally:
        builders.CLAIM_COLS = cols


def test_wrong_type_in_csv(tmp_path):
    d = good()
    d.claims[1]["points"] = "abc"
    assert refuse(d, tmp_path) == "claims.csv: row 2, column points: not a bigint"


def test_bad_date(tmp_path):
    d = good()
    d.claims[0]["visit_date"] = "2024-13-01"
    assert refuse(d, tmp_path) == "claims.csv: row 1, column visit_date: not a date"


def test_wrong_parquet_type(tmp_path):
    d = good()
    path = d.write(tmp_path / "data", "parquet")
    import pyarrow as pa
    import pyarrow.parquet as pq

    t = pq.read_table(path / "clinic_quarter.parquet")
    t = t.set_column(
        t.schema.get_field_index("outreach_sessions_year"),
        "outreach_sessions_year",
        pa.array(["x"] * t.num_rows),
    )
    pq.write_table(t, path / "clinic_quarter.parquet")
    with pytest.raises(
        DataFileError, match=r"clinic_quarter.parquet: column outreach_sessions_year: type VARCHAR"
    ):
        pipeline.score(path, "2024Q4")


def test_unknown_quarter_in_clinic_quarter(tmp_path):
    d = good()
    d.clinic_quarter[1]["quarter"] = "2024-4"
    assert (
        refuse(d, tmp_path) == "clinic_quarter.csv: row 2, column quarter: unknown quarter (expected YYYYQn)"
    )


def test_quarter_without_claims_is_unknown(tmp_path):
    assert "unknown quarter 2023Q1" in refuse(good(), tmp_path, quarter="2023Q1")


def test_bad_quarter_argument(tmp_path):
    assert "expected YYYYQn" in refuse(good(), tmp_path, quarter="2024-Q4")


def test_clinic_not_in_clinics(tmp_path):
    d = good()
    d.claims[1]["clinic_id"] = "Z"
    assert refuse(d, tmp_path) == "claims.csv: row 2, column clinic_id: clinic not in clinics"


def test_doctor_not_in_doctors(tmp_path):
    d = good()
    d.claims[2]["doctor_id"] = "NOBODY"
    assert refuse(d, tmp_path) == "claims.csv: row 3, column doctor_id: doctor not in doctors"


@pytest.mark.parametrize(
    ("field", "msg"), [("tooth", "OD line without tooth"), ("surfaces", "OD line without surfaces")]
)
def test_od_line_without_tooth_or_surfaces(tmp_path, field, msg):
    d = good()
    d.claims[0][field] = None
    assert refuse(d, tmp_path) == f"claims.csv: row 1, column {field}: {msg}"


def test_quantity_below_one_and_bad_tooth_and_surfaces(tmp_path):
    d = good()
    d.claims[1]["quantity"] = 0
    assert refuse(d, tmp_path) == "claims.csv: row 2, column quantity: quantity must be at least 1"
    d = good()
    d.claims[0]["tooth"] = "19"
    assert "row 1, column tooth: not an FDI tooth" in refuse(d, tmp_path / "b")
    d = good()
    d.claims[0]["surfaces"] = 6
    assert "row 1, column surfaces: surfaces must be 1–5" in refuse(d, tmp_path / "c")


def test_missing_required_value_and_duplicate_clinic(tmp_path):
    d = good()
    d.claims[1]["patient_id"] = None
    assert refuse(d, tmp_path) == "claims.csv: row 2, column patient_id: value missing"
    d = good()
    d.clinics.append(dict(d.clinics[0]))
    assert refuse(d, tmp_path / "b") == "clinics.csv: row 3, column clinic_id: duplicate 'A'"


def test_bad_clinic_kind(tmp_path):
    d = good()
    d.clinics[0]["kind"] = "spa"
    assert refuse(d, tmp_path) == "clinics.csv: row 1, column kind: kind must be clinic or hospital"


def test_missing_file(tmp_path):
    d = good()
    path = d.write(tmp_path / "data")
    (path / "doctors.csv").unlink()
    with pytest.raises(DataFileError, match=r"missing doctors\.parquet or doctors\.csv"):
        pipeline.score(path, "2024Q4")


def test_bad_indicator_table_names_row_and_column(tmp_path):
    d = good()
    res = pipeline.indicators(d.write(tmp_path / "data"), "2024Q4")
    out = tmp_path / "ind.csv"
    rows = pipeline.indicator_rows(res)
    rows[1]["s3"] = "lots"
    pipeline.write_csv_atomic(out, pipeline.indicator_columns(res.program), rows)
    with pytest.raises(DataFileError, match=r"^ind.csv: row 2, column s3: not a number$"):
        pipeline.score(None, "2024Q4", indicators_path=out)


def test_cli_one_line_error_exit_2_and_nothing_written(tmp_path):
    d = good()
    d.claims[2]["points"] = -1
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        dental, ["score", "--data", str(d.write(tmp_path / "data")), "--quarter", "2024Q4", "--out", str(out)]
    )
    assert result.exit_code == 2
    assert result.output.strip() == "錯誤 error: claims.csv: row 3, column points: negative points"
    assert not out.exists() and list(tmp_path.glob("out*")) == []


def test_bad_program_file_names_file_and_path(tmp_path):
    src = load_dental_program.__globals__["DEFAULT_PROGRAM_PATH"].read_text(encoding="utf-8")
    bad = tmp_path / "p.yaml"
    bad.write_text(src.replace("    value: 730\n", "    value: seven\n"), encoding="utf-8")
    with pytest.raises(
        ProgramFileError, match=r"p.yaml: parameters.refill_window_short: expected an integer"
    ):
        load_dental_program(bad)
    bad.write_text(src.replace("group: key", "group: vital", 1), encoding="utf-8")
    with pytest.raises(ProgramFileError, match=r"p.yaml: indicators.1.group: Input should be"):
        load_dental_program(bad)


def test_unknown_or_malformed_param_override():
    prog = load_dental_program()
    with pytest.raises(ProgramFileError, match="--param nope: unknown parameter"):
        prog.with_params({"nope": "1"})
    with pytest.raises(ProgramFileError, match="--param new_clinic_cap=abc"):
        prog.with_params({"new_clinic_cap": "abc"})
    with pytest.raises(ProgramFileError, match="pr_general_band: expected a list of 2 integers"):
        prog.with_params({"pr_general_band": "85"})
