"""Round 2 — inputs (contract "Inputs" and "Commands"): CSV and Parquet give the same output;
`--quarter 113Q4` (ROC year) is 2024Q4; an indicator table (`--indicators FILE`) written by hand
with only the contract's indicator columns is scored by hand; and the indicator table written by
`pingjian dental indicators` scores exactly like the claims it came from.

Hand-written indicator table (quarter 2024Q4, N = 20): B01–B14 identical background rows, all
below the six named clinics on every ranked indicator (background count 14 → PR 70; od_teeth 75);
a named clinic with count 15…20 gets PR 75, 80, 85, 90, 95, 100. Empty cell = null.

| col | B | I1 | I2 | I3 | I4 | I5 | I6 |
|---|---|---|---|---|---|---|---|
| s1 | 100,000 | 120,000 (75) | 130,000 (80) | 140,000 (85) | 600,000 (100) | 200,000 (90) | 560,000 (95) |
| s2 | 1,000 | 5,000 (100) | 4,000 (95) | 3,000 (90) | 2,000 (85) | 1,500 (80) | 1,200 (75) |
| s3 | 10 | 20 (80, tie) | 20 (80, tie) | 30 (85) | 40 (90) | 50 (95) | 60 (100) |
| s5 | 0.5 | 0.6 (75) | 0.7 (80) | 0.8 (85) | 0.9 (90) | 1.0 (95) | 1.1 (100) |
| s7 | 1.0 | 2.0 (100) | 1.9 (95) | 1.8 (90) | 1.7 (85) | 1.6 (80) | 1.5 (75) |
| s9 | 0 | 5 (75) | 6 (80) | 7 (85) | 8 (90) | 9 (95) | 10 (100) |
| s10 | 0 | 10 (75) | 12 (80) | 14 (85) | 16 (90) | 18 (95) | 20 (100) |
| s11 | 50 | 90 (95) | 80 (90) | 70 (85) | 60 (80) | 55 (75) | 99 (100) |
| s14 | – | 10 (50 of 2) | 20 (100 of 2) | – | – | – | – |
| s21 | 0 | 1 (75) | 2 (80) | 3 (85) | 4 (90) | 5 (95) | 6 (100) |
| s23 | – | 50 (100 of 1) | – | – | – | – | – |
| oral_exam | 0 | 10 (75) | 20 (80) | 30 (85) | 40 (90) | 50 (95) | 60 (100) |
| od_teeth | 50 | 60 (100) | 60 (100) | 60 (100) | 60 (100) | 60 (100) | 1 (5 → 十) |
| s25 | 10 | 9 | 5 | 2 | 0.5 | 0 | 5 |
| s27 | 10 | 10 | 10 | 10 | 60 | 10 | 50 |
| avg_case_points | 1,000 | 1,000 | 1,800 | 1,600 | 1,000 | 1,000 | 1,700 |
| other | | outreach 13 | outreach 1 | unimproved | | 44 sessions | opened 2024-03-01 |

By hand:
* I1: 四.1 s2 4 + s7 4; 四.2 s11 2 + s23 2 (a population of one → PR 100); 三.4 0 (s25 9 ≥ 8);
  十一 −2 → 12 − 2 = 10 → level 3.
* I2: 三.1 s11 1; 三.4 1 (s25 5, s1 < 350,000); 四.1 s2 3 + s7 3; 四.2 s14 2; 十一 −1 → 9 → level 2;
  十二 avg 1,800 → `reference`.
* I3: 三.1 s3 1 + s10 1 + s11 1; 三.2 1; 三.4 1; 三.5 1; 四.1 s2 2 + s5 2 + s7 2; 六.4 4 → 16 →
  level 4; 十二 avg 1,600 with s25 2 < 3 → `reference`.
* I4: 三.1 s3 1 + s10 1; 三.2 1; 三.4 4 (s25 < 1, s1 ≥ 550,000); 三.5 1; 四.1 s2 2 + s5 2 + s7 2;
  四.2 s1 2; 四.5 2 (s27 60 > 50, s1 ≥ 550,000) → 18 → level 4.
* I5: 九 (44 sessions, s1 200,000) → excluded; still ranked (reading 1).
* I6: 十 (od_teeth PR 5): s5 100 and s9 100 withheld; 三.2 1; 三.3 3 (opened 2024-03-01, 305 days;
  over 210,000); 三.4 3 (3 ≤ s25 < 8, s1 ≥ 550,000); 三.5 3; 四.2 s1 2 + s3 2 + s10 2 + s11 2; 四.5 0
  (s27 = 50) → 18 → level 4; avg 1,700 with s25 5 → no flag.
* B: every PR 70 (od_teeth 75), s25 10 → nothing → 0, level 0.
"""

