"""Round 2 — half-year and year runs (seed 二: 半年的積分÷2, 一年的積分÷4; contract "Half-year and
yearly runs divide the summed points by 2 or 4; bands then read as 'at least the lower bound'"),
with readings 6 (十一 per quarter), 14 (new clinic per quarter), 17 and 19 (a clinic is scored in
the quarters where it has lines). `--period half|year` with `--quarter` = the last quarter.

Reading used (the contract does not spell it out; it follows from 二 taking the quarter as the unit
and from readings 1, 5, 6, 19): each quarter of the period is scored on its own (its own ranking
population, clinic_quarter row, new-clinic test and 十一 floor at 0); a clinic's summed points are
the sum of its quarterly `points` over the quarters where it was scored and not excluded (九), divided
by 2 or 4 whatever the number of such quarters; a clinic excluded in every scored quarter of the
period is excluded. Only `excluded`, `points` and `level` are checked in period runs (the contract
does not say what the rule columns or the `quarter` label of a period row hold).

Data: 4 fillers (see `_round2`) in every quarter of 2024 → a plain clinic never reaches PR 85
(at most 11 plain clinics among 15 → PR ≤ 73) and earns only 三.3, 三.4 (s25 0: s1 < 350,000 → 1;
350,000 < s1 < 550,000 → 3), 五.5/六.5, 六.4 and 十一. Plain clinics' cases ≤ 1,400 points (no
十二). Quarterly points by hand:

clinic: Q1 / Q2 / Q3 / Q4 (– = no lines, x = excluded) — how
* PA: 1 / 1 / 5 / 7 — s1 100k (1); Q3 + 六.4 4; Q4 s1 400k (3) + 六.4 4
* PB: – / – / – / 9 — north doctor 150,001 in Oct → 五.5 4; 三.4 1; 六.4 4
* PC: – / – / 1 / – — lines in Q3 only
* PD: 5 / 5 / 5 / 3 — opened 2023-12-01, s1 400k: quarter ends at 121 / 212 / 304 days → new,
  over 50,000 → 2, + 三.4 3; Q4 396 days → 3
* PE: 1 / 1 / 3 / 0 — Q3 1 + 六.4 4 − 2 (13 outreach); Q4 max(0, 1 − 2) = 0 (reading 6 per quarter)
* PX: – / – / x / 5 — Q3 44 sessions, s1 100k → 九; Q4 1 + 六.4 4
* PZ: – / – / x / x — 50 sessions, s1 150k in both quarters
* PK: – / – / 9 / 10 — Q3 north doctor 150,001 (4) + 1 + 六.4 4; Q4 north doctor 100,001 in
  Oct, Nov and Dec (3 + 3 + 3) + 1
* PG: – / – / 9 / 11 — Q3 as PK; Q4 north doctor 400,000 in Oct → 五.5 4 + 三.4 3 + 六.4 4
* PF: 1 / 1 / 1 / 1 — s1 100k
* PJ: – / 1 / 1 / 1 — s1 100k, no lines in Q1
* PW: – / – / x / – — lines in Q3 only, 44 sessions, s1 100k → 九
"""

from __future__ import annotations

from fractions import Fraction as Fr

import pytest

from ._build import Data
from ._round2 import X, check_all, cli, cq_row, filler, level_of, num, score_run

QS = ("2024Q1", "2024Q2", "2024Q3", "2024Q4")
DATE = dict(zip(QS, ("2024-02-10", "2024-05-10", "2024-08-10", "2024-11-10"), strict=True))
FILLERS = ("F1", "F2", "F3", "F4")


