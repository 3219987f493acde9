"""One quarter of claim lines, drawn vectorised: cases per clinic, patients, doctors, codes, teeth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pingjian.dental.generate.catalogue import (
    CAT_CODES,
    CAT_NAMES,
    CODE_INDEX,
    CODE_POINTS,
    CODE_SURFACES,
    CODE_TOOTH_LEVEL,
    CONSULT,
    ORAL_EXAM,
    PERMANENT_TEETH,
    PRIMARY_TEETH,
)
from pingjian.dental.generate.dates import from_days, to_days
from pingjian.dental.generate.population import Population
from pingjian.rules.roc import Quarter


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
    qs_d, qe_d = to_days(quarter.start), to_days(quarter.end)
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
    month = np.array([(from_days(d).month - 1) % 3 for d in range(qs_d, qe_d + 1)])[case_date - qs_d]
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
