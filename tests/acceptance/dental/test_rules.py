"""Dataset B — absolute rules (三.3/四.3/五.2/六.2, 三.4 grid, 四.5, 五.5/六.5, 六.4, 九, 十一, 十二),
readings 1, 2, 3, 5, 6, 14, 15, 17, 19, and the parameters `new_clinic_cap` / `oral_exam_codes`.

Design (all by hand from the contract):
* 10 "filler" clinics F01–F10 sit strictly above every other clinic on s1, s2, s3, s5, s11 and
  oral_exam, so the 53 other south clinics never reach PR 85 on a ranked indicator
  (N = 63: at most floor(100·53/63) = 84) and earn only the absolute rules.
  Filler: one adult patient, claim 1 = 00121C 1,000 + 89001C (tooth 11, 1 surface) 1,000,
  claim 2 = 01271C 1,998,000 (2024-11-05) → s1 = s2 = 2,000,000, s3 = 0.05, s5 = s7 = 1,
  s9 = s10 = s21 = 0 (only fillers have OD → population of 10, all PR 100), s11 = 100,
  oral_exam = 50, s25 = 0, avg = 1,000,000 → flag reference;
  points: 三.2 1, 三.4 4 (s25 < 1, s1 ≥ 550k), 三.5 3, 四.1 4+4+4, 四.2 s1 s3 s9 s10 s11 = 10 → 30.
* Every other clinic: cases of new adult patients, 01271C lines of ≤ 1,400 points (avg < 1,500),
  one 90012C line of 100 points (ENDO for s11 so s11 < 100, not in s25 — reading 18); s25 comes
  from 90015C lines where given. s1 = its single doctor's points in the month = S.
"""

from __future__ import annotations

import pytest

from ._build import Data, expect_row, score

X = ("90012C", 100)


