"""Synthetic NHI dental claims for `dental-south-113` (合成牙醫申報資料).

Writes `claims`, `clinics`, `doctors` and `clinic_quarter` exactly in the contract's formats
(`../shared/docs/contracts/dental-south-113.md`), deterministic for a seed. Everything is drawn
vectorised with numpy and written one quarter at a time with pyarrow, so 1× (1,200 clinics,
13 quarters, ~39 M lines) stays within a few hundred MB of memory.

What the data holds, on purpose:

- clinics of the region and of five other regions (one in six of N), hospitals, clinics opened
  during the look-back, new clinics (opened < 365 days before the quarter's end, including the
  364/365-day edge), a closed clinic and one not yet open (both of the region, no lines in Q);
- per clinic a patient pool with home-clinic loyalty, a procedure mix drawn around a base mix
  (OD 89xxx ≈ 31 % of lines incl. 892xx, endodontics with 90015C/rcf/9009x, extractions,
  scaling, oral exams incl. children ≤ 12, special-fund, P3601C, P4001C–P4003C), per patient
  two "problem teeth" that concentrate tooth-level work so that refills cross clinics and years;
- cross-region doctors (some specialists) with heavy months at one or several clinics, a clinic
  with enough 4-point doctors to hit the 12 cap and one with only 3-point doctors for the 9 cap;
- outreach sessions, `unimproved_after_agreement`, clinics with ≥ 44 sessions and low s1 (rule 九),
  a clinic without a `clinic_quarter` row for the quarter, rows for the previous quarter;
- edge rows (see `_edge_rows`): zero denominators, exact ties (a twin clinic), same-day lines at two
  clinics, day 730/731 and 1095/1096 and 180/181 boundaries, the 13th birthday, special-fund-only
  and child-exam-only claims, a 892xx line under 400 points, cross-region T of exactly 100,000 and
  150,000, s1 of exactly 200,000 with 44 sessions.

`roles(...)` tells which clinic plays which part, so tests can find them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pingjian.rules.errors import CalendarError
from pingjian.rules.roc import Quarter, parse_quarter_code

EPOCH = dt.date(1970, 1, 1)
OTHER_REGIONS = ("taipei", "north", "central", "kaoping", "east")
REGION_PREFIX = {"south": "35", "taipei": "01", "north": "31", "central": "36", "kaoping": "41", "east": "45"}

CLAIMS_SCHEMA = pa.schema(
    [
        ("claim_id", pa.string()),
        ("clinic_id", pa.string()),
        ("doctor_id", pa.string()),
        ("patient_id", pa.string()),
        ("birth_date", pa.date32()),
        ("visit_date", pa.date32()),
        ("order_code", pa.string()),
        ("tooth", pa.string()),
        ("surfaces", pa.int32()),
        ("quantity", pa.int32()),
        ("points", pa.int64()),
    ]
)
CLINICS_SCHEMA = pa.schema(
    [
        ("clinic_id", pa.string()),
        ("name", pa.string()),
        ("region", pa.string()),
        ("kind", pa.string()),
        ("opened_on", pa.date32()),
    ]
)
DOCTORS_SCHEMA = pa.schema(
    [("doctor_id", pa.string()), ("home_region", pa.string()), ("specialist", pa.bool_())]
)
CLINIC_QUARTER_SCHEMA = pa.schema(
    [
        ("clinic_id", pa.string()),
        ("quarter", pa.string()),
        ("sessions_per_month", pa.float64()),
        ("outreach_sessions_year", pa.int64()),
        ("unimproved_after_agreement", pa.bool_()),
    ]
)

# ---------------------------------------------------------------- code catalogue
# (code, points, surfaces or 0, tooth-level, relative weight inside its category)
CATEGORIES: dict[str, list[tuple[str, int, int, bool, float]]] = {
    "OD1": [
        ("89001C", 460, 1, True, 5),
        ("89004C", 520, 1, True, 3),
        ("89008C", 560, 1, True, 2),
        ("89011C", 600, 1, True, 1),
    ],
    "ODM": [
        ("89002C", 660, 2, True, 5),
        ("89003C", 910, 3, True, 3),
        ("89005C", 720, 2, True, 2),
        ("89006C", 1050, 4, True, 1),
        ("89010C", 980, 3, True, 1),
        ("89015C", 1260, 5, True, 0.4),
    ],
    "OD892": [("89204C", 860, 1, True, 4), ("89205C", 1040, 2, True, 3), ("89206C", 1310, 3, True, 1)],
    "RCT": [("90015C", 500, 0, True, 1)],
    "RCF": [
        ("90001C", 1400, 0, True, 3),
        ("90002C", 1900, 0, True, 2),
        ("90003C", 2600, 0, True, 1),
        ("90016C", 1500, 0, True, 0.5),
        ("90018C", 2000, 0, True, 0.3),
        ("90019C", 2400, 0, True, 0.3),
        ("90020C", 2900, 0, True, 0.2),
    ],
    "ENDO9": [
        ("90091C", 1200, 0, True, 2),
        ("90092C", 1500, 0, True, 1),
        ("90093C", 1800, 0, True, 1),
        ("90094C", 1000, 0, True, 0.5),
        ("90095C", 900, 0, True, 0.5),
        ("90096C", 2200, 0, True, 0.3),
        ("90097C", 1600, 0, True, 0.3),
        ("90098C", 2400, 0, True, 0.2),
        ("90009C", 700, 0, True, 1),
    ],
    "ENDOX": [("90004C", 350, 0, True, 2), ("90005C", 300, 0, True, 2), ("90012C", 800, 0, True, 1)],
    "EXT": [("92013C", 600, 0, True, 1)],
    "EXTD": [
        ("92014C", 1100, 0, True, 3),
        ("92015C", 1400, 0, True, 2),
        ("92016C", 2000, 0, True, 1),
        ("92063C", 2600, 0, True, 0.5),
    ],
    "SCALE": [("91004C", 600, 0, False, 4), ("91003C", 600, 0, False, 1)],
    "PERIO": [("P4001C", 1400, 0, False, 2), ("P4002C", 5000, 0, False, 1), ("P4003C", 1500, 0, False, 1)],
    "FUND": [
        ("P7101C", 500, 0, False, 2),
        ("P7102C", 500, 0, False, 1),
        ("P7302C", 500, 0, False, 2),
        ("P7303C", 600, 0, False, 1),
    ],
    "P36": [("P3601C", 400, 0, False, 1)],
    "OTHER": [
        ("34001C", 200, 0, False, 5),
        ("92001C", 150, 0, False, 3),
        ("34004C", 450, 0, False, 1),
        ("91001C", 300, 0, False, 1),
    ],
}
CAT_NAMES = list(CATEGORIES)
# base share of each category among treatment lines (OD ≈ 0.5 of them → ≈ 31 % of all lines)
BASE_MIX = {
    "OD1": 0.18,
    "ODM": 0.19,
    "OD892": 0.06,
    "RCT": 0.03,
    "RCF": 0.024,
    "ENDO9": 0.012,
    "ENDOX": 0.025,
    "EXT": 0.04,
    "EXTD": 0.01,
    "SCALE": 0.12,
    "PERIO": 0.01,
    "FUND": 0.02,
    "P36": 0.006,
    "OTHER": 0.14,
}
LINES_PER_CASE = 2.75  # one consultation line + treatments (adults at least one)
CONSULT = ("00129C", 260)
ORAL_EXAM = ("00121C", 250)

PERMANENT_TEETH = np.array([10 * q + i for q in (1, 2, 3, 4) for i in range(1, 9)], dtype=np.int16)
PRIMARY_TEETH = np.array([10 * q + i for q in (5, 6, 7, 8) for i in range(1, 6)], dtype=np.int16)


CodeTables = tuple[list[str], np.ndarray, np.ndarray, np.ndarray, dict[str, tuple[np.ndarray, np.ndarray]]]


def _code_tables() -> CodeTables:
    codes: list[str] = [CONSULT[0], ORAL_EXAM[0]]
    points = [CONSULT[1], ORAL_EXAM[1]]
    surfaces = [0, 0]
    tooth_level = [False, False]
    per_cat: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for cat, entries in CATEGORIES.items():
        idx, w = [], []
        for code, pts, surf, tl, weight in entries:
            idx.append(len(codes))
            codes.append(code)
            points.append(pts)
            surfaces.append(surf)
            tooth_level.append(tl)
            w.append(weight)
        wa = np.array(w, dtype=float)
        per_cat[cat] = (np.array(idx), wa / wa.sum())
    return codes, np.array(points, np.int64), np.array(surfaces, np.int32), np.array(tooth_level), per_cat


CODES, CODE_POINTS, CODE_SURFACES, CODE_TOOTH_LEVEL, CAT_CODES = _code_tables()
CODE_INDEX = {c: i for i, c in enumerate(CODES)}


# ---------------------------------------------------------------- quarters and dates
def target_quarter(text: str) -> Quarter:
    """The quarter to generate for, ``2024Q4`` or ``113Q4``; a ValueError (a bad option) if not."""
    try:
        return Quarter(*parse_quarter_code(text))
    except CalendarError:
        raise ValueError(f"quarter must look like 2024Q4, got {text!r}") from None


def _days(d: dt.date) -> int:
    return (d - EPOCH).days


def _date(days: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(days))


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


# ---------------------------------------------------------------- the population
@dataclass
class Population:
    """Clinics, doctors, rosters and patient pools: everything fixed across quarters."""

    quarter: str
    region: str
    clinic_ids: list[str]
    clinic_region: np.ndarray  # object array of region names
    clinic_kind: np.ndarray
    opened: np.ndarray  # int days
    closed: np.ndarray  # int days (last day with activity), large if open
    size: np.ndarray  # activity multiplier
    mix_cum: np.ndarray  # flattened clinic + cumulative category weights
    treat_lambda: np.ndarray  # mean treatment lines per case
    exam_rate: np.ndarray
    problem_share: np.ndarray
    pool_start: np.ndarray
    pool_size: np.ndarray
    roster_cum: np.ndarray  # flattened clinic + cumulative doctor weights
    roster_doctor: np.ndarray  # doctor index for each roster entry
    doctor_ids: list[str]
    doctor_region: list[str]
    doctor_specialist: np.ndarray
    patient_birth: np.ndarray  # int days
    patient_problem: np.ndarray  # (n, 2) tooth index into PERMANENT_TEETH
    roles: dict[str, Any] = field(default_factory=dict)
    # cross-region assignments: (doctor index, clinic index, shares for months 1..3 of the target quarter,
    # share in look-back quarters)
    cross: list[tuple[int, int, tuple[float, float, float], float]] = field(default_factory=list)
    cases_per_clinic: float = 960.0


def _clinic_points_per_month(pop: Population, c: int) -> float:
    return pop.cases_per_clinic * pop.size[c] * 1300.0 / 3.0


def build_population(
    clinics: int, quarter: str, seed: int, *, region: str = "south", lines_per_clinic: int = 2500
) -> tuple[Population, np.random.Generator]:
    if clinics < 40:
        raise ValueError("at least 40 clinics are needed to hold every kind of clinic and edge case")
    rng = np.random.default_rng(seed)
    target = target_quarter(quarter)
    qstart, qend = target.start, target.end
    n = clinics
    n_other = n // 6
    n_south = n - n_other
    regions = np.array(
        [region] * n_south + [OTHER_REGIONS[i % len(OTHER_REGIONS)] for i in range(n_other)], dtype=object
    )
    clinic_ids = []
    counters: dict[str, int] = {}
    for r in regions:
        counters[r] = counters.get(r, 0) + 1
        clinic_ids.append(f"{REGION_PREFIX.get(r, '99')}{counters[r]:08d}")

    # roles among the region's clinics (fixed positions so that every N ≥ 30 has them)
    roles: dict[str, Any] = {}
    named = [
        "edge_a",
        "edge_b",
        "edge_c",
        "no_od",
        "zero_points",
        "twin_a",
        "twin_b",
        "closed",
        "not_open",
        "new_364",
        "new_365",
        "excluded_9",
        "exact_s1_200k",
        "busy_44_large",
        "unimproved",
        "no_cq_row",
        "reference_high",
        "reference_low_s25",
        "high_scaling",
        "cap_12",
        "cap_9",
        "cross_host",
    ]
    n_hosp = max(2, n_south // 40)
    first = n_hosp
    for i, name in enumerate(named):
        roles[name] = first + i
    roles["hospitals"] = list(range(n_hosp)) + [n_south + i for i in range(max(1, n_other // 40))]
    special = set(range(first, first + len(named)))

    qend_days = _days(qend)
    qstart_days = _days(qstart)
    kind = np.array(["clinic"] * n, dtype=object)
    kind[roles["hospitals"]] = "hospital"
    opened = qend_days - rng.integers(4 * 365, 30 * 365, n)
    # some clinics opened during the look-back, a few are new
    free = np.array([i for i in range(n) if i not in special and i not in roles["hospitals"]])
    pick = rng.permutation(free)
    n_mid = max(2, n // 12)
    n_new = max(2, n // 40)
    mid = pick[:n_mid]
    new = pick[n_mid : n_mid + n_new]
    opened[mid] = qend_days - rng.integers(366, 3 * 365, len(mid))
    opened[new] = qend_days - rng.integers(60, 364, len(new))
    roles["opened_in_lookback"] = sorted(int(i) for i in mid)
    roles["new"] = [*sorted(int(i) for i in new), roles["new_364"]]
    opened[roles["new_364"]] = qend_days - 364
    opened[roles["new_365"]] = qend_days - 365
    opened[roles["not_open"]] = qend_days + 20
    closed = np.full(n, qend_days + 10_000, dtype=np.int64)
    closed[roles["closed"]] = qstart_days - 1

    size = np.exp(rng.normal(0.0, 0.45, n)) / np.exp(0.45**2 / 2)
    size[roles["hospitals"]] *= 3.0
    size[roles["new_364"]] = 1.9  # a busy new clinic: s1 far over the cap
    size[roles["excluded_9"]] = 0.3
    size[roles["busy_44_large"]] = 1.6
    size[roles["high_scaling"]] = 2.0
    size[roles["cap_12"]] = 3.0
    size[roles["cap_9"]] = 3.0
    size[roles["cross_host"]] = 1.5
    size[roles["no_od"]] = 0.5
    size[roles["zero_points"]] = 0.1
    size *= n / size.sum()  # N clinics × lines_per_clinic lines a quarter, whatever the roles did

    # procedure mix per clinic: base mix with lognormal noise per category
    base = np.array([BASE_MIX[c] for c in CAT_NAMES])
    mix = base[None, :] * np.exp(rng.normal(0.0, 0.35, (n, len(CAT_NAMES))))
    ci = {c: i for i, c in enumerate(CAT_NAMES)}
    # clinic profiles: some endo-light clinics (low s25), some endo-heavy, some OD-heavy
    endo_cols = [ci[c] for c in ("RCT", "RCF", "ENDO9", "ENDOX", "EXTD")]
    light = rng.random(n) < 0.25
    mix[np.ix_(light, endo_cols)] *= 0.25
    heavy = rng.random(n) < 0.08
    mix[np.ix_(heavy, endo_cols)] *= 2.5
    od_heavy = rng.random(n) < 0.08
    mix[np.ix_(od_heavy, [ci["OD1"], ci["ODM"], ci["OD892"]])] *= 1.8
    nd = roles["no_od"]
    treatment = (
        "OD1",
        "ODM",
        "OD892",
        "RCT",
        "RCF",
        "ENDO9",
        "ENDOX",
        "EXT",
        "EXTD",
        "SCALE",
        "P36",
        "PERIO",
    )
    mix[nd, [ci[c] for c in treatment]] = 0.0
    mix[roles["reference_low_s25"], endo_cols] *= 0.05
    mix[roles["reference_low_s25"], ci["PERIO"]] *= 8
    mix[roles["high_scaling"], ci["SCALE"]] *= 8
    mix[roles["edge_a"], ci["EXT"]] *= 2
    mix = mix / mix.sum(axis=1, keepdims=True)
    mix_cum = (np.arange(n)[:, None] + np.cumsum(mix, axis=1)).ravel()
    mix_cum[np.arange(n) * len(CAT_NAMES) + len(CAT_NAMES) - 1] = np.arange(n) + 1.0

    treat_lambda = 1.6 * np.exp(rng.normal(0.0, 0.15, n))
    treat_lambda[roles["reference_high"]] = 3.6
    treat_lambda[roles["reference_low_s25"]] = 2.6
    exam_rate = rng.beta(2.0, 8.0, n)
    problem_share = rng.beta(2.0, 10.0, n)

    patients_per_clinic = lines_per_clinic * 1.2
    pool_size = np.maximum(1, np.round(patients_per_clinic * size)).astype(np.int64)
    pool_size[roles["not_open"]] = 0
    pool_start = np.concatenate([[0], np.cumsum(pool_size)[:-1]])
    n_patients = int(pool_size.sum())

    # doctors: home doctors per clinic, then cross-region doctors
    doctor_ids: list[str] = []
    doctor_region: list[str] = []
    specialist: list[bool] = []
    roster_entries: list[tuple[int, int, float]] = []  # (clinic, doctor, weight)

    def new_doctor(reg: str, spec: bool) -> int:
        doctor_ids.append(f"D{len(doctor_ids) + 1:07d}")
        doctor_region.append(reg)
        specialist.append(spec)
        return len(doctor_ids) - 1

    n_docs = rng.choice([1, 1, 1, 2, 2, 3, 4], n)
    n_docs[roles["hospitals"]] = rng.integers(6, 11, len(roles["hospitals"]))
    n_docs[roles["twin_a"]] = 2
    n_docs[roles["twin_b"]] = 2
    n_docs[roles["exact_s1_200k"]] = 1
    for c in range(n):
        w = np.sort(rng.dirichlet(np.full(n_docs[c], 2.0)))[::-1]
        for k in range(n_docs[c]):
            d = new_doctor(str(regions[c]), bool(rng.random() < 0.05))
            roster_entries.append((c, d, float(w[k])))

    south_idx = [i for i in range(n_south) if i not in special and i not in roles["hospitals"]]
    other_idx = list(range(n_south, n))
    cross: list[tuple[int, int, tuple[float, float, float], float]] = []

    def share_for(target_points: float, c: int) -> float:
        return float(min(0.9, target_points / max(_clinic_points_per_month(pop_stub, c), 1.0)))

    pop_stub = Population(
        quarter,
        region,
        clinic_ids,
        regions,
        kind,
        opened,
        closed,
        size,
        mix_cum,
        treat_lambda,
        exam_rate,
        problem_share,
        pool_start,
        pool_size,
        np.zeros(0),
        np.zeros(0, np.int64),
        [],
        [],
        np.zeros(0, bool),
        np.zeros(0, np.int64),
        np.zeros((0, 2), np.int16),
        roles,
        cross,
        cases_per_clinic=lines_per_clinic / LINES_PER_CASE,
    )
    cross_docs: dict[str, list[int]] = {"heavy4": [], "heavy3": [], "light": [], "specialist_heavy": []}
    n_cross = max(6, n_south // 30)
    for k in range(n_cross):
        reg = OTHER_REGIONS[k % len(OTHER_REGIONS)]
        kind_k = ["heavy4", "heavy3", "light", "heavy3", "specialist_heavy", "light"][k % 6]
        d = new_doctor(reg, kind_k == "specialist_heavy")
        cross_docs[kind_k].append(d)
        if other_idx:  # the doctor also works at home, outside the region (not in T)
            roster_entries.append((int(other_idx[k % len(other_idx)]), d, 0.1))
        hosts = rng.choice(south_idx, size=int(rng.integers(1, 4)), replace=False)
        target = {"heavy4": 190_000, "heavy3": 125_000, "light": 50_000, "specialist_heavy": 220_000}[kind_k]
        months = np.full(3, 0.35)
        months[int(rng.integers(0, 3))] = 1.0  # one heavy month
        for h in hosts:
            s = share_for(target / len(hosts), int(h))
            cross.append((d, int(h), tuple(float(x) for x in s * months), s * 0.3))
    # the cap clinics: four 4-point doctors at cap_12, four 3-point doctors at cap_9
    for host, target, kind_k in ((roles["cap_12"], 200_000, "heavy4"), (roles["cap_9"], 112_000, "heavy3")):
        for k in range(4):
            d = new_doctor(OTHER_REGIONS[k % len(OTHER_REGIONS)], False)
            cross_docs[kind_k].append(d)
            s = share_for(target, host)
            cross.append((d, host, (s, s, s), 0.0))
    # a specialist with a heavy month at cross_host and a regular heavy doctor there too
    d = new_doctor("north", True)
    cross_docs["specialist_heavy"].append(d)
    cross.append((d, roles["cross_host"], (share_for(200_000, roles["cross_host"]), 0.1, 0.1), 0.0))
    roles["cross_doctors"] = {k: [doctor_ids[i] for i in v] for k, v in cross_docs.items()}

    roster_c = np.array([e[0] for e in roster_entries])
    order = np.argsort(roster_c, kind="stable")
    rc = roster_c[order]
    rd = np.array([e[1] for e in roster_entries])[order]
    rw = np.array([e[2] for e in roster_entries])[order]
    tot = np.bincount(rc, weights=rw, minlength=n)
    cum = np.zeros(len(rc))
    bounds = np.searchsorted(rc, np.arange(n + 1))
    for c in range(n):  # per-clinic cumulative normalised weights, offset by the clinic index
        lo, hi = bounds[c], bounds[c + 1]
        cum[lo:hi] = c + np.cumsum(rw[lo:hi]) / tot[c]
        cum[hi - 1] = c + 1.0

    # patients: birth dates (≈ 15 % children ≤ 12) and two problem teeth each
    age_years = np.where(
        rng.random(n_patients) < 0.15, rng.uniform(3, 12.9, n_patients), rng.uniform(13, 88, n_patients)
    )
    birth = (qstart_days - (age_years * 365.25)).astype(np.int64)
    problem = rng.integers(0, len(PERMANENT_TEETH), (n_patients, 2)).astype(np.int16)

    pop_stub.roster_cum = cum
    pop_stub.roster_doctor = rd
    pop_stub.doctor_ids = doctor_ids
    pop_stub.doctor_region = doctor_region
    pop_stub.doctor_specialist = np.array(specialist)
    pop_stub.patient_birth = birth
    pop_stub.patient_problem = problem
    roles["excluded_9_like"] = [roles["excluded_9"], roles["exact_s1_200k"]]
    roles["south_count"] = n_south
    roles["other_count"] = n_other
    return pop_stub, rng


# ---------------------------------------------------------------- one quarter of claims
def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    s = pc.cast(pa.array(numbers, pa.int64()), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(s, width=width, padding="0"), "")


@dataclass
class Chunk:
    """One block of claim lines as integer columns (ids are indices into the population)."""

    claim: np.ndarray  # int64 case number (global)
    clinic: np.ndarray
    doctor: np.ndarray
    patient: np.ndarray
    date: np.ndarray
    code: np.ndarray
    tooth: np.ndarray  # FDI number or 0 for none
    surfaces: np.ndarray  # 0 for none
    quantity: np.ndarray
    points: np.ndarray

    def __len__(self) -> int:
        return len(self.claim)


def generate_quarter(
    pop: Population,
    rng: np.random.Generator,
    quarter: Quarter,
    *,
    is_target: bool,
    claim_base: int,
    cases_per_clinic: float,
) -> Chunk:
    qs_d, qe_d = _days(quarter.start), _days(quarter.end)
    n = len(pop.clinic_ids)
    a = np.maximum(pop.opened, qs_d)
    b = np.minimum(pop.closed, qe_d)
    active = np.clip(b - a + 1, 0, None) / (qe_d - qs_d + 1)
    lam = cases_per_clinic * pop.size * active
    roles = pop.roles
    if is_target:
        lam[roles["twin_b"]] = 0  # copied from twin_a below
        lam[roles["exact_s1_200k"]] = 0  # crafted in the edge rows
        lam[roles["zero_points"]] = 0  # crafted in the edge rows
    n_cases = rng.poisson(lam)
    total = int(n_cases.sum())
    case_clinic = np.repeat(np.arange(n), n_cases)
    span = np.maximum(b - a + 1, 1)
    case_date = a[case_clinic] + (rng.random(total) * span[case_clinic]).astype(np.int64)
    # patient: from the clinic's own pool with loyalty, else any clinic's pool
    loyal = rng.random(total) < 0.85
    with_pool = np.nonzero(pop.pool_size > 0)[0]
    home = np.where(loyal, case_clinic, with_pool[rng.integers(0, len(with_pool), total)])
    case_patient = pop.pool_start[home] + (rng.random(total) * pop.pool_size[home]).astype(np.int64)
    # doctor from the clinic's roster
    pos = np.searchsorted(pop.roster_cum, case_clinic + rng.random(total), side="right")
    case_doctor = pop.roster_doctor[np.minimum(pos, len(pop.roster_doctor) - 1)]
    month = np.array([(_date(d).month - 1) % 3 for d in range(qs_d, qe_d + 1)])[case_date - qs_d]
    starts = np.concatenate([[0], np.cumsum(n_cases)])
    for d, c, shares, look_share in pop.cross:
        lo, hi = starts[c], starts[c + 1]
        if hi <= lo:
            continue
        u = rng.random(hi - lo)
        share = np.array(shares)[month[lo:hi]] if is_target else np.full(hi - lo, look_share)
        take = u < share
        case_doctor[lo:hi][take] = d
    age_days = case_date - pop.patient_birth[case_patient]
    child = age_days < 13 * 365.25
    # consult line: oral exam or ordinary consultation
    exam_p = np.where(child, np.minimum(0.9, pop.exam_rate[case_clinic] * 2.5), pop.exam_rate[case_clinic])
    consult_code = np.where(rng.random(total) < exam_p, CODE_INDEX[ORAL_EXAM[0]], CODE_INDEX[CONSULT[0]])
    n_treat = rng.poisson(pop.treat_lambda[case_clinic])
    n_treat[(n_treat == 0) & ~child] = 1  # adults rarely come for a consultation only
    t_case = np.repeat(np.arange(total), n_treat)
    nt = len(t_case)
    t_clinic = case_clinic[t_case]
    k = len(CAT_NAMES)
    cat_pos = np.searchsorted(pop.mix_cum, t_clinic + rng.random(nt), side="right")
    cat = np.minimum(cat_pos - t_clinic * k, k - 1)
    code = np.empty(nt, dtype=np.int64)
    for ci, cname in enumerate(CAT_NAMES):
        idx = np.nonzero(cat == ci)[0]
        if len(idx):
            cidx, w = CAT_CODES[cname]
            code[idx] = cidx[rng.choice(len(cidx), size=len(idx), p=w)]
    # tooth: a problem tooth with the clinic's share (higher for endo/extraction), else any tooth
    t_patient = case_patient[t_case]
    tooth_level = CODE_TOOTH_LEVEL[code]
    is_od = np.isin(cat, [CAT_NAMES.index(c) for c in ("OD1", "ODM", "OD892")])
    p_problem = np.where(is_od, pop.problem_share[t_clinic], 0.55)
    use_problem = rng.random(nt) < p_problem
    which = rng.integers(0, 2, nt)
    tidx = np.where(use_problem, pop.patient_problem[t_patient, which], rng.integers(0, 32, nt))
    tchild = child[t_case]
    tooth = np.where(tchild, PRIMARY_TEETH[tidx % 20], PERMANENT_TEETH[tidx]).astype(np.int16)
    tooth[~tooth_level] = 0
    # merge consult and treatment lines, ordered by case
    all_case = np.concatenate([np.arange(total), t_case])
    all_code = np.concatenate([consult_code, code])
    all_tooth = np.concatenate([np.zeros(total, np.int16), tooth])
    order = np.argsort(all_case, kind="stable")
    all_case = all_case[order]
    all_code = all_code[order]
    all_tooth = all_tooth[order]
    quantity = np.ones(len(all_case), np.int32)
    points = CODE_POINTS[all_code].copy()
    # x-rays and drugs sometimes come two at a time: quantity 2, points doubled
    dbl = (all_code == CODE_INDEX["34001C"]) & (rng.random(len(all_case)) < 0.15)
    quantity[dbl] = 2
    points[dbl] *= 2
    chunk = Chunk(
        claim=claim_base + all_case,
        clinic=case_clinic[all_case],
        doctor=case_doctor[all_case],
        patient=case_patient[all_case],
        date=case_date[all_case],
        code=all_code,
        tooth=all_tooth,
        surfaces=CODE_SURFACES[all_code],
        quantity=quantity,
        points=points,
    )
    if is_target:
        chunk = _with_twin(pop, chunk, claim_base + total)
    return chunk


def _with_twin(pop: Population, chunk: Chunk, next_claim: int) -> Chunk:
    """twin_b claims, in the quarter, exactly what twin_a claims: same patients, dates, codes, teeth."""
    ra, rb = pop.roles["twin_a"], pop.roles["twin_b"]
    sel = np.nonzero(chunk.clinic == ra)[0]
    if not len(sel):
        return chunk
    docs_a = pop.roster_doctor[(pop.roster_cum > ra) & (pop.roster_cum <= ra + 1)]
    docs_b = pop.roster_doctor[(pop.roster_cum > rb) & (pop.roster_cum <= rb + 1)]
    mapping = dict(zip(docs_a.tolist(), docs_b.tolist(), strict=False))
    claims = chunk.claim[sel]
    _, inv = np.unique(claims, return_inverse=True)
    twin = Chunk(
        claim=next_claim + inv,
        clinic=np.full(len(sel), rb),
        doctor=np.array([mapping.get(int(d), int(docs_b[0])) for d in chunk.doctor[sel]]),
        patient=chunk.patient[sel],
        date=chunk.date[sel],
        code=chunk.code[sel],
        tooth=chunk.tooth[sel],
        surfaces=chunk.surfaces[sel],
        quantity=chunk.quantity[sel],
        points=chunk.points[sel],
    )
    return _concat([chunk, twin])


def _concat(chunks: list[Chunk]) -> Chunk:
    return Chunk(*(np.concatenate([getattr(c, f) for c in chunks]) for f in Chunk.__dataclass_fields__))


# ---------------------------------------------------------------- edge rows
def _edge_rows(
    pop: Population, quarter: Quarter, claim_base: int, patient_base: int, crafted_doctor: int
) -> tuple[Chunk, np.ndarray]:
    """Hand-made lines for the edges the contract names. Returns the lines and the birth dates of the
    extra patients (numbered from patient_base)."""
    qs = quarter.start
    qs_d = _days(qs)
    roles = pop.roles
    A, B, C = roles["edge_a"], roles["edge_b"], roles["edge_c"]
    # claim, clinic, doctor, patient, date, code, tooth, surfaces, quantity, points
    rows: list[tuple[int, ...]] = []
    births: list[int] = []
    claim = [claim_base]

    def doctor_of(c: int) -> int:
        return int(pop.roster_doctor[np.searchsorted(pop.roster_cum, c + 1e-9, side="right")])

    def patient(birth: int | None = None) -> int:
        births.append(birth if birth is not None else qs_d - 40 * 365)
        return patient_base + len(births) - 1

    def case(
        clinic: int,
        p: int,
        day: int,
        lines: list[tuple[str, int, int | None, int | None]],
        doctor: int | None = None,
        consult: bool = True,
    ) -> None:
        cid = claim[0]
        claim[0] += 1
        d = doctor if doctor is not None else doctor_of(clinic)
        if consult:
            rows.append((cid, clinic, d, p, day, CODE_INDEX[CONSULT[0]], 0, 0, 1, CONSULT[1]))
        for code, pts, tooth, surf in lines:
            rows.append((cid, clinic, d, p, day, CODE_INDEX[code], tooth or 0, surf or 0, 1, pts))

    qd = qs_d + 20
    d0 = qs_d - 100
    od = ("89002C", 660, None, 2)

    def od_line(tooth: int) -> list[tuple[str, int, int | None, int | None]]:
        return [(od[0], od[1], tooth, od[3])]

    # same-day lines at two clinics: the latest earlier date has a line at the same clinic → s8
    p = patient()
    case(A, p, d0, od_line(16))
    case(B, p, d0, od_line(16))
    case(A, p, qd, od_line(16))
    # ... and at neither → s9 for C
    p = patient()
    case(A, p, d0, od_line(26))
    case(B, p, d0, od_line(26))
    case(C, p, qd, od_line(26))
    # day 730 counts (other clinic → s9), day 731 does not (but 1095 does → s19 own clinic)
    p = patient()
    case(B, p, qd - 730, od_line(11))
    case(A, p, qd, od_line(11))
    p = patient()
    case(A, p, qd - 731, od_line(21))
    case(A, p, qd, od_line(21))
    p = patient()
    case(A, p, qd - 1095, od_line(31))
    case(A, p, qd, od_line(31))
    p = patient()
    case(A, p, qd - 1096, od_line(41))
    case(A, p, qd, od_line(41))
    # the most recent earlier date decides: own clinic at −700, other at −300 → s9
    p = patient()
    case(A, p, qd - 700, od_line(14))
    case(B, p, qd - 300, od_line(14))
    case(A, p, qd, od_line(14))
    # none within 730, the most recent within 1095 is the own clinic → s19
    p = patient()
    case(B, p, qd - 900, od_line(15))
    case(A, p, qd - 800, od_line(15))
    case(A, p, qd, od_line(15))
    # same day, two clinics, nothing earlier → no refill anywhere
    p = patient()
    case(B, p, qd, od_line(17))
    case(A, p, qd, od_line(17))
    # s14: a scaling 180 days before counts, 181 does not
    p = patient()
    case(B, p, qd - 180, [("91004C", 600, None, None)])
    case(A, p, qd, [("91004C", 600, None, None)])
    p = patient()
    case(A, p, qd - 181, [("91004C", 600, None, None)])
    case(A, p, qd, [("91004C", 600, None, None)])
    # s17: same clinic, patient and tooth within 1..180 days; special fund out, 892xx minus 400
    p = patient()
    case(A, p, qd - 181, [("90015C", 500, 46, None)])
    case(A, p, qd - 180, [("89001C", 460, 46, 1)])
    case(A, p, qd - 30, [("89204C", 1000, 46, 1)])
    case(A, p, qd - 20, [("P7303C", 600, 46, None)])
    case(B, p, qd - 10, [("90001C", 1400, 46, None)])
    case(A, p, qd, [("92014C", 1100, 46, None)])
    # an extraction without a tooth counts 0 in the mean
    p = patient()
    case(A, p, qd + 3, [("92013C", 600, None, None)])
    # age 12 at the visit: the 13th birthday counts, the day before does not
    visit = _date(qd + 5)
    p = patient(_days(_add_years(visit, -13)))
    case(A, p, qd + 5, [("00121C", 250, None, None), ("34001C", 200, None, None)], consult=False)
    p = patient(_days(_add_years(visit, -13)) + 1)
    case(A, p, qd + 5, [("00121C", 250, None, None)], consult=False)  # a child's exam-only claim: no case
    # a special-fund-only claim: no case
    p = patient()
    case(A, p, qd + 6, [("P7302C", 500, None, None)], consult=False)
    # a 892xx line under 400 points → 0, never negative; P3601C
    p = patient()
    case(A, p, qd + 7, [("89204C", 300, 47, 1), ("P3601C", 400, None, None)])

    # the zero-points clinic: only P3601C and special-fund lines in the quarter
    zp = roles["zero_points"]
    for i in range(6):
        p = patient()
        case(zp, p, qs_d + 3 + i, [("P3601C", 400, None, None)], consult=False)
        case(zp, p, qs_d + 40 + i, [("P7302C", 500, None, None)], consult=False)

    # s1 exactly 200,000 (one doctor, one month) at a clinic with 44 sessions → excluded (九, ≤ 200,000)
    ex = roles["exact_s1_200k"]
    for i in range(100):  # 100 cases of 260 + 1,740 = 2,000 points in the quarter's first month
        p = patient()
        case(ex, p, qs_d + (i % 28), [("89003C", 910, 36, 3), ("90001C", 830, 36, None)])
    for i in range(20):  # second month: less
        p = patient()
        case(ex, p, qs_d + 35 + (i % 20), [("91004C", 600, None, None)])

    # cross-region doctor with T exactly 150,000 (→ 3), 100,001 (→ 3) and 100,000 (→ nothing);
    # lines outside the region do not count in T; special-fund lines do
    host = roles["cross_host"]
    xd = crafted_doctor
    months = [qs_d, _days(_add_month(qs, 1)), _days(_add_month(qs, 2))]
    for m, target in zip(months, (150_000, 100_001, 100_000), strict=True):
        full, rest = divmod(target, 5_000)
        for i in range(full):  # cases of 260 + 4,740; every fifth a special-fund line (counts in T)
            p = patient()
            code = "P7101C" if i % 5 == 0 else "P4002C"
            case(host, p, m + (i % 25), [(code, 4_740, None, None)], doctor=xd)
        if rest:
            p = patient()
            case(host, p, m + 26, [("P4001C", rest, None, None)], doctor=xd, consult=False)
    other = pop.roles.get("other_first")
    if other is not None:
        p = patient()
        case(other, p, qs_d + 5, [("P4002C", 90_000, None, None)], doctor=xd)

    arr = np.array(rows, dtype=np.int64)
    chunk = Chunk(
        claim=arr[:, 0],
        clinic=arr[:, 1],
        doctor=arr[:, 2],
        patient=arr[:, 3],
        date=arr[:, 4],
        code=arr[:, 5],
        tooth=arr[:, 6].astype(np.int16),
        surfaces=arr[:, 7].astype(np.int32),
        quantity=arr[:, 8].astype(np.int32),
        points=arr[:, 9],
    )
    return chunk, np.array(births, dtype=np.int64)


def _add_month(d: dt.date, n: int) -> dt.date:
    k = d.year * 12 + d.month - 1 + n
    return dt.date(k // 12, k % 12 + 1, 1)


# ---------------------------------------------------------------- writing
class _Sink:
    def __init__(self, path: Path, schema: pa.Schema, fmt: str) -> None:
        self.fmt = fmt
        self.path = path
        if fmt == "parquet":
            self.writer: Any = pq.ParquetWriter(path, schema, compression="snappy")
        else:
            self.writer = pacsv.CSVWriter(path, schema)

    def write(self, table: pa.Table) -> None:
        if self.fmt == "parquet":
            self.writer.write_table(table, row_group_size=1 << 20)
        else:
            self.writer.write_table(table)

    def close(self) -> None:
        self.writer.close()


def _write_table(path: Path, table: pa.Table, fmt: str) -> None:
    if fmt == "parquet":
        pq.write_table(table, path)
    else:
        pacsv.write_csv(table, path)


class _Tables:
    def __init__(self, pop: Population, patient_ids: pa.Array, patient_birth: np.ndarray) -> None:
        self.clinic_ids = pa.array(pop.clinic_ids, pa.string())
        self.doctor_ids = pa.array(pop.doctor_ids, pa.string())
        self.patient_ids = patient_ids
        self.birth = pa.array(patient_birth.astype(np.int32), pa.int32()).cast(pa.date32())
        self.codes = pa.array(CODES, pa.string())
        teeth = [None] + [str(t) if t else None for t in range(1, 100)]
        self.teeth = pa.array(teeth, pa.string())

    def table(self, ch: Chunk, claim_prefix: str) -> pa.Table:
        claim = _ids(claim_prefix, ch.claim, 9)
        surfaces = pa.array(ch.surfaces.astype(np.int32), pa.int32(), mask=ch.surfaces == 0)
        return pa.Table.from_arrays(
            [
                claim,
                self.clinic_ids.take(pa.array(ch.clinic)),
                self.doctor_ids.take(pa.array(ch.doctor)),
                self.patient_ids.take(pa.array(ch.patient)),
                self.birth.take(pa.array(ch.patient)),
                pa.array(ch.date.astype(np.int32), pa.int32()).cast(pa.date32()),
                self.codes.take(pa.array(ch.code)),
                self.teeth.take(pa.array(ch.tooth.astype(np.int64))),
                surfaces,
                pa.array(ch.quantity.astype(np.int32), pa.int32()),
                pa.array(ch.points.astype(np.int64), pa.int64()),
            ],
            schema=CLAIMS_SCHEMA,
        )


@dataclass
class GenerateResult:
    out: Path
    lines: int
    quarter_lines: int
    clinics: int
    doctors: int
    patients: int
    roles: dict[str, Any]
    files: dict[str, Path]


def roles_by_id(result: GenerateResult) -> dict[str, Any]:
    """Role name → clinic_id (or list of clinic_ids / doctor_ids) for tests."""
    return result.roles


def generate(
    out: str | Path,
    clinics: int,
    quarter: str,
    seed: int,
    *,
    lookback_quarters: int = 12,
    fmt: str = "parquet",
    region: str = "south",
    lines_per_clinic: int = 2500,
    progress: bool = False,
) -> GenerateResult:
    """Write the four input files to `out` and return what was written."""
    if fmt not in ("parquet", "csv"):
        raise ValueError("format must be parquet or csv")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    target = target_quarter(quarter)
    quarter = str(target)
    pop, rng = build_population(clinics, quarter, seed, region=region, lines_per_clinic=lines_per_clinic)
    n_south = pop.roles["south_count"]
    if n_south < len(pop.clinic_ids):
        pop.roles["other_first"] = n_south
    # the crafted cross-region doctor of the edge rows
    pop.doctor_ids.append(f"D{len(pop.doctor_ids) + 1:07d}")
    pop.doctor_region.append("central")
    pop.doctor_specialist = np.append(pop.doctor_specialist, False)
    crafted_doctor = len(pop.doctor_ids) - 1

    ext = "parquet" if fmt == "parquet" else "csv"
    files = {name: out / f"{name}.{ext}" for name in ("claims", "clinics", "doctors", "clinic_quarter")}
    quarters = [target.shift(-k) for k in range(lookback_quarters, -1, -1)]
    cases_per_clinic = lines_per_clinic / LINES_PER_CASE

    # edge rows first (they add patients), so the patient table is complete before any write
    edge_claim_base = 900_000_000
    n_pat = len(pop.patient_birth)
    edge, edge_births = _edge_rows(pop, target, edge_claim_base, n_pat, crafted_doctor)
    assert int(edge.doctor.max()) <= crafted_doctor
    birth = np.concatenate([pop.patient_birth, edge_births])
    patient_ids = _ids("P", np.arange(len(birth)), 9)
    tables = _Tables(pop, patient_ids, birth)

    sink = _Sink(files["claims"], CLAIMS_SCHEMA, fmt)
    total = 0
    quarter_lines = 0
    bar = _progress(progress)
    try:
        with bar:
            task = bar.add_task(f"claims {len(quarters)} quarters", total=len(quarters) + 1)
            for i, qq in enumerate(quarters):
                is_target = i == len(quarters) - 1
                ch = generate_quarter(
                    pop, rng, qq, is_target=is_target, claim_base=0, cases_per_clinic=cases_per_clinic
                )
                # write in slices of about a million lines
                t = tables.table(ch, f"{qq.year}{qq.number}")
                for off in range(0, t.num_rows, 1 << 20):
                    sink.write(t.slice(off, 1 << 20))
                total += t.num_rows
                if is_target:
                    quarter_lines += t.num_rows
                bar.advance(task)
                del ch, t
            te = tables.table(edge, "E")
            sink.write(te)
            total += te.num_rows
            bar.advance(task)
    finally:
        sink.close()

    _write_table(files["clinics"], _clinics_table(pop), fmt)
    _write_table(
        files["doctors"],
        pa.Table.from_arrays(
            [
                tables.doctor_ids,
                pa.array(pop.doctor_region, pa.string()),
                pa.array(pop.doctor_specialist.tolist()),
            ],
            schema=DOCTORS_SCHEMA,
        ),
        fmt,
    )
    _write_table(files["clinic_quarter"], _clinic_quarter_table(pop, rng, target), fmt)

    roles = _roles_to_ids(pop)
    roles["crafted_cross_doctor"] = pop.doctor_ids[crafted_doctor]
    return GenerateResult(
        out=out,
        lines=total,
        quarter_lines=quarter_lines,
        clinics=len(pop.clinic_ids),
        doctors=len(pop.doctor_ids),
        patients=len(birth),
        roles=roles,
        files=files,
    )


def _progress(enabled: bool) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
    )


def _clinics_table(pop: Population) -> pa.Table:
    kinds = pop.clinic_kind.tolist()
    names = [
        f"{'醫院' if k == 'hospital' else '牙醫診所'} {cid}"
        for cid, k in zip(pop.clinic_ids, kinds, strict=True)
    ]
    return pa.Table.from_arrays(
        [
            pa.array(pop.clinic_ids, pa.string()),
            pa.array(names, pa.string()),
            pa.array(pop.clinic_region.tolist(), pa.string()),
            pa.array(pop.clinic_kind.tolist(), pa.string()),
            pa.array(pop.opened.astype(np.int32), pa.int32()).cast(pa.date32()),
        ],
        schema=CLINICS_SCHEMA,
    )


def _clinic_quarter_table(pop: Population, rng: np.random.Generator, quarter: Quarter) -> pa.Table:
    n = len(pop.clinic_ids)
    roles = pop.roles
    sessions = np.round(np.clip(rng.normal(26, 6, n), 6, 60), 1)
    busy = rng.random(n) < 0.03
    sessions[busy] = np.round(rng.uniform(44, 55, busy.sum()), 1)
    sessions[roles["excluded_9"]] = 46.0
    sessions[roles["exact_s1_200k"]] = 44.0
    sessions[roles["busy_44_large"]] = 44.0
    outreach = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 31, n))
    outreach[roles["edge_a"]] = 12
    outreach[roles["edge_b"]] = 13
    outreach[roles["edge_c"]] = 0
    unimproved = rng.random(n) < 0.01
    unimproved[roles["unimproved"]] = True
    this_q = str(quarter)
    prev_q = str(quarter.shift(-1))
    ids, quarters, s, o, u = [], [], [], [], []
    for c in range(n):
        # last quarter's row differs, to show that rows of other quarters are ignored
        ids.append(pop.clinic_ids[c])
        quarters.append(prev_q)
        s.append(float(min(60.0, sessions[c] + 3)))
        o.append(int(outreach[c]) + 5)
        u.append(not bool(unimproved[c]))
        if c == roles["no_cq_row"]:
            continue
        ids.append(pop.clinic_ids[c])
        quarters.append(this_q)
        s.append(float(sessions[c]))
        o.append(int(outreach[c]))
        u.append(bool(unimproved[c]))
    return pa.Table.from_arrays(
        [
            pa.array(ids, pa.string()),
            pa.array(quarters, pa.string()),
            pa.array(s, pa.float64()),
            pa.array(o, pa.int64()),
            pa.array(u, pa.bool_()),
        ],
        schema=CLINIC_QUARTER_SCHEMA,
    )


def _roles_to_ids(pop: Population) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pop.roles.items():
        if k in ("south_count", "other_count", "cross_doctors"):
            out[k] = v
        elif isinstance(v, list):
            out[k] = [pop.clinic_ids[i] for i in v]
        else:
            out[k] = pop.clinic_ids[int(v)]
    return out


# ---------------------------------------------------------------- replication (10×)
def replicate(
    src: str | Path,
    dst: str | Path,
    times: int,
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> None:
    """Build a `times`× data set from `src` by copying every id with a suffix `_k` (DuckDB COPY)."""
    import duckdb

    src, dst = Path(src), Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads={int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit='{memory_limit}'")
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET temp_directory='{dst / '.tmp'}'")
    con.execute(f"CREATE TEMP TABLE k AS SELECT range AS k FROM range({int(times)})")

    def sfx(col: str) -> str:
        return f"CASE WHEN k = 0 THEN {col} ELSE {col} || '_' || k::VARCHAR END AS {col}"

    def copy(name: str, select: str) -> None:
        target = dst / f"{name}.parquet"
        con.execute(f"COPY ({select}) TO '{target}' (FORMAT parquet, ROW_GROUP_SIZE 1048576)")

    s = f"'{src}"
    copy(
        "claims",
        f"SELECT {sfx('claim_id')}, {sfx('clinic_id')}, {sfx('doctor_id')}, {sfx('patient_id')}, "
        f"birth_date, visit_date, order_code, tooth, surfaces, quantity, points "
        f"FROM k, read_parquet({s}/claims.parquet')",
    )
    copy(
        "clinics",
        f"SELECT {sfx('clinic_id')}, name, region, kind, opened_on "
        f"FROM k, read_parquet({s}/clinics.parquet')",
    )
    copy(
        "doctors",
        f"SELECT {sfx('doctor_id')}, home_region, specialist FROM k, read_parquet({s}/doctors.parquet')",
    )
    copy(
        "clinic_quarter",
        f"SELECT {sfx('clinic_id')}, quarter, sessions_per_month, outreach_sessions_year, "
        f"unimproved_after_agreement FROM k, read_parquet({s}/clinic_quarter.parquet')",
    )
    con.close()
