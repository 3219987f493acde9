"""The claims store's look-back summaries (issue 15, performance): a score from the store reads the
scored quarter's lines and, for the quarters before it, each key's last day (written at load)
instead of three years of lines — with the output of the folder (contract dental-south-113: s8/s9,
s19/s20 look back 730 and 1,095 days, s14 180; seed 004 s8–s10, s14, s19–s21)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from pingjian.dental import pipeline, store
from tests.dental.builders import Data
from tests.dental.test_engine_property import datasets
from tests.dental.test_engines_equal import mixed_data

QUARTER = "2024Q4"


def same_output(a: pipeline.ScoreResult, b: pipeline.ScoreResult) -> None:
    assert pipeline.score_rows(a) == pipeline.score_rows(b)
    assert pipeline.action_rows(a) == pipeline.action_rows(b)
    assert pipeline.specialist_rows(a) == pipeline.specialist_rows(b)


def drop_summaries(path: Path) -> None:
    """The store as a load before the summaries left it: the manifest names no summary."""
    manifest = json.loads((path / store.MANIFEST).read_text(encoding="utf-8"))
    for info in manifest["quarters"].values():
        info.pop("summary", None)
    (path / store.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def test_a_load_writes_each_quarters_summary_and_a_score_reads_them_not_the_old_lines(tmp_path):
    data = mixed_data().write(tmp_path / "data", "parquet")
    s = tmp_path / "store"
    store.load_quarters(data, s)
    snap = store.open_store(s)
    assert all(info["summary"]["file"].startswith("summary/") for info in snap.manifest["quarters"].values())
    folder = pipeline.score(data, QUARTER, use_cache=False)
    # the lines of the quarters more than 180 days (s14, s17) before 2024Q4 are not read: the
    # store scores as the folder does without them
    old = [info for q, info in snap.manifest["quarters"].items() if q < "2024Q2"]
    assert old, "the data reaches back three years"
    for info in old:
        (s / info["file"]).unlink()
    same_output(pipeline.score(None, QUARTER, store=s, use_cache=False), folder)
    # without the summaries the store reads those lines (and now misses them)
    drop_summaries(s)
    with pytest.raises(Exception, match=r"No files found|does not exist|IO Error"):
        pipeline.score(None, QUARTER, store=s, use_cache=False)


def test_a_store_without_summaries_reads_the_lines_with_the_same_output(tmp_path):
    data = mixed_data().write(tmp_path / "data", "parquet")
    s = tmp_path / "store"
    store.load_quarters(data, s)
    drop_summaries(s)
    same_output(
        pipeline.score(None, QUARTER, store=s, use_cache=False),
        pipeline.score(data, QUARTER, use_cache=False),
    )


def child_refill() -> Data:
    """A child's OD refill at one clinic: the earlier line (2024Q2) is a code a what-if may call
    an oral exam, which seed 004 排除項目 (2) leaves out for patients ≤ 12."""
    d = Data()
    d.clinic("A")
    d.line("A", "2024-05-02", "89001C", 500, patient="K", tooth="11", birth="2015-01-01")
    d.line("A", "2024-11-02", "89002C", 500, patient="K", tooth="11", birth="2015-01-01")
    d.line("A", "2024-11-03", "01271C", 100, patient="P", birth="1980-01-01")
    return d


def test_a_what_if_that_changes_what_the_summaries_hold_reads_the_lines(tmp_path):
    """`--param oral_exam_codes` changes which earlier lines survive the exclusions: the
    summaries written at load no longer stand for them, and the store reads the lines."""
    data = child_refill().write(tmp_path / "data", "csv")
    s = tmp_path / "store"
    store.load_quarters(data, s)
    what_if = {"oral_exam_codes": "00121C,89001C"}

    def refills(**source) -> int:
        res = pipeline.indicators(quarter=QUARTER, use_cache=False, **source)
        return res.measures["A"]["refill_same_2y"]

    assert refills(data_dir=data) == refills(data_dir=None, store=s) == 1
    assert refills(data_dir=data, params=what_if) == refills(data_dir=None, store=s, params=what_if) == 0


@pytest.mark.slow
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(datasets())
def test_the_store_scores_any_small_claims_set_as_the_folder(tmp_path_factory, data):
    """Look-back edges (days 180/181, 730/731, 1,095/1,096), same-day lines at two clinics,
    excluded lines: the property data of the engine against the pandas reference."""
    path = data.write(tmp_path_factory.mktemp("claims"), "csv")
    s = path.parent / "store"
    store.load_quarters(path, s)
    same_output(
        pipeline.score(None, QUARTER, store=s, use_cache=False),
        pipeline.score(path, QUARTER, use_cache=False),
    )


@pytest.mark.slow
def test_the_benchmarks_replicated_store_scores_as_the_replicated_folder(tmp_path):
    """`bench.replicate.replicate_store` (the 10× store of docs/benchmarks.md) copies the
    summaries with the lines: its score is the replicated folder's."""
    from bench.replicate import replicate, replicate_store

    data = mixed_data().write(tmp_path / "data", "parquet")
    store.load_quarters(data, tmp_path / "store")
    replicate(str(data), str(tmp_path / "data3"), 3, threads=1)
    replicate_store(tmp_path / "store", tmp_path / "store3", 3, threads=1)
    assert all("summary" in i for i in store.open_store(tmp_path / "store3").manifest["quarters"].values())
    same_output(
        pipeline.score(None, QUARTER, store=tmp_path / "store3", use_cache=False),
        pipeline.score(tmp_path / "data3", QUARTER, use_cache=False),
    )