def build() -> tuple[Data, dict, dict]:
    d = Data()
    exp: dict[str, dict] = {}  # default run: clinic → rules
    exp_param: dict[str, dict] = {}  # overrides for the run with new_clinic_cap=300000 + 00122C
    flags: dict[str, str] = {}

    for i in range(1, 11):
        c = f"F{i:02d}"
        d.clinic(c)
        d.claim(c, f"DF{i:02d}", f"PF{i:02d}", "2024-11-05", [("00121C", 1000), ("89001C", 1000, "11", 1)])
        d.claim(c, f"DF{i:02d}", f"PF{i:02d}", "2024-11-05", [("01271C", 1_998_000)])
        exp[c] = {"r3_2": 1, "r3_4": 4, "r3_5": 3, "r4_1": 12, "r4_2": 10}
        exp_param[c] = {**exp[c], "r3_5": 2}  # E1 above them: count 62/63 → PR 98 → 2
        flags[c] = "reference"

    def nf(c, S, E=0, doctor=None, n=None, per_case=1400, scaling=0, **clinic_kw):
        d.clinic(c, **clinic_kw)
        first = [X] + ([("90015C", E)] if E else [])
        d.block(c, doctor or f"D{c}", S, first=first, n=n, per_case=per_case, scaling=scaling)

    # 三.4/四.4/五.3/六.3 grid (s25 %, s1)
    grid = {
        "G01": (349_999, 0, 1),
        "G02": (350_000, 0, 0),
        "G03": (350_001, 0, 3),
        "G04": (350_000, 10_500, 2),
        "G05": (550_000, 16_500, 3),
        "G06": (550_000, 0, 4),
        "G07": (400_000, 4_000, 3),
        "G08": (400_000, 32_000, 0),
        "G09": (300_000, 23_999, 1),
        "G10": (549_999, 5_499, 3),
        "G11": (560_000, 5_600, 3),
    }
    for c, (S, E, pts) in grid.items():
        nf(c, S, E)
        exp[c] = {"r3_4": pts}

    # new clinics: (opened_on, S, r3_3 cap 350k, r3_3 cap 300k, grid)
    new = {
        "N1": ("2024-01-02", 350_001, 1, 2, 3),
        "N2": ("2024-01-01", 600_000, 0, 0, 4),
        "N3": ("2024-06-01", 399_999, 1, 2, 3),
        "N4": ("2024-06-01", 400_000, 2, 2, 3),
        "N5": ("2024-06-01", 499_999, 2, 3, 3),
        "N6": ("2024-06-01", 500_000, 3, 3, 3),
        "N7": ("2024-06-01", 600_000, 4, 4, 4),
        "N8": ("2024-06-01", 350_000, 0, 2, 0),
    }
    for c, (opened, S, p350, p300, g) in new.items():
        nf(c, S, opened=opened, kind="hospital" if c == "N2" else "clinic")
        exp[c] = {"r3_3": p350, "r3_4": g}
        exp_param[c] = {"r3_3": p300, "r3_4": g}

    # 四.5: 400 cases, scaling cases 201 / 200; s14 = 0 for the three → tie, population of 3 → PR 100
    nf("W1", 550_000, n=400, scaling=201)
    nf("W2", 550_000, n=400, scaling=200)
    nf("W3", 549_999, n=400, scaling=201)
    exp["W1"] = {"r4_5": 2, "r3_4": 4, "r4_2": 2}
    exp["W2"] = {"r4_5": 0, "r3_4": 4, "r4_2": 2}
    exp["W3"] = {"r4_5": 0, "r3_4": 3, "r4_2": 2}

    # 九
    nf("X1", 200_000, sessions=44.0)
    nf("X2", 200_000, sessions=43.9)
    nf("X3", 200_001, sessions=44.0)
    exp["X1"] = None
    exp["X2"] = {"r3_4": 1}
    exp["X3"] = {"r3_4": 1}

    # 十一
    nf("O1", 100_000, outreach=1)
    nf("O12", 350_001, outreach=12)
    nf("O13", 550_000, outreach=13)
    nf("O13b", 350_000, outreach=13)
    exp["O1"] = {"r3_4": 1, "r11": -1}
    exp["O12"] = {"r3_4": 3, "r11": -1}
    exp["O13"] = {"r3_4": 4, "r11": -2}
    exp["O13b"] = {"r3_4": 0, "r11": -2}

    # 六.4
    nf("U1", 100_000, unimproved=True)
    exp["U1"] = {"r3_4": 1, "r6_4": 4}

    # 十二 (100 cases each)
    nf("R1", 180_000, n=100)  # avg 1800 → reference
    nf("R2", 179_900, E=5_397, n=100)  # avg 1799, s25 = 3.000 → none
    nf("R3", 150_000, E=2_999, n=100)  # avg 1500, s25 = 1.9993 < 3 → reference
    nf("R4", 149_999, n=100)  # avg 1499.99 → none
    for c in ("R1", "R2", "R3", "R4"):
        exp[c] = {"r3_4": 1}
    flags["R1"] = flags["R3"] = "reference"

    # reading 17: only a 2024Q3 clinic_quarter row (sessions 50, outreach 13, unimproved) → ignored
    nf("M1", 100_000, sessions=50.0, outreach=13, unimproved=True, cq_quarter="2024Q3")
    exp["M1"] = {"r3_4": 1}

    # oral_exam_codes: two adult 00122C cases + one plain case
    d.clinic("E1")
    d.claim("E1", "DE1", "PE1a", "2024-10-15", [("00122C", 1000)])
    d.claim("E1", "DE1", "PE1b", "2024-10-15", [("00122C", 1000)])
    d.claim("E1", "DE1", "PE1c", "2024-10-15", [X, ("01271C", 1000)])
    exp["E1"] = {"r3_4": 1}
    exp_param["E1"] = {"r3_4": 1, "r3_5": 3}  # 66.7 % > fillers' 50 % → PR 100

    # 五.5 / 六.5 cross-region support (doctor homes: north/east; XR4 specialist; XR5 south)
    d.doctor("XR1", "north")
    d.doctor("XR2", "north")
    d.doctor("XR3", "east")
    d.doctor("XR4", "north", True)
    d.doctor("XR5", "south")
    d.doctor("XR6", "north")
    for k in (7, 8, 9, 10, 11, 12, 13, 14):
        d.doctor(f"XR{k}", "north")
    d.clinic("NORTH1", region="north")
    d.clinic("C1")
    d.block("C1", "XR1", 100_000, first=[X])  # T = 100,000 → 0
    d.clinic("C2")  # T = 100,001 claimed, incl. P7101C 500, P3601C 400, child exam 600 → 3
    d.claim("C2", "XR2", "PC2child", "2024-10-10", [("00121C", 600)], birth="2015-03-01")
    d.block("C2", "XR2", 100_001 - 600, date="2024-10-10", first=[X, ("P7101C", 500), ("P3601C", 400)])
    d.clinic("C3")
    d.block("C3", "XR3", 100_000, first=[X])  # XR3 T = 150,001 → 4 to C3 and C4
    d.clinic("C4")
    d.block("C4", "XR3", 50_001, first=[X])
    d.clinic("C5")
    d.block("C5", "XR4", 200_000, first=[X])
    d.block("C5", "XR5", 200_000)
    d.clinic("C6")
    d.block("C6", "XR6", 100_000, first=[X])  # + 50,000 at NORTH1: not in T
    d.block("NORTH1", "XR6", 50_000)
    d.clinic("C7")  # 3 + 3 + 3 (XR7 Oct/Nov/Dec) + 3 (XR8) = 12 → cap 9
    d.block("C7", "XR7", 100_001, date="2024-10-10", first=[X])
    d.block("C7", "XR7", 100_001, date="2024-11-10")
    d.block("C7", "XR7", 100_001, date="2024-12-10")
    d.block("C7", "XR8", 100_001, date="2024-10-11")
    d.clinic("C8")  # 4 + 4 + 4 (XR9) + 3 (XR10) = 15 → cap 12
    d.block("C8", "XR9", 150_001, date="2024-10-10", first=[X])
    d.block("C8", "XR9", 150_001, date="2024-11-10")
    d.block("C8", "XR9", 150_001, date="2024-12-10")
    d.block("C8", "XR10", 100_001, date="2024-10-11")
    d.clinic("C9")  # 4 (XR11) + 3 (XR12) = 7
    d.block("C9", "XR11", 150_001, date="2024-10-10", first=[X])
    d.block("C9", "XR12", 100_001, date="2024-11-10")
    d.clinic("C10")
    d.block("C10", "XR13", 150_000, first=[X])  # T = 150,000 → 3
    d.clinic("C11")
    d.block("C11", "XR14", 80_000, date="2024-10-10", first=[X])
    d.clinic("C12")
    d.block("C12", "XR14", 20_001, date="2024-10-20", first=[X])
    d.clinic("C13")
    d.block("C13", "XR14", 1_000, date="2024-11-20", first=[X])  # Nov: T = 1,000
    cross = {
        "C1": 0,
        "C2": 3,
        "C3": 4,
        "C4": 4,
        "C5": 0,
        "C6": 0,
        "C7": 9,
        "C8": 12,
        "C9": 4 + 3,
        "C10": 3,
        "C11": 3,
        "C12": 3,
        "C13": 0,
    }
    for c, pts in cross.items():
        exp[c] = {"r3_4": 1, "r5_5": pts}  # every s1 here < 350,000 with s25 = 0

    # levels 9 / 15 / 16 / 19 (cross-region 4s per month, grid, 六.4)
    for c, doc, first_S, unimproved, rules in (
        ("L9", "XR15", 150_001, True, {"r3_4": 1, "r5_5": 4, "r6_4": 4}),
        ("L15", "XR16", 350_001, False, {"r3_4": 3, "r5_5": 12}),
        ("L16", "XR17", 550_000, False, {"r3_4": 4, "r5_5": 12}),
        ("L19", "XR18", 350_001, True, {"r3_4": 3, "r5_5": 12, "r6_4": 4}),
    ):
        d.doctor(doc, "north")
        d.clinic(c, unimproved=unimproved)
        d.block(c, doc, first_S, date="2024-10-10", first=[X])
        if c != "L9":
            d.block(c, doc, 150_001, date="2024-11-10")
            d.block(c, doc, 150_001, date="2024-12-10")
        exp[c] = rules

    # reading 19: a south clinic with lines only in 2024Q3
    d.clinic("Z1")
    d.block("Z1", "DZ1", 10_000, date="2024-09-10", first=[X])
    return d, exp, exp_param, flags


