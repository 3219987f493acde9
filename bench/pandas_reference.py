"""An independent pandas implementation of `dental-south-113`, written from the contract alone
(`../shared/docs/contracts/dental-south-113.md`), not from the engine's code.

It is two things at once:

- the benchmark baseline: a fair, vectorised pandas version, the best an analyst would write —
  strings become integer codes at load (Arrow dictionaries), tooth histories are one sort of
  integer keys plus a shift / searchsorted, no merge-then-filter on the look-back;
- an oracle: its score table must equal the engine's for every clinic and column
  (`tests/dental/test_generate_reference.py`, `bench/run.py`).

The heavy part (claims → integer numerators and denominators per clinic) is pandas/numpy; ranks,
points and levels are exact (`fractions.Fraction`, integer percentile ranks), as the contract asks.

    .venv/bin/python bench/pandas_reference.py DATA_DIR 2024Q4 --out scores.csv
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import re
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

# ---------------------------------------------------------------- contract defaults
SPECIAL_FUND = {"P7101C", "P7102C", "P7302C", "P7303C"}
RCT = {"90015C"}
RCF = {"90001C", "90002C", "90003C", "90016C", "90018C", "90019C", "90020C"}
ENDO_LIST = {"90009C", "90091C", "90092C", "90093C", "90094C", "90095C", "90096C", "90097C", "90098C"}
ENDO_9009X = {f"9009{i}C" for i in range(1, 9)}  # s23 numerator: 90091C–90098C
OTHER = {"90004C"}
DIFFICULT_EXTRACTION = {"92014C", "92015C", "92016C", "92063C"}
EXTRACTION = DIFFICULT_EXTRACTION | {"92013C"}
SCALING = {"91003C", "91004C"}
PERIO = {"P4001C", "P4002C", "P4003C"}
P3601 = "P3601C"

PERCENT = 100
# indicator id -> scale (100 for "percent" and "× 100")
INDICATORS = {
    "s1": 1,
    "s2": 1,
    "s3": PERCENT,
    "s5": 1,
    "s7": 1,
    "s8": PERCENT,
    "s9": PERCENT,
    "s10": PERCENT,
    "s11": PERCENT,
    "s12": PERCENT,
    "s14": PERCENT,
    "s17": 1,
    "s19": PERCENT,
    "s20": PERCENT,
    "s21": PERCENT,
    "s23": PERCENT,
    "s25": PERCENT,
    "s27": PERCENT,
    "oral_exam": PERCENT,
    "avg_case_points": 1,
    "od_teeth": 1,
}
RULES = ["r3_1", "r3_2", "r3_3", "r3_4", "r3_5", "r4_1", "r4_2", "r4_5", "r5_5", "r6_4", "r11"]


@dataclass
class Params:
    region: str = "south"
    new_clinic_cap: int = 350_000
    oral_exam_codes: tuple[str, ...] = ("00121C",)
    # 十四: a CSV of the clinics' applications (clinic_id, doctor_id, month YYYY-MM, specialty)
    applications: str | None = None


@dataclass
class Result:
    table: pd.DataFrame  # one row per scored clinic
    values: dict[str, dict[str, Fraction | None]]  # clinic -> indicator -> exact value
    ranks: dict[str, dict[str, int | None]]
    timings: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------- loading
def _quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    m = re.fullmatch(r"(\d{4})Q([1-4])", quarter)
    if not m:
        raise ValueError(f"bad quarter {quarter!r}")
    y, q = int(m[1]), int(m[2])
    start = dt.date(y, 3 * q - 2, 1)
    end = dt.date(y + 1, 1, 1) if q == 4 else dt.date(y, 3 * q + 1, 1)
    return start, end - dt.timedelta(days=1)


def _days(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _read(
    path_base: Path, name: str, columns: list[str] | None = None, dictionary: list[str] | None = None
) -> pa.Table:
    pqp = path_base / f"{name}.parquet"
    if pqp.exists():
        return pq.read_table(pqp, columns=columns, read_dictionary=dictionary)
    ids = {
        c: pa.string()
        for c in (
            "claim_id",
            "clinic_id",
            "doctor_id",
            "patient_id",
            "tooth",
            "order_code",
            "quarter",
            "region",
            "home_region",
            "kind",
            "name",
        )
    }
    options = pacsv.ConvertOptions(column_types=ids, strings_can_be_null=True)
    t = pacsv.read_csv(path_base / f"{name}.csv", convert_options=options)
    if columns:
        t = t.select(columns)
    for c in dictionary or []:
        t = t.set_column(t.schema.get_field_index(c), c, pc.dictionary_encode(t[c]))
    return t


def _codes(col: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    """A dictionary column as (int codes, dictionary) — one dictionary across chunks."""
    if isinstance(col, pa.ChunkedArray):
        if pa.types.is_dictionary(col.type):
            col = col.unify_dictionaries()
        arr = col.combine_chunks()
    else:
        arr = col
    if not pa.types.is_dictionary(arr.type):
        arr = pc.dictionary_encode(arr)
    codes = arr.indices.to_numpy(zero_copy_only=False)
    if arr.null_count:
        codes = np.where(arr.is_null().to_numpy(zero_copy_only=False), -1, codes)
    return codes.astype(np.int64), arr.dictionary.to_pylist()


def _date_days(col: pa.ChunkedArray) -> np.ndarray:
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        col = pc.cast(col, pa.date32())
    return pc.cast(col, pa.int32()).to_numpy().astype(np.int64)


def _unique(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values by sort + neighbour compare (NumPy 2.4's np.unique hashes and is ~100×
    slower than a sort on 12 M int64 keys here)."""
    s = np.sort(a)
    if len(s) == 0:
        return s
    return s[np.concatenate([[True], s[1:] != s[:-1]])]


