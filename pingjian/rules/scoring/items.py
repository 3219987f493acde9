"""One item's result in the form the assessment gives it, and the item rules that fail a result.

Forms (contract, "Scoring"): ``score`` (0 ≤ score ≤ max), ``met`` (the numbered requirements met,
``not_applicable`` optional; earns max × met / applicable), ``grade`` (earns the program's
``grade_fractions[grade]`` of the max), ``result`` (met / not_met / not_applicable) and
``exempt`` where the criterion allows exemption (免評: leaves numerator and denominator).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from pingjian.rules.errors import AssessmentError
from pingjian.rules.program_schema import GRADE_ORDER, Item, Program
from pingjian.rules.scoring.inputs import FORMS, RESULT_VALUES, TEXT_KEYS, read_number, requirement_numbers
from pingjian.rules.scoring.numbers import exact_text, plain
from pingjian.rules.scoring.result import ItemScore

RESULT_LABELS = {"met": "符合", "not_met": "不符合", "not_applicable": "不適用"}


def score_item(program: Program, item: Item, raw: Any, review: dict[int, str]) -> ItemScore:
    """ITEM's outcome from its RAW result; REVIEW (preliminary review rows) may decide requirements."""
    where = f"items.{item.id}"
    if not isinstance(raw, dict):
        raise AssessmentError(f'{where}: expected an object such as {{"{item.forms[0]}": …}}')
    allowed_keys = set(FORMS) | set(TEXT_KEYS) | {"not_applicable"}
    unknown = sorted(set(raw) - allowed_keys)
    if unknown:
        raise AssessmentError(f"{where}: unknown field {unknown[0]!r}")
    forms = [f for f in FORMS if f in raw]
    accepted = ", ".join(item.forms + (["exempt"] if item.exemptable else []))
    if not forms:
        raise AssessmentError(f"{where}: no result given (the item accepts {accepted})")
    if len(forms) > 1:
        raise AssessmentError(
            f"{where}: give one form, not {' and '.join(forms)} (the item accepts {accepted})"
        )
    form = forms[0]
    if "not_applicable" in raw and form != "met":
        raise AssessmentError(f"{where}.not_applicable: only with `met`")
    if form == "exempt":
        return _exempt(item, raw, where)
    if form not in item.forms:
        raise AssessmentError(
            f"{where}.{form}: item {item.id} is not assessed by `{form}` (it accepts {accepted})"
        )
    if form == "score":
        return _by_score(item, raw, where)
    if form == "met":
        return _by_met(item, raw, review, where)
    if form == "grade":
        return _by_grade(program, item, raw, where)
    return _by_result(item, raw, where)


def _exempt(item: Item, raw: dict[str, Any], where: str) -> ItemScore:
    if not item.exemptable:
        raise AssessmentError(f"{where}.exempt: item {item.id} may not be exempted (不可免評)")
    if raw["exempt"] is not True:
        raise AssessmentError(f"{where}.exempt: expected true, got {raw['exempt']!r}")
    note = raw.get("reason") or raw.get("note") or ""
    return ItemScore(
        item.id,
        item.group,
        item.max_points,
        None,
        "exempt",
        False,
        f"免評，不計入分子及分母{('（' + str(note) + '）') if note else ''}",
        {"exempt": True},
    )


def _by_score(item: Item, raw: dict[str, Any], where: str) -> ItemScore:
    maximum = item.max_points
    value = read_number(raw["score"], f"{where}.score")
    if not Decimal(0) <= value <= maximum:
        raise AssessmentError(f"{where}.score: {value} is outside 0…{plain(maximum)}")
    points = Fraction(value)
    return ItemScore(
        item.id,
        item.group,
        maximum,
        points,
        "score",
        points == Fraction(maximum),
        f"評分 {plain(value)} 分（滿分 {plain(maximum)}）",
        {"score": plain(value)},
    )