def build() -> Data:
    d = Data()
    for f in FILLERS:
        filler(d, f, dates=("2024-02-05", "2024-05-05", "2024-08-05", "2024-11-05"), cq_quarters=QS)

    def plain(c, per_quarter, opened="2010-01-01", rows=None):
        """per_quarter: {quarter: s1 of one south doctor in the quarter's middle month}."""
        d.clinic(c, opened=opened, quarter_row=False)
        for q, s1 in per_quarter.items():
            cq_row(d, c, q, **(rows or {}).get(q, {}))
            if s1:
                d.block(c, f"D{c}", s1, date=DATE[q], first=[X])

    plain(
        "PA",
        {q: 100_000 for q in QS[:3]} | {"2024Q4": 400_000},
        rows={q: {"unimproved": True} for q in QS[2:]},
    )
    plain("PB", {"2024Q4": 0}, rows={"2024Q4": {"unimproved": True}})
    d.doctor("V1", "north")
    d.block("PB", "V1", 150_001, date="2024-10-10", first=[X])
    plain("PC", {"2024Q3": 100_000})
    plain("PD", {q: 400_000 for q in QS}, opened="2023-12-01")
    plain(
        "PE",
        {q: 100_000 for q in QS},
        rows={"2024Q3": {"unimproved": True, "outreach": 13}, "2024Q4": {"outreach": 13}},
    )
    plain(
        "PX",
        {"2024Q3": 100_000, "2024Q4": 100_000},
        rows={"2024Q3": {"sessions": 44.0}, "2024Q4": {"unimproved": True}},
    )
    plain("PZ", {"2024Q3": 150_000, "2024Q4": 150_000}, rows={q: {"sessions": 50.0} for q in QS[2:]})
    for c, v_q3, v_q4, q4_unimproved in (("PK", "V2", "V3", False), ("PG", "V4", "V5", True)):
        d.doctor(v_q3, "north")
        d.doctor(v_q4, "north")
        rows = {"2024Q3": {"unimproved": True}, "2024Q4": {"unimproved": q4_unimproved}}
        plain(c, {"2024Q3": 0, "2024Q4": 0}, rows=rows)
        d.block(c, v_q3, 150_001, date="2024-07-10", first=[X])
    for date in ("2024-10-10", "2024-11-10", "2024-12-10"):
        d.block("PK", "V3", 100_001, date=date, first=[X] if date == "2024-10-10" else ())
    d.block("PG", "V5", 400_000, date="2024-10-10", first=[X])
    plain("PF", {q: 100_000 for q in QS})
    plain("PJ", {q: 100_000 for q in QS[1:]})
    plain("PW", {"2024Q3": 100_000}, rows={"2024Q3": {"sessions": 44.0}})
    return d


# quarterly points by hand (None = excluded by 九; missing = not scored that quarter)
QUARTERLY = {
    "PA": {"2024Q1": 1, "2024Q2": 1, "2024Q3": 5, "2024Q4": 7},
    "PB": {"2024Q4": 9},
    "PC": {"2024Q3": 1},
    "PD": {"2024Q1": 5, "2024Q2": 5, "2024Q3": 5, "2024Q4": 3},
    "PE": {"2024Q1": 1, "2024Q2": 1, "2024Q3": 3, "2024Q4": 0},
    "PX": {"2024Q3": None, "2024Q4": 5},
    "PZ": {"2024Q3": None, "2024Q4": None},
    "PK": {"2024Q3": 9, "2024Q4": 10},
    "PG": {"2024Q3": 9, "2024Q4": 11},
    "PF": {q: 1 for q in QS},
    "PJ": {"2024Q2": 1, "2024Q3": 1, "2024Q4": 1},
    "PW": {"2024Q3": None},
}


# rule columns of the quarterly runs (Q3 and Q4), by hand
RULES_Q3 = {
    "PA": {"r3_4": 1, "r6_4": 4},
    "PC": {"r3_4": 1},
    "PD": {"r3_3": 2, "r3_4": 3},
    "PE": {"r3_4": 1, "r6_4": 4, "r11": -2},
    "PX": None,
    "PZ": None,
    "PK": {"r3_4": 1, "r5_5": 4, "r6_4": 4},
    "PG": {"r3_4": 1, "r5_5": 4, "r6_4": 4},
    "PF": {"r3_4": 1},
    "PJ": {"r3_4": 1},
    "PW": None,
}
RULES_Q4 = {
    "PA": {"r3_4": 3, "r6_4": 4},
    "PB": {"r3_4": 1, "r5_5": 4, "r6_4": 4},
    "PD": {"r3_4": 3},
    "PE": {"r3_4": 1, "r11": -2},
    "PX": {"r3_4": 1, "r6_4": 4},
    "PZ": None,
    "PK": {"r3_4": 1, "r5_5": 9},
    "PG": {"r3_4": 3, "r5_5": 4, "r6_4": 4},
    "PF": {"r3_4": 1},
    "PJ": {"r3_4": 1},
}


def period_expect(quarters, divisor):
    """{clinic: (excluded, points, level)} for the plain clinics scored in `quarters`."""
    out = {}
    for c, per_q in QUARTERLY.items():
        seen = [q for q in quarters if q in per_q]
        if not seen:
            continue
        if all(per_q[q] is None for q in seen):
            out[c] = ("true", None, None)
            continue
        total = Fr(sum(per_q[q] or 0 for q in seen), divisor)
        out[c] = ("false", total, level_of(total))
    return out