# ---------------------------------------------------------------- the heavy stage
def measures(data_dir: str | Path, quarter: str, params: Params | None = None) -> tuple[pd.DataFrame, dict]:
    """Claims → one row per clinic of the region with integer numerators/denominators."""
    p = params or Params()
    d = Path(data_dir)
    qs, qe = _quarter_bounds(quarter)
    qs_d, qe_d = _days(qs), _days(qe)
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    clinics = _read(d, "clinics").to_pandas()
    doctors = _read(d, "doctors").to_pandas()
    cq = _read(d, "clinic_quarter").to_pandas()

    columns = [
        "claim_id",
        "clinic_id",
        "doctor_id",
        "patient_id",
        "birth_date",
        "visit_date",
        "order_code",
        "tooth",
        "surfaces",
        "points",
    ]
    claims = _read(
        d,
        "claims",
        columns,
        # few distinct values: Arrow dictionaries; patient_id (millions) is encoded once
        # after the read, which is 4× faster than unifying per-row-group dictionaries
        dictionary=["clinic_id", "doctor_id", "order_code", "tooth"],
    )
    date = _date_days(claims["visit_date"])
    clinic, clinic_names = _codes(claims["clinic_id"])
    patient, _ = _codes(claims["patient_id"])
    code, code_names = _codes(claims["order_code"])
    tooth_c, tooth_names = _codes(claims["tooth"])
    tooth_map = np.array([int(t) for t in tooth_names] + [-1], dtype=np.int64)
    tooth = tooth_map[tooth_c]  # -1 → last entry (-1)
    points = claims["points"].to_numpy().astype(np.int64)
    timings["load"] = time.perf_counter() - t0

    names = np.array(code_names, dtype=object)

    def flag(pred: Any) -> np.ndarray:
        return np.array([bool(pred(c)) for c in names], dtype=bool)[code]

    is_od = flag(lambda c: re.fullmatch(r"89\d{3}C", c))
    is_892 = flag(lambda c: re.fullmatch(r"892\d{2}C", c))
    is_fund = flag(lambda c: c in SPECIAL_FUND)
    is_exam = flag(lambda c: c in p.oral_exam_codes)
    is_endo = flag(lambda c: re.fullmatch(r"90\d{3}C", c))
    is_rct = flag(lambda c: c in RCT)
    is_rcf = flag(lambda c: c in RCF)
    is_9009x = flag(lambda c: c in ENDO_9009X)
    is_s25 = flag(lambda c: c in RCT | RCF | ENDO_LIST | OTHER | DIFFICULT_EXTRACTION)
    is_ext = flag(lambda c: c in EXTRACTION)
    is_scale = flag(lambda c: c in SCALING)
    is_perio = flag(lambda c: c in PERIO)
    is_p3601 = flag(lambda c: c == P3601)

    # points for point-based indicators: 892xx minus 400 (never below 0), P3601C 0, special fund 0
    qpts = points.copy()
    qpts[is_892] = np.maximum(points[is_892] - 400, 0)
    qpts[is_p3601] = 0

    # ---- the quarter, Q
    in_q = (date >= qs_d) & (date <= qe_d)
    qi = np.nonzero(in_q)[0]
    # age ≤ 12 in completed years at the visit, only where it matters (oral-exam lines)
    drop = is_fund[qi].copy()
    ex = qi[is_exam[qi]]
    if len(ex):
        birth = _date_days(claims["birth_date"].take(pa.array(ex)))
        v = pd.to_datetime(date[ex], unit="D")
        b = pd.to_datetime(birth, unit="D")
        age = v.year - b.year - ((v.month < b.month) | ((v.month == b.month) & (v.day < b.day)))
        child = np.asarray(age <= 12)
        drop[np.searchsorted(qi, ex[child])] = True
    qi = qi[~drop]
    claim_q, _ = _codes(claims["claim_id"].take(pa.array(qi)).combine_chunks().dictionary_encode())
    doctor_q, _ = _codes(claims["doctor_id"].take(pa.array(qi)))
    surfaces_q = claims["surfaces"].take(pa.array(qi)).to_numpy(zero_copy_only=False)
    surfaces_q = np.nan_to_num(surfaces_q.astype(float)).astype(np.int64)
    month_q = pd.to_datetime(date[qi], unit="D").month.to_numpy()

    Q = pd.DataFrame(
        {
            "clinic": clinic[qi],
            "claim": claim_q,
            "patient": patient[qi],
            "doctor": doctor_q,
            "month": month_q,
            "pts": qpts[qi],
            "od": is_od[qi],
            "perio_pts": np.where(is_perio[qi], qpts[qi], 0),
            "od_pts": np.where(is_od[qi], qpts[qi], 0),
            "od_surf": np.where(is_od[qi], surfaces_q, 0),
            "endo_pts": np.where(is_endo[qi], qpts[qi], 0),
            "rct": is_rct[qi],
            "rcf": is_rcf[qi],
            "e9009x": is_9009x[qi],
            "s25_pts": np.where(is_s25[qi], qpts[qi], 0),
            "ext": is_ext[qi],
        }
    )
    g = Q.groupby("clinic", sort=True)
    agg = g.agg(
        points=("pts", "sum"),
        perio_pts=("perio_pts", "sum"),
        od_pts=("od_pts", "sum"),
        od_teeth=("od", "sum"),
        od_surf=("od_surf", "sum"),
        endo_pts=("endo_pts", "sum"),
        n_rct=("rct", "sum"),
        n_rcf=("rcf", "sum"),
        n_9009x=("e9009x", "sum"),
        s25_pts=("s25_pts", "sum"),
        n_ext=("ext", "sum"),
    )
    agg["cases"] = Q.drop_duplicates(["clinic", "claim"]).groupby("clinic").size()
    agg["patients"] = Q.drop_duplicates(["clinic", "patient"]).groupby("clinic").size()
    agg["s1"] = Q.groupby(["clinic", "doctor", "month"])["pts"].sum().groupby(level="clinic").max()
    exam_claims = Q.loc[is_exam[qi], ["clinic", "claim"]].drop_duplicates()
    agg["exam_cases"] = exam_claims.groupby("clinic").size()
    timings["quarter"] = time.perf_counter() - t0

    # ---- tooth history: s8 s9 s19 s20 (one sort of (patient, tooth, date) keys, then a shift)
    dmin = int(date.min()) - 200
    od_all = is_od & (tooth >= 0)
    key = patient[od_all] * 100 + tooth[od_all]
    kd = key * 65536 + (date[od_all] - dmin)
    uniq = _unique(kd)  # distinct (patient, tooth, date), sorted
    u_key = uniq >> 16
    u_date = (uniq & 0xFFFF) + dmin
    prev = np.empty_like(u_date)
    prev[0] = -(10**9)
    prev[1:] = np.where(u_key[1:] == u_key[:-1], u_date[:-1], -(10**9))
    # (patient, tooth, date, clinic) present
    nclin = len(clinic_names)
    kdc = _unique(kd * nclin + clinic[od_all])
    oq = od_all & in_q  # OD lines are never dropped from Q
    qkey = patient[oq] * 100 + tooth[oq]
    qdate = date[oq]
    qclin = clinic[oq]
    pos = np.searchsorted(uniq, qkey * 65536 + (qdate - dmin))
    pdate = prev[pos]
    gap = qdate - pdate
    probe = (qkey * 65536 + (pdate - dmin)) * nclin + qclin
    hit = np.searchsorted(kdc, probe)
    same = (hit < len(kdc)) & (kdc[np.minimum(hit, len(kdc) - 1)] == probe) & (gap > 0) & (gap < 10**8)
    r = pd.DataFrame({"clinic": qclin, "w730": gap <= 730, "w1095": gap <= 1095, "same": same})
    r["s8"] = r.w730 & r.same
    r["s9"] = r.w730 & ~r.same
    r["s19"] = r.w1095 & r.same
    r["s20"] = r.w1095 & ~r.same
    agg = agg.join(r.groupby("clinic")[["s8", "s9", "s19", "s20"]].sum())
    timings["refills"] = time.perf_counter() - t0

    # ---- s14: scaling cases whose patient had a scaling line 1..180 days before, any clinic
    sc = _unique(patient[is_scale] * 65536 + (date[is_scale] - dmin))
    s_pat = sc >> 16
    s_prev = np.full_like(sc, -(10**9))  # no earlier scaling line of the patient
    s_prev[1:] = np.where(s_pat[1:] == s_pat[:-1], (sc[:-1] & 0xFFFF) + dmin, -(10**9))
    scq = Q.loc[is_scale[qi], ["clinic", "claim", "patient"]].assign(date=date[qi][is_scale[qi]])
    scq = scq.drop_duplicates(["clinic", "claim"])
    sp = s_prev[np.searchsorted(sc, scq.patient.to_numpy() * 65536 + (scq.date.to_numpy() - dmin))]
    scq["again"] = (scq.date.to_numpy() - sp) <= 180
    agg["scaling_cases"] = scq.groupby("clinic").size()
    agg["rescaling"] = scq.groupby("clinic")["again"].sum()
    timings["s14"] = time.perf_counter() - t0

    # ---- s17: points of the same clinic, patient and tooth 1..180 days before each extraction
    has_t = (tooth >= 0) & ~is_fund
    hk = ((patient[has_t] * 100 + tooth[has_t]) * nclin + clinic[has_t]) * 65536 + (date[has_t] - dmin)
    order = np.argsort(hk, kind="stable")
    hk_sorted = hk[order]
    cum = np.concatenate([[0], np.cumsum(qpts[has_t][order])])
    eq = qi[is_ext[qi]]
    e_has = tooth[eq] >= 0
    e = eq[e_has]
    ek = (patient[e] * 100 + tooth[e]) * nclin + clinic[e]
    hi = np.searchsorted(hk_sorted, ek * 65536 + (date[e] - 1 - dmin), side="right")
    lo = np.searchsorted(hk_sorted, ek * 65536 + np.maximum(date[e] - 181 - dmin, -1), side="right")
    s17 = pd.Series(cum[hi] - cum[lo]).groupby(clinic[e]).sum()
    agg["s17_sum"] = s17
    timings["s17"] = time.perf_counter() - t0

    agg = agg.fillna(0).astype(np.int64)
    agg.index = [clinic_names[i] for i in agg.index]

    # ---- 十三 (issue 20): per doctor and month, the share of the doctor's cases (every line of
    # the quarter, any clinic, nothing excluded) with a line of each specialty
    allq = np.nonzero(in_q)[0]
    spec_tab = _specialty_cases(claims, allq, date, names[code[allq]])

    # ---- cross-region T: every line (no exclusions) of the quarter at clinics of the region
    region_of = dict(zip(clinics.clinic_id, clinics.region, strict=True))
    in_region = np.array([region_of.get(c) == p.region for c in clinic_names])[clinic]
    sel = np.nonzero(in_q & in_region)[0]
    doc_all, doc_names = _codes(claims["doctor_id"].take(pa.array(sel)))
    dinfo = doctors.set_index("doctor_id")
    home = dinfo.reindex(doc_names)
    eligible = (home.home_region != p.region).to_numpy()
    m = eligible[doc_all]
    X = pd.DataFrame(
        {
            "doctor": doc_all[m],
            "clinic": clinic[sel][m],
            "month": pd.to_datetime(date[sel][m], unit="D").month,
            "points": points[sel][m],
        }
    )
    T = X.groupby(["doctor", "month"])["points"].sum()
    tp = pd.Series(np.where(T > 150_000, 4, np.where(T > 100_000, 3, 0)), index=T.index)
    tp = tp[tp > 0].rename("xp")
    where = X[["doctor", "month", "clinic"]].drop_duplicates().join(tp, on=["doctor", "month"], how="inner")
    # 十四: specialist doctor-months (given in doctors.specialist, or applied for and met) drop out
    given = {d: _given(v) for d, v in zip(doctors.doctor_id, doctors.specialist, strict=True)}
    applied = _applications(p.applications)

    def counted(row: Any) -> bool:
        name = doc_names[row.doctor]
        if given.get(name) is not None:
            return not given[name]
        yyyymm = qs.year * 100 + row.month  # X's months are calendar months of the quarter
        spec = applied.get((clinic_names[row.clinic], name, yyyymm))
        if spec is None:
            return True
        cases, by = spec_tab.get((name, yyyymm), (0, {}))
        return not (cases and 100 * by.get(spec, 0) >= 70 * cases)

    if len(where):
        where = where[[counted(r) for r in where.itertuples()]]
    xr = where.groupby("clinic")["xp"].agg(total="sum", any4=lambda s: bool((s == 4).any()))
    cross = {clinic_names[c]: min(int(row.total), 12 if row.any4 else 9) for c, row in xr.iterrows()}
    timings["cross_region"] = time.perf_counter() - t0

    facts = clinics.set_index("clinic_id")
    cqq = cq[cq.quarter == quarter].set_index("clinic_id")
    scored = [c for c in agg.index if region_of.get(c) == p.region]
    out = agg.loc[scored].copy()
    out["cross_region"] = [cross.get(c, 0) for c in scored]
    out["opened_on"] = [facts.loc[c, "opened_on"] for c in scored]
    out["sessions"] = [cqq.sessions_per_month.get(c, 0.0) for c in scored]
    out["outreach"] = [int(cqq.outreach_sessions_year.get(c, 0)) for c in scored]
    out["unimproved"] = [bool(cqq.unimproved_after_agreement.get(c, False)) for c in scored]
    timings["total"] = time.perf_counter() - t0
    return out, {"timings": timings, "quarter_end": qe}


