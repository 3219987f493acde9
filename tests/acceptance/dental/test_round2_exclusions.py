"""Round 2 — exclusions and ranking populations: 九 (reading 5), 十 at its boundary (reading 13,
reading 12), 十二 (reading 2), 十一 on an excluded clinic, reading 1 (excluded / flagged / new /
hospital clinics stay in every ranking population), PR ties across a band boundary and nulls left
out of a population ("An indicator whose denominator is 0 is null"). Quarter 2024Q4, by hand.

Dataset E — 20 south clinics.
* G1–G4 ("top" clinics): one adult patient, one claim of 2024-11-05: 00121C 100 + 89001C 900
  (tooth 11, 5 surfaces); the same tooth was filled at the north clinic ZN 96 days before.
  → s1 = s2 = 1,000; s3 90; s5 1; s7 5; s9 = s10 = s21 100; s11 100; oral_exam 100; od_teeth 1.
* 16 plain clinics, ONE adult patient each, one doctor, all claims in one month, cases of
  ≤ 1,400 points (REF and EXC: ≤ 2,000) with one 90012C 100 line → s1 = s2 = claimed total,
  s3 = s5 = oral_exam = 0, od_teeth 0, s11 < 100, s25 0, no OD indicators (null).
  T01–T11: 10,000·k; T12: 130,000; NEW: 130,000 (hospital opened 2024-06-01 → new, over < 0);
  REF: 150,000 in 75 cases (avg 2,000 → 十二); TOP: 190,000; EXC: 200,000 in 100 cases (avg
  2,000 → 十二), 44 sessions (九: excluded), 13 outreach sessions.
  s14: T05 one scaling case, no earlier scaling → 0; T06 one scaling case, scaling at ZN 35 days
  before → 100; T07 two scaling cases (Nov 1, Nov 15 — 14 days) → 50. Others null.

Ranks (N = 20, reading 1: EXC, REF, NEW all counted):
* s1 = s2: G 1,000 (count 4) → PR 20; Tk (count 4 + k) → 5·(4 + k); T12 and NEW tie at
  130,000 (count 17) → both 85; REF 18 → 90; TOP 19 → 95; EXC 20 → 100.
  (Without EXC: TOP 100; without REF and EXC: TOP floor(100·17/18) = 94.)
* s3, s5, s11, oral_exam: the 16 plain clinics are below the 4 G → PR ≤ floor(100·16/20) = 80.
* s14 population {T05 0, T07 50, T06 100} → 33, 66, 100 (if nulls counted as 0, T05 would reach
  floor(100·18/20) = 90 → 三.1).
Points: plain clinics 三.4 1 (s25 0, s1 < 350,000); 四.1 s2: T12 2, NEW 2, REF 2, TOP 3; 四.2: TOP s1
2, T06 s14 2. T06 3, T12 3, NEW 3, REF 3 (flag), TOP 6 (level 2), others 1. EXC excluded with
flag `reference` and empty rule columns (十一 too).
G: 三.2 1, 三.4 1, 三.5 3 (oral_exam PR 100), 四.1 s5 4 + s7 4, 四.2 s3 s9 s10 s11 8 → 21.
"""

from __future__ import annotations

import pytest

from ._build import Data
from ._round2 import X, cases, check_all, num, score_run

TOPS = ("G1", "G2", "G3", "G4")


def build_e() -> Data:
    d = Data()
    d.clinic("ZN", region="north")
    for g in TOPS:
        d.clinic(g)
        d.claim(g, f"D{g}", f"P{g}", "2024-11-05", [("00121C", 100), ("89001C", 900, "11", 5)])
        d.claim("ZN", "DZN", f"P{g}", "2024-08-01", [("89001C", 500, "11", 1)])
    sc = ("91004C", 100)
    for k in range(1, 12):
        c = f"T{k:02d}"
        d.clinic(c)
        if c == "T07":
            d.claim(c, "DT07", "PT07", "2024-11-01", [sc, ("01271C", 900)])
            cases(d, c, "DT07", "PT07", 70_000 - 1_000, "2024-11-15", first=[X, sc])
        elif c in ("T05", "T06"):
            cases(d, c, f"D{c}", f"P{c}", 10_000 * k, "2024-10-20", first=[X, sc])
        else:
            cases(d, c, f"D{c}", f"P{c}", 10_000 * k, "2024-10-15", first=[X])
    d.claim("ZN", "DZN", "PT06", "2024-09-15", [sc])
    d.clinic("T12")
    cases(d, "T12", "DT12", "PT12", 130_000, "2024-10-15", first=[X])
    d.clinic("NEW", opened="2024-06-01", kind="hospital")
    cases(d, "NEW", "DNEW", "PNEW", 130_000, "2024-10-15", first=[X])
    d.clinic("REF")
    cases(d, "REF", "DREF", "PREF", 150_000, "2024-10-15", per_case=2000, first=[X])
    d.clinic("TOP")
    cases(d, "TOP", "DTOP", "PTOP", 190_000, "2024-10-15", first=[X])
    d.clinic("EXC", sessions=44.0, outreach=13)
    cases(d, "EXC", "DEXC", "PEXC", 200_000, "2024-10-15", per_case=2000, first=[X])
    return d


