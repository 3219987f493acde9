"""The population fixed across quarters: clinics, doctors, rosters, patient pools and the roles
that place the contract's edge cases at known clinics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pingjian.dental.generate.catalogue import BASE_MIX, CAT_NAMES, LINES_PER_CASE, PERMANENT_TEETH
from pingjian.dental.generate.dates import target_quarter, to_days

OTHER_REGIONS = ("taipei", "north", "central", "kaoping", "east")
REGION_PREFIX = {"south": "35", "taipei": "01", "north": "31", "central": "36", "kaoping": "41", "east": "45"}


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
    scored_quarter = target_quarter(quarter)
    qstart, qend = scored_quarter.start, scored_quarter.end

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

    qend_days = to_days(qend)
    qstart_days = to_days(qstart)
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