# ---------------------------------------------------------------- the light stage (exact)
def _frac(num: int, den: int, scale: int) -> Fraction | None:
    return None if den == 0 else Fraction(int(num) * scale, int(den))


def _given(v: Any) -> bool | None:
    """doctors.specialist: true/false as given, None when left empty."""
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, str):
        return {"true": True, "false": False}.get(v.strip().lower())
    return bool(v)


def _applications(path: str | None) -> dict[tuple[str, str, int], str]:
    if path is None:
        return {}
    t = pd.read_csv(path, dtype=str)
    return {(r.clinic_id, r.doctor_id, int(r.month.replace("-", ""))): r.specialty for r in t.itertuples()}


def _specialty_cases(
    claims: pa.Table, rows: np.ndarray, date: np.ndarray, codes: np.ndarray
) -> dict[tuple[str, int], tuple[int, dict[str, int]]]:
    """(doctor, yyyymm) → (cases, cases per specialty): OS 92xxxC; Peri 91xxxC but scaling
    91003C/91004C, and P4001C–P4003C; Endo 90xxxC; Pedo any line of a patient aged ≤ 14 at the
    visit; 身障 none (the program's defaults)."""
    if not len(rows):
        return {}
    take = pa.array(rows)
    v = pd.to_datetime(date[rows], unit="D")
    b = pd.to_datetime(_date_days(claims["birth_date"].take(take)), unit="D")
    age = v.year - b.year - ((v.month < b.month) | ((v.month == b.month) & (v.day < b.day)))
    c = pd.Series(codes, dtype=object)
    f = pd.DataFrame(
        {
            "doctor": claims["doctor_id"].take(take).to_pylist(),
            "claim": claims["claim_id"].take(take).to_pylist(),
            "month": v.year * 100 + v.month,
            "os": c.str.fullmatch(r"92\d{3}C").to_numpy(),
            "peri": (
                (c.str.fullmatch(r"91\d{3}C") & ~c.isin(["91003C", "91004C"]))
                | c.isin(["P4001C", "P4002C", "P4003C"])
            ).to_numpy(),
            "endo": c.str.fullmatch(r"90\d{3}C").to_numpy(),
            "pedo": np.asarray(age <= 14),
        }
    )
    per_claim = f.groupby(["doctor", "month", "claim"])[["os", "peri", "endo", "pedo"]].any()
    per_month = per_claim.groupby(level=["doctor", "month"]).agg(["size", "sum"])
    out: dict[tuple[str, int], tuple[int, dict[str, int]]] = {}
    for (doctor, month), r in per_month.iterrows():
        by = {k: int(r[(k, "sum")]) for k in ("os", "peri", "endo", "pedo")}
        out[(str(doctor), int(month))] = (int(r[("os", "size")]), by)
    return out


