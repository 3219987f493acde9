"""Seed 004 十三, 十四, 七 and 十五 in the light stage: who counts as a specialist, which
cross-region doctor-months count in 五.5/六.5, which are flagged for automatic repayment, and which
clinics are referred to the abnormal-case group (異常組). Pure Python, exact arithmetic.

- 十三 (專科醫師認定): a doctor whose cases (distinct claims, every line at any clinic, no
  exclusions) of one specialty are ≥ `specialist_share_min` % of the doctor's cases is a
  specialist; computed per doctor and quarter (and per month, for 十四). Pedo cases count only for
  patients aged ≤ `specialist_pedo_age_max` (the engine marks those lines).
- 十四: a cross-region doctor (home_region ≠ region) counts as a specialist at a clinic for a month
  only when that clinic applied for that month, and the month's claims meet 十三 for the specialty
  applied for; otherwise the doctor is a general supporting doctor in 五.5/六.5, with the reason.
  `doctors.specialist` true/false is the 認定 given as input and overrides both (contract); left
  empty, the claims decide.
- 七: from `auto_repayment_from` on, a cross-region doctor's month with T (reading 3) above
  `auto_repayment_points` is flagged 自動繳回 at every clinic of the region where the doctor claimed
  that month (specialists too: 七 makes no exception); before, the rule does not apply.
- 十五: a recorded refusal (of an interview, a repayment or an agreement) refers the clinic to the
  abnormal-case group; a refused 七 repayment is the case 七 names (拒絕者送異常組).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from pingjian.rules.dental_program import DentalProgram

REFUSAL_KINDS = {"interview": "約談", "repayment": "自動繳回", "agreement": "改善同意書"}


@dataclass(frozen=True)
class DoctorMonth:
    """One doctor's cases in one month (十三), at any clinic of any region."""

    cases: int
    by_specialty: dict[str, int]


@dataclass(frozen=True)
class Application:
    """A clinic's application (十四) for a cross-region doctor as a specialist in one month."""

    clinic_id: str
    doctor_id: str
    month: int  # yyyymm
    specialty: str
    declared_percent: Fraction | None
    row: int


@dataclass(frozen=True)
class Refusal:
    """A recorded refusal (十五) of an interview, a repayment or an agreement."""

    clinic_id: str
    kind: str
    doctor_id: str
    note: str
    row: int


@dataclass
class ClinicActions:
    """What 十四, 七 and 十五 found for one clinic (no points: the explanation and actions output)."""

    specialist_decisions: list[dict[str, Any]] = field(default_factory=list)
    repayments: list[dict[str, Any]] = field(default_factory=list)
    repayment_status: str = ""  # "flagged", "not_applicable" (before 七's first month) or ""
    refusals: list[dict[str, Any]] = field(default_factory=list)
    abnormal_group_reasons: list[str] = field(default_factory=list)

    @property
    def abnormal_group(self) -> bool:
        return bool(self.abnormal_group_reasons)


def month_text(month: int) -> str:
    return f"{month // 100:04d}-{month % 100:02d}"


def share_percent(n: int, cases: int) -> Fraction:
    return Fraction(100 * n, cases) if cases else Fraction(0)


def doctor_month_table(
    program: DentalProgram, rows: list[tuple[Any, ...]]
) -> dict[tuple[str, int], DoctorMonth]:
    ids = [sp.id for sp in program.specialties]
    return {
        (str(r[0]), int(r[1])): DoctorMonth(int(r[2]), dict(zip(ids, (int(x) for x in r[3:]), strict=True)))
        for r in rows
    }


