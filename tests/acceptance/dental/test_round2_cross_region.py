"""Round 2 — cross-region support doctors, seed 五.5 / 六.5, contract readings 3 and 15 (plus 九 and
reading 5 for a clinic excluded while its lines count in T). Quarter 2024Q4, all by hand.

4 fillers (see `_round2`) + 16 plain south clinics (N = 20): a plain clinic's PR on any ranked
indicator is at most floor(100·16/20) = 80, so it earns only 三.4 (s1 < 350,000 and s25 = 0 → 1)
and 五.5/六.5. Doctors Y* are from the north (YE from the east); YS is a north specialist.
Every plain clinic's average case points stay below 1,500 (no 十二 flag).

T per doctor and month (lines at south clinics only; reading 3: nothing excluded):
* YA: Oct CA 120,000 + CB 40,000 = 160,000 → 4 to CA and CB; Nov CA 110,000 (+ 50,000 at the
  north clinic ZN, not in T) = 110,000 → 3 to CA; Dec CA 60,000 + CB 100 (+ 100,000 at ZN) =
  60,100 → 0.  CA 4 + 3 = 7, CB 4.
* YB: Oct CC 150,001 → 4 to CC; Nov CC 50,000 + CD 50,001 = 100,001 → 3 to CC and CD.
  YC: CC 100,001 in Oct, Nov, Dec → 3 + 3 + 3.  YD: CD 100,001 in Oct, Nov, Dec → 3 + 3 + 3.
  CC: 4 + 3 + 9 = 16, a 4 was given to CC → cap 12.  CD: 3 + 9 = 12, no 4 given to CD → cap 9.
* YF: CE one claim with 89202C 400 (tooth 16) + 90012C 100 + 01271C lines, 100,001 claimed →
  T 100,001 → 3 (without the 892xx 400 it would be 99,601 → 0).
* YG: CF 200,000 on 2024-09-30 (2024Q3: no month of the quarter) + 1,000 on 2024-10-01 → T(Oct)
  1,000 → 0.
* YH: CX (sessions 44, s1 80,000 ≤ 200,000 → 九 excluded) 80,000 + CG 30,000 in Oct = 110,000 →
  3 to CG; CX gets empty rule columns (reading 5).
* YS (specialist): CH 100,000 + CI 60,000 in Oct = 160,000 → 0 (specialists are not counted).
  YE (east): CH 150,001 in Nov → 4 to CH.  CH 4, CI 0.
* YJ: CJ 60,000 on 2024-10-31 and 60,000 on 2024-11-01 → Oct 60,000, Nov 60,000 → 0
  (calendar months, not 30-day spans).
* YK: CK a single 90012C line of 100 points + CL 100,000 in Nov = 100,100 → 3 to CK and CL
  (reading 15: any line that month is "claimed that month").
* YQ: CP 150,000 + CN one P7101C line of 300 + CO one child's (9 years) 00121C line of 500, all
  in Oct → T = 150,800 (reading 3: special fund and child's exam count) → 4 to CP, CN and CO;
  CN and CO (each also 10,000 of a south doctor) get it although YQ's only line there is dropped
  from Q (reading 15: "any line of that doctor at that clinic in that calendar month").
"""

from __future__ import annotations

import pytest

from ._build import Data
from ._round2 import FILLER_RULES, X, check_all, filler, num, score_run

FILLERS = ("F1", "F2", "F3", "F4")
CROSS = {
    "CA": 7,
    "CB": 4,
    "CC": 12,
    "CD": 9,
    "CE": 3,
    "CF": 0,
    "CG": 3,
    "CH": 4,
    "CI": 0,
    "CJ": 0,
    "CK": 3,
    "CL": 3,
    "CN": 4,
    "CO": 4,
    "CP": 4,
}