from __future__ import annotations

import csv

import pytest

from ._build import Data
from ._round2 import check_all, cli, level_of, score_run
from .test_round2_exclusions import build_e, expected_e

COLS = [
    "clinic_id",
    "quarter",
    "name",
    "region",
    "kind",
    "opened_on",
    "sessions_per_month",
    "outreach_sessions_year",
    "unimproved_after_agreement",
    "s1",
    "s2",
    "s3",
    "s5",
    "s7",
    "s8",
    "s9",
    "s10",
    "s11",
    "s12",
    "s14",
    "s17",
    "s19",
    "s20",
    "s21",
    "s23",
    "s25",
    "s27",
    "oral_exam",
    "avg_case_points",
    "od_teeth",
]
BACKGROUND = dict(
    s1="100000",
    s2="1000",
    s3="10",
    s5="0.5",
    s7="1.0",
    s8="0",
    s9="0",
    s10="0",
    s11="50",
    s12="",
    s14="",
    s17="",
    s19="0",
    s20="0",
    s21="0",
    s23="",
    s25="10",
    s27="10",
    oral_exam="0",
    avg_case_points="1000",
    od_teeth="50",
)
NAMED = {
    "I1": dict(s1="120000", s2="5000", s3="20", s5="0.6", s7="2.0", s9="5", s10="10", s11="90", s14="10"),
    "I2": dict(s1="130000", s2="4000", s3="20", s5="0.7", s7="1.9", s9="6", s10="12", s11="80", s14="20"),
    "I3": dict(s1="140000", s2="3000", s3="30", s5="0.8", s7="1.8", s9="7", s10="14", s11="70"),
    "I4": dict(s1="600000", s2="2000", s3="40", s5="0.9", s7="1.7", s9="8", s10="16", s11="60"),
    "I5": dict(s1="200000", s2="1500", s3="50", s5="1.0", s7="1.6", s9="9", s10="18", s11="55"),
    "I6": dict(s1="560000", s2="1200", s3="60", s5="1.1", s7="1.5", s9="10", s10="20", s11="99"),
}
for i, c in enumerate(NAMED, start=1):
    NAMED[c] |= dict(s21=str(i), oral_exam=str(10 * i), od_teeth="1" if c == "I6" else "60")
NAMED["I1"] |= dict(s23="50", s25="9")
NAMED["I2"] |= dict(s25="5", avg_case_points="1800")
NAMED["I3"] |= dict(s25="2", avg_case_points="1600")
NAMED["I4"] |= dict(s25="0.5", s27="60")
NAMED["I5"] |= dict(s25="0")
NAMED["I6"] |= dict(s25="5", s27="50", avg_case_points="1700")
CLINIC_FIELDS = {
    "I1": dict(outreach_sessions_year="13"),
    "I2": dict(outreach_sessions_year="1"),
    "I3": dict(unimproved_after_agreement="true"),
    "I5": dict(sessions_per_month="44"),
    "I6": dict(opened_on="2024-03-01"),
}
EXPECTED_IND = {
    "I1": {"r4_1": 8, "r4_2": 4, "r11": -2},
    "I2": {"r3_1": 1, "r3_4": 1, "r4_1": 6, "r4_2": 2, "r11": -1},
    "I3": {"r3_1": 3, "r3_2": 1, "r3_4": 1, "r3_5": 1, "r4_1": 6, "r6_4": 4},
    "I4": {"r3_1": 2, "r3_2": 1, "r3_4": 4, "r3_5": 1, "r4_1": 6, "r4_2": 2, "r4_5": 2},
    "I5": None,
    "I6": {"r3_2": 1, "r3_3": 3, "r3_4": 3, "r3_5": 3, "r4_2": 8},
} | {f"B{i:02d}": {} for i in range(1, 15)}
FLAGS_IND = {"I2": "reference", "I3": "reference"}


