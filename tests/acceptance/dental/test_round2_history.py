"""Round 2 — look-back indicators by hand: refills s8/s9/s10 and s19/s20/s21 (contract "Indicators":
"the most recent such earlier date decides: if an OD line of that date is at the same clinic → s8,
else → s9"), s14 (reading 7: 1 ≤ days ≤ 180, any clinic) and s17 (readings 7, 8, 9, 16).
Quarter 2024Q4. HA, HB, SA, XA are south clinics (HB also scored), HZ a north clinic.

HA — every OD line 89001C unless said; Q visits on 2024-11-20 (days before it in brackets):
  Q1  t11: HA and HB both on 2024-05-01 (203) → the deciding date has a line at HA → s8, s19
  Q2  t11: HZ and HB both on 2024-06-01 (172) → neither is HA → s9, s20
  Q3  t11: HZ 2022-09-12 (800), HA 2022-02-24 (1000) → none ≤ 730; ≤ 1095 most recent is HZ → s20
  Q4  t11: HZ 89201C on 2024-05-04 (200) — 892xx lines are OD lines (reading 9) → s9, s20
  Q5  t11: HA 2024-01-25 (300); HZ 01271C t11 2024-11-10 (10) and HB P7101C t11 2024-11-15 (5)
      are not OD lines → s8, s19
  Q6  t11: HA 2024-10-05 and 2024-11-20 (both in Q): the Nov line → s8, s19 (45 days); Oct → none
  Q7  t11: two HA OD lines on 2024-11-20 (two claims) → not strictly earlier → none
  Q10 t11: HB 2022-11-21 (730) → s9, s20
  Q11 t11: HB 2022-11-20 (731), HA 2021-11-21 (1095) → none ≤ 730; ≤ 1095 the most recent is HB
      (731) → s20 (not s19)
  Q12 t55 (primary tooth): HA 2024-08-12 (100) → s8, s19
  Q13 t11: another patient's t11 at HA on 2024-09-01 (80, before the quarter) → none
  OD teeth 13 (Q6 and Q7 two lines each): s8 4, s9 3, s10 7, s19 4, s20 5, s21 9 →
  s8 30.769231, s9 23.076923, s10 53.846154, s19 30.769231, s20 38.461538, s21 69.230769.

HC, HD — exact ties of a sum (s10 = s8 + s9, s21 = s19 + s20), 2024-11-20, t11, history 100 days
  before (2024-08-12): HC U1 own, U2 and U3 at HZ → s8 = 100/3, s9 = 200/3, s10 = 100 exactly
  (a float (1/3)·100 + (2/3)·100 = 99.99999999999999); HD U4 at HZ → s9 = s10 = 100. The s10 and
  s21 populations (clinics with OD lines: HA, HC, HD, XA (s10 0)) → HC and HD tie at PR 100.

SA — scaling cases (s14) and s27:
  R1 2024-11-10 one case with 91003C + 91004C; HZ 91004C 2024-08-02 (100) → yes, counted once
  R2 2024-10-20 91003C; SA 91003C 2024-04-24 (179) → yes
  R3 2024-11-10 91004C; SA 91004C 2024-04-24 (200) → no; SA 01271C 2024-10-31 (10, no scaling) → no
  R4 2024-12-01 91004C; HB 91004C 2024-11-30 (1) → yes
  R7 2024-10-02 91004C (nothing before) → no; 2024-12-20 91004C (79, own) → yes
  + one plain case R10 2024-11-11.  Scaling cases 6, with an earlier scaling 4 → s14 66.666667;
  cases 8 (R3's 01271C case and R10) → s27 6 × 100 / 8 = 75.

XA — extractions (s17, same clinic, same patient and tooth, 1–180 days before, Q points):
  E1 t36 92013C 2024-11-10: XA 89001C 700 on 2024-10-10 (31, another doctor) + XA 92013C 300 on
     2024-08-01 (101) = 1,000; XA 01271C 9,999 on 2024-05-13 (181) out
  E2 t46 92015C 2024-12-01: XA 01271C 200 the same day (0) out; XA 01271C 150 on 2024-11-30 (1) → 150
  E3 t47 92014C 2024-10-15: another patient's t47 and E3's own t46 on 2024-10-01 → 0
  E4 t18 92063C 2024-11-05: XA 89201C 1,000 on 2024-10-05 → 600 (892xx −400); XA P7102C 500 on
     2024-10-06 (special fund) out → 600
  s17 = (1,000 + 150 + 0 + 600) / 4 = 437.5

AG — reading 11 (completed years at the visit date), exam-only claims (00121C 500) on 2024-11-01:
  A1 born 2011-11-02, A2 2011-11-30, A3 2011-12-31 → 12 (a year difference would say 13) → dropped,
  not cases (reading 4); A4 born 2011-10-31, A5 2011-11-01 (13th birthday that day) → 13 → exam
  cases; A6 an adult 01271C 1,000 case. Cases 3, exam cases 2 → oral_exam 66.666667; points
  2,000 / patients 3 → s2 666.666667.
"""