def build() -> Data:
    d = Data()
    for f in FILLERS:
        filler(d, f)
    for c in ("CA", "CB", "CC", "CD", "CE", "CF", "CG", "CH", "CI", "CJ", "CK", "CL", "CN", "CO", "CP"):
        d.clinic(c)
    d.clinic("CX", sessions=44.0)
    for doc in ("YA", "YB", "YC", "YD", "YF", "YG", "YH", "YJ", "YK", "YQ"):
        d.doctor(doc, "north")
    d.doctor("YE", "east")
    d.doctor("YS", "north", specialist=True)

    d.block("CA", "YA", 120_000, date="2024-10-10", first=[X])
    d.block("CB", "YA", 40_000, date="2024-10-12", first=[X])
    d.block("CA", "YA", 110_000, date="2024-11-10")
    d.block("ZN", "YA", 50_000, date="2024-11-11")
    d.block("CA", "YA", 60_000, date="2024-12-10")
    d.claim("CB", "YA", "PCB-dec", "2024-12-11", [("01271C", 100)])
    d.block("ZN", "YA", 100_000, date="2024-12-12")

    d.block("CC", "YB", 150_001, date="2024-10-10", first=[X])
    d.block("CC", "YB", 50_000, date="2024-11-10")
    d.block("CD", "YB", 50_001, date="2024-11-11", first=[X])
    for date in ("2024-10-15", "2024-11-15", "2024-12-15"):
        d.block("CC", "YC", 100_001, date=date)
        d.block("CD", "YD", 100_001, date=date)

    d.block("CE", "YF", 100_001, date="2024-10-10", first=[("89202C", 400, "16", 1), X])

    d.block("CF", "YG", 200_000, date="2024-09-30", first=[X])
    d.block("CF", "YG", 1_000, date="2024-10-01", first=[X])

    d.block("CX", "YH", 80_000, date="2024-10-10", first=[X])
    d.block("CG", "YH", 30_000, date="2024-10-20", first=[X])

    d.block("CH", "YS", 100_000, date="2024-10-10", first=[X])
    d.block("CI", "YS", 60_000, date="2024-10-12", first=[X])
    d.block("CH", "YE", 150_001, date="2024-11-10")

    d.block("CJ", "YJ", 60_000, date="2024-10-31", first=[X])
    d.block("CJ", "YJ", 60_000, date="2024-11-01")

    d.claim("CK", "YK", "PCK", "2024-11-05", [("90012C", 100)])
    d.block("CL", "YK", 100_000, date="2024-11-06", first=[X])

    d.block("CN", "DCN", 10_000, date="2024-10-05", first=[X])
    d.block("CO", "DCO", 10_000, date="2024-10-05", first=[X])
    d.claim("CN", "YQ", "PCN-yq", "2024-10-20", [("P7101C", 300)])
    d.claim("CO", "YQ", "PCO-yq", "2024-10-21", [("00121C", 500)], birth="2016-01-01")
    d.block("CP", "YQ", 150_000, date="2024-10-22", first=[X])
    return d


def expected():
    exp = {c: {"r3_4": 1, "r5_5": p} for c, p in CROSS.items()}
    exp["CX"] = None
    for f in FILLERS:
        exp[f] = dict(FILLER_RULES)
    flags = {f: "reference" for f in FILLERS}
    return exp, flags


@pytest.fixture(scope="module")
def run_x(tmp_path_factory):
    base = tmp_path_factory.mktemp("r2x")
    rows, _ = score_run(build().write(base / "data"), base / "out.csv")
    return rows


def _check(rows, only):
    exp, flags = expected()
    return check_all(rows, exp, flags, only)


def test_5_5_reading15_doctor_visiting_two_clinics_per_month(run_x):
    """五.5/六.5, reading 15: YA's T is summed over CA and CB per calendar month; a 4 goes to every
    south clinic YA claimed at that month (CB with 40,000 too); lines at a north clinic are not in
    T (Nov 110,000 → 3 to CA only; Dec 60,100 → 0 even though CB claimed 100). CA 7, CB 4."""
    assert _check(run_x, {"CA", "CB"}) == {}


def test_5_5_reading15_cap_is_per_clinic(run_x):
    """五.5/六.5 caps, reading 15: CC 4 + 3 + 3 + 3 + 3 = 16 → 12 (a 4 was given to CC); CD 3 + 3 +
    3 + 3 = 12 → 9 although its doctor YB gave a 4 elsewhere (CC): the cap is per clinic."""
    assert _check(run_x, {"CC", "CD"}) == {}


def test_5_5_reading3_892xx_400_counts_in_T(run_x):
    """Reading 3: T sums claimed points with no exclusion — the 89202C 400 (0 in Q) counts:
    T = 100,001 → 3 (99,601 without it → 0)."""
    assert _check(run_x, {"CE"}) == {}
    assert int(run_x["CE"]["s1"]) == 99_601  # s1 is point-based: the 892xx 400 is removed (exclusion 3)


def test_5_5_only_months_of_the_quarter(run_x):
    """五.5 當季每月: a 2024-09-30 block of 200,000 is not in any month of 2024Q4 (CF: Oct T 1,000 →
    0); YJ's 60,000 on Oct 31 and 60,000 on Nov 1 are two months of 60,000 (CJ → 0)."""
    assert _check(run_x, {"CF", "CJ"}) == {}