def write_indicator_table(path):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLS)
        w.writeheader()
        for c in [f"B{i:02d}" for i in range(1, 15)] + list(NAMED):
            row = dict(
                clinic_id=c,
                quarter="2024Q4",
                name=f"診所{c}",
                region="south",
                kind="clinic",
                opened_on="2010-01-01",
                sessions_per_month="20",
                outreach_sessions_year="0",
                unimproved_after_agreement="false",
            )
            row |= BACKGROUND | NAMED.get(c, {}) | CLINIC_FIELDS.get(c, {})
            w.writerow(row)
    return path


@pytest.fixture(scope="module")
def run_ind(tmp_path_factory):
    base = tmp_path_factory.mktemp("r2i")
    table = write_indicator_table(base / "indicators.csv")
    code, se, rows, _ = cli(
        ["dental", "score", "--indicators", str(table), "--quarter", "2024Q4"], base / "o.csv"
    )
    assert code == 0, se
    return rows


def test_indicator_table_by_hand(run_ind):
    """`--indicators FILE` with the contract's columns only: points per rule, totals, levels and
    flags as in the module docstring (PR bands, 十 withholding s5/s9 of I6, 九 for I5 kept in the
    populations, 十一, 十二, 六.4, 四.5, new clinic, s14/s23 populations of 2 and 1)."""
    assert set(run_ind) == set(EXPECTED_IND)
    assert check_all(run_ind, EXPECTED_IND, FLAGS_IND) == {}


def test_indicator_table_ranks(run_ind):
    """Percentile ranks of the hand-written table: named clinics 75…100 as in the table; background
    70; od_teeth I6 5, background 75; s14 I1 50, I2 100; s23 I1 100; nulls unranked."""
    got = {
        c: [run_ind[c][f"{k}_pr"] for k in ("s1", "s2", "s3", "s7", "s11", "od_teeth", "s14", "s23")]
        for c in ("B01", "I1", "I2", "I6")
    }
    assert got == {
        "B01": ["70", "70", "70", "70", "70", "75", "", ""],
        "I1": ["75", "100", "80", "100", "95", "100", "50", "100"],
        "I2": ["80", "95", "80", "95", "90", "100", "100", ""],
        "I6": ["95", "75", "100", "75", "100", "5", "", ""],
    }


# ---------------------------------------------------------------------------------------------
# Band edges at N = 100 (hand-written indicator table, light stage only): clinic k = 1…100 has
# value k on s1 s3 s5 s9 s10 s11 s14 s17 s21 s23 (PR k), 101 − k on s2 and oral_exam (PR 101 − k),
# rot(k) = ((k + 49) mod 100) + 1 on s7 (PR rot(k): k 1 → 51, 50 → 100, 51 → 1); od_teeth 1 for
# all (tie → PR 100, no 十); s25 10, s27 10, avg 1,000, 20 sessions → no absolute rule.
# Points(k): 三.1 5 if 85 ≤ k ≤ 94 (s3 s10 s11 s14 s23); 三.2 1 if k ≥ 85; 三.5 on 101 − k
# (85–94 → 1, 95–98 → 2, 99–100 → 3); 四.1 s5 on k, s2 on 101 − k, s7 on rot(k) (85–94 → 2, 95–99 →
# 3, 100 → 4); 四.2 2 × 8 (s1 s3 s9 s10 s11 s14 s17 s23) = 16 if k ≥ 95.
# Worked by hand: k 1: 三.5 3 + s2 4 = 7; k 2: 3 + 3 = 6; k 5 and 6: 2 + 3 = 5; k 7: 1 + 2 = 3;
# k 16: 1 + 2 = 3; k 17: 0; k 36: s7 86 → 2; k 45: s7 95 → 3; k 50: s7 100 → 4; k 84: 0;
# k 85 and 94: 5 + 1 + 2 = 8; k 95: 1 + 3 + 16 = 20; k 99: 20; k 100: 1 + 4 + 16 = 21.
# ---------------------------------------------------------------------------------------------

