"""Dataset A — 100 clinics, one adult patient and one case each (contract "Percentile rank",
rules 三.1, 三.2, 四.1, 四.2, levels).

Clinic k (k = 1..100): one claim of 2024-10-15 with a 01271C line and an OD line 89001C
(tooth 11, 1 surface) of 3 × (101 − k) points; the claim totals 400 + 10k points, except
clinic 28 whose total is 690 like clinic 29 (a tie).

By hand:
* s1 = s2 = total → PR = k (`floor(100·k/100)`); clinics 28 and 29 share PR 29. A float
  `floor(100·cume_dist)` gives 28 for 0.29, 56 for 0.57, 57 for 0.58 — the exact PR is 29/57/58.
* s3 = 3(101−k)/(400+10k) strictly decreasing in k → PR = 101 − k.
* Ties at the top: s5 = 1, s7 = 1, od_teeth = 1, s9 = s10 = s21 = 0, s11 = 100, oral_exam = 0
  are equal for all 100 clinics → PR 100 for all (the largest value has PR 100).
  → 四.1: s5 4 + s7 4; 四.2: s9 2 + s10 2 + s11 2; 三.2 (s21 ≥ 85) 1; 三.5 (oral_exam 99–100) 3.
* s25 = 0 < 8 and s1 < 350,000 → 三.4 1.  s14, s17, s23: no scaling/extraction/rcf → null → 0.
* avg_case_points = 400 + 10k ≤ 1400 → no 十二 flag.
Base = 19 (level 4); variable: s2 band (四.1), s1 ≥ 95 (四.2), s3 85–94 (三.1) or 95–100 (四.2).
"""

from __future__ import annotations

import pytest

from ._build import Data, expect_row, score


def total_of(k):
    return 690 if k == 28 else 400 + 10 * k


@pytest.fixture(scope="module")
def run_a(tmp_path_factory):
    d = Data()
    for k in range(1, 101):
        cid = f"A{k:03d}"
        d.clinic(cid)
        od = 3 * (101 - k)
        d.claim(
            cid,
            f"DA{k:03d}",
            f"PA{k:03d}",
            "2024-10-15",
            [("01271C", total_of(k) - od), ("89001C", od, "11", 1)],
        )
    base = tmp_path_factory.mktemp("dsA")
    res = score(d.write(base / "data", parquet=("claims",)), base / "out.csv")
    assert res.code == 0, res.stderr
    return res


def pr_s1(k):
    return 29 if k == 28 else k


def band_2_5_7(pr):
    return 4 if pr == 100 else 3 if pr >= 95 else 2 if pr >= 85 else 0


def test_one_row_per_clinic(run_a):
    """Output: one row per scored clinic of the region, quarter 2024Q4."""
    assert len(run_a.rows) == 100
    assert {r["quarter"] for r in run_a.rows.values()} == {"2024Q4"}


def test_pr_exact_fractions_n100(run_a):
    """Percentile rank: PR = (100 × count ≤ x) // N in integers; N = 100 where float cume_dist
    fails at 0.29/0.57/0.58; ties share a rank (28 and 29 both PR 29); the largest value PR 100."""
    got = {
        k: (
            int(run_a.rows[f"A{k:03d}"]["s1_pr"]),
            int(run_a.rows[f"A{k:03d}"]["s2_pr"]),
            int(run_a.rows[f"A{k:03d}"]["s3_pr"]),
        )
        for k in range(1, 101)
    }
    want = {k: (pr_s1(k), pr_s1(k), 101 - k) for k in range(1, 101)}
    assert {k: v for k, v in got.items() if v != want[k]} == {}


def test_top_ties_all_pr_100(run_a):
    """Ties share a rank; the largest value has PR 100 — all 100 clinics tie on s5, s7, s9, s10,
    s11, s21, oral_exam, od_teeth."""
    bad = {}
    for cid, r in run_a.rows.items():
        for ind in ("s5", "s7", "s9", "s10", "s11", "s21", "oral_exam", "od_teeth"):
            if r[f"{ind}_pr"] != "100":
                bad[(cid, ind)] = r[f"{ind}_pr"]
    assert bad == {}


def test_null_indicators_written_empty(run_a):
    """Zero denominator → null: no scaling, extraction or rcf lines → s14, s17, s23 and their PR
    empty; earns nothing."""
    r = run_a.rows["A050"]
    assert [r[c] for c in ("s14", "s14_pr", "s17", "s17_pr", "s23", "s23_pr")] == [""] * 6


def test_points_bands_and_levels(run_a):
    """三.1 (s3 85–94 → 1), 四.2 (s1, s3, s9, s10, s11 95–100 → 2), 四.1 (s2/s5/s7 85–94 → 2,
    95–99 → 3, 100 → 4), 三.2, 三.4, 三.5; levels 19 → 4 and ≥ 20 → 5."""
    mismatches = {}
    for k in range(1, 101):
        p1, p3 = pr_s1(k), 101 - k
        rules = {
            "r3_1": 1 if 85 <= p3 <= 94 else 0,
            "r3_2": 1,
            "r3_4": 1,
            "r3_5": 3,
            "r4_1": 4 + 4 + band_2_5_7(p1),
            "r4_2": 2 + 2 + 2 + (2 if p1 >= 95 else 0) + (2 if p3 >= 95 else 0),
        }
        got, want = expect_row(run_a.rows[f"A{k:03d}"], rules)
        if got != want:
            mismatches[k] = (got, want)
    assert mismatches == {}