FILLERS = {f"F{i:02d}" for i in range(1, 11)}


@pytest.fixture(scope="module")
def data_b(tmp_path_factory):
    d, exp, exp_param, flags = build()
    base = tmp_path_factory.mktemp("dsB")
    return d.write(base / "data", parquet=("clinics", "doctors")), exp, exp_param, flags, base


@pytest.fixture(scope="module")
def run_b(data_b):
    path, *_, base = data_b
    res = score(path, base / "out.csv")
    assert res.code == 0, res.stderr
    return res


@pytest.fixture(scope="module")
def run_b_param(data_b):
    path, *_, base = data_b
    res = score(
        path,
        base / "out_param.csv",
        "--param",
        "new_clinic_cap=300000",
        "--param",
        "oral_exam_codes=00121C,00122C",
    )
    assert res.code == 0, res.stderr
    return res


def check(res, exp, flags, only=None):
    bad = {}
    for c, rules in exp.items():
        if only and c not in only:
            continue
        if c not in res.rows:
            bad[c] = "missing"
            continue
        got, want = expect_row(res.rows[c], rules or {}, flags.get(c, ""), excluded=rules is None)
        if got != want:
            bad[c] = {k: (got[k], want[k]) for k in want if got[k] != want[k]}
    return bad


def test_scored_clinics_reading_19(run_b, data_b):
    """Reading 19 / Output: exactly the south clinics with a line in Q (63); Z1 (only 2024Q3
    lines) and NORTH1 (other region) are not in the output; Z1 is named in a warning."""
    exp = data_b[1]
    assert set(run_b.rows) == set(exp)
    assert "Z1" in run_b.stderr


