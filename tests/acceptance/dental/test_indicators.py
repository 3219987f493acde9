"""Dataset C — exclusions before indicators and indicator definitions, checked on the indicator
columns of `pingjian dental score` (values computed by hand from the contract's "Indicators" and
readings 4, 7, 8, 9, 10, 11, 16, 18). Quarter 2024Q4. CZ is a north clinic (other region) holding
the "other clinic" history; it is not scored.
"""

from __future__ import annotations

import pytest

from ._build import Data, score


def build() -> Data:
    d = Data()
    for c in ("CA", "CB", "CC", "CD", "CE"):
        d.clinic(c)
    d.clinic("CZ", region="north")

    # CA — reading 11 (age ≤ 12 on the birthday itself) and reading 4 (cases after exclusions)
    d.claim("CA", "DCA", "PA1", "2024-11-01", [("00121C", 500)], birth="2012-11-01")  # 12 today: dropped
    d.claim("CA", "DCA", "PA2", "2024-11-01", [("00121C", 500)], birth="2011-11-01")  # 13: exam case
    d.claim(
        "CA", "DCA", "PA3", "2024-11-01", [("00121C", 500), ("01271C", 1000)], birth="2012-11-02"
    )  # 11: exam dropped, case stays
    d.claim("CA", "DCA", "PA4", "2024-11-01", [("P7101C", 300)])  # special fund only: not a case
    d.claim("CA", "DCA", "PA4", "2024-11-02", [("01271C", 1000)])
    d.claim("CA", "DCA", "PA5", "2024-11-03", [("P7302C", 300), ("P7303C", 300), ("P7102C", 300)])

    # CB — 892xx −400 per line whatever the quantity, never below 0 (reading 9, 16); P3601C (reading 10)
    d.claim(
        "CB",
        "DCB",
        "PB1",
        "2024-10-20",
        [("89201C", 1000, "16", 2), ("89202C", 300, "17", 1), ("89001C", 500, "26", 3)],
    )
    d.claims[-3]["quantity"] = 3
    d.claim("CB", "DCB", "PB2", "2024-10-21", [("P3601C", 700)])

    # CC — code sets (reading 18), s2 without perio care, s12, s23, s25, s11; s17 (readings 7, 8)
    d.claim(
        "CC",
        "DCC",
        "PC1",
        "2024-11-01",
        [
            ("90015C", 1000),
            ("90015C", 1000),
            ("90001C", 500),
            ("90009C", 400),
            ("90091C", 300),
            ("90012C", 200),
            ("92013C", 800, "38"),
            ("92014C", 600, "48"),
            ("P4001C", 1000),
            ("01271C", 1200),
        ],
    )
    d.claim("CC", "DCC", "PC1", "2024-08-01", [("01271C", 300, "38")])  # 92 days before: in
    d.claim("CC", "DCC", "PC1", "2024-05-05", [("01271C", 111, "38")])  # 180 days: in
    d.claim("CC", "DCC", "PC1", "2024-05-04", [("01271C", 7000, "38")])  # 181 days: out
    d.claim("CC", "DCC", "PC1", "2024-09-01", [("P7101C", 999, "38")])  # special fund: out
    d.claim("CC", "DCC", "PC1", "2024-09-01", [("89201C", 1000, "48", 1)])  # 892xx: 600
    d.claim("CZ", "DCZ", "PC1", "2024-09-01", [("01271C", 5000, "48")])  # other clinic: out

    # CD — s17: extraction without earlier line counts 0, without tooth counts 0 (reading 8)
    d.claim("CD", "DCD", "PD1", "2024-11-01", [("92013C", 500, "18"), ("92015C", 500), ("92016C", 500, "28")])
    d.claim("CD", "DCD", "PD1", "2024-10-01", [("01271C", 100, "28")])

    # CE — refills (s8/s9/s10, s19/s20/s21) and s14 (reading 7); visits 2024-11-15
    v = "2024-11-15"
    od = lambda t="11": [("89001C", 500, t, 1)]  # noqa: E731
    d.claim("CE", "DCE", "PE1", v, od())
    d.claim("CE", "DCE", "PE1", "2022-11-16", od())  # 730 own
    d.claim("CE", "DCE", "PE2", v, od())
    d.claim("CE", "DCE", "PE2", "2022-11-15", od())  # 731 own
    d.claim("CE", "DCE", "PE3", v, od())
    d.claim("CZ", "DCZ", "PE3", "2024-08-07", od())  # other 100
    d.claim("CE", "DCE", "PE3", "2024-04-29", od())  # own 200 (older: does not decide)
    d.claim("CE", "DCE", "PE4", v, od())
    d.claim("CE", "DCE", "PE4", "2024-09-20", od())  # own 56
    d.claim("CZ", "DCZ", "PE4", "2024-01-20", od())  # other 300 (older)
    d.claim("CE", "DCE", "PE5", v, od())
    d.claim("CZ", "DCZ", "PE5", "2021-11-16", od())  # other 1095
    d.claim("CE", "DCE", "PE6", v, od())
    d.claim("CZ", "DCZ", "PE6", "2021-11-15", od())  # other 1096
    d.claim("CE", "DCE", "PE7", v, od("12"))
    d.claim("CZ", "DCZ", "PE7", v, od("12"))  # same day
    d.claim("CE", "DCE", "PE8", v, od("21"))
    d.claim("CE", "DCE", "PE8", "2024-09-26", od("22"))
    sc = [("91004C", 600)]
    d.claim("CE", "DCE", "PE9", v, sc)
    d.claim("CZ", "DCZ", "PE9", "2024-05-19", sc)  # 180: yes
    d.claim("CE", "DCE", "PE10", v, sc)
    d.claim("CE", "DCE", "PE10", "2024-05-18", sc)  # 181: no
    d.claim("CE", "DCE", "PE11", v, sc)
    d.claim("CZ", "DCZ", "PE11", v, sc)  # same day: no
    d.claim("CE", "DCE", "PE12", v, sc)
    d.claim("CE", "DCE", "PE12", "2024-10-01", sc)  # 45: yes
    return d