def indicator_values(row: Any) -> dict[str, Fraction | None]:
    r = row
    return {
        "s1": Fraction(int(r.s1)),
        "s2": _frac(r.points - r.perio_pts, r.patients, 1),
        "s3": _frac(r.od_pts, r.points, PERCENT),
        "s5": _frac(r.od_teeth, r.patients, 1),
        "s7": _frac(r.od_surf, r.od_teeth, 1),
        "s8": _frac(r.s8, r.od_teeth, PERCENT),
        "s9": _frac(r.s9, r.od_teeth, PERCENT),
        "s10": _frac(r.s8 + r.s9, r.od_teeth, PERCENT),
        "s11": _frac(r.points - r.endo_pts, r.points, PERCENT),
        "s12": _frac(r.n_rct - r.n_rcf, r.n_rct, PERCENT),
        "s14": _frac(r.rescaling, r.scaling_cases, PERCENT),
        "s17": _frac(r.s17_sum, r.n_ext, 1),
        "s19": _frac(r.s19, r.od_teeth, PERCENT),
        "s20": _frac(r.s20, r.od_teeth, PERCENT),
        "s21": _frac(r.s19 + r.s20, r.od_teeth, PERCENT),
        "s23": _frac(r.n_9009x, r.n_rcf, PERCENT),
        "s25": _frac(r.s25_pts, r.points, PERCENT),
        "s27": _frac(r.scaling_cases, r.cases, PERCENT),
        "oral_exam": _frac(r.exam_cases, r.cases, PERCENT),
        "avg_case_points": _frac(r.points, r.cases, 1),
        "od_teeth": Fraction(int(r.od_teeth)),
    }