def expected_e():
    exp = {f"T{k:02d}": {"r3_4": 1} for k in range(1, 12)}
    exp["T06"] = {"r3_4": 1, "r4_2": 2}
    exp["T12"] = exp["NEW"] = exp["REF"] = {"r3_4": 1, "r4_1": 2}
    exp["TOP"] = {"r3_4": 1, "r4_1": 3, "r4_2": 2}
    exp["EXC"] = None
    for g in TOPS:
        exp[g] = {"r3_2": 1, "r3_4": 1, "r3_5": 3, "r4_1": 8, "r4_2": 8}
    return exp, {"REF": "reference", "EXC": "reference"}


def pr_s2_e():
    want = {g: 20 for g in TOPS}
    want |= {f"T{k:02d}": 5 * (4 + k) for k in range(1, 12)}
    want |= {"T12": 85, "NEW": 85, "REF": 90, "TOP": 95, "EXC": 100}
    return want


@pytest.fixture(scope="module")
def run_e(tmp_path_factory):
    base = tmp_path_factory.mktemp("r2e")
    rows, _ = score_run(build_e().write(base / "data"), base / "out.csv")
    return rows


def test_reading1_excluded_flagged_new_hospital_in_population(run_e):
    """Reading 1 (+ PR definition): EXC (九), REF (十二), NEW (new hospital) are counted in the s1/s2
    populations: TOP gets PR 95 (not 100 / 94), T12 and NEW tie at 85."""
    got = {c: (int(r["s1_pr"]), int(r["s2_pr"])) for c, r in run_e.items()}
    assert got == {c: (p, p) for c, p in pr_s2_e().items()}


def test_reading1_points_follow_the_full_population(run_e):
    """Reading 1 → 四.1 s2: TOP 95–99 → 3 (it would be 4 with EXC left out); 四.2 s1 95–100 → 2."""
    exp, flags = expected_e()
    assert check_all(run_e, exp, flags, {"TOP", "T12", "NEW"}) == {}


def test_pr_tie_across_band_boundary(run_e):
    """PR (CUME_DIST, ties share a rank): T12 and NEW both 130,000 → count 17 of 20 → PR 85 for
    both → 四.1 2 each (a PERCENT_RANK-like rank would put one of them at 80)."""
    assert (run_e["T12"]["s2_pr"], run_e["NEW"]["s2_pr"]) == ("85", "85")
    assert (run_e["T12"]["r4_1"], run_e["NEW"]["r4_1"]) == ("2", "2")


def test_9_excluded_keeps_flag_indicators_reading5(run_e):
    """九 + reading 5: EXC (44 sessions, s1 200,000) is excluded: empty points, level and rule
    columns (十一's −2 too), but its indicators, PRs and flag `reference` (avg 2,000, 十二) are
    written."""
    r = run_e["EXC"]
    exp, flags = expected_e()
    assert check_all(run_e, exp, flags, {"EXC"}) == {}
    assert (num(r["s1"]), num(r["avg_case_points"]), r["s1_pr"], r["r11"]) == (200_000, 2_000, "100", "")


def test_12_flag_keeps_points_reading2(run_e):
    """十二 + reading 2: REF (avg 2,000 ≥ 1,800) keeps 三.4 1 + 四.1 2 = 3, level 1, flag
    `reference`; its rank stays in the population (TOP 95)."""
    exp, flags = expected_e()
    assert check_all(run_e, exp, flags, {"REF"}) == {}


def test_null_s14_left_out_of_population(run_e):
    """Zero denominator → null, left out of the ranking: the s14 population is T05, T07, T06 →
    PR 33, 66, 100; T06 → 四.2 2; T05 earns nothing (PR 90 → 三.1 if nulls counted as 0)."""
    got = {c: (num(run_e[c]["s14"]), run_e[c]["s14_pr"]) for c in ("T05", "T06", "T07", "T01", "G1")}
    assert got == {
        "T05": (0, "33"),
        "T06": (100, "100"),
        "T07": (50, "66"),
        "T01": (None, ""),
        "G1": (None, ""),
    }
    exp, flags = expected_e()
    assert check_all(run_e, exp, flags, {"T05", "T06", "T07"}) == {}


def test_every_clinic_dataset_e(run_e):
    """Every clinic of dataset E: excluded, points, level, flags and all rule columns."""
    exp, flags = expected_e()
    assert set(run_e) == set(exp)
    assert check_all(run_e, exp, flags) == {}


