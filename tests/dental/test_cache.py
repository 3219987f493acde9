"""The claims-stage cache (pingjian/dental/cache.py): a hit gives the same scores as computing,
and every change the claims stage depends on (a file, the quarter, a claims-stage parameter, a
code set) is a miss, while point parameters (what-if) reuse the entry."""

import os

import pytest

from pingjian.dental import cache, engine, io, pipeline
from pingjian.dental.pipeline import score_rows
from pingjian.rules.dental_program import DentalProgram
from tests.dental.builders import Data


@pytest.fixture(autouse=True)
def cache_on(tmp_path, monkeypatch):
    monkeypatch.setenv("PINGJIAN_DENTAL_CACHE", "on")
    monkeypatch.setenv("PINGJIAN_CACHE_DIR", str(tmp_path / "cache"))


def data() -> Data:
    d = Data()
    d.clinic("A")
    d.clinic("B")
    d.line("A", "2024-01-10", "89001C", 500, patient="P1", tooth="11", surfaces=2)
    d.line("B", "2024-08-01", "01271C", 300)
    d.line("A", "2024-10-01", "89001C", 500, patient="P1", tooth="11", surfaces=2)
    d.line("B", "2024-10-02", "01271C", 300)
    d.line("A", "2024-10-03", "01271C", 300)
    d.line("B", "2024-11-03", "89002C", 900, tooth="36", surfaces=1)
    return d


def run(path, quarter="2024Q4", **kw):
    res = pipeline.score(path, quarter, **kw)
    return res, res.run["claims_stage"]["from_cache"]


def test_a_hit_gives_the_same_scores_without_running_the_claims_stage(tmp_path, monkeypatch):
    path = data().write(tmp_path / "d", "parquet")
    first, hit = run(path)
    assert not hit
    assert list((tmp_path / "cache" / "dental").glob("*.json"))

    def no_engine(*_a, **_k):
        raise AssertionError("the claims stage ran on a cache hit")

    monkeypatch.setattr(engine, "heavy_stage", no_engine)
    monkeypatch.setattr(io, "validate_inputs", no_engine)
    second, hit = run(path)
    assert hit
    assert score_rows(second) == score_rows(first)
    assert second.warnings == first.warnings


def test_point_parameters_reuse_the_entry_and_claims_stage_parameters_do_not(tmp_path):
    path = data().write(tmp_path / "d", "parquet")
    run(path)
    assert run(path, params={"pr_general_band": "80,94"})[1]  # what-if on the points
    assert not run(path, params={"refill_window_short": "300"})[1]  # a measure's window
    assert not run(path, params={"oral_exam_codes": "00121C,00122C"})[1]  # a code set's list
    assert not run(path, params={"child_age_max": "11"})[1]


def test_a_changed_file_or_another_quarter_is_a_miss(tmp_path):
    d = data()
    path = d.write(tmp_path / "d", "csv")
    run(path)
    assert not run(path, "2024Q3")[1]
    d.claims[2]["points"] = 301  # same size, other content
    d.write(tmp_path / "d", "csv")
    assert not run(path)[1]


def test_an_unreadable_entry_is_recomputed(tmp_path):
    path = data().write(tmp_path / "d", "parquet")
    first, _ = run(path)
    for entry in (tmp_path / "cache" / "dental").glob("*.json"):
        entry.write_text("{not json")
    second, hit = run(path)
    assert not hit
    assert score_rows(second) == score_rows(first)


def test_off_by_argument_and_by_environment(tmp_path, monkeypatch):
    path = data().write(tmp_path / "d", "parquet")
    run(path)
    assert not run(path, use_cache=False)[1]
    monkeypatch.setenv("PINGJIAN_DENTAL_CACHE", "off")
    assert not run(path)[1]


def test_every_parameter_the_claims_stage_reads_is_in_the_key(tmp_path, monkeypatch):
    """A parameter read by validation or the heavy stage but missing from the signature would let
    a stale entry answer for another value."""
    read: set[str] = set()
    original = DentalProgram.param

    def recording(self, name):
        read.add(name)
        return original(self, name)

    monkeypatch.setattr(DentalProgram, "param", recording)
    path = data().write(tmp_path / "d", "parquet")
    prog = pipeline.prepare_program()
    read.clear()
    stage = pipeline._claims_stage(
        prog, io.parse_quarter("2024Q4"), io.input_paths(path), "duckdb", None, 1, lambda _m: None
    )
    assert stage.measures
    signature = cache.claims_stage_signature(prog)
    assert read and read <= set(signature["parameters"]) | code_set_params(prog)


def code_set_params(prog: DentalProgram) -> set[str]:
    return {cs.param for cs in prog.code_sets.values() if cs.param}


def test_entries_beyond_the_limit_are_pruned_oldest_first(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "KEEP_ENTRIES", 2)
    stage = cache.ClaimsStage({}, [], [], "duckdb", 0.0)
    for i, k in enumerate(["a", "b", "c"]):
        cache.store(k, stage)
        os.utime(cache.directory() / f"{k}.json", (1000 + i, 1000 + i))
    cache.store("d", stage)
    assert sorted(p.stem for p in cache.directory().glob("*.json")) == ["c", "d"]


def test_cli_explain_after_score_reads_the_cache_and_no_cache_computes(tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner

    from pingjian.cli.dental import dental

    path = str(data().write(tmp_path / "d", "parquet"))
    common = ["--data", path, "--quarter", "2024Q4"]
    runner = CliRunner()
    scored = runner.invoke(dental, ["score", *common, "--out", str(tmp_path / "s.csv"), "--json"])
    assert scored.exit_code == 0, scored.output
    calls = []
    original = pipeline._claims_stage
    monkeypatch.setattr(pipeline, "_claims_stage", lambda *a: calls.append(a) or original(*a))
    explained = runner.invoke(dental, ["explain", "A", *common, "--json"])
    assert explained.exit_code == 0, explained.output
    assert calls == [] and json.loads(explained.output)["clinic_id"] == "A"
    again = runner.invoke(dental, ["explain", "A", *common, "--no-cache"])
    assert again.exit_code == 0, again.output
    assert len(calls) == 1