def quarter_specialists(
    program: DentalProgram, table: dict[tuple[str, int], DoctorMonth]
) -> list[dict[str, Any]]:
    """十三 per doctor for the quarter: cases, each specialty's share, and the specialty (if any)
    whose share reaches the minimum (the largest share when two do)."""
    minimum = program.int_param("specialist_share_min")
    totals: dict[str, DoctorMonth] = {}
    for (doctor, _month), dm in sorted(table.items()):
        t = totals.get(doctor)
        if t is None:
            totals[doctor] = DoctorMonth(dm.cases, dict(dm.by_specialty))
        else:
            merged = {k: t.by_specialty[k] + dm.by_specialty[k] for k in t.by_specialty}
            totals[doctor] = DoctorMonth(t.cases + dm.cases, merged)
    out = []
    for doctor, t in sorted(totals.items()):
        shares = {k: share_percent(n, t.cases) for k, n in t.by_specialty.items()}
        met = [k for k, v in shares.items() if v >= minimum]
        best = max(met, key=lambda k: (shares[k], -list(shares).index(k))) if met else ""
        out.append({"doctor_id": doctor, "cases": t.cases, "shares": shares, "specialty": best})
    return out


def decide_cross_region(
    program: DentalProgram,
    rows: list[tuple[str, int, int]],
    clinic_id: str,
    override: dict[str, bool | None],
    table: dict[tuple[str, int], DoctorMonth],
    applications: dict[tuple[str, str, int], Application],
) -> tuple[list[tuple[str, int, int]], list[dict[str, Any]]]:
    """(the doctor-months that count as general support in 五.5/六.5, the 十四 decisions)."""
    minimum = program.int_param("specialist_share_min")
    titles = {sp.id: sp.title for sp in program.specialties}
    general: list[tuple[str, int, int]] = []
    decisions: list[dict[str, Any]] = []
    for doctor, month, t in rows:
        given = override.get(doctor)
        app = applications.get((clinic_id, doctor, month))
        base: dict[str, Any] = {"doctor_id": doctor, "month": month_text(month), "T": t}
        if given is True:
            decisions.append(
                {**base, "specialist": True, "reason": "doctors.specialist：認定為專科醫師（輸入）"}
            )
            continue
        if given is False:
            general.append((doctor, month, t))
            continue
        if app is None:
            general.append((doctor, month, t))
            dm = table.get((doctor, month))
            if dm and any(share_percent(n, dm.cases) >= minimum for n in dm.by_specialty.values()):
                decisions.append(
                    {**base, "specialist": False, "reason": "十四：院所未申請，視為一般支援醫師"}
                )
            continue
        dm = table.get((doctor, month), DoctorMonth(0, {}))
        n = dm.by_specialty.get(app.specialty, 0)
        share = share_percent(n, dm.cases)
        detail = {
            **base,
            "specialty": app.specialty,
            "cases": dm.cases,
            "specialty_cases": n,
            "share": _pct(share),
            "declared": None if app.declared_percent is None else _pct(app.declared_percent),
            "minimum": minimum,
        }
        if share >= minimum:
            decisions.append(
                {
                    **detail,
                    "specialist": True,
                    "reason": f"十四：申請 {titles[app.specialty]}，{month_text(month)} 案件數比例 "
                    f"{_pct(share)}% ≥ {minimum}%，認定為專科醫師",
                }
            )
        else:
            general.append((doctor, month, t))
            decisions.append(
                {
                    **detail,
                    "specialist": False,
                    "reason": f"十四：申請 {titles[app.specialty]}，{month_text(month)} 案件數比例 "
                    f"{_pct(share)}% < {minimum}%，不符十三，取消認定，視為一般支援醫師",
                }
            )
    return general, decisions


def repayments(program: DentalProgram, rows: list[tuple[str, int, int]]) -> tuple[list[dict[str, Any]], str]:
    """七: the doctor-months above the repayment threshold, and whether the rule applies to them
    ("flagged" from its first month on, "not_applicable" before)."""
    limit = program.int_param("auto_repayment_points")
    first = int(program.str_param("auto_repayment_from").replace("-", ""))
    over = [(d, m, t) for d, m, t in rows if t > limit]
    found = [
        {"doctor_id": d, "month": month_text(m), "T": t, "applies": m >= first} for d, m, t in sorted(over)
    ]
    if any(x["applies"] for x in found):
        return found, "flagged"
    return found, "not_applicable" if found else ""


def _pct(x: Fraction) -> str:
    """A percent for people: up to 4 decimals (half-up), trailing zeros dropped (69.9, 70)."""
    d = (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
