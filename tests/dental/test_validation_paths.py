"""Claims validation has two paths (pingjian/dental/io.py): for a Parquet file with the contract's
types, statistics and a few grouped scans decide that every check passes; when one may fail (and
always for CSV) the row-by-row checks name the first bad row. Each bad input must give the same
one-line message from Parquet as from CSV (contract: Inputs, "Bad input"), and good Parquet input
must not need the row-by-row pass."""

import pytest

from pingjian.dental import io, pipeline
from pingjian.rules.errors import DataFileError
from tests.dental.builders import Data


def good() -> Data:
    d = Data()
    d.clinic("A")
    d.clinic("B")
    d.line("A", "2024-10-01", "89001C", 500, tooth="11", surfaces=2)
    d.line("B", "2024-10-02", "01271C", 300)
    d.line("A", "2024-10-03", "01271C", 300)
    d.line("B", "2024-11-03", "89201C", 900, tooth="36", surfaces=1)
    return d


def _set(row: int, field: str, value):
    def change(d: Data) -> None:
        d.claims[row][field] = value

    return change


BAD = {
    "negative points": _set(2, "points", -5),
    "quantity below one": _set(1, "quantity", 0),
    "surfaces above five": _set(0, "surfaces", 6),
    "surfaces below one": _set(3, "surfaces", 0),
    "not an FDI tooth": _set(3, "tooth", "19"),
    "OD line without tooth": _set(3, "tooth", None),
    "OD line without surfaces": _set(0, "surfaces", None),
    "clinic not in clinics": _set(1, "clinic_id", "Z"),
    "doctor not in doctors": _set(2, "doctor_id", "NOBODY"),
    "patient missing": _set(1, "patient_id", None),
    "claim id empty": _set(2, "claim_id", ""),
    "birth after visit": _set(1, "birth_date", "2024-12-01"),
    "two problems, the first row wins": lambda d: (_set(3, "points", -1)(d), _set(1, "tooth", "99")(d)),
}


def refuse(d: Data, directory, fmt: str) -> str:
    with pytest.raises(DataFileError) as exc:
        pipeline.indicators(d.write(directory, fmt), "2024Q4")
    return str(exc.value)


@pytest.mark.parametrize("case", sorted(BAD))
def test_parquet_and_csv_refuse_bad_claims_with_the_same_message(tmp_path, case):
    d = good()
    BAD[case](d)
    from_csv = refuse(d, tmp_path / "csv", "csv")
    from_parquet = refuse(d, tmp_path / "parquet", "parquet")
    assert from_parquet == from_csv.replace("claims.csv", "claims.parquet")
    assert "row " in from_parquet and "column " in from_parquet


def test_quarter_without_claims_is_unknown_from_parquet(tmp_path):
    with pytest.raises(DataFileError, match="unknown quarter 2025Q1: no claim line in it"):
        pipeline.indicators(good().write(tmp_path, "parquet"), "2025Q1")


def test_good_parquet_claims_pass_without_the_row_by_row_checks(tmp_path, monkeypatch):
    def row_checks(*_a, **_k):
        raise AssertionError("row-by-row checks ran on good Parquet input")

    monkeypatch.setattr(io, "_claims_row_checks", row_checks)
    res = pipeline.indicators(good().write(tmp_path, "parquet"), "2024Q4")
    assert {i.facts.clinic_id for i in res.inputs} == {"A", "B"}


def test_code_profile_counts_missing_teeth_and_surfaces_per_code(tmp_path):
    import duckdb

    d = good()
    d.claims[3]["tooth"] = None
    path = d.write(tmp_path, "parquet") / "claims.parquet"
    profile = io.claim_code_profile(duckdb.connect(), path)
    assert profile.present == ["01271C", "89001C", "89201C"]
    assert profile.no_tooth == {"01271C": 2, "89001C": 0, "89201C": 1}
    assert profile.no_surfaces == {"01271C": 2, "89001C": 0, "89201C": 0}