def test_fillers(run_b, data_b):
    """Rules 三.2, 三.4, 三.5, 四.1, 四.2 on the filler clinics; 十二 avg ≥ 1,800 flag keeps
    points (reading 2)."""
    assert check(run_b, data_b[1], data_b[3], FILLERS) == {}


def test_grid_s25_s1(run_b, data_b):
    """三.4/四.4/五.3/六.3: one outcome per clinic; s1 exactly 350,000 with s25 < 1 earns nothing
    (G02); s25 exactly 3 with 350k ≤ s1 < 550k → 2; 8 % → nothing; 1 % → 3; 0.9998 % → 3."""
    assert check(run_b, data_b[1], data_b[3], {c for c in data_b[1] if c.startswith("G")}) == {}


def test_new_clinic_bands(run_b, data_b):
    """三.3/四.3/五.2/六.2 + reading 14: 364 days new, 365 not; over 1 / 49,999 → 1, 50,000 /
    149,999 → 2, 150,000 → 3, 250,000 → 4, over 0 → 0 (N8 also level 0); N2 is a hospital."""
    assert check(run_b, data_b[1], data_b[3], {c for c in data_b[1] if c.startswith("N")}) == {}


def test_new_clinic_cap_param(run_b_param, data_b):
    """`--param new_clinic_cap=300000`: N1 over 50,001 → 2, N3 99,999 → 2, N4 → 2, N5 199,999 → 3,
    N6 200,000 → 3, N7 300,000 → 4, N8 50,000 → 2; N2 (365 days) still nothing."""
    assert check(run_b_param, data_b[2], data_b[3], {c for c in data_b[2] if c.startswith("N")}) == {}


def test_oral_exam_codes_param(run_b_param, run_b, data_b):
    """`--param oral_exam_codes=00121C,00122C`: E1's two 00122C cases of 3 become exams (66.67 %):
    PR 100 → 三.5 3; the fillers (50 %) drop to PR floor(100·58/59) = 98 → 2. Default: E1 0 %."""
    assert run_b.rows["E1"]["oral_exam"] not in ("",) and float(run_b.rows["E1"]["oral_exam"]) == 0
    assert abs(float(run_b_param.rows["E1"]["oral_exam"]) - 200 / 3) < 1e-4
    assert (run_b_param.rows["E1"]["oral_exam_pr"], run_b_param.rows["F01"]["oral_exam_pr"]) == ("100", "98")
    assert check(run_b_param, data_b[2], data_b[3], {"E1", *FILLERS}) == {}
    assert check(run_b, data_b[1], data_b[3], {"E1"}) == {}


def test_scaling_ratio_4_5(run_b, data_b):
    """四.5: s27 > 50 and s1 ≥ 550,000 → 2 (W1: 201/400 = 50.25 %); exactly 50 % → 0 (W2);
    s1 549,999 → 0 (W3). s14 = 0 for the three, the only clinics with scaling → PR 100 → 四.2 2."""
    assert [run_b.rows[c]["s27"] for c in ("W1", "W2")] and abs(float(run_b.rows["W2"]["s27"]) - 50) < 1e-9
    assert check(run_b, data_b[1], data_b[3], {"W1", "W2", "W3"}) == {}


def test_exclusion_9_reading_5(run_b, data_b):
    """九 + reading 5: sessions 44 and s1 200,000 → excluded, empty points/level/rule columns,
    indicators/PRs still written; 43.9 sessions or s1 200,001 → scored."""
    r = run_b.rows["X1"]
    assert r["s1"] != "" and float(r["s1"]) == 200_000 and r["s1_pr"] != ""
    assert r["exclusion_reason"] != ""
    assert check(run_b, data_b[1], data_b[3], {"X1", "X2", "X3"}) == {}


