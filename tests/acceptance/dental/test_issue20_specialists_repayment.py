"""Seed 004 十三, 十四, 七, 十五 and 八 (issue 20), by hand, through `pingjian dental score` on DuckDB
and Spark: points (五.5/六.5), the optional actions and specialists outputs, and the explanation.

4 fillers (see `_round2`) + plain south clinics: a plain clinic earns only 三.4 (s1 < 350,000 and
s25 = 0 → 1) and 五.5/六.5. Each plain clinic's cross-region doctor (home north, `specialist`
left empty: the claims decide) claims 1,000 cases of 110 points in October 2024 (T = 110,000 →
3 if a general supporting doctor), one case with the 90012C line of a plain clinic:

* CA, YA: 700 of 1,000 cases have a 92001C line (OS) → 70.0 % ≥ 70 % (十三); CA applied for OS in
  2024-10 (十四) → specialist, not counted → 五.5 0.
* CB, YB: 699 of 1,000 → 69.9 % < 70 %; CB applied → the application fails 十三, YB is a general
  supporting doctor → 五.5 3, with the reason in the trace.
* CC, YP: 700 cases of patients aged 14 at the visit (Pedo ≤ 14) → 70 %; CC applied for Pedo →
  specialist → 0.
* CD, YQ: the same with patients aged 15 → Pedo 0 % → the application fails → 3.
* CE, YR: 1,000 cases of 210 points in October 2024 → T 210,000 → 六.5 4; above 200,000 but
  before 114/1 → 七 does not apply ("not_applicable"); CE's recorded refusal of a repayment is
  then 十五's (不配合本要點), not 七's → referred to the abnormal-case group.
* CF: a south doctor only (10,000 points); a recorded refusal of an interview → 十五 referral.
* 2025Q1: CH, YT: 1,000 cases of 210 points in January 2025 → T 210,000 → 4; 七 applies →
  flagged 自動繳回; CH refused it → referred (七: 拒絕者送異常組).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ._build import Data, run
from ._round2 import FILLER_RULES, X, check_all, cq_row, filler

FILLERS = ("F1", "F2", "F3", "F4")
ENGINES = ["duckdb", pytest.param("spark", marks=[pytest.mark.spark, pytest.mark.slow])]


def _doctor_month(d: Data, clinic: str, doctor: str, date: str, per_case: int, special: int, **kw):
    """1,000 cases of `per_case` points of `doctor` at `clinic` on `date`, each a new patient; the
    first `special` cases are the specialty's (`code` line, or a patient born `child_birth`)."""
    code = kw.get("code")
    child_birth = kw.get("child_birth")
    for i in range(1000):
        patient = f"P-{clinic}-{doctor}-{date}-{i}"
        if i < special and code:
            d.claim(clinic, doctor, patient, date, [(code, per_case)])
        elif i < special:
            d.claim(clinic, doctor, patient, date, [("01271C", per_case)], birth=child_birth)
        elif i == 999:
            d.claim(clinic, doctor, patient, date, [("01271C", per_case - X[1]), X])
        else:
            d.claim(clinic, doctor, patient, date, [("01271C", per_case)])


def build() -> Data:
    d = Data()
    for f in FILLERS:
        filler(d, f, dates=("2024-11-05", "2025-02-05"), cq_quarters=("2024Q4", "2025Q1"))
    for c in ("CA", "CB", "CC", "CD", "CE", "CF", "CH"):
        d.clinic(c)
        cq_row(d, c, "2025Q1")
    for doc in ("YA", "YB", "YP", "YQ", "YR", "YT"):
        d.doctor(doc, "north")
        d.doctors[doc]["specialist"] = ""  # 認定 not given: 十三/十四 from the claims
    _doctor_month(d, "CA", "YA", "2024-10-15", 110, 700, code="92001C")
    _doctor_month(d, "CB", "YB", "2024-10-15", 110, 699, code="92001C")
    _doctor_month(d, "CC", "YP", "2024-10-15", 110, 700, child_birth="2010-10-15")  # 14 on the day
    _doctor_month(d, "CD", "YQ", "2024-10-15", 110, 700, child_birth="2009-10-15")  # 15 on the day
    _doctor_month(d, "CE", "YR", "2024-10-15", 210, 0)
    d.block("CF", "DCF", 10_000, date="2024-10-15", first=[X])
    _doctor_month(d, "CH", "YT", "2025-01-15", 210, 0)
    return d


APPLICATIONS = [
    dict(clinic_id="CA", doctor_id="YA", month="2024-10", specialty="os", declared_percent="70"),
    dict(clinic_id="CB", doctor_id="YB", month="2024-10", specialty="os", declared_percent="70"),
    dict(clinic_id="CC", doctor_id="YP", month="2024-10", specialty="pedo", declared_percent="70"),
    dict(clinic_id="CD", doctor_id="YQ", month="2024-10", specialty="pedo", declared_percent="72.5"),
]
REFUSALS = [
    dict(clinic_id="CE", quarter="2024Q4", refused="repayment", doctor_id="YR", note=""),
    dict(clinic_id="CF", quarter="2024Q4", refused="interview", doctor_id="", note="拒絕公會約談"),
    dict(clinic_id="CH", quarter="2025Q1", refused="repayment", doctor_id="YT", note=""),
]


