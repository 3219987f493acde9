"""The light stage: indicator values, percentile ranks, point rules, exclusions, deductions,
the reference flag, levels and explanations — pure Python, exact arithmetic, no engine import.

The same code serves the claims path (measures from DuckDB or Spark) and a supplied indicator
table, so every source gives the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pingjian.dental.ranks import percentile_ranks
from pingjian.dental.specialists import ClinicActions
from pingjian.rules.dental_program import DentalProgram, Rule

Value = Fraction | None


@dataclass
class ClinicFacts:
    """Facts from `clinics` and `clinic_quarter` (rules 九, 十一, 六.4, new clinic)."""

    clinic_id: str
    region: str
    kind: str = "clinic"
    name: str = ""
    opened_on: date | None = None
    sessions_per_month: Fraction = Fraction(0)
    outreach_sessions_year: int = 0
    unimproved_after_agreement: bool = False
    has_quarter_row: bool = True


@dataclass
class ClinicInput:
    facts: ClinicFacts
    values: dict[str, Value]
    # doctor-month rows of non-specialist cross-region doctors who claimed here: (doctor, month, T)
    cross_region: list[tuple[str, int, int]] = field(default_factory=list)
    # (mid, high) counts when the source is an indicator table without doctor-month detail
    cross_region_counts: tuple[int, int] | None = None
    # 十四, 七, 十五 (no points): decisions on cross-region specialists, repayments, referrals
    actions: ClinicActions = field(default_factory=ClinicActions)


@dataclass
class Firing:
    """One rule that fired (or was withheld) for a clinic, with what lies behind it."""

    rule: str
    reference: str
    label: str
    points: int
    details: dict[str, Any]


@dataclass
class RuleFirings:
    """The firings of one point rule for one clinic; the rule's points are the sum of theirs."""

    rule: Rule
    firings: list[Firing] = field(default_factory=list)

    def fire(self, points: int, details: dict[str, Any], label: str | None = None) -> None:
        """Record that the rule fired for POINTS (0 when withheld). LABEL names what within the
        rule fired (an indicator, a case) and follows the rule's title: ``title：label``."""
        title = self.rule.title if label is None else f"{self.rule.title}：{label}"
        self.firings.append(Firing(self.rule.id, self.rule.reference, title, points, details))

    @property
    def total(self) -> int:
        return sum(f.points for f in self.firings)


@dataclass
class ClinicScore:
    clinic_id: str
    quarter: str
    excluded: bool
    exclusion_reason: str
    rule_points: dict[str, int | None]
    gross: int | None
    points: Fraction | None
    level: int | None
    flags: list[str]
    values: dict[str, Value]
    ranks: dict[str, int | None]
    firings: list[Firing]
    warnings: list[str] = field(default_factory=list)
    actions: ClinicActions = field(default_factory=ClinicActions)


def indicator_values(program: DentalProgram, measures: Mapping[str, int]) -> dict[str, Value]:
    """Non-derived indicators from integer measures: (Σ ± numerator) × scale / Σ denominator."""
    out: dict[str, Value] = {}
    for ind in program.indicators:
        if ind.derived is not None:
            continue
        num = sum(sign * int(measures.get(term, 0)) for sign, term in ind.numerator_terms)
        if ind.denominator_terms:
            den = sum(sign * int(measures.get(term, 0)) for sign, term in ind.denominator_terms)
            out[ind.id] = None if den == 0 else Fraction(num * ind.scale, den)
        else:
            out[ind.id] = Fraction(num * ind.scale)
    return out


def is_new_clinic(program: DentalProgram, facts: ClinicFacts, quarter_end: date) -> bool:
    """Reading 14: (last day of the quarter − opened_on) in days < new_clinic_days."""
    if facts.opened_on is None:
        return False
    return (quarter_end - facts.opened_on).days < program.int_param("new_clinic_days")


def cross_region_award(program: DentalProgram, rows: Iterable[tuple[str, int, int]]) -> tuple[int, int]:
    """(mid count, high count) of doctor-months by T band (五.5 / 六.5)."""
    mid_t, high_t = program.int_param("cross_region_mid"), program.int_param("cross_region_high")
    mid = high = 0
    for _doctor, _month, t in rows:
        if t > high_t:
            high += 1
        elif t > mid_t:
            mid += 1
    return mid, high