from __future__ import annotations

import pytest

from ._build import Data
from ._round2 import num, score_run

V = "2024-11-20"


def od(tooth="11", pts=500, code="89001C"):
    return [(code, pts, tooth, 1)]


def build() -> Data:
    d = Data()
    for c in ("HA", "HB", "HC", "HD", "SA", "XA", "AG"):
        d.clinic(c)
    for p, birth in (
        ("A1", "2011-11-02"),
        ("A2", "2011-11-30"),
        ("A3", "2011-12-31"),
        ("A4", "2011-10-31"),
        ("A5", "2011-11-01"),
    ):
        d.claim("AG", "DAG", p, "2024-11-01", [("00121C", 500)], birth=birth)
    d.claim("AG", "DAG", "A6", "2024-11-01", [("01271C", 1000)])
    d.clinic("HZ", region="north")
    d.claim("HB", "DHB", "PHB", "2024-10-01", [("01271C", 1000)])

    def ha(p, tooth="11"):
        d.claim("HA", "DHA", p, V, od(tooth))

    ha("Q1")
    d.claim("HA", "DHA", "Q1", "2024-05-01", od())
    d.claim("HB", "DHB", "Q1", "2024-05-01", od())
    ha("Q2")
    d.claim("HZ", "DHZ", "Q2", "2024-06-01", od())
    d.claim("HB", "DHB", "Q2", "2024-06-01", od())
    ha("Q3")
    d.claim("HZ", "DHZ", "Q3", "2022-09-12", od())
    d.claim("HA", "DHA", "Q3", "2022-02-24", od())
    ha("Q4")
    d.claim("HZ", "DHZ", "Q4", "2024-05-04", od(pts=1000, code="89201C"))
    ha("Q5")
    d.claim("HA", "DHA", "Q5", "2024-01-25", od())
    d.claim("HZ", "DHZ", "Q5", "2024-11-10", [("01271C", 300, "11")])
    d.claim("HB", "DHB", "Q5", "2024-11-15", [("P7101C", 300, "11")])
    ha("Q6")
    d.claim("HA", "DHA", "Q6", "2024-10-05", od())
    ha("Q7")
    ha("Q7")
    ha("Q10")
    d.claim("HB", "DHB", "Q10", "2022-11-21", od())
    ha("Q11")
    d.claim("HB", "DHB", "Q11", "2022-11-20", od())
    d.claim("HA", "DHA", "Q11", "2021-11-21", od())
    ha("Q12", "55")
    d.claim("HA", "DHA", "Q12", "2024-08-12", od("55"))
    ha("Q13")
    d.claim("HA", "DHA", "Q13x", "2024-09-01", od())

    for c, pats in (("HC", (("U1", "HC"), ("U2", "HZ"), ("U3", "HZ"))), ("HD", (("U4", "HZ"),))):
        for p, hist in pats:
            d.claim(c, f"D{c}", p, V, od())
            d.claim(hist, f"D{hist}", p, "2024-08-12", od())

    s3, s4 = ("91003C", 600), ("91004C", 600)
    d.claim("SA", "DSA", "R1", "2024-11-10", [s3, s4])
    d.claim("HZ", "DHZ", "R1", "2024-08-02", [s4])
    d.claim("SA", "DSA", "R2", "2024-10-20", [s3])
    d.claim("SA", "DSA", "R2", "2024-04-24", [s3])
    d.claim("SA", "DSA", "R3", "2024-11-10", [s4])
    d.claim("SA", "DSA", "R3", "2024-04-24", [s4])
    d.claim("SA", "DSA", "R3", "2024-10-31", [("01271C", 600)])
    d.claim("SA", "DSA", "R4", "2024-12-01", [s4])
    d.claim("HB", "DHB", "R4", "2024-11-30", [s4])
    d.claim("SA", "DSA", "R7", "2024-10-02", [s4])
    d.claim("SA", "DSA", "R7", "2024-12-20", [s4])
    d.claim("SA", "DSA", "R10", "2024-11-11", [("01271C", 600)])

    d.claim("XA", "DXA", "E1", "2024-11-10", [("92013C", 500, "36")])
    d.claim("XA", "DXA2", "E1", "2024-10-10", [("89001C", 700, "36", 2)])
    d.claim("XA", "DXA", "E1", "2024-08-01", [("92013C", 300, "36")])
    d.claim("XA", "DXA", "E1", "2024-05-13", [("01271C", 9_999, "36")])
    d.claim("XA", "DXA", "E2", "2024-12-01", [("92015C", 800, "46")])
    d.claim("XA", "DXA", "E2", "2024-12-01", [("01271C", 200, "46")])
    d.claim("XA", "DXA", "E2", "2024-11-30", [("01271C", 150, "46")])
    d.claim("XA", "DXA", "E3", "2024-10-15", [("92014C", 900, "47")])
    d.claim("XA", "DXA", "E3x", "2024-10-01", [("01271C", 500, "47")])
    d.claim("XA", "DXA", "E3", "2024-10-01", [("01271C", 400, "46")])
    d.claim("XA", "DXA", "E4", "2024-11-05", [("92063C", 900, "18")])
    d.claim("XA", "DXA", "E4", "2024-10-05", [("89201C", 1000, "18", 1)])
    d.claim("XA", "DXA", "E4", "2024-10-06", [("P7102C", 500, "18")])
    return d