@pytest.fixture(scope="module")
def run_c(tmp_path_factory):
    base = tmp_path_factory.mktemp("dsC")
    res = score(build().write(base / "data", parquet=("claims", "clinic_quarter")), base / "out.csv")
    assert res.code == 0, res.stderr
    return res


def vals(row, names):
    out = {}
    for n in names:
        out[n] = None if row[n] == "" else round(float(row[n]), 6)
    return out


def test_scored_clinics(run_c):
    """Reading 19: CA–CE scored; CZ (north) not in the output."""
    assert set(run_c.rows) == {"CA", "CB", "CC", "CD", "CE"}


def test_age_12_birthday_and_cases_after_exclusions(run_c):
    """Exclusions 1–2, readings 4 and 11: CA keeps cases PA2 (13: exam), PA3 (11: exam dropped,
    01271C stays), PA4's 01271C; PA1 (12 on the visit day, exam only), PA4's P7101C-only claim and
    PA5 (special fund only) are no cases/patients. cases 3, patients 3, points 2,500 →
    oral_exam 33.333333, s2 833.333333, avg_case_points 833.333333, s1 2,500."""
    got = vals(run_c.rows["CA"], ["oral_exam", "s2", "avg_case_points", "s1"])
    assert got == {"oral_exam": 33.333333, "s2": 833.333333, "avg_case_points": 833.333333, "s1": 2500}