EDGE_TOTALS = {1: 7, 2: 6, 5: 5, 6: 5, 7: 3, 16: 3, 17: 0, 36: 2, 45: 3, 50: 4, 84: 0, 85: 8, 94: 8}
EDGE_TOTALS |= {95: 20, 99: 20, 100: 21}


def rot(k):
    return (k + 49) % 100 + 1


def band_key(p):
    return 4 if p == 100 else 3 if p >= 95 else 2 if p >= 85 else 0


def band_oral(p):
    return 3 if p >= 99 else 2 if p >= 95 else 1 if p >= 85 else 0


def edge_rules(k):
    return {
        "r3_1": 5 if 85 <= k <= 94 else 0,
        "r3_2": 1 if k >= 85 else 0,
        "r3_5": band_oral(101 - k),
        "r4_1": band_key(k) + band_key(101 - k) + band_key(rot(k)),
        "r4_2": 16 if k >= 95 else 0,
    }


@pytest.fixture(scope="module")
def run_edges(tmp_path_factory):
    base = tmp_path_factory.mktemp("r2edge")
    path = base / "edges.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLS)
        w.writeheader()
        for k in range(1, 101):
            row = dict(
                clinic_id=f"E{k:03d}",
                quarter="2024Q4",
                name=f"診所E{k:03d}",
                region="south",
                kind="clinic",
                opened_on="2010-01-01",
                sessions_per_month="20",
                outreach_sessions_year="0",
                unimproved_after_agreement="false",
            )
            row |= BACKGROUND | {n: str(k) for n in ("s1", "s3", "s5", "s9", "s10", "s11", "s14", "s17")}
            row |= {n: str(k) for n in ("s21", "s23")}
            row |= dict(s2=str(101 - k), oral_exam=str(101 - k), s7=str(rot(k)), od_teeth="1")
            w.writerow(row)
    code, se, rows, _ = cli(
        ["dental", "score", "--indicators", str(path), "--quarter", "2024Q4"], base / "o.csv"
    )
    assert code == 0, se
    return rows


def test_band_edges_n100_worked_totals(run_edges):
    """PR bands at their edges (N = 100): 三.1/三.2 at 84/85/94/95, 三.5 at 94/95/98/99, 四.1 at
    84/85/94/95/99/100, 四.2 at 94/95 — the worked totals and levels above."""
    got = {k: (run_edges[f"E{k:03d}"]["points"], run_edges[f"E{k:03d}"]["level"]) for k in EDGE_TOTALS}
    assert got == {k: (str(t), str(level_of(t))) for k, t in EDGE_TOTALS.items()}


def test_band_edges_n100_every_rule(run_edges):
    """Every rule column of the 100 clinics equals points(k) above."""
    assert check_all(run_edges, {f"E{k:03d}": edge_rules(k) for k in range(1, 101)}) == {}


# ---------------------------------------------------------------------------------------------
# CSV vs Parquet, 113Q4, and the engine's own indicator table (dataset E of test_round2_exclusions,
# whose rows are checked by hand there; the cross-region dataset for 五.5 through the table).
# ---------------------------------------------------------------------------------------------