@pytest.fixture(scope="module")
def run_h(tmp_path_factory):
    base = tmp_path_factory.mktemp("r2h")
    rows, _ = score_run(build().write(base / "data"), base / "out.csv")
    return rows


def vals(row, names):
    return {n: None if row[n] == "" else round(float(num(row[n])), 6) for n in names}


def test_refill_same_day_tie_and_most_recent_date(run_h):
    """s8/s9/s10, s19/s20/s21: same-day lines at HA and another clinic on the deciding date → own
    (s8); deciding date at two other clinics → s9; 892xx history line counts; non-OD and special-fund
    lines with a tooth do not decide; in-quarter history; same-day pair not a refill; 730 other →
    s9; 731 other newer than 1095 own → s20; primary tooth. 13 OD teeth: s8 4, s9 3, s19 4, s20 5."""
    got = vals(run_h["HA"], ["od_teeth", "s8", "s9", "s10", "s19", "s20", "s21"])
    assert got == {
        "od_teeth": 13,
        "s8": 30.769231,
        "s9": 23.076923,
        "s10": 53.846154,
        "s19": 30.769231,
        "s20": 38.461538,
        "s21": 69.230769,
    }


def test_refill_sums_are_exact_ties(run_h):
    """s10 = s8 + s9 and s21 = s19 + s20 as exact fractions ("compare values as exact fractions"):
    HC 100/3 + 200/3 = 100 ties HD's 100 → both PR 100 on s10 and s21; XA (OD lines, no refill)
    s10 0 → PR 25; HA s10 53.846154 → PR 50 (population of 4)."""
    got = {c: (vals(run_h[c], ["s10", "s21"]), run_h[c]["s10_pr"], run_h[c]["s21_pr"]) for c in ("HC", "HD")}
    full = {"s10": 100, "s21": 100}
    assert got == {"HC": (full, "100", "100"), "HD": (full, "100", "100")}
    assert (run_h["XA"]["s10_pr"], run_h["HA"]["s10_pr"]) == ("25", "50")


def test_s14_cases_window_reading7(run_h):
    """s14 + reading 7: a case with two scaling lines counts once; 179 days own → yes; 200 days →
    no; a non-scaling line 10 days before → no; 1 day at another south clinic → yes; the second of
    two in-quarter scaling cases (79 days) → yes, the first → no. 4 / 6 → 66.666667; s27 6/8 → 75."""
    assert vals(run_h["SA"], ["s14", "s27"]) == {"s14": 66.666667, "s27": 75}


def test_s17_pre_extraction_points_reading8(run_h):
    """s17 + readings 7, 8, 9: (1,000 + 150 + 0 + 600) / 4 = 437.5 — any code and any doctor of the
    same clinic; 181 days and the same day out; another patient's or another tooth's lines out; an
    earlier extraction line counts as a prior line; 892xx 1,000 → 600; special fund dropped."""
    assert vals(run_h["XA"], ["s17"]) == {"s17": 437.5}


def test_age_completed_years_reading11(run_h):
    """Exclusion 2 + readings 4 and 11: born 2011-11-02 / 11-30 / 12-31 are 12 on 2024-11-01
    (dropped, no case); born 2011-10-31 / 11-01 are 13 → oral_exam 2 / 3 cases = 66.666667,
    s2 2,000 / 3 patients = 666.666667."""
    assert vals(run_h["AG"], ["oral_exam", "s2"]) == {"oral_exam": 66.666667, "s2": 666.666667}


def test_scored_clinics(run_h):
    """Reading 19: HA, HB, HC, HD, SA, XA, AG scored; HZ (north) not in the output."""
    assert set(run_h) == {"HA", "HB", "HC", "HD", "SA", "XA", "AG"}