def percentile_ranks(values: dict[str, dict[str, Fraction | None]]) -> dict[str, dict[str, int | None]]:
    """PR(x) = floor(100 × #(v ≤ x) / N) over the clinics with a non-null value, exactly."""
    ranks: dict[str, dict[str, int | None]] = {c: {} for c in values}
    for ind in INDICATORS:
        pop = sorted(v[ind] for v in values.values() if v[ind] is not None)
        n = len(pop)
        for c, v in values.items():
            x = v[ind]
            ranks[c][ind] = None if x is None else (100 * bisect.bisect_right(pop, x)) // n
    return ranks


def _level(total: int) -> int:
    if total <= 0:
        return 0
    if total <= 4:
        return 1
    if total <= 9:
        return 2
    if total <= 15:
        return 3
    if total <= 19:
        return 4
    return 5


def score(data_dir: str | Path, quarter: str, params: Params | None = None) -> Result:
    p = params or Params()
    t0 = time.perf_counter()
    m, info = measures(data_dir, quarter, p)
    qend: dt.date = info["quarter_end"]
    values = {c: indicator_values(r) for c, r in m.iterrows()}
    ranks = percentile_ranks(values)
    rows = []
    for c, r in m.iterrows():
        v, pr = values[c], ranks[c]
        s1 = int(r.s1)
        s25 = v["s25"]

        def band(ind: str, lo: int, hi: int, v=v, pr=pr) -> bool:
            x = pr[ind]
            return x is not None and lo <= x <= hi

        rule10 = pr["od_teeth"] is not None and pr["od_teeth"] < 15
        withheld = {"s5", "s6", "s7", "s9", "s20"} if rule10 else set()
        pts: dict[str, int] = {}
        pts["r3_1"] = sum(1 for i in ("s3", "s10", "s11", "s14", "s23") if band(i, 85, 94))
        pts["r3_2"] = 1 if band("s21", 85, 100) else 0
        opened = pd.Timestamp(r.opened_on).date()
        new = (qend - opened).days < 365
        over = s1 - p.new_clinic_cap
        pts["r3_3"] = (
            0
            if not new or over <= 0
            else (1 if over < 50_000 else 2 if over < 150_000 else 3 if over < 250_000 else 4)
        )
        r34 = 0
        if s25 is not None:
            if s25 < 8 and s1 < 350_000:
                r34 = 1
            elif 3 <= s25 < 8 and 350_000 <= s1 < 550_000:
                r34 = 2
            elif (
                (3 <= s25 < 8 and s1 >= 550_000)
                or (1 <= s25 < 3 and s1 >= 350_000)
                or (s25 < 1 and 350_000 < s1 < 550_000)
            ):
                r34 = 3
            elif s25 < 1 and s1 >= 550_000:
                r34 = 4
        pts["r3_4"] = r34
        pts["r3_5"] = (
            1
            if band("oral_exam", 85, 94)
            else 2
            if band("oral_exam", 95, 98)
            else (3 if band("oral_exam", 99, 100) else 0)
        )
        r41 = 0
        for i in ("s2", "s5", "s7"):
            if i in withheld:
                continue
            r41 += 2 if band(i, 85, 94) else 3 if band(i, 95, 99) else 4 if band(i, 100, 100) else 0
        pts["r4_1"] = r41
        pts["r4_2"] = sum(
            2
            for i in ("s1", "s3", "s9", "s10", "s11", "s14", "s17", "s23")
            if i not in withheld and band(i, 95, 100)
        )
        s27 = v["s27"]
        pts["r4_5"] = 2 if s27 is not None and s27 > 50 and s1 >= 550_000 else 0
        pts["r5_5"] = int(r.cross_region)
        pts["r6_4"] = 4 if r.unimproved else 0
        pts["r11"] = -2 if r.outreach > 12 else -1 if r.outreach > 0 else 0
        avg = v["avg_case_points"]
        flags = (
            "reference"
            if avg is not None and (avg >= 1800 or (avg >= 1500 and s25 is not None and s25 < 3))
            else ""
        )
        excluded = float(r.sessions) >= 44 and s1 <= 200_000
        gross = sum(x for k, x in pts.items() if k != "r11")
        total = max(0, gross + pts["r11"])
        row: dict[str, Any] = {
            "clinic_id": c,
            "quarter": quarter,
            "excluded": excluded,
            "exclusion_reason": "rule_9" if excluded else "",
            "points": None if excluded else total,
            "level": None if excluded else _level(total),
            "flags": flags,
        }
        for k in RULES:
            row[k] = None if excluded else pts[k]
        for i in INDICATORS:
            row[i] = v[i]
            row[f"{i}_pr"] = pr[i]
        rows.append(row)
    table = pd.DataFrame(rows).sort_values("clinic_id").reset_index(drop=True)
    timings = dict(info["timings"])
    timings["score_total"] = time.perf_counter() - t0
    return Result(table, values, ranks, timings)


def write_csv(result: Result, path: str | Path) -> None:
    cols = list(result.table.columns)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for row in result.table.itertuples(index=False):
            out = []
            for x in row:
                if x is None or (isinstance(x, float) and np.isnan(x)):
                    out.append("")
                elif isinstance(x, Fraction):
                    out.append(f"{float(x):.6f}")
                elif isinstance(x, bool | np.bool_):
                    out.append(str(bool(x)).lower())
                else:
                    out.append(str(x))
            w.writerow(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data")
    ap.add_argument("quarter")
    ap.add_argument("--out")
    ap.add_argument("--region", default="south")
    a = ap.parse_args()
    res = score(a.data, a.quarter, Params(region=a.region))
    if a.out:
        write_csv(res, a.out)
    print({k: round(v, 2) for k, v in res.timings.items()})
    print(f"{len(res.table)} clinics scored")


if __name__ == "__main__":
    main()
