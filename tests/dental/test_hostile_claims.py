"""Hostile claims files (issue 16, item 4): wrong types, huge values, SQL and CSV-formula injection
strings, NULs and control characters in the cells of claims.csv. Each is either scored as the text
it is (an identifier is only an identifier) or refused with a DataFileError naming the file, the row
and the column; nothing else escapes, and the command writes nothing when it refuses. The cells are
fuzzed with hypothesis."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pingjian.cli.dental import dental
from pingjian.dental import pipeline
from pingjian.rules.errors import DataFileError
from tests.dental.builders import Data

pytestmark = pytest.mark.slow  # DuckDB runs the whole pipeline once per case (~1 s each)

INJECTIONS = [
    "'; DROP TABLE claims; --",
    "' OR '1'='1",
    "\"); COPY (SELECT 1) TO '/tmp/pwned.csv'; --",
    "=cmd|' /C calc'!A0",
    "+SUM(1,1)",
    "@import",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\u202e",
    "'" * 300,
    "x" * 100_000,
]
HUGE = ["9" * 40, str(2**63), str(-(2**63) - 1), "1e309", "NaN", "inf", "0x10", "١٢٣"]


def good() -> Data:
    d = Data()
    d.clinic("A")
    d.clinic("B")
    d.line("A", "2024-10-01", "89001C", 500, tooth="11", surfaces=2)
    d.line("B", "2024-10-02", "01271C", 300)
    d.line("A", "2024-10-03", "01271C", 300)
    return d


def _score_or_refuse(d: Data, tmp_path) -> str | None:  # type: ignore[no-untyped-def]
    """None when scored, the message when refused; any other exception fails the test."""
    try:
        pipeline.score(d.write(tmp_path / "data"), "2024Q4")
    except DataFileError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_strings_in_free_text_columns_are_only_text(value, tmp_path):
    d = good()
    d.claims[1]["patient_id"] = value
    d.claims[2]["claim_id"] = value
    message = _score_or_refuse(d, tmp_path)
    assert not (tmp_path.parent / "pwned.csv").exists()
    assert message is None or message.startswith("claims.csv: row "), message


@pytest.mark.parametrize("value", INJECTIONS[:3])
@pytest.mark.parametrize("column", ["clinic_id", "tooth", "order_code"])
def test_injection_strings_in_coded_columns_are_refused_by_file_row_and_column(value, column, tmp_path):
    d = good()
    d.claims[0][column] = value
    message = _score_or_refuse(d, tmp_path)
    if column == "order_code":  # an unknown code is a code like any other; it counts for nothing
        assert message is None or message.startswith("claims.csv: row 1, column "), message
    else:
        assert message is not None and message.startswith("claims.csv: row 1, column "), message


@pytest.mark.parametrize(
    ("column", "value"),
    [("points", v) for v in HUGE] + [("quantity", "9" * 40), ("surfaces", str(2**63)), ("quantity", "1e309")],
)
def test_huge_and_odd_numbers_are_refused_by_file_row_and_column(column, value, tmp_path):
    d = good()
    d.claims[0][column] = value
    message = _score_or_refuse(d, tmp_path)
    assert message is not None and message.startswith(f"claims.csv: row 1, column {column}: "), message


@pytest.mark.parametrize("value", ["2024-02-30", "0000-00-00", "2024-10-01'; --", "today"])
def test_impossible_dates_are_refused_by_file_row_and_column(value, tmp_path):
    d = good()
    d.claims[2]["visit_date"] = value
    message = _score_or_refuse(d, tmp_path)
    assert message is not None and message.startswith("claims.csv: row 3, column visit_date"), message


def test_the_command_refusing_a_hostile_file_writes_nothing(tmp_path):
    d = good()
    d.claims[0]["points"] = "9" * 40
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        dental, ["score", "--data", str(d.write(tmp_path / "data")), "--quarter", "2024Q4", "--out", str(out)]
    )
    assert result.exit_code == 2 and "claims.csv: row 1, column points" in result.output
    assert list(tmp_path.glob("out*")) == []


_CELLS = st.one_of(
    st.sampled_from(INJECTIONS[:-1] + HUGE),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
)


@hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    column=st.sampled_from(
        [
            "claim_id",
            "patient_id",
            "birth_date",
            "visit_date",
            "order_code",
            "tooth",
            "surfaces",
            "quantity",
            "points",
        ]
    ),
    row=st.integers(0, 2),
    value=_CELLS,
)
def test_any_cell_is_scored_or_refused_by_file_row_and_column(column, row, value, tmp_path_factory):
    d = good()
    d.claims[row][column] = value
    message = _score_or_refuse(d, tmp_path_factory.mktemp("fuzz"))
    if message is not None:
        assert message.startswith("claims.csv: "), message