def derived_values(program: DentalProgram, inp: ClinicInput, quarter_end: date) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for ind in program.indicators:
        if ind.derived == "new_clinic_excess":
            s1 = inp.values.get("s1")
            if is_new_clinic(program, inp.facts, quarter_end) and s1 is not None:
                out[ind.id] = max(Fraction(0), s1 - program.int_param("new_clinic_cap"))
            else:
                out[ind.id] = None
        elif ind.derived == "cross_region_max":
            if ind.id in inp.values and not inp.cross_region:
                out[ind.id] = inp.values[ind.id]  # supplied indicator table
            else:
                ts = [t for _d, _m, t in inp.cross_region]
                out[ind.id] = Fraction(max(ts)) if ts else None
    return out


def level_for(program: DentalProgram, points: Fraction) -> int:
    """Section 八: the highest level whose lower bound the points reach ("at least")."""
    level = 0
    for lv in program.levels:
        if points >= lv.min_points:
            level = lv.level
    return level


def _bands(program: DentalProgram, rule: Rule) -> list[tuple[int, int, int]]:
    out = []
    for b in rule.bands:
        if b.min_param is not None:
            out.append((program.int_param(b.min_param), 100, b.points))
        else:
            pair = program.ints_param(b.band or "")
            out.append((pair[2 * b.index], pair[2 * b.index + 1], b.points))
    return out


def fmt(v: Value | int) -> str:
    """An exact value for people: integers as is, fractions to 4 decimals (half-up)."""
    if v is None:
        return "—"
    f = Fraction(v)
    if f.denominator == 1:
        return str(f.numerator)
    d = Decimal(f.numerator) / Decimal(f.denominator)
    return str(d.quantize(Decimal("0.0001"), rounding="ROUND_HALF_UP"))


def score_quarter(
    program: DentalProgram, quarter_label: str, quarter_end: date, inputs: list[ClinicInput]
) -> list[ClinicScore]:
    """Rank every indicator over the inputs (the region's scored clinics) and apply the rules."""
    inputs = sorted(inputs, key=lambda i: i.facts.clinic_id)
    for inp in inputs:
        inp.values = {**inp.values, **derived_values(program, inp, quarter_end)}
    method = program.str_param("pr_method")
    ranks_by_ind: dict[str, dict[str, int | None]] = {}
    for ind in program.indicators:
        col = {inp.facts.clinic_id: inp.values.get(ind.id) for inp in inputs}
        ranks_by_ind[ind.id] = percentile_ranks(col, method)
    return [
        score_clinic(
            program,
            quarter_label,
            quarter_end,
            inp,
            {k: ranks_by_ind[k][inp.facts.clinic_id] for k in ranks_by_ind},
        )
        for inp in inputs
    ]