def _by_met(item: Item, raw: dict[str, Any], review: dict[int, str], where: str) -> ItemScore:
    maximum = item.max_points
    count = len(item.requirements)
    met = requirement_numbers(raw["met"], f"{where}.met", count)
    not_applicable = requirement_numbers(raw.get("not_applicable", []), f"{where}.not_applicable", count)
    both = sorted(set(met) & set(not_applicable))
    if both:
        raise AssessmentError(f"{where}: requirement {both[0]} is both met and not_applicable")
    decided: list[str] = []
    for requirement in item.requirements:
        row = requirement.preliminary_review
        if row is None or row not in review:
            continue
        n = requirement.number
        if n in not_applicable:
            raise AssessmentError(
                f"{where}.not_applicable: requirement {n} is decided by preliminary review row {row}"
            )
        if review[row] == "met":
            if n not in met:
                met = sorted([*met, n])
            decided.append(f"基準說明 {n} 由初審序號 {row} 認定符合")
        else:
            if n in met:
                raise AssessmentError(
                    f"{where}.met: requirement {n} is listed as met but preliminary review row {row} "
                    f"found it not met"
                )
            decided.append(f"基準說明 {n} 由初審序號 {row} 認定不符合")
    applicable = count - len(not_applicable)
    if applicable == 0:
        raise AssessmentError(
            f"{where}.not_applicable: every requirement is not applicable; give a `score` instead"
        )
    points = Fraction(maximum) * Fraction(len(met), applicable)
    listed = "、".join(str(n) for n in met) or "無"
    na = f"，不適用 {'、'.join(str(n) for n in not_applicable)}" if not_applicable else ""
    review_note = f"；{'；'.join(decided)}" if decided else ""
    explanation = (
        f"符合基準說明 {listed}（{len(met)}/{applicable} 項適用{na}）{review_note}，"
        f"得分 {plain(maximum)} × {len(met)}/{applicable} = {exact_text(points)} 分"
    )
    return ItemScore(
        item.id,
        item.group,
        maximum,
        points,
        "met",
        len(met) == applicable,
        explanation,
        {"met": met, "not_applicable": not_applicable, "applicable": applicable},
    )


def _by_grade(program: Program, item: Item, raw: dict[str, Any], where: str) -> ItemScore:
    maximum = item.max_points
    grade = raw["grade"]
    grades = item.grades or []
    if grade not in grades:
        raise AssessmentError(
            f"{where}.grade: {grade!r} is not a grade of item {item.id} ({'/'.join(grades)})"
        )
    fraction = Fraction(program.scoring.grade_fractions[grade])
    points = Fraction(maximum) * fraction
    return ItemScore(
        item.id,
        item.group,
        maximum,
        points,
        "grade",
        fraction == 1,
        f"評等 {grade}，得 {plain(maximum)} × {plain(program.scoring.grade_fractions[grade])} = "
        f"{exact_text(points)} 分",
        {"grade": grade, "fraction": plain(program.scoring.grade_fractions[grade])},
    )


def _by_result(item: Item, raw: dict[str, Any], where: str) -> ItemScore:
    maximum = item.max_points
    value = raw["result"]
    if value not in RESULT_VALUES:
        raise AssessmentError(f"{where}.result: {value!r} is not one of {', '.join(RESULT_VALUES)}")
    if value == "not_applicable":
        return ItemScore(
            item.id, item.group, maximum, None, "result", False, "不適用，不計入", {"result": value}
        )
    points = Fraction(maximum) if value == "met" else Fraction(0)
    return ItemScore(
        item.id,
        item.group,
        maximum,
        points,
        "result",
        value == "met",
        RESULT_LABELS[value],
        {"result": value},
    )


def key_item_reasons(
    program: Program, scores: dict[str, ItemScore], trace: list[str], steps: list[dict[str, Any]]
) -> list[str]:
    """A key item (重點條文) graded below its ``key_min_grade`` fails the whole evaluation."""
    reasons = []
    for item in program.items:
        s = scores[item.id]
        if item.key and item.key_min_grade and s.form == "grade":
            grade = s.detail["grade"]
            low = GRADE_ORDER.index(grade) > GRADE_ORDER.index(item.key_min_grade)
            trace.append(
                f"重點條文 {item.id}：評等 {grade}，{'低於' if low else '不低於'} {item.key_min_grade}"
            )
            steps.append(
                {
                    "step": "key_item",
                    "item": item.id,
                    "grade": grade,
                    "minimum": item.key_min_grade,
                    "passed": not low,
                }
            )
            if low:
                reasons.append(
                    f"key_item_below_minimum: 重點條文 {item.id} {item.title} 評為 {grade}，"
                    f"低於 {item.key_min_grade}，評鑑結果不合格"
                )
    return reasons


def required_item_reasons(
    program: Program, scores: dict[str, ItemScore], trace: list[str], steps: list[dict[str, Any]]
) -> list[str]:
    """A ``required`` item (any method) fails the result unless it earns its full points."""
    reasons = []
    for item in program.items:
        s = scores[item.id]
        if item.required and s.points is not None:
            steps.append({"step": "required_item", "item": item.id, "passed": s.full})
            if not s.full:
                trace.append(f"必要項目 {item.id}：未完全符合")
                reasons.append(
                    f"required_item_not_met: 必要項目 {item.id} {item.title} 未符合，評鑑結果不合格"
                )
    return reasons