# ---------------------------------------------------------------------------------------------
# 十 at its boundary (PR 14 vs 15), reading 13.
#
# B: 10 adult patients, one claim each with one 89001C line of 100 points (tooth 11, 1 surface),
#    2024-11-10, no history → s1 1,000, s2 100, s3 100, s5 1, s7 1, s9 = s10 = s21 0, s11 100,
#    oral_exam 0, od_teeth 10.
# T: one patient, one claim, 89001C 500 (tooth 11) + 89001C 500 (tooth 21), 5 surfaces each; both
#    teeth filled at the north clinic TZ on 2024-06-01 (162 days) → s1 1,000, s2 1,000, s3 100,
#    s5 2, s7 5, s9 = s10 = s21 100, s11 100, od_teeth 2.
# L: one patient, one 89001C line of 100 points (tooth 11, 1 surface) → s1 = s2 = 100, s3 100,
#    s5 1, s7 1, s9 = s10 = s21 0, s11 100, od_teeth 1.
# Everyone: s3, s11, oral_exam tie → PR 100 (四.2 2 + 2, 三.5 3); s25 0, s1 < 350,000 → 三.4 1.
# ---------------------------------------------------------------------------------------------


def build_10(n_b: int, n_l: int) -> Data:
    d = Data()
    d.clinic("TZ", region="north")
    for i in range(1, n_b + 1):
        c = f"B{i:02d}"
        d.clinic(c)
        for p in range(10):
            d.claim(c, f"D{c}", f"P{c}-{p}", "2024-11-10", [("89001C", 100, "11", 1)])
    for i in range(1, n_l + 1):
        c = f"L{i}"
        d.clinic(c)
        d.claim(c, f"D{c}", f"P{c}", "2024-11-10", [("89001C", 100, "11", 1)])
    d.clinic("T")
    d.claim("T", "DT", "PT", "2024-11-10", [("89001C", 500, "11", 5), ("89001C", 500, "21", 5)])
    d.claim("TZ", "DTZ", "PT", "2024-06-01", [("89001C", 500, "11", 1), ("89001C", 500, "21", 1)])
    return d


@pytest.fixture(scope="module")
def run_10(tmp_path_factory):
    base = tmp_path_factory.mktemp("r2t")
    small, _ = score_run(build_10(6, 0).write(base / "d7"), base / "o7.csv")
    big, _ = score_run(build_10(17, 2).write(base / "d20"), base / "o20.csv")
    return small, big


def test_10_pr_14_withholds_reading13(run_10):
    """十 + reading 13, N = 7: T od_teeth 2, lowest alone → PR floor(100/7) = 14 < 15 → s5 (4), s7
    (4), s9 (2) withheld; s10 四.2 2 and s21 三.2 1 still earn. T: 三.2 1 + 三.4 1 + 三.5 3 + 四.1
    s2 4 + 四.2 s1 s3 s10 s11 8 = 17. B (PR 100 on od_teeth): s2/s5/s7 count 6/7 → PR 85 → 2 each;
    s10 PR 85 → 三.1 1; s21 PR 85 → 三.2 1; 四.2 s1 s3 s11 6 → 18."""
    small, _ = run_10
    assert small["T"]["od_teeth_pr"] == "14"
    exp = {"T": {"r3_2": 1, "r3_4": 1, "r3_5": 3, "r4_1": 4, "r4_2": 8}}
    exp |= {
        f"B{i:02d}": {"r3_1": 1, "r3_2": 1, "r3_4": 1, "r3_5": 3, "r4_1": 6, "r4_2": 6} for i in range(1, 7)
    }
    assert set(small) == set(exp)
    assert check_all(small, exp) == {}


def test_10_pr_15_earns_and_od_teeth_ties(run_10):
    """十 boundary, N = 20: L1, L2 od_teeth 1 (count 2 → PR 10 → 十 withholds their s5/s7/s9);
    T od_teeth 2 (count 3 → PR 15, not < 15 → earns everything).
    T: 四.1 s2 s5 s7 PR 100 → 12; 四.2 s1 s3 s9 s10 s11 10; 三.2 1, 三.4 1, 三.5 3 → 27 (level 5).
    B: s2/s5/s7 19/20 → 95 → 3 each; s9/s10 0 → 95 → 2 each; s1 1,000 (20/20) → 2 → 四.2 10;
    三.2 1 → 24. L: 四.1 s2 3 only; 四.2 s3 s10 s11 6 (s1 100 → PR 10; s9 withheld); 三.2 1,
    三.4 1, 三.5 3 → 14 (level 3)."""
    _, big = run_10
    assert [big[c]["od_teeth_pr"] for c in ("L1", "L2", "T", "B01")] == ["10", "10", "15", "100"]
    exp = {"T": {"r3_2": 1, "r3_4": 1, "r3_5": 3, "r4_1": 12, "r4_2": 10}}
    exp |= {f"B{i:02d}": {"r3_2": 1, "r3_4": 1, "r3_5": 3, "r4_1": 9, "r4_2": 10} for i in range(1, 18)}
    exp |= {c: {"r3_2": 1, "r3_4": 1, "r3_5": 3, "r4_1": 3, "r4_2": 6} for c in ("L1", "L2")}
    assert set(big) == set(exp)
    assert check_all(big, exp) == {}
