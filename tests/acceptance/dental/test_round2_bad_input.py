"""Round 2 — bad input (contract "Inputs": "Bad input (missing column, wrong type, unknown quarter,
negative points, a claim line whose clinic is not in `clinics` or whose doctor is not in `doctors`,
an OD line without tooth or surfaces, …) is rejected with a message naming the file, row and
column; nothing is written."). The column types are the contract's table: points int ≥ 0,
quantity int ≥ 1, surfaces int 1–5, tooth FDI 11–48 / 51–85, outreach_sessions_year int.

Base data: clinic A; claim line 1 = 01271C 100 (patient P1), line 2 = 89001C 100 tooth 11, 1
surface (patient P2), both 2024-11-01. Each case spoils one cell; the run must fail (non-zero exit),
write no output file, and name the file and the column; the row is named as the data row (1-based)
or the file line (data row + 1).
"""

from __future__ import annotations

import pytest

from ._build import Data
from ._round2 import cli


def base() -> Data:
    d = Data()
    d.clinic("A")
    d.claim("A", "D1", "P1", "2024-11-01", [("01271C", 100)])
    d.claim("A", "D1", "P2", "2024-11-01", [("89001C", 100, "11", 1)])
    return d


def spoil_claims(row, col, value):
    def f(d: Data):
        d.claims[row][col] = value

    return f


def spoil_cq(col, value):
    def f(d: Data):
        d.cq[0][col] = value

    return f


CASES = [
    # (id, file, data row (1-based), column, spoil)
    pytest.param(
        "negative_points", "claims", 1, "points", spoil_claims(0, "points", -5), id="negative_points"
    ),
    pytest.param(
        "od_without_surfaces",
        "claims",
        2,
        "surfaces",
        spoil_claims(1, "surfaces", ""),
        id="od_without_surfaces",
    ),
    pytest.param(
        "od_without_tooth", "claims", 2, "tooth", spoil_claims(1, "tooth", ""), id="od_without_tooth"
    ),
    pytest.param(
        "unknown_clinic", "claims", 1, "clinic_id", spoil_claims(0, "clinic_id", "ZZ"), id="unknown_clinic"
    ),
    pytest.param(
        "bad_date", "claims", 1, "visit_date", spoil_claims(0, "visit_date", "2024-13-01"), id="bad_date"
    ),
    pytest.param(
        "points_not_a_number",
        "claims",
        1,
        "points",
        spoil_claims(0, "points", "abc"),
        id="points_not_a_number",
    ),
    pytest.param("surfaces_6", "claims", 2, "surfaces", spoil_claims(1, "surfaces", 6), id="surfaces_6"),
    pytest.param("tooth_99", "claims", 2, "tooth", spoil_claims(1, "tooth", "99"), id="tooth_99"),
    pytest.param("quantity_0", "claims", 1, "quantity", spoil_claims(0, "quantity", 0), id="quantity_0"),
    pytest.param(
        "unknown_quarter_in_cq",
        "clinic_quarter",
        1,
        "quarter",
        spoil_cq("quarter", "2024Q5"),
        id="unknown_quarter_in_cq",
    ),
    pytest.param(
        "sessions_not_a_number",
        "clinic_quarter",
        1,
        "sessions_per_month",
        spoil_cq("sessions_per_month", "x"),
        id="sessions_not_a_number",
    ),
    pytest.param(
        "points_fraction",
        "claims",
        1,
        "points",
        spoil_claims(0, "points", "1.5"),
        id="points_fraction",
    ),
    pytest.param(
        "quantity_fraction",
        "claims",
        1,
        "quantity",
        spoil_claims(0, "quantity", "2.5"),
        id="quantity_fraction",
    ),
    pytest.param(
        "surfaces_fraction",
        "claims",
        2,
        "surfaces",
        spoil_claims(1, "surfaces", "1.5"),
        id="surfaces_fraction",
    ),
    pytest.param(
        "outreach_fraction",
        "clinic_quarter",
        1,
        "outreach_sessions_year",
        spoil_cq("outreach_sessions_year", "1.5"),
        id="outreach_fraction",
    ),
]


@pytest.mark.parametrize(("name", "file", "row", "column", "spoil"), CASES)
def test_bad_input_rejected_nothing_written(tmp_path, name, file, row, column, spoil):
    """Inputs: bad input is rejected with a message naming the file, row and column; nothing is
    written."""
    d = base()
    spoil(d)
    data = d.write(tmp_path / "data")
    out = tmp_path / "out.csv"
    code, stderr, rows, _ = cli(["dental", "score", "--data", str(data), "--quarter", "2024Q4"], out)
    assert code != 0 and rows is None and not out.exists()
    assert file in stderr and column in stderr
    assert f"row {row}" in stderr or f"row {row + 1}" in stderr


def test_missing_column_rejected(tmp_path):
    """Inputs: a missing column (claims without `surfaces`) is rejected, naming file and column."""
    import csv

    data = base().write(tmp_path / "data")
    path = data / "claims.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cols = [c for c in rows[0] if c != "surfaces"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    out = tmp_path / "out.csv"
    code, stderr, _, _ = cli(["dental", "score", "--data", str(data), "--quarter", "2024Q4"], out)
    assert code != 0 and not out.exists()
    assert "claims" in stderr and "surfaces" in stderr


def test_fractional_points_parquet_rejected(tmp_path):
    """Inputs, Parquet: a `points` column stored as floating point (1.5, 100.0; wrong type for int)
    is rejected, naming the file and the column; nothing is written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = base().write(tmp_path / "data")
    (data / "claims.csv").unlink()
    d = base()
    cols = list(d.claims[0])
    table = {c: [r[c] for r in d.claims] for c in cols}
    table["points"] = [1.5, 100.0]
    table["quantity"] = [1, 1]
    table["surfaces"] = [None, 1]
    table["tooth"] = [None, "11"]
    pq.write_table(pa.table(table), data / "claims.parquet")
    out = tmp_path / "out.csv"
    code, stderr, rows, _ = cli(["dental", "score", "--data", str(data), "--quarter", "2024Q4"], out)
    assert code != 0 and not out.exists(), f"accepted: s1 = {rows and rows['A']['s1']}"
    assert "claims" in stderr and "points" in stderr