def test_reading_1_populations_include_excluded(run_b):
    """Reading 1 (+19): populations hold every scored south clinic incl. the excluded X1 and the
    hospital N2: the 53 non-fillers all have od_teeth 0, s3 0, s5 0 → PR floor(100·53/63) = 84
    (83 if X1 were left out; Z1/NORTH1 must not count)."""
    bad = {}
    for c, r in run_b.rows.items():
        want = "100" if c in FILLERS else "84"
        for ind in ("od_teeth", "s3", "s5"):
            if r[f"{ind}_pr"] != want:
                bad[(c, ind)] = r[f"{ind}_pr"]
    assert bad == {}


def test_deductions_11_reading_6(run_b, data_b):
    """十一 + reading 6: outreach 1 → −1 (gross 1 → 0), 12 → −1 (3 → 2), 13 → −2 (4 → 2; 0 → 0);
    the rule column holds the nominal deduction; points never below 0."""
    assert check(run_b, data_b[1], data_b[3], {"O1", "O12", "O13", "O13b"}) == {}


def test_unimproved_6_4(run_b, data_b):
    """六.4: unimproved_after_agreement → 4 (U1 1 + 4 = 5 → level 2)."""
    assert check(run_b, data_b[1], data_b[3], {"U1"}) == {}


def test_reference_flag_12_reading_2(run_b, data_b):
    """十二 + reading 2: avg 1,800 → reference; 1,799 with s25 3.00 → none; 1,500 with s25 < 3 →
    reference; 1,499.99 → none. Flagged clinics keep points (1) and level (1)."""
    assert check(run_b, data_b[1], data_b[3], {"R1", "R2", "R3", "R4"}) == {}


def test_missing_clinic_quarter_reading_17(run_b, data_b):
    """Reading 17: M1 has only a 2024Q3 row (sessions 50, outreach 13, unimproved) → ignored;
    defaults sessions 0 / outreach 0 / unimproved false; named in a warning."""
    assert check(run_b, data_b[1], data_b[3], {"M1"}) == {}
    assert "M1" in run_b.stderr


def test_cross_region_support(run_b, data_b):
    """五.5/六.5 + readings 3 and 15: T = 100,000 → 0; 100,001 incl. special-fund, P3601C and a
    child's exam → 3; 150,001 over two clinics → 4 to each; specialist / home south → 0; lines at a
    north clinic not in T; 3+3+3+3 capped 9; 4+4+4+3 capped 12; 4+3 = 7; 150,000 → 3; the month
    decides ("claimed that month")."""
    assert check(run_b, data_b[1], data_b[3], {c for c in data_b[1] if c.startswith("C")}) == {}


def test_levels_9_15_16_19(run_b, data_b):
    """Levels (八): 9 → 2, 15 → 3, 16 → 4, 19 → 4 (others: 0, 1, 2, 3, 5 elsewhere)."""
    assert check(run_b, data_b[1], data_b[3], {"L9", "L15", "L16", "L19"}) == {}
    assert [run_b.rows[c]["level"] for c in ("L9", "L15", "L16", "L19")] == ["2", "3", "4", "4"]


def test_every_clinic_default_run(run_b, data_b):
    """Every clinic of dataset B: excluded, points, level, flags, rule columns."""
    assert check(run_b, data_b[1], data_b[3]) == {}


def test_output_format(run_b):
    """Output: `clinic_id, quarter, excluded, exclusion_reason, points, level, flags`, then the rule
    columns, then indicator value/PR pairs; booleans `true`/`false`; integers without decimals;
    other values with 6 decimals; PRs integers 0–100; null = empty cell."""
    import re

    h = run_b.header
    assert h[:7] == ["clinic_id", "quarter", "excluded", "exclusion_reason", "points", "level", "flags"]
    assert h[7:18] == ["r3_1", "r3_2", "r3_3", "r3_4", "r3_5", "r4_1", "r4_2", "r4_5", "r5_5", "r6_4", "r11"]
    num = re.compile(r"^-?\d+(\.\d{6})?$")
    bad = []
    for c, r in run_b.rows.items():
        assert r["excluded"] in ("true", "false")
        for col in h[18:]:
            v = r[col]
            if v == "":
                continue
            if col.endswith("_pr"):
                if not (v.isdigit() and 0 <= int(v) <= 100):
                    bad.append((c, col, v))
            elif not num.match(v):
                bad.append((c, col, v))
    assert bad == []