def test_5_5_lines_at_excluded_clinic_count_in_T_reading5(run_x):
    """Reading 3/15 + 九 + reading 5: YH's 80,000 at the excluded CX count in T (110,000 → 3 to
    CG); CX itself is excluded (s1 80,000 ≤ 200,000 with 44 sessions): empty rule columns."""
    assert _check(run_x, {"CG", "CX"}) == {}
    assert int(run_x["CX"]["s1"]) == 80_000 and run_x["CX"]["s1_pr"] != ""


def test_5_5_specialist_over_two_clinics(run_x):
    """五.5 + 十三/十四 (`specialist`): YS's T 160,000 over CH and CI gives nothing; YE (home east)
    gives 4 to CH."""
    assert _check(run_x, {"CH", "CI"}) == {}


def test_5_5_single_line_clinic_gets_the_points(run_x):
    """Reading 15: CK's single 100-point line puts it among the clinics YK claimed at in Nov
    (T 100,100 → 3 to CK and CL). CK is a one-line clinic: s1 = s2 = 100, s11 0."""
    assert _check(run_x, {"CK", "CL"}) == {}
    assert [num(run_x["CK"][c]) for c in ("s1", "s2", "s11")] == [100, 100, 0]


def test_5_5_claimed_by_a_line_dropped_from_q_reading3_15(run_x):
    """Readings 3 and 15: YQ's T = 150,000 + P7101C 300 + child's exam 500 = 150,800 → 4; CN and
    CO claimed that month only through lines left out of Q (special fund, child's exam), still
    "any line" → 4 each; CP 4."""
    assert _check(run_x, {"CN", "CO", "CP"}) == {}
    assert [num(run_x[c]["s1"]) for c in ("CN", "CO", "CP")] == [10_000, 10_000, 150_000]


def test_fillers_and_every_clinic(run_x):
    """Every clinic: plain ones 三.4 1 + 五.5 as above (levels 1–3); fillers 30 (level 5, flag
    `reference`); CX excluded; the north clinic ZN is not in the output."""
    exp, flags = expected()
    assert set(run_x) == set(exp)
    assert check_all(run_x, exp, flags) == {}


# ---------------------------------------------------------------------------------------------
# `--region north` (contract parameter `region`; reading 15 "any home_region other than the
# region counts; lines at clinics of other regions are not in T"). NA, NB north; SA1 south.
# DS (home south): NA 100,001 + SA1 200,000 in Oct → T(north) = 100,001 → 3 to NA (4 if the south
# line were counted). DN (home north) at NA 200,000 → not cross-region. DE (east) NB 150,001 in
# Nov → 4. DS2 (south, specialist) NB 150,001 in Oct → 0. Scoring south: SA1 only, DS is at home
# → 0.
# ---------------------------------------------------------------------------------------------


def build_north() -> Data:
    d = Data()
    d.clinic("NA", region="north")
    d.clinic("NB", region="north")
    d.clinic("SA1")
    d.doctor("DS", "south")
    d.doctor("DN", "north")
    d.doctor("DE", "east")
    d.doctor("DS2", "south", specialist=True)
    d.block("NA", "DS", 100_001, date="2024-10-10", first=[X])
    d.block("SA1", "DS", 200_000, date="2024-10-12", first=[X])
    d.block("NA", "DN", 200_000, date="2024-10-15")
    d.block("NB", "DE", 150_001, date="2024-11-10", first=[X])
    d.block("NB", "DS2", 150_001, date="2024-10-10")
    return d


@pytest.fixture(scope="module")
def north_data(tmp_path_factory):
    base = tmp_path_factory.mktemp("r2north")
    return build_north().write(base / "data"), base


def test_5_5_region_north_reading15(north_data):
    """`--region north`: only NA and NB are scored; 五.5/六.5 relative to north: NA 3 (T counts only
    lines at north clinics), NB 4 (east doctor; the south specialist gives nothing)."""
    data, base = north_data
    north, _ = score_run(data, base / "north.csv", "2024Q4", "--region", "north")
    assert {c: r["r5_5"] for c, r in north.items()} == {"NA": "3", "NB": "4"}


def test_5_5_same_data_region_south(north_data):
    """The same data scored for the south: SA1 only; DS works at home → r5_5 0."""
    data, base = north_data
    south, _ = score_run(data, base / "south.csv")
    assert {c: r["r5_5"] for c, r in south.items()} == {"SA1": "0"}
