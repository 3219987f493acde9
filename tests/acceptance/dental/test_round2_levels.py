"""Round 2 — levels (seed 八) exactly at each band's lower and upper bound, s1 (指標 1) as the
maximum over (doctor, month) of the doctor's points *at the clinic* and its use in 九 and the
new-clinic rule (三.3/四.3/五.2/六.2, reading 14), and exclusions 1–3 inside s1. Quarter 2024Q4.

4 fillers (see `_round2`) + 20 plain clinics (N = 24): a plain clinic's PR on any ranked indicator
is at most floor(100·20/24) = 83, so it earns only absolute rules. s25 = 0 everywhere below, so
三.4 gives 1 for s1 < 350,000, 0 for s1 = 350,000, 3 for 350,000 < s1 < 550,000, 4 for s1 ≥ 550,000.
W* doctors are from the north (五.5/六.5: T > 150,000 → 4, > 100,000 → 3); other doctors south.

clinic: construction → rules → total → level
* LV0: s1 350,000 → 三.4 0 → 0 → 0
* LV1: s1 100,000 → 三.4 1 → 1 → 1
* LV4: s1 550,000 → 三.4 4 → 4 → 1
* LV5: s1 100,000, unimproved → 1 + 六.4 4 → 5 → 2
* LV9: W9 Oct 150,001, unimproved → 1 + 4 + 4 → 9 → 2
* LV10: south doctor 400,000 Oct; W10 Nov 100,001; unimproved → 3 + 3 + 4 → 10 → 3
* LV15: W15 Oct 550,000 and Nov 150,001; unimproved; outreach 1 → 4 + 8 + 4 − 1 → 15 → 3
* LV16: W16 as W15, no outreach → 4 + 8 + 4 → 16 → 4
* LV19: W19 Oct 550,000, Nov and Dec 150,001; unimproved; outreach 5 → 4 + 12 + 4 − 1 → 19 → 4
* LV20: W20 as W19, no outreach → 4 + 12 + 4 → 20 → 5
* S1A: 50 sessions; two doctors 150,000 each in Oct → s1 150,000 (not 300,000) → 九 excluded
* S1B: 44 sessions; one doctor 100,000 in Oct, Nov, Dec → s1 100,000 → 九 excluded
* S1C: 44 sessions; doctor DC 200,000 in Oct and in Nov here (+ 300,000 at S1D in Oct) →
  s1 200,000 → 九 excluded
* S1D: 44 sessions; DC 300,000 in Oct → s1 300,000 > 200,000 → 三.4 1 → 1 → 1
* S1E: new (opened 2024-03-01, 305 days); two doctors 300,000 each in Oct → s1 300,000,
  over < 0 → 三.4 1 → 1 → 1
* S1F: one doctor in Oct: 350,000 + 89202C 400 + P3601C 500 + P7101C 1,000 + a child's 00121C
  600 → s1 350,000 → 三.4 0 → 0 → 0
* S1G: 44 sessions; 200,000 + 89202C 400 → s1 200,000 → 九 excluded
* NC1: new (opened 2024-06-01); s1 599,999 → over 249,999 → 三.3 3 + 三.4 4 → 7 → 2
* NC3: new (opened 2024-11-01, inside the quarter); s1 360,000 from 2024-11-05 → over 10,000 →
  三.3 1 + 三.4 3 → 4 → 1
* ZP: only P3601C lines (2 adult cases): in Q (reading 10) with points 0 → s1 0, s2 0, s3 s11 s25
  null → 三.4 needs s25: 0 → 0 → 0

Not scored (reading 19 + "Q = the clinic's lines in the quarter after exclusions"): ZS has only a
special-fund P7101C line in Q, ZC only a 9-year-old's 00121C exam; both are named in a warning and
not in the output (N stays 24: 4 fillers + 20 plain, plain PR ≤ floor(100·20/24) = 83).
"""

from __future__ import annotations

import pytest

from ._build import Data
from ._round2 import FILLER_RULES, X, check_all, filler, num, score_run

FILLERS = ("F1", "F2", "F3", "F4")