def _write(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def _read(path: Path) -> dict[str, dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {r.get("clinic_id") or r["doctor_id"]: r for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("issue20")
    build().write(base / "data")
    _write(base / "applications.csv", APPLICATIONS)
    _write(base / "refusals.csv", REFUSALS)
    return base


def _score(folder: Path, quarter: str, engine: str, tag: str):
    out = folder / f"{tag}-{engine}-{quarter}.csv"
    r = run(
        [
            "dental", "score", "--data", str(folder / "data"), "--quarter", quarter, "--engine", engine,
            "--applications", str(folder / "applications.csv"), "--refusals", str(folder / "refusals.csv"),
            "--actions", str(out.with_suffix(".actions.csv")),
            "--specialists", str(out.with_suffix(".doctors.csv")),
        ],
        out,
    )  # fmt: skip
    assert r.code == 0, r.stderr
    return r.rows, _read(out.with_suffix(".actions.csv")), _read(out.with_suffix(".doctors.csv"))


@pytest.mark.parametrize("engine", ENGINES)
def test_specialists_applications_repayment_and_referrals_2024q4(folder, engine):
    rows, actions, doctors = _score(folder, "2024Q4", engine, "q4")
    expected = {
        c: {"r3_4": 1, "r5_5": p} for c, p in {"CA": 0, "CB": 3, "CC": 0, "CD": 3, "CE": 4, "CF": 0}.items()
    }
    for f in FILLERS:
        expected[f] = dict(FILLER_RULES)
    assert check_all(rows, expected, {f: "reference" for f in FILLERS}) == {}
    # the score table keeps the contract's columns: no column of 七/十三–十五 in it
    assert not {"auto_repayment", "abnormal_group", "specialist"} & set(rows["CA"])

    # 十三 per doctor and quarter (seed 004 十三: ≥ 70 %, Pedo ≤ 14 歲)
    assert (doctors["YA"]["share_os"], doctors["YA"]["specialist"], doctors["YA"]["specialty"]) == (
        "70",
        "true",
        "os",
    )
    assert (doctors["YB"]["share_os"], doctors["YB"]["specialist"], doctors["YB"]["specialty"]) == (
        "69.900000",
        "false",
        "",
    )
    assert (doctors["YP"]["share_pedo"], doctors["YP"]["specialty"]) == ("70", "pedo")
    assert (doctors["YQ"]["share_pedo"], doctors["YQ"]["specialty"]) == ("0", "")

    # 十四: the decision and its reason
    assert actions["CA"]["cross_region_specialists"].startswith(
        "YA 2024-10 specialist: 十四：申請 口腔顎顏面外科 OS"
    )
    assert "YB 2024-10 general" in actions["CB"]["cross_region_specialists"]
    assert "69.9% < 70%，不符十三，取消認定，視為一般支援醫師" in actions["CB"]["cross_region_specialists"]
    assert "YP 2024-10 specialist" in actions["CC"]["cross_region_specialists"]
    assert "YQ 2024-10 general" in actions["CD"]["cross_region_specialists"]

    # 七 before 114/1: found, not applied; 十五 referrals
    assert (actions["CE"]["auto_repayment"], actions["CE"]["auto_repayment_doctor_months"]) == (
        "not_applicable",
        "YR 2024-10 210000",
    )
    assert actions["CA"]["auto_repayment"] == "" and actions["CA"]["abnormal_group"] == "false"
    assert actions["CE"]["abnormal_group"] == "true"
    assert actions["CE"]["abnormal_group_reasons"] == "十五：不配合本要點（拒絕自動繳回），移交異常組"
    assert actions["CF"]["abnormal_group_reasons"] == "十五：不配合本要點（拒絕約談），移交異常組"
    # 八: each level's action in full
    assert actions["F1"]["level"] == "5" and actions["F1"]["level_action"] == "移送異常組"
    assert actions["CB"]["level"] == "1" and actions["CB"]["level_action"] == "口頭告知改善"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_2025q1_doctor_over_200000_points_is_flagged_for_repayment_and_a_refusal_referred(folder, engine):
    rows, actions, _doctors = _score(folder, "2025Q1", engine, "q1")
    expected = {"CH": {"r3_4": 1, "r5_5": 4}, **{f: dict(FILLER_RULES) for f in FILLERS}}
    assert check_all(rows, expected, {f: "reference" for f in FILLERS}) == {}
    assert set(rows) == {"CH", *FILLERS}
    a = actions["CH"]
    assert (a["auto_repayment"], a["auto_repayment_doctor_months"]) == ("flagged", "YT 2025-01 210000")
    assert (a["abnormal_group"], a["abnormal_group_reasons"]) == ("true", "七：拒絕自動繳回，送異常組輔導")


def _explain(args: list[str]) -> str:
    from click.testing import CliRunner

    from pingjian.cli import main

    r = CliRunner().invoke(main, ["dental", "explain", *args], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def test_the_explanation_gives_the_reasons_of_14_7_and_15(folder):
    common = ["--data", str(folder / "data"), "--applications", str(folder / "applications.csv")]
    common += ["--refusals", str(folder / "refusals.csv")]
    cb = _explain(["CB", "--quarter", "2024Q4", *common])
    assert "rule_14" in cb and "69.9% < 70%" in cb and "視為一般支援醫師" in cb
    assert "r5_5" in cb  # YB's October counted as general support
    ce = _explain(["CE", "--quarter", "2024Q4", *common])
    assert "七 不適用 not applicable（2025-01 起適用）" in ce and "YR 2024-10 210000" in ce
    assert "移交異常組" in ce
    ch = _explain(["CH", "--quarter", "2025Q1", *common])
    assert "七 自動繳回 auto repayment：YT 2025-01 210000 點" in ch
    assert "七：拒絕自動繳回，送異常組輔導" in ch


def test_a_level_4_action_is_given_in_full_seed_8():
    from pingjian.rules.dental_program import load_dental_program

    actions = {lv.level: lv.action for lv in load_dental_program().levels}
    assert actions[4] == "公會約談協商自動繳回，並列紅單，視情況檢附相關照片"
    assert actions[3] == "公會約談改善，或協商自動繳回並列紅單"