ALL = ("claims", "clinics", "doctors", "clinic_quarter")


@pytest.fixture(scope="module")
def e_dirs(tmp_path_factory):
    base = tmp_path_factory.mktemp("r2io")
    d: Data = build_e()
    return d.write(base / "csv"), d.write(base / "pq", parquet=ALL), base


@pytest.fixture(scope="module")
def e_csv(e_dirs):
    rows, _ = score_run(e_dirs[0], e_dirs[2] / "csv.csv")
    return rows


@pytest.fixture(scope="module")
def e_parquet(e_dirs):
    rows, _ = score_run(e_dirs[1], e_dirs[2] / "pq.csv")
    return rows


def test_parquet_input_by_hand(e_parquet):
    """Inputs: the four files as Parquet (dates as DATE, booleans as BOOLEAN, ints as INT64) give
    dataset E's hand-computed rows."""
    exp, flags = expected_e()
    assert check_all(e_parquet, exp, flags) == {}


def test_csv_and_parquet_same_output(e_csv, e_parquet):
    """Inputs: "Files are Parquet or CSV" — the same data gives identical output rows (every column)."""
    assert e_csv == e_parquet


def test_roc_quarter_113q4(e_dirs, e_csv):
    """`--quarter 113Q4` (ROC year 113 = 2024) scores 2024Q4: same rows except possibly the label."""
    rows, _ = score_run(e_dirs[0], e_dirs[2] / "roc.csv", "113Q4")

    def strip(rs):
        return {c: {k: v for k, v in r.items() if k != "quarter"} for c, r in rs.items()}

    assert strip(rows) == strip(e_csv)


def build_rt() -> Data:
    """Round-trip data: north doctor YR — Oct K1 150,001 → T 150,001 → 4 to K1; Nov K1 60,000 +
    K2 40,001 = 100,001 → 3 to K1 and K2 (K1 7, K2 3); K3 a south clinic with an exam, an OD line
    and a scaling line; K4 has an extraction with an earlier line (s17)."""
    d = Data()
    for c in ("K1", "K2", "K3", "K4"):
        d.clinic(c)
    d.doctor("YR", "north")
    d.claim("K1", "YR", "PK1a", "2024-10-10", [("01271C", 150_001)])
    d.claim("K1", "YR", "PK1b", "2024-11-10", [("01271C", 60_000)])
    d.claim("K2", "YR", "PK2", "2024-11-12", [("90015C", 1_000), ("01271C", 39_001)])
    d.claim("K3", "DK3", "PK3", "2024-11-05", [("00121C", 300), ("89001C", 700, "11", 2), ("91004C", 600)])
    d.claim("K4", "DK4", "PK4", "2024-11-05", [("92014C", 900, "38")])
    d.claim("K4", "DK4", "PK4", "2024-10-05", [("01271C", 400, "38")])
    return d


@pytest.fixture(scope="module")
def rt_dir(tmp_path_factory):
    base = tmp_path_factory.mktemp("r2rt")
    return build_rt().write(base / "data"), base


def test_engine_indicator_table_round_trip(rt_dir):
    """`pingjian dental indicators` then `score --indicators` gives the same output rows (rule
    points, totals, levels, flags, values and PRs) as `score --data` on the same claims, 五.5
    included (K1 4 + 3 = 7, K2 3 by hand)."""
    data, base = rt_dir
    code, se, _, _ = cli(
        ["dental", "indicators", "--data", str(data), "--quarter", "2024Q4"], base / "ind.csv"
    )
    assert code == 0, se
    code, se, from_ind, _ = cli(
        ["dental", "score", "--indicators", str(base / "ind.csv"), "--quarter", "2024Q4"], base / "o_ind.csv"
    )
    assert code == 0, se
    from_data, _ = score_run(data, base / "o_data.csv")
    assert [from_data[c]["r5_5"] for c in ("K1", "K2", "K3", "K4")] == ["7", "3", "0", "0"]
    assert from_ind == from_data