def test_892xx_and_p3601c(run_c):
    """Exclusion 3, readings 9, 10, 16: 89201C 1,000 (qty 3) → 600; 89202C 300 → 0 (not −100);
    89001C 500; P3601C 700 → 0 but its claim is a case/patient. points 1,100, OD points 1,100,
    OD teeth 3 (lines), surfaces 6, patients 2 → s1 1,100, s2 550, s3 100, s5 1.5, s7 2, od_teeth 3,
    avg_case_points 550."""
    got = vals(run_c.rows["CB"], ["s1", "s2", "s3", "s5", "s7", "od_teeth", "avg_case_points"])
    assert got == {
        "s1": 1100,
        "s2": 550,
        "s3": 100,
        "s5": 1.5,
        "s7": 2,
        "od_teeth": 3,
        "avg_case_points": 550,
    }


def test_code_sets_reading_18(run_c):
    """Reading 18 + code sets: CC points 7,000; ENDO (every 90xxxC) 3,400 → s11 51.428571;
    s25 = rct 2,000 + rcf 500 + 90009C 400 + 90091C 300 + difficult 92014C 600 = 3,800 → 54.285714
    (90012C and 92013C not in s25); s23 = one 90091C / one rcf × 100 = 100 (90009C not counted);
    s12 = (2 − 1) × 100 / 2 = 50; s2 = (7,000 − P4001C 1,000) / 1 = 6,000."""
    got = vals(run_c.rows["CC"], ["s11", "s25", "s23", "s12", "s2"])
    assert got == {"s11": 51.428571, "s25": 54.285714, "s23": 100, "s12": 50, "s2": 6000}


def test_s17_window_reading_7_8(run_c):
    """s17, readings 7 and 8: tooth 38 extraction (2024-11-01): same clinic 92 days (300) + 180 days
    (111) = 411; 181 days and special fund out. Tooth 48: a 892xx line 61 days before → 600;
    the other clinic's line out. Mean (411 + 600) / 2 = 505.5."""
    assert vals(run_c.rows["CC"], ["s17"]) == {"s17": 505.5}


def test_s17_zero_without_earlier_line(run_c):
    """Reading 8: CD extractions: tooth 18 no earlier line → 0; 92015C without tooth → 0;
    tooth 28 with a 100-point line 31 days before → 100. Mean 100 / 3 = 33.333333."""
    assert vals(run_c.rows["CD"], ["s17"]) == {"s17": 33.333333}


def test_refills_730_1095(run_c):
    """s8–s10, s19–s21: 8 OD teeth. Own 730 d → s8+s19; own 731 d → s19 only; other 100 d newer
    than own 200 d → s9+s20; own 56 d newer than other 300 d → s8+s19; other 1095 d → s20;
    1096 d, same day, another tooth → nothing. s8 25, s9 12.5, s10 37.5, s19 37.5, s20 25, s21 62.5."""
    got = vals(run_c.rows["CE"], ["s8", "s9", "s10", "s19", "s20", "s21", "od_teeth"])
    assert got == {"s8": 25, "s9": 12.5, "s10": 37.5, "s19": 37.5, "s20": 25, "s21": 62.5, "od_teeth": 8}


def test_s14_window_reading_7(run_c):
    """s14, reading 7: 5 scaling cases at CE; earlier scaling 180 d (other clinic) yes, 181 d no,
    same day no, 45 d (own, in the quarter) yes → 2 × 100 / 5 = 40; s27 = 5 / 13 cases = 38.461538."""
    assert vals(run_c.rows["CE"], ["s14", "s27"]) == {"s14": 40, "s27": 38.461538}


def test_null_indicators(run_c):
    """Zero denominator → null (empty, no PR): CA has no OD (s7, s9, s10), no scaling (s14),
    no extraction (s17), no rcf (s23); od_teeth is 0, never null (reading 12)."""
    r = run_c.rows["CA"]
    assert {n: r[n] for n in ("s7", "s9", "s10", "s14", "s17", "s23", "s7_pr", "s14_pr")} == {
        n: "" for n in ("s7", "s9", "s10", "s14", "s17", "s23", "s7_pr", "s14_pr")
    }
    assert (float(r["od_teeth"]), r["od_teeth_pr"] != "") == (0, True)