EXPECTED = {
    "LV0": {},
    "LV1": {"r3_4": 1},
    "LV4": {"r3_4": 4},
    "LV5": {"r3_4": 1, "r6_4": 4},
    "LV9": {"r3_4": 1, "r5_5": 4, "r6_4": 4},
    "LV10": {"r3_4": 3, "r5_5": 3, "r6_4": 4},
    "LV15": {"r3_4": 4, "r5_5": 8, "r6_4": 4, "r11": -1},
    "LV16": {"r3_4": 4, "r5_5": 8, "r6_4": 4},
    "LV19": {"r3_4": 4, "r5_5": 12, "r6_4": 4, "r11": -1},
    "LV20": {"r3_4": 4, "r5_5": 12, "r6_4": 4},
    "S1A": None,
    "S1B": None,
    "S1C": None,
    "S1D": {"r3_4": 1},
    "S1E": {"r3_4": 1},
    "S1F": {},
    "S1G": None,
    "NC1": {"r3_3": 3, "r3_4": 4},
    "NC3": {"r3_3": 1, "r3_4": 3},
    "ZP": {},
}
LEVELS = {
    "LV0": "0",
    "LV1": "1",
    "LV4": "1",
    "LV5": "2",
    "LV9": "2",
    "LV10": "3",
    "LV15": "3",
    "LV16": "4",
    "LV19": "4",
    "LV20": "5",
}


def build() -> Data:
    d = Data()
    for f in FILLERS:
        filler(d, f)
    d.clinic("LV0")
    d.block("LV0", "DLV0", 350_000, first=[X])
    d.clinic("LV1")
    d.block("LV1", "DLV1", 100_000, first=[X])
    d.clinic("LV4")
    d.block("LV4", "DLV4", 550_000, first=[X])
    d.clinic("LV5", unimproved=True)
    d.block("LV5", "DLV5", 100_000, first=[X])
    d.clinic("LV9", unimproved=True)
    d.doctor("W9", "north")
    d.block("LV9", "W9", 150_001, first=[X])
    d.clinic("LV10", unimproved=True)
    d.doctor("W10", "north")
    d.block("LV10", "DLV10", 400_000, date="2024-10-15", first=[X])
    d.block("LV10", "W10", 100_001, date="2024-11-15")
    for c, w, outreach, months in (
        ("LV15", "W15", 1, ("2024-11-10",)),
        ("LV16", "W16", 0, ("2024-11-10",)),
        ("LV19", "W19", 5, ("2024-11-10", "2024-12-10")),
        ("LV20", "W20", 0, ("2024-11-10", "2024-12-10")),
    ):
        d.clinic(c, unimproved=True, outreach=outreach)
        d.doctor(w, "north")
        d.block(c, w, 550_000, date="2024-10-10", first=[X])
        for date in months:
            d.block(c, w, 150_001, date=date)

    d.clinic("S1A", sessions=50.0)
    d.block("S1A", "DA1", 150_000, date="2024-10-10", first=[X])
    d.block("S1A", "DA2", 150_000, date="2024-10-11")
    d.clinic("S1B", sessions=44.0)
    for date in ("2024-10-10", "2024-11-10", "2024-12-10"):
        d.block("S1B", "DB", 100_000, date=date, first=[X] if date == "2024-10-10" else ())
    d.clinic("S1C", sessions=44.0)
    d.block("S1C", "DC", 200_000, date="2024-10-10", first=[X])
    d.block("S1C", "DC", 200_000, date="2024-11-10")
    d.clinic("S1D", sessions=44.0)
    d.block("S1D", "DC", 300_000, date="2024-10-12", first=[X])
    d.clinic("S1E", opened="2024-03-01")
    d.block("S1E", "DE1", 300_000, date="2024-10-10", first=[X])
    d.block("S1E", "DE2", 300_000, date="2024-10-11")
    d.clinic("S1F")
    extra = [("89202C", 400, "16", 1), ("P3601C", 500), ("P7101C", 1000), X]
    d.block("S1F", "DF", 350_000 + 1_900, date="2024-10-10", first=extra)
    d.claim("S1F", "DF", "PS1F-child", "2024-10-10", [("00121C", 600)], birth="2015-01-01")
    d.clinic("S1G", sessions=44.0)
    d.block("S1G", "DG", 200_400, date="2024-10-10", first=[("89202C", 400, "16", 1), X])
    d.clinic("NC1", opened="2024-06-01")
    d.block("NC1", "DN1", 599_999, first=[X])
    d.clinic("NC3", opened="2024-11-01")
    d.block("NC3", "DN3", 360_000, date="2024-11-05", first=[X])
    d.clinic("ZP")
    d.claim("ZP", "DZP", "PZP1", "2024-10-10", [("P3601C", 800)])
    d.claim("ZP", "DZP", "PZP2", "2024-10-11", [("P3601C", 800)])
    d.clinic("ZS")
    d.claim("ZS", "DZS", "PZS", "2024-10-10", [("P7101C", 800)])
    d.clinic("ZC")
    d.claim("ZC", "DZC", "PZC", "2024-10-10", [("00121C", 800)], birth="2015-05-05")
    return d