def score_clinic(
    program: DentalProgram,
    quarter_label: str,
    quarter_end: date,
    inp: ClinicInput,
    ranks: dict[str, int | None],
) -> ClinicScore:
    p = program
    v = inp.values
    facts = inp.facts
    firings: list[Firing] = []
    rule_points: dict[str, int | None] = {}
    s1 = v.get("s1")
    s1_i = s1 if s1 is not None else None

    # 十: od_teeth PR below the minimum withholds the points of the listed indicators
    od_pr = ranks.get("od_teeth")
    withheld: set[str] = set()
    if od_pr is not None and od_pr < p.int_param("od_teeth_pr_min"):
        withheld = set(p.strs_param("od_low_withheld"))
        firings.append(
            Firing(
                "rule_10",
                "seed 004 十",
                "季 OD 總顆數低於百分位 15：指標 5、6、7、9、20 不計分",
                0,
                {
                    "od_teeth": fmt(v.get("od_teeth")),
                    "od_teeth_pr": od_pr,
                    "threshold_pr": p.int_param("od_teeth_pr_min"),
                    "withheld": sorted(withheld),
                },
            )
        )

    for rule in p.rules:
        fired = RuleFirings(rule)
        if rule.kind == "pr_bands":
            for ind_id in rule.indicators:
                pr = ranks.get(ind_id)
                if pr is None:
                    continue
                for lo, hi, pts in _bands(p, rule):
                    if lo <= pr <= hi:
                        base = {"indicator": ind_id, "value": fmt(v.get(ind_id)), "pr": pr, "band": [lo, hi]}
                        if ind_id in withheld:
                            fired.fire(
                                0,
                                {**base, "withheld_by": "rule_10", "would_earn": pts},
                                f"{ind_id}（十 不計分）",
                            )
                        else:
                            fired.fire(pts, base, ind_id)
                        break
        elif rule.kind == "new_clinic":
            if s1_i is not None and is_new_clinic(p, facts, quarter_end):
                over = s1_i - p.int_param("new_clinic_cap")
                b1, b2, b3 = p.ints_param("new_clinic_over_bands")
                pts_list = rule.points if isinstance(rule.points, list) else [1, 2, 3, 4]
                pts = 0
                if over > 0:
                    pts = (
                        pts_list[0]
                        if over < b1
                        else pts_list[1]
                        if over < b2
                        else (pts_list[2] if over < b3 else pts_list[3])
                    )
                if pts:
                    fired.fire(
                        pts,
                        {
                            "s1": fmt(s1_i),
                            "new_clinic_cap": p.int_param("new_clinic_cap"),
                            "over": fmt(over),
                            "opened_on": str(facts.opened_on),
                            "days_open": (quarter_end - facts.opened_on).days if facts.opened_on else None,
                            "bands": [b1, b2, b3],
                        },
                    )
        elif rule.kind == "s25_s1":
            pts, why = _s25_s1(p, v.get("s25"), s1_i)
            if pts:
                fired.fire(pts, {"s25": fmt(v.get("s25")), "s1": fmt(s1_i), "case": why}, why)
        elif rule.kind == "scaling_s1":
            s27 = v.get("s27")
            if (
                s27 is not None
                and s1_i is not None
                and s27 > p.int_param("scaling_ratio_min")
                and (s1_i >= p.int_param("s1_high"))
            ):
                fired.fire(
                    rule.points if isinstance(rule.points, int) else 2,
                    {
                        "s27": fmt(s27),
                        "s1": fmt(s1_i),
                        "scaling_ratio_min": p.int_param("scaling_ratio_min"),
                        "s1_high": p.int_param("s1_high"),
                    },
                )
        elif rule.kind == "cross_region":
            mid_pts, high_pts = p.ints_param("cross_region_points")
            cap_mid, cap_high = p.ints_param("cross_region_caps")
            if inp.cross_region_counts is not None and not inp.cross_region:
                n_mid, n_high = inp.cross_region_counts
            else:
                n_mid, n_high = cross_region_award(p, inp.cross_region)
            raw = n_mid * mid_pts + n_high * high_pts
            cap = cap_high if n_high else cap_mid
            pts = min(raw, cap)
            if pts:
                months = [
                    {
                        "doctor_id": d,
                        "month": m,
                        "T": t,
                        "points": high_pts if t > p.int_param("cross_region_high") else mid_pts,
                    }
                    for d, m, t in inp.cross_region
                    if t > p.int_param("cross_region_mid")
                ]
                fired.fire(
                    pts,
                    {
                        "doctor_months": months,
                        "mid_count": n_mid,
                        "high_count": n_high,
                        "uncapped": raw,
                        "cap": cap,
                        "thresholds": [p.int_param("cross_region_mid"), p.int_param("cross_region_high")],
                    },
                )
        elif rule.kind == "unimproved":
            if facts.unimproved_after_agreement:
                fired.fire(p.int_param("unimproved_points"), {"unimproved_after_agreement": True})
        elif rule.kind == "outreach_deduction":
            low, high = p.ints_param("outreach_deductions")
            n = facts.outreach_sessions_year
            pts = -high if n > p.int_param("outreach_high") else -low if n > 0 else 0
            if pts:
                fired.fire(pts, {"outreach_sessions_year": n, "outreach_high": p.int_param("outreach_high")})
        firings.extend(fired.firings)
        rule_points[rule.id] = fired.total

    firings.extend(_action_firings(p, inp.actions))

    # 十二: reference flag (reading 2: adds and removes nothing)
    flags: list[str] = []
    avg = v.get("avg_case_points")
    s25 = v.get("s25")
    if avg is not None and (
        avg >= p.int_param("reference_price_high")
        or (
            avg >= p.int_param("reference_price_low")
            and s25 is not None
            and s25 < p.int_param("reference_s25")
        )
    ):
        flags.append(p.reference_flag.flag)
        firings.append(
            Firing(
                p.reference_flag.id,
                p.reference_flag.reference,
                p.reference_flag.title,
                0,
                {
                    "avg_case_points": fmt(avg),
                    "s25": fmt(s25),
                    "price_high": p.int_param("reference_price_high"),
                    "price_low": p.int_param("reference_price_low"),
                    "s25_below": p.int_param("reference_s25"),
                },
            )
        )

    warnings = []
    if not facts.has_quarter_row:
        warnings.append(
            f"{facts.clinic_id}: no clinic_quarter row for {quarter_label}; "
            "sessions 0, outreach 0, unimproved false (reading 17)"
        )

    # 九: exclusion (reading 5: no points, no level; indicators, ranks and flags still written)
    excluded = (
        facts.sessions_per_month >= p.int_param("exclusion_sessions")
        and s1_i is not None
        and s1_i <= p.int_param("exclusion_s1_max")
    )
    if excluded:
        reason = (
            f"九：每月看診 {fmt(facts.sessions_per_month)} 診 ≥ {p.int_param('exclusion_sessions')} 且指標 1 "
            f"{fmt(s1_i)} ≤ {p.int_param('exclusion_s1_max')}"
        )
        firings.insert(
            0,
            Firing(
                "rule_9",
                "seed 004 九",
                "排除：每月看診 44 診以上且指標 1 在 20 萬點(含)以下",
                0,
                {
                    "sessions_per_month": fmt(facts.sessions_per_month),
                    "s1": fmt(s1_i),
                    "exclusion_sessions": p.int_param("exclusion_sessions"),
                    "exclusion_s1_max": p.int_param("exclusion_s1_max"),
                },
            ),
        )
        return ClinicScore(
            facts.clinic_id,
            quarter_label,
            True,
            reason,
            dict.fromkeys(rule_points),
            None,
            None,
            None,
            flags,
            v,
            ranks,
            firings,
            warnings,
            inp.actions,
        )

    gross = sum(pt for pt in rule_points.values() if pt is not None and pt > 0)
    deduction = sum(pt for pt in rule_points.values() if pt is not None and pt < 0)
    points = Fraction(max(0, gross + deduction))  # reading 6
    return ClinicScore(
        facts.clinic_id,
        quarter_label,
        False,
        "",
        rule_points,
        gross,
        points,
        level_for(p, points),
        flags,
        v,
        ranks,
        firings,
        warnings,
        inp.actions,
    )


