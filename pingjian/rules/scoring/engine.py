"""The scoring engine: one assessment under one program → total, result, reasons and a trace.

The steps are the same for every method; what a method decides (a group's subtotal, the total,
whether a threshold applies) comes from its module: `points`, `percent`, `all_met`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pingjian.rules.errors import AssessmentError
from pingjian.rules.program_schema import Program
from pingjian.rules.roc import roc_date
from pingjian.rules.scoring import all_met, percent, points
from pingjian.rules.scoring.inputs import read_assessment
from pingjian.rules.scoring.items import key_item_reasons, required_item_reasons, score_item
from pingjian.rules.scoring.numbers import decimal_text, exact_text, plain, round_half_up
from pingjian.rules.scoring.preconditions import check_preconditions
from pingjian.rules.scoring.result import ItemScore, Outcome, ScoreResult

Subtotal = Callable[[list[ItemScore]], tuple[Fraction, Fraction]]
Total = Callable[[list[ItemScore], list[str]], tuple[Fraction, Fraction]]

METHOD_LABELS = {"points": points.LABEL, "percent": percent.LABEL, "all_met": all_met.LABEL}
GROUP_SUBTOTALS: dict[str, Subtotal] = {
    "points": points.group_subtotal,
    "percent": percent.group_subtotal,
    "all_met": all_met.group_subtotal,
}
HIGHEST_TOTALS: dict[str, Callable[[Program], Fraction]] = {
    "points": points.highest_total,
    "percent": percent.highest_total,
    "all_met": all_met.highest_total,
}
TOTALS: dict[str, Total] = {"points": points.total, "percent": percent.total, "all_met": all_met.total}
# The methods with a pass threshold: what the threshold compares and its unit, for the trace.
THRESHOLD_WORDING = {"points": points.THRESHOLD_WORDING, "percent": percent.THRESHOLD_WORDING}


def total_range(program: Program) -> tuple[Decimal, Decimal]:
    """(lowest, highest) total `score` can produce for PROGRAM, rounded as its totals are: 0 to
    the item points' sum (points), 0 to 100 (percent: psychiatric rehabilitation), 0 to the
    number of items (all_met). What a typed total is checked against until on-site scoring
    replaces it."""
    places = program.scoring.decimal_places
    highest = HIGHEST_TOTALS[program.scoring.method](program)
    return round_half_up(Fraction(0), places), round_half_up(highest, places)


def score(program: Program, assessment: dict[str, Any], today: dt.date | None = None) -> ScoreResult:
    """Score ASSESSMENT (the contract's input, parsed) under PROGRAM. Raises AssessmentError
    naming the item and field for any bad input. TODAY stands in for ``assessed_on`` when absent."""
    if not isinstance(program, Program):
        raise AssessmentError(
            f"program {getattr(program, 'id', program)!r} has no scoring items (not scored here)"
        )
    given = read_assessment(program, assessment, today)
    assessed_on = given.assessed_on

    method = program.scoring.method
    places = program.scoring.decimal_places
    trace: list[str] = []
    steps: list[dict[str, Any]] = []
    reasons: list[str] = []
    trace.append(
        f"{program.title}（{program.id}），評分方式：{METHOD_LABELS[method]}；評核日 {roc_date(assessed_on)}"
    )
    steps.append(
        {
            "step": "program",
            "program": program.id,
            "method": method,
            "assessed_on": assessed_on.isoformat(),
            "reference": program.scoring.reference,
        }
    )

    preconditions = check_preconditions(program, given.preconditions, given.review, assessed_on, trace, steps)

    scores: dict[str, ItemScore] = {}
    for item in program.items:
        result = score_item(program, item, given.items[item.id], given.review)
        scores[item.id] = result
        shown = "—" if result.points is None else decimal_text(round_half_up(result.points, places))
        trace.append(f"{item.id} {item.title}：{result.explanation}（顯示 {shown}）")
        steps.append(
            {
                "step": "item",
                "item": item.id,
                "group": item.group,
                "form": result.form,
                "max": plain(item.max_points),
                "points_exact": None if result.points is None else exact_text(result.points),
                "points": None if result.points is None else shown,
                **result.detail,
            }
        )

    groups: dict[str, Decimal] = {}
    for group in program.groups:
        earned, possible = GROUP_SUBTOTALS[method]([s for s in scores.values() if s.group == group.id])
        groups[group.id] = round_half_up(earned, places)
        trace.append(
            f"{group.id} {group.title} 小計 {exact_text(earned)} 分（適用滿分 {exact_text(possible)}）"
        )
        steps.append(
            {
                "step": "group",
                "group": group.id,
                "exact": exact_text(earned),
                "points": decimal_text(groups[group.id]),
                "max": exact_text(possible),
            }
        )

    applicable = [s for s in scores.values() if s.points is not None]
    exact_total, exact_max = TOTALS[method](applicable, trace)
    # rounded once, after summation
    total = round_half_up(exact_total, places)
    max_total = round_half_up(exact_max, places)
    trace.append(f"四捨五入至小數點以下 {places} 位：{exact_text(exact_total)} → {decimal_text(total)}")
    steps.append(
        {
            "step": "total",
            "exact": exact_text(exact_total),
            "total": decimal_text(total),
            "max_total": decimal_text(max_total),
            "rounding": "half_up",
            "decimal_places": places,
        }
    )

    # reasons, in the contract's order: threshold, preconditions, key items, required items
    threshold = program.scoring.pass_threshold
    if method in THRESHOLD_WORDING and threshold is not None:
        reasons += _threshold_reasons(program, total, threshold, THRESHOLD_WORDING[method], trace, steps)
    reasons += preconditions
    reasons += key_item_reasons(program, scores, trace, steps)
    reasons += required_item_reasons(program, scores, trace, steps)
    if method == "all_met":
        reasons += all_met.item_reasons(program, scores, applicable, trace, steps)

    outcome: Outcome = "fail" if reasons else "pass"
    if program.kind == "certification":  # 認證: 通過/不通過 (seed 000 成績原則)
        trace.append(f"認證結果：{'通過' if outcome == 'pass' else '不通過'}（{outcome}）")
    else:
        trace.append(f"評鑑結果：{'合格' if outcome == 'pass' else '不合格'}（{outcome}）")
    steps.append({"step": "result", "result": outcome, "reason_codes": [r.split(":", 1)[0] for r in reasons]})
    return ScoreResult(
        program=program.id,
        method=method,
        assessed_on=assessed_on,
        total=total,
        max_total=max_total,
        exact_total=exact_total,
        result=outcome,
        reasons=reasons,
        groups=groups,
        items=scores,
        trace=trace,
        steps=steps,
        decimal_places=places,
        institution=given.institution,
    )


def _threshold_reasons(
    program: Program,
    total: Decimal,
    threshold: Decimal,
    wording: tuple[str, str],
    trace: list[str],
    steps: list[dict[str, Any]],
) -> list[str]:
    """The rounded total against the pass threshold: a ``below_threshold`` reason when short."""
    name, unit = wording
    passed_threshold = total >= threshold
    comparison = "≥" if passed_threshold else "<"
    trace.append(
        f"{name} {decimal_text(total)}{unit} {comparison} 合格標準 {plain(threshold)}{unit}："
        f"{'達' if passed_threshold else '未達'}合格標準（{program.scoring.reference}）"
    )
    steps.append(
        {
            "step": "threshold",
            "total": decimal_text(total),
            "threshold": plain(threshold),
            "passed": passed_threshold,
        }
    )
    if passed_threshold:
        return []
    return [f"below_threshold: {name} {decimal_text(total)}{unit}，未達合格標準 {plain(threshold)}{unit}"]