@pytest.fixture(scope="module")
def run_l_full(tmp_path_factory):
    base = tmp_path_factory.mktemp("r2l")
    return score_run(build().write(base / "data"), base / "out.csv")


@pytest.fixture(scope="module")
def run_l(run_l_full):
    return run_l_full[0]


def test_reading19_clinics_without_q_lines_and_p3601c_only(run_l_full):
    """Reading 19 + Q's exclusions: ZS (special fund only) and ZC (child's exam only) have no line
    in Q → not in the output, named in a warning. ZP (P3601C only, reading 10) is scored: s1 0,
    s2 0, s3/s11/s25 null (points 0) → 三.4 gives nothing with s25 null; 0, level 0."""
    rows, stderr = run_l_full
    assert "ZS" not in rows and "ZC" not in rows
    assert "ZS" in stderr and "ZC" in stderr
    r = rows["ZP"]
    assert [num(r[c]) for c in ("s1", "s2", "s3", "s11", "s25")] == [0, 0, None, None, None]
    assert check_all(rows, EXPECTED, only={"ZP"}) == {}


def test_levels_at_every_band_bound(run_l):
    """八: totals 0, 1, 4, 5, 9, 10, 15, 16, 19, 20 → levels 0, 1, 1, 2, 2, 3, 3, 4, 4, 5 (15 and 19
    reached through 十一's −1, reading 6)."""
    assert {c: run_l[c]["level"] for c in LEVELS} == LEVELS
    assert check_all(run_l, EXPECTED, only=set(LEVELS)) == {}


def test_s1_is_max_doctor_month_at_the_clinic(run_l):
    """s1 (指標 1: 醫事機構內醫師之月最高總點數): S1A two doctors 150,000 → 150,000; S1B 100,000 ×
    3 months → 100,000; S1C 200,000 (the doctor's 300,000 at S1D does not count); S1D 300,000;
    S1E 300,000; S1F 350,000 (exclusions 1–3: special fund, child's exam, 892xx 400, P3601C
    removed); S1G 200,000 (892xx 400 removed)."""
    got = {c: num(run_l[c]["s1"]) for c in ("S1A", "S1B", "S1C", "S1D", "S1E", "S1F", "S1G")}
    assert got == {
        "S1A": 150_000,
        "S1B": 100_000,
        "S1C": 200_000,
        "S1D": 300_000,
        "S1E": 300_000,
        "S1F": 350_000,
        "S1G": 200_000,
    }


def test_9_uses_s1_not_clinic_total(run_l):
    """九 (每月看診 44 診以上，且指標 1 在 20 萬點(含)以下): S1A (clinic total 300,000), S1B (300,000),
    S1C (400,000) and S1G (200,400 claimed) are excluded on s1; S1D (s1 300,000) is scored."""
    assert check_all(run_l, EXPECTED, only={"S1A", "S1B", "S1C", "S1D", "S1G"}) == {}


def test_3_4_with_s1_after_exclusions(run_l):
    """三.4 grid on s1 after exclusions 1–3: S1F claims 352,500 but s1 = 350,000 with s25 < 1 →
    nothing (strict 350,000 < s1), total 0, level 0."""
    assert check_all(run_l, EXPECTED, only={"S1F"}) == {}


def test_new_clinic_over_uses_s1_reading14(run_l):
    """三.3/四.3/五.2/六.2 + reading 14: S1E (new, clinic total 600,000, s1 300,000) → over < 0 → 0;
    NC1 over 249,999 → 3 (250,000 → 4 is round 1); NC3 opened inside the quarter, over 10,000 → 1."""
    assert check_all(run_l, EXPECTED, only={"S1E", "NC1", "NC3"}) == {}


def test_every_clinic_dataset_l(run_l):
    """Every clinic: plain clinics as in the table, fillers 30 (level 5, flag `reference`)."""
    exp = dict(EXPECTED) | {f: dict(FILLER_RULES) for f in FILLERS}
    assert set(run_l) == set(exp)
    assert check_all(run_l, exp, {f: "reference" for f in FILLERS}) == {}
