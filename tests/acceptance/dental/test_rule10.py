"""Dataset D — rule 十 (reading 13) and reading 12.

20 south clinics, all lines 2024-11-10, every OD line 89001C.
* B01–B19: 10 adult patients, one claim each with one OD line of 100 points, 1 surface, no
  history → s1 1,000, s2 100, s3 100, s5 1, s7 1, s9 = s10 = s21 = 0, od_teeth 10.
* T1: one patient, one claim, two OD lines (teeth 11, 21) of 500 points, 3 surfaces each, both
  teeth filled at TZ (a north clinic) on 2024-06-01 → s1 1,000, s2 1,000, s3 100, s5 2, s7 3,
  s9 = s10 = s21 = 100, od_teeth 2.
Ranks (N = 20): od_teeth T1 PR 5 (< 15 → 十), B PR 100. s1, s3, s11 (100), oral_exam (0): all tie →
PR 100. s2, s5, s7, s9, s10, s21: T1 alone on top → PR 100, the 19 B tie → PR 95.
T1: 十 withholds s5 (4), s7 (4), s9 (2); s10 (四.2 2) and s21 (三.2 1) still earn (reading 13):
  三.2 1, 三.4 1, 三.5 3, 四.1 s2 4, 四.2 s1 2 + s3 2 + s10 2 + s11 2 = 8 → 17, level 4.
B: 三.2 1, 三.4 1, 三.5 3, 四.1 3+3+3, 四.2 s1 s3 s9 s10 s11 = 10 → 24, level 5.
"""

from __future__ import annotations

import pytest

from ._build import Data, expect_row, score


@pytest.fixture(scope="module")
def run_d(tmp_path_factory):
    d = Data()
    for i in range(1, 20):
        c = f"B{i:02d}"
        d.clinic(c)
        for p in range(10):
            d.claim(c, f"D{c}", f"P{c}-{p}", "2024-11-10", [("89001C", 100, "11", 1)])
    d.clinic("T1")
    d.clinic("TZ", region="north")
    d.claim("T1", "DT1", "PT1", "2024-11-10", [("89001C", 500, "11", 3), ("89001C", 500, "21", 3)])
    d.claim("TZ", "DTZ", "PT1", "2024-06-01", [("89001C", 500, "11", 1), ("89001C", 500, "21", 1)])
    base = tmp_path_factory.mktemp("dsD")
    res = score(d.write(base / "data"), base / "out.csv")
    assert res.code == 0, res.stderr
    return res


def test_rule_10_withholds_only_s5_s7_s9(run_d):
    """十 + reading 13: T1 od_teeth PR 5 < 15 → s5, s7, s9 earn nothing; s10, s21 still earn;
    T1 stays in every population (B clinics stay at PR 95 on s5/s7/s9)."""
    r = run_d.rows["T1"]
    assert (r["od_teeth_pr"], r["s5_pr"], r["s7_pr"], r["s9_pr"], r["s10_pr"], r["s21_pr"]) == (
        "5",
        "100",
        "100",
        "100",
        "100",
        "100",
    )
    got, want = expect_row(r, {"r3_2": 1, "r3_4": 1, "r3_5": 3, "r4_1": 4, "r4_2": 8})
    assert got == want


def test_others_of_dataset_d(run_d):
    """B01–B19: every rule column by hand (PR 95 → 四.1 3 each, 四.2 2 each), total 24 → level 5."""
    bad = {}
    for i in range(1, 20):
        c = f"B{i:02d}"
        got, want = expect_row(run_d.rows[c], {"r3_2": 1, "r3_4": 1, "r3_5": 3, "r4_1": 9, "r4_2": 10})
        if got != want:
            bad[c] = (got, want)
    assert bad == {} and set(run_d.rows) == {*(f"B{i:02d}" for i in range(1, 20)), "T1"}