def _action_firings(p: DentalProgram, a: ClinicActions) -> list[Firing]:
    """十四, 七 and 十五 in the trace: they give no points (0), they say what is to be done."""
    out = []
    act = p.actions
    for d in a.specialist_decisions:
        out.append(Firing("rule_14", act["cross_region_specialist"].reference, d["reason"], 0, d))
    if a.repayments:
        applies = a.repayment_status == "flagged"
        label = (
            f"七：跨區支援醫師單月申報超過 {p.int_param('auto_repayment_points')} 點，"
            "自動繳回（拒絕者送異常組）"
            if applies
            else f"七：自 {p.str_param('auto_repayment_from')} 起適用，本期之月份不適用"
        )
        out.append(
            Firing(
                "rule_7",
                act["auto_repayment"].reference,
                label,
                0,
                {
                    "doctor_months": a.repayments,
                    "threshold": p.int_param("auto_repayment_points"),
                    "from": p.str_param("auto_repayment_from"),
                    "status": a.repayment_status,
                },
            )
        )
    if a.abnormal_group:
        out.append(
            Firing(
                "rule_15",
                act["non_cooperation"].reference,
                "移交異常組：" + "；".join(a.abnormal_group_reasons),
                0,
                {"refusals": a.refusals},
            )
        )
    return out