@pytest.fixture(scope="module")
def data_p(tmp_path_factory):
    base = tmp_path_factory.mktemp("r2p")
    return build().write(base / "data"), base


def got_period(rows):
    out = {}
    for c, r in rows.items():
        if c in FILLERS:
            continue
        lvl = None if r["level"] == "" else int(r["level"])
        out[c] = (r["excluded"], num(r["points"]), lvl)
    return out


def test_quarter_run_q3_reading14_new_clinic(data_p):
    """Quarterly run 2024Q3 (a unit of 二): reading 14 per quarter — PD (opened 2023-12-01) is new
    at 2024-09-30 (304 days → 三.3 over 50,000 → 2); 十一 (PE 5 − 2 = 3); 九 (PX, PZ); 五.5 (PK 4)."""
    data, base = data_p
    q3, _ = score_run(data, base / "q3.csv", "2024Q3")
    assert set(q3) == {*RULES_Q3, *FILLERS}
    assert check_all(q3, RULES_Q3) == {}


def test_quarter_run_q4_reading14_reading6(data_p):
    """Quarterly run 2024Q4: PD is no longer new at 2024-12-31 (396 days → 三.3 0); reading 6 (PE
    max(0, 1 − 2) = 0, r11 −2); PX scored (20 sessions); 五.5 PK 3 + 3 + 3 = 9 (cap 9)."""
    data, base = data_p
    q4, _ = score_run(data, base / "q4.csv", "2024Q4")
    assert set(q4) == {*RULES_Q4, *FILLERS}
    assert check_all(q4, RULES_Q4) == {}


LABELS: dict[str, set] = {}  # the `quarter` column of the period runs


@pytest.fixture(scope="module")
def run_h2(data_p):
    data, base = data_p
    rows, _ = score_run(data, base / "h2.csv", "2024Q4", "--period", "half")
    LABELS["half"] = {r["quarter"] for r in rows.values()}
    return got_period(rows)


def test_half_h2_divides_by_2(run_h2):
    """二 half-year (2024Q3 + 2024Q4) ÷ 2, levels "at least the lower bound": PA 12/2 = 6 → 2;
    PB 9/2 = 4.5 → 1 (present in Q4 only); PC 1/2 = 0.5 → 0 (present in Q3 only); PD 8/2 = 4 → 1;
    PE (3 + 0)/2 = 1.5 → 1 (not (6 − 4)/2 = 1: 十一 floors each quarter); PX (Q3 excluded) 5/2 =
    2.5 → 1; PZ (excluded in Q3 and Q4) excluded; PK 19/2 = 9.5 → 2; PG 20/2 = 10 → 3; PF, PJ 1;
    PW (lines in Q3 only, excluded there) excluded."""
    assert run_h2 == period_expect(QS[2:], 2)


def test_half_h1_divides_by_2(data_p):
    """二 half-year 2024Q1 + 2024Q2 (`--quarter 2024Q2`): PA 1; PD (5 + 5)/2 = 5 → level 2 (new
    in both quarters); PE 1; PF 1; PJ (lines in Q2 only) 1/2 = 0.5 → level 0; the Q3/Q4-only
    clinics are not in the output (reading 19)."""
    data, base = data_p
    rows, _ = score_run(data, base / "h1.csv", "2024Q2", "--period", "half")
    assert got_period(rows) == period_expect(QS[:2], 2)


@pytest.fixture(scope="module")
def run_year(data_p):
    data, base = data_p
    rows, _ = score_run(data, base / "y.csv", "2024Q4", "--period", "year")
    LABELS["year"] = {r["quarter"] for r in rows.values()}
    return got_period(rows)


def test_year_divides_by_4(run_year):
    """二 year ÷ 4: PA 14/4 = 3.5 → 1; PB 2.25 → 1; PC 0.25 → 0; PD 18/4 = 4.5 → 1; PE 5/4 = 1.25;
    PX 1.25; PK 19/4 = 4.75 → 1; PG 20/4 = 5 → 2; PF 4/4 = 1 → 1; PJ 3/4 = 0.75 → 0; PZ and PW
    (excluded in every quarter where they have lines) excluded."""
    assert run_year == period_expect(QS, 4)


