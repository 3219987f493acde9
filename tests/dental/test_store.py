"""The quarterly claims store (issue 15 item 1; contract dental-south-113, Commands: `dental load`):
`score|explain|indicators --store` give the output of the same claims read from a folder, on both
engines; a load validates like `score`, replaces a quarter loaded again, and changes nothing when
it fails."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pingjian.cli import main
from pingjian.dental import pipeline, store
from pingjian.dental.generate import generate
from pingjian.rules.errors import DataFileError
from tests.dental.builders import Data
from tests.dental.test_engines_equal import mixed_data

QUARTER = "2024Q4"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(out, 60, QUARTER, 3, lines_per_clinic=200)
    return out


def run(*args: str) -> str:
    res = CliRunner().invoke(main, ["dental", *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def fails(*args: str) -> str:
    res = CliRunner().invoke(main, ["dental", *args], catch_exceptions=False)
    assert res.exit_code != 0
    return res.output


def outputs(
    tmp: Path, source: list[str], engine: str = "duckdb", clinic: str | None = None
) -> dict[str, str]:
    """Every table `score` and `indicators` write, and `explain --json` of one clinic."""
    tmp.mkdir(parents=True, exist_ok=True)
    common = ["--quarter", QUARTER, "--engine", engine, "--no-cache"]
    run(
        "score", *source, *common, "--out", str(tmp / "score.csv"),
        "--actions", str(tmp / "actions.csv"), "--specialists", str(tmp / "specialists.csv"),
    )  # fmt: skip
    run("indicators", *source, *common, "--out", str(tmp / "indicators.csv"))
    out = {p: (tmp / p).read_text(encoding="utf-8") for p in ("score.csv", "actions.csv", "specialists.csv")}
    out["indicators.csv"] = (tmp / "indicators.csv").read_text(encoding="utf-8")
    clinic = clinic or out["score.csv"].splitlines()[1].split(",")[0]
    out["explain"] = run("explain", clinic, *source, *common, "--json")
    out["explain_text"] = run("explain", clinic, *source, *common)
    return out


@pytest.mark.slow
def test_store_gives_the_folder_output_on_generated_data_duckdb(generated, tmp_path):
    run("load", "--data", str(generated), "--store", str(tmp_path / "store"))
    folder = outputs(tmp_path / "a", ["--data", str(generated)])
    stored = outputs(tmp_path / "b", ["--store", str(tmp_path / "store")])
    assert len(folder["score.csv"].splitlines()) > 40
    assert stored == folder  # every table, byte for byte, and the explanation


@pytest.mark.slow
def test_store_loaded_quarter_by_quarter_gives_the_same_output(generated, tmp_path):
    """The look-back quarters first, the scored quarter after (the quarterly routine)."""
    s = tmp_path / "store"
    report = store.load_quarters(
        generated, s, quarters=[f"{y}Q{n}" for y in (2021, 2022, 2023, 2024) for n in (1, 2, 3, 4)][3:-1]
    )
    assert list(report.quarters) == [*report.stored_quarters]
    assert QUARTER not in report.stored_quarters
    with pytest.raises(DataFileError, match="unknown quarter 2024Q4: no claim line in it"):
        pipeline.score(None, QUARTER, store=s, use_cache=False)
    report = store.load_quarters(generated, s, quarters=[QUARTER])
    assert report.quarters == {QUARTER: {"lines": report.quarters[QUARTER]["lines"], "replaced": False}}
    assert report.new_keys["clinic"] == 0  # every clinic already had a key
    a = pipeline.score(generated, QUARTER, use_cache=False)
    b = pipeline.score(None, QUARTER, store=s, use_cache=False)
    assert pipeline.score_rows(a) == pipeline.score_rows(b)
    assert pipeline.action_rows(a) == pipeline.action_rows(b)
    assert pipeline.specialist_rows(a) == pipeline.specialist_rows(b)


@pytest.mark.parametrize("fmt", [pytest.param("csv", marks=pytest.mark.slow), "parquet"])
def test_store_gives_the_folder_output_on_the_edge_cases(tmp_path, fmt):
    """Ties, same-day refills at two clinics, zero denominators, cross-region doctors (the
    engines' equality data), from CSV and from Parquet."""
    data = mixed_data().write(tmp_path / "data", fmt)
    run("load", "--data", str(data), "--store", str(tmp_path / "store"))
    folder = outputs(tmp_path / "a", ["--data", str(data)], clinic="S01")
    stored = outputs(tmp_path / "b", ["--store", str(tmp_path / "store")], clinic="S01")
    assert stored == folder
    assert "r5_5" in folder["score.csv"]


@pytest.mark.spark
@pytest.mark.slow
def test_store_gives_the_folder_output_on_spark(generated, tmp_path, monkeypatch):
    monkeypatch.setenv("PINGJIAN_SPARK_MASTER", "local[1]")
    s = tmp_path / "store"
    store.load_quarters(generated, s)
    duck = pipeline.score(generated, QUARTER, use_cache=False)
    spark = pipeline.score(None, QUARTER, store=s, engine="spark", use_cache=False)
    assert pipeline.score_rows(spark) == pipeline.score_rows(duck)
    assert pipeline.action_rows(spark) == pipeline.action_rows(duck)
    assert pipeline.specialist_rows(spark) == pipeline.specialist_rows(duck)
    data = mixed_data().write(tmp_path / "mixed", "parquet")
    store.load_quarters(data, tmp_path / "mixed_store")
    a = pipeline.indicators(data, QUARTER, engine="spark", use_cache=False)
    b = pipeline.indicators(None, QUARTER, store=tmp_path / "mixed_store", engine="spark", use_cache=False)
    assert a.measures == b.measures and a.inputs == b.inputs


# --- failures change nothing -------------------------------------------------------------------


def snapshot(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def small(tooth: str = "11", clinic: str = "S1", quarter: str = "2024-10-05") -> Data:
    d = Data()
    d.clinic("S1")
    d.clinic("S2")
    d.line("S1", "2024-07-03", "89001C", 500, patient="P1", tooth="11")
    d.line(clinic, quarter, "89001C", 500, patient="P1", tooth=tooth)
    d.line("S2", quarter, "01271C", 100, patient="P2")
    return d


def test_bad_input_names_file_row_and_column_like_score_and_leaves_the_store(tmp_path):
    s = tmp_path / "store"
    store.load_quarters(small().write(tmp_path / "good"), s)
    before = snapshot(s)
    bad = small(tooth="99").write(tmp_path / "bad")
    message = fails("load", "--data", str(bad), "--store", str(s))
    assert "claims.csv: row 2, column tooth: not an FDI tooth" in message
    score_message = fails("score", "--data", str(bad), "--quarter", QUARTER, "--out", str(tmp_path / "x.csv"))
    assert message == score_message
    assert snapshot(s) == before


def test_a_load_that_fails_while_writing_leaves_the_store_and_the_next_load_cleans_up(tmp_path, monkeypatch):
    s = tmp_path / "store"
    store.load_quarters(small().write(tmp_path / "good"), s)
    before = snapshot(s)
    alone = contents_of(tmp_path / "good")

    def broken(_root, _manifest):
        raise OSError("disk full")

    monkeypatch.setattr(store, "_write_manifest", broken)
    with pytest.raises(OSError, match="disk full"):
        store.load_quarters(small(quarter="2024-10-06").write(tmp_path / "other"), s)
    assert store.read_manifest(s) == json.loads(before["manifest.json"])
    assert contents(s) == alone  # what a reader sees is unchanged
    monkeypatch.undo()
    store.load_quarters(small().write(tmp_path / "good2"), s)
    assert contents(s) == alone
    named = store._referenced(store.read_manifest(s))
    on_disk = {str(p.relative_to(s)) for p in s.rglob("*.parquet")}
    assert on_disk == named  # the failed load's files are gone


def test_a_clinic_of_a_stored_quarter_missing_from_the_new_clinics_is_an_error(tmp_path):
    s = tmp_path / "store"
    store.load_quarters(small().write(tmp_path / "good"), s, quarters=["2024Q3"])
    before = snapshot(s)
    d = Data()
    d.clinic("S2")
    d.line("S2", "2024-10-05", "01271C", 100, patient="P2")
    with pytest.raises(
        DataFileError, match=r"clinics.csv: clinic 'S1' of a quarter in the store is not in it"
    ):
        store.load_quarters(d.write(tmp_path / "new"), s)
    assert snapshot(s) == before


def test_store_needs_a_store(tmp_path):
    assert "no claims store" in fails(
        "score", "--store", str(tmp_path / "none"), "--quarter", QUARTER, "--out", str(tmp_path / "x.csv")
    )
    assert "exactly one of" in fails(
        "score", "--store", str(tmp_path), "--data", str(tmp_path), "--quarter", QUARTER, "--out", "x.csv"
    )


# --- idempotence and replacement (properties) --------------------------------------------------


def contents(path: Path) -> dict[str, list]:
    """The store decoded: per quarter, its claims (each a sorted tuple of its lines, keys as the
    strings loaded), sorted; claim keys are a load's numbering, so claims are compared as groups."""
    snap = store.open_store(path)
    con = duckdb.connect()
    names = {n: snap.dictionary(con, n) for n in store.DICTIONARIES}
    out = {}
    for q, info in snap.manifest["quarters"].items():
        rows = con.sql(f"SELECT * FROM read_parquet('{snap.root / info['file']}')").fetchall()
        claims: dict[int, list] = {}
        for claim, clinic, doctor, patient, birth, visit, code, tooth, surfaces, points in rows:
            line = (names["clinic"][clinic], names["doctor"][doctor], names["patient"][patient], birth, visit)
            claims.setdefault(claim, []).append((*line, names["code"][code], tooth, surfaces, points))
        out[q] = sorted(tuple(sorted(c)) for c in claims.values())
    return out


def contents_of(data: Path) -> dict[str, list]:
    """The same view of a folder's claims (one loaded into a new store)."""
    s = data.parent / f"{data.name}-alone"
    store.load_quarters(data, s)
    return contents(s)


line_st = st.tuples(
    st.sampled_from(["S1", "S2", "S3"]),
    st.sampled_from(["2024-07-02", "2024-09-30", "2024-10-01", "2024-12-31", "2025-01-02"]),
    st.sampled_from(["89001C", "01271C", "90015C", "P3601C"]),
    st.integers(0, 900),
    st.sampled_from(["P1", "P2", "P3", "P4"]),
    st.sampled_from(["11", "36", "85"]),
    st.sampled_from(["C1", "C2", "C3", None]),
)


def dataset(lines: list[tuple]) -> Data:
    d = Data()
    for c in ("S1", "S2", "S3"):
        d.clinic(c)
    for clinic, day, code, points, patient, tooth, claim in lines:
        d.line(clinic, day, code, points, patient=patient, tooth=tooth, claim=claim)
    return d


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=st.lists(line_st, min_size=1, max_size=12),
    second=st.lists(line_st, min_size=1, max_size=12),
    fmt=st.sampled_from(["csv", "parquet"]),
)
def test_loading_again_is_idempotent_and_a_quarter_loaded_again_replaces_it(
    tmp_path_factory, first, second, fmt
):
    tmp = tmp_path_factory.mktemp("prop")
    a = dataset(first).write(tmp / "a", fmt)
    b = dataset(second).write(tmp / "b", fmt)
    s = tmp / "store"
    store.load_quarters(a, s)
    once = contents(s)
    store.load_quarters(a, s)
    assert contents(s) == once  # idempotent
    store.load_quarters(b, s)
    expected = {q: v for q, v in once.items()}
    expected.update(contents_of(b))  # b's quarters replace a's, the others stay
    assert contents(s) == dict(sorted(expected.items()))
    # loading b's quarters again from a changes them back; the rest stays b's
    store.load_quarters(a, s)
    expected = {**contents_of(b), **once}
    assert contents(s) == dict(sorted(expected.items()))


def test_the_python_api_lists_quarters_and_scores_like_the_folder(tmp_path):
    data = small().write(tmp_path / "data")
    s = tmp_path / "store"
    assert store.stored_quarters(s) == []
    report = store.load_quarters(data, s)
    assert report.stored_quarters == store.stored_quarters(s) == ["2024Q3", "2024Q4"]
    assert report.quarters == {
        "2024Q3": {"lines": 1, "replaced": False},
        "2024Q4": {"lines": 2, "replaced": False},
    }
    assert report.new_keys == {"clinic": 2, "doctor": 2, "code": 2, "patient": 2}
    from_store = store.score_from_store(s, QUARTER, use_cache=False)
    assert pipeline.score_rows(from_store) == pipeline.score_rows(
        pipeline.score(data, QUARTER, use_cache=False)
    )
    assert [r.clinic_id for r in from_store.scores] == ["S1", "S2"]
    again = store.load_quarters(data, s, quarters=["2024Q4"])
    assert again.quarters["2024Q4"]["replaced"] and again.new_keys == dict.fromkeys(store.DICTIONARIES, 0)


def test_load_prints_what_it_loaded(tmp_path):
    data = small().write(tmp_path / "data")
    s = tmp_path / "store"
    text = run("load", "--data", str(data), "--store", str(s))
    assert "2024Q3: 1 筆 lines 新增 added" in text and "2024Q4: 2 筆 lines 新增 added" in text
    record = json.loads(run("load", "--data", str(data), "--store", str(s), "--quarter", "113Q4", "--json"))
    assert record["quarters"] == {"2024Q4": {"lines": 2, "replaced": True}}
    assert record["stored_quarters"] == ["2024Q3", "2024Q4"]
    assert "unknown quarter 2024Q2: no claim line in it" in fails(
        "load", "--data", str(data), "--store", str(s), "--quarter", "2024Q2"
    )
    (tmp_path / "file").write_text("x")
    assert "not a directory" in fails("load", "--data", str(data), "--store", str(tmp_path / "file"))