def _s25_s1(p: DentalProgram, s25: Value, s1: Value) -> tuple[int, str]:
    """三.4 / 四.4 / 五.3 / 六.3: one outcome per clinic from s25 (percent) and s1."""
    if s25 is None or s1 is None:
        return 0, ""
    lo25, mid25, hi25 = p.int_param("s25_low"), p.int_param("s25_mid"), p.int_param("s25_high")
    lo1, hi1 = p.int_param("s1_low"), p.int_param("s1_high")
    if s25 < hi25 and s1 < lo1:
        return 1, f"s25 < {hi25} 且 s1 < {lo1}"
    if mid25 <= s25 < hi25 and lo1 <= s1 < hi1:
        return 2, f"{mid25} ≤ s25 < {hi25} 且 {lo1} ≤ s1 < {hi1}"
    if mid25 <= s25 < hi25 and s1 >= hi1:
        return 3, f"{mid25} ≤ s25 < {hi25} 且 s1 ≥ {hi1}"
    if lo25 <= s25 < mid25 and s1 >= lo1:
        return 3, f"{lo25} ≤ s25 < {mid25} 且 s1 ≥ {lo1}"
    if s25 < lo25 and lo1 < s1 < hi1:
        return 3, f"s25 < {lo25} 且 {lo1} < s1 < {hi1}"
    if s25 < lo25 and s1 >= hi1:
        return 4, f"s25 < {lo25} 且 s1 ≥ {hi1}"
    return 0, ""


def combine_periods(
    program: DentalProgram, label: str, per_quarter: list[list[ClinicScore]]
) -> list[ClinicScore]:
    """Section 二: half-year / year runs sum each clinic's quarterly points and divide by 2 or 4;
    the level is then the highest band whose lower bound the quotient reaches. A quarter in which
    the clinic was excluded (九) or not scored contributes 0; the divisor stays 2 or 4. A clinic
    excluded in every quarter it was scored in (a quarter without lines is not scored, reading
    19) is excluded for the period (reading 5: no points, no level)."""
    divisor = {1: 1, 2: 2, 4: 4}[len(per_quarter)]
    by_clinic: dict[str, list[ClinicScore]] = {}
    for scores in per_quarter:
        for s in scores:
            by_clinic.setdefault(s.clinic_id, []).append(s)
    out = []
    for cid in sorted(by_clinic):
        items = by_clinic[cid]
        last = items[-1]
        total = sum((s.points or Fraction(0)) for s in items)
        pts = Fraction(total, divisor)
        rule_points: dict[str, int | None] = {}
        for rid in last.rule_points:
            vals = [s.rule_points.get(rid) for s in items]
            rule_points[rid] = sum(x for x in vals if x is not None)
        excluded_all = all(s.excluded for s in items)
        flags = sorted({f for s in items for f in s.flags})
        firings = [
            Firing(
                "period",
                "seed 004 二",
                f"{label}：各季積分合計 ÷ {divisor}",
                0,
                {
                    "quarters": {s.quarter: (fmt(s.points) if s.points is not None else None) for s in items},
                    "sum": fmt(total),
                    "divisor": divisor,
                    "points": fmt(pts),
                },
            )
        ]
        for s in items:
            firings.extend(
                Firing(f.rule, f.reference, f"{s.quarter} {f.label}", f.points, f.details) for f in s.firings
            )
        out.append(
            ClinicScore(
                cid,
                label,
                excluded_all,
                last.exclusion_reason if excluded_all else "",
                dict.fromkeys(rule_points) if excluded_all else rule_points,
                None if excluded_all else sum(s.gross or 0 for s in items),
                None if excluded_all else pts,
                None if excluded_all else level_for(program, pts),
                flags,
                last.values,
                last.ranks,
                firings,
                [w for s in items for w in s.warnings],
                _merge_actions([s.actions for s in items]),
            )
        )
    return out


def _merge_actions(items: list[ClinicActions]) -> ClinicActions:
    status = (
        "flagged"
        if any(a.repayment_status == "flagged" for a in items)
        else ("not_applicable" if any(a.repayment_status for a in items) else "")
    )
    return ClinicActions(
        [d for a in items for d in a.specialist_decisions],
        [r for a in items for r in a.repayments],
        status,
        [r for a in items for r in a.refusals],
        list(dict.fromkeys(x for a in items for x in a.abnormal_group_reasons)),
    )