def test_period_labels(run_h2, run_year):
    """Output `quarter` column of period runs: the contract fixes no label, so only this is checked —
    one label per run, naming 2024, and not a single quarter's label (a half-year or year row must
    not read as 2024Q4); the two periods differ."""
    (half,), (year,) = LABELS["half"], LABELS["year"]
    assert "2024" in half and "2024" in year
    assert "2024Q4" not in (half, year) and half != year


def test_period_clinic_excluded_in_every_scored_quarter(run_h2, run_year):
    """九 + reading 5 + reading 19 in period runs: PW (lines in Q3 only, excluded there) is excluded
    in 2024H2 and in the year; PZ (lines in Q3 and Q4, excluded in both) is excluded in the year as
    it is in 2024H2 — empty points and level. (Was an engine disagreement, fixed in f8272f0: the
    engine wrote them as not excluded with points 0 and level 0.)"""
    excl = ("true", None, None)
    assert (run_h2["PW"], run_year["PW"], run_year["PZ"]) == (excl, excl, excl)


# ---------------------------------------------------------------------------------------------
# Period runs from an indicator table (contract: "one row per clinic and quarter"). Two quarters,
# two clinics each (N = 2: the larger value PR 100, the smaller 50, a tie 100 for both).
# 2024Q3: A and B; 2024Q4: A and C (C's row = B's). B/C above A on s1 s2 s3 s5 s7 s9 s10 s21
# od_teeth; A above on s11 (90 vs 80); oral_exam tie (5); s25 A 0, B 2, s1 < 350,000 → 三.4 1.
# A: 三.4 1 + 三.5 3 + 四.2 s11 2 = 6, + 六.4 4 in Q3 (unimproved) → Q3 10, Q4 6.
# B, C: 三.2 1 + 三.4 1 + 三.5 3 + 四.1 12 + 四.2 s1 s3 s9 s10 8 = 25.
# H2: A 16/2 = 8 → level 2; B 25/2 = 12.5 → 3; C 12.5 → 3.  Year: A 4 → 1; B, C 6.25 → 2.
# ---------------------------------------------------------------------------------------------

TABLE = """clinic_id,quarter,name,region,kind,opened_on,sessions_per_month,outreach_sessions_year,\
unimproved_after_agreement,s1,s2,s3,s5,s7,s8,s9,s10,s11,s12,s14,s17,s19,s20,s21,s23,s25,s27,\
oral_exam,avg_case_points,od_teeth
A,2024Q3,a,south,clinic,2010-01-01,20,0,true,100000,1000,10,1,2,0,0,0,90,,,,0,0,0,,0,10,5,1000,10
B,2024Q3,b,south,clinic,2010-01-01,20,0,false,200000,2000,20,2,3,0,10,10,80,,,,0,10,10,,2,10,5,1000,20
A,2024Q4,a,south,clinic,2010-01-01,20,0,false,100000,1000,10,1,2,0,0,0,90,,,,0,0,0,,0,10,5,1000,10
C,2024Q4,c,south,clinic,2010-01-01,20,0,false,200000,2000,20,2,3,0,10,10,80,,,,0,10,10,,2,10,5,1000,20
"""


@pytest.fixture(scope="module")
def table_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("r2pt") / "indicators.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("period", "want"),
    [
        ("quarter", {"A": ("false", 6, 2), "C": ("false", 25, 5)}),
        ("half", {"A": ("false", 8, 2), "B": ("false", Fr(25, 2), 3), "C": ("false", Fr(25, 2), 3)}),
    ],
)
def test_period_from_indicator_table(table_path, tmp_path, period, want):
    """二 with `--indicators`: quarter 2024Q4 A 6, C 25; half (Q3 + Q4) ÷ 2 of the quarterly points
    computed in each quarter's own population."""
    code, se, rows, _ = cli(
        ["dental", "score", "--indicators", str(table_path), "--quarter", "2024Q4", "--period", period],
        tmp_path / "out.csv",
    )
    assert code == 0, se
    assert got_period(rows) == want


def test_year_from_indicator_table_without_q1_q2_rejected(table_path, tmp_path):
    """A year run needs every quarter of the year in the indicator table ("unknown quarter" is bad
    input): 2024Q1 and 2024Q2 have no row → rejected, naming the quarter; nothing written."""
    out = tmp_path / "out.csv"
    code, se, _, _ = cli(
        ["dental", "score", "--indicators", str(table_path), "--quarter", "2024Q4", "--period", "year"], out
    )
    assert code != 0 and not out.exists()
    assert "2024Q1" in se
