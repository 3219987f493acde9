"""The scoring engine (評分): one institution's assessment → total, result, reasons and a trace.

Implements the contract's "Scoring" section (docs: evaluation-programs.md) for the three methods a
program file can name in ``scoring.method``:

- ``points`` (postpartum-111): an item is given as ``score`` (0 ≤ score ≤ max) or ``met`` (the
  numbered requirements met, ``not_applicable`` optional); ``met`` earns max × met / applicable.
  Item points are summed exactly; the total is rounded half-up once (seed 002 附件2 三(二));
  pass when the rounded total ≥ ``pass_threshold``. Preconditions (seed 002 §六) fail the result
  when ``non_compliant``, or ``remediation_pending`` after their remediation deadline.
- ``percent`` (psychiatric rehabilitation): a ``grade`` earns ``grade_fractions[grade]`` of the
  item's points; an ``exempt`` item leaves numerator and denominator; percent = earned /
  applicable maximum × 100, rounded half-up; a key item graded below ``key_min_grade`` fails.
- ``all_met`` (JCT): ``result`` met / not_met / not_applicable; pass when no applicable item is
  not met; total = applicable items met, max_total = applicable items.

``required`` items (any method) fail the result unless they earn their full points.

Arithmetic is exact: numbers are read as ``Decimal`` (a binary float that reaches us, e.g. from
YAML, is read by its shortest decimal repr — the number its author wrote), computed as
``Fraction`` and rounded half-up once, after summation, to ``decimal_places``.

Readings fixed here: the threshold is compared with the rounded total (69.995 → 70.00 → pass, as
附件2 rounds 「總分之數值」 before the 「總分70分以上」 test); a remediation deadline is met on the day
itself (於 111 年 12 月 10 日前 = by the end of 2022-12-10), so ``remediation_pending`` fails from
2022-12-11 on; ``groups`` are the points earned per group (for ``all_met`` the items met); a
``met`` item whose requirements are all ``not_applicable`` is an error (there is nothing to score:
give a ``score``); an assessment's optional ``preliminary_review`` (seed 002 §八(三), rows by
number) decides the preconditions of rows 1–2 and the requirements rows 3–5 feed — a requirement
it decides need not be listed in ``met``, and may not be contradicted there.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation, localcontext
from fractions import Fraction
from typing import Any, Literal

from pingjian.rules.errors import AssessmentError
from pingjian.rules.program_schema import GRADE_ORDER, Item, Program

PRECONDITION_STATUSES = ("compliant", "non_compliant", "remediation_pending")
PRECONDITION_LABELS = {
    "compliant": "符合規定",
    "non_compliant": "不符合規定",
    "remediation_pending": "須限期改善或須再複評",
}
RESULT_VALUES = ("met", "not_met", "not_applicable")
RESULT_LABELS = {"met": "符合", "not_met": "不符合", "not_applicable": "不適用"}
REVIEW_VALUES = ("met", "not_met")
FORMS = ("score", "met", "grade", "result", "exempt")
TEXT_KEYS = ("note", "reason", "comment")  # free text recorded with an item (e.g. why exempt)
TOP_LEVEL = ("institution", "preconditions", "items", "assessed_on", "preliminary_review", "program")
METHOD_LABELS = {"points": "配分加總", "percent": "得分百分比", "all_met": "全部符合"}

Outcome = Literal["pass", "fail"]


# --------------------------------------------------------------------------- numbers


def round_half_up(value: Fraction, places: int) -> Decimal:
    """VALUE rounded half-up (四捨五入) to PLACES decimals, as a Decimal with exactly PLACES digits."""
    scale = 10**places
    scaled = value * scale
    sign = -1 if scaled < 0 else 1
    units = sign * math.floor(abs(scaled) + Fraction(1, 2))
    return Decimal(units).scaleb(-places)


def decimal_text(value: Decimal) -> str:
    """A decimal without exponent: ``Decimal('70.00')`` → ``70.00``."""
    return format(value, "f")


def plain(value: Decimal | Fraction) -> str:
    """A number written plainly: 4 → ``4``, 2.50 → ``2.5``; a non-terminating fraction as p/q."""
    if isinstance(value, Fraction):
        exact = exact_decimal(value)
        if exact is None:
            return f"{value.numerator}/{value.denominator}"
        value = exact
    normal = value.normalize()
    text = format(normal, "f")
    return text


def exact_decimal(value: Fraction) -> Decimal | None:
    """VALUE as an exact Decimal when its decimal expansion terminates, else None."""
    den = value.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        return None
    with localcontext() as ctx:
        ctx.prec = 100
        return Decimal(value.numerator) / Decimal(value.denominator)


def exact_text(value: Fraction) -> str:
    """The exact value for a trace: ``69.995``, or ``1397/20``-style with an approximation."""
    exact = exact_decimal(value)
    if exact is not None:
        return plain(exact)
    with localcontext() as ctx:
        ctx.prec = 30
        approx = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{value.numerator}/{value.denominator}（≈{format(approx.quantize(Decimal('1e-10')), 'f')}…）"


def _number(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise AssessmentError(f"{where}: expected a number, got {value!r}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # the shortest decimal that reads back as this float
    elif isinstance(value, str) and re.fullmatch(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*", value):
        number = Decimal(value.strip())
    else:
        raise AssessmentError(f"{where}: expected a number, got {value!r}")
    try:
        if not number.is_finite():
            raise AssessmentError(f"{where}: expected a finite number, got {value!r}")
    except InvalidOperation as exc:  # pragma: no cover - defensive
        raise AssessmentError(f"{where}: expected a number, got {value!r}") from exc
    return number


def _roc(d: dt.date) -> str:
    """``111/12/10`` — ROC dates for the trace."""
    try:
        from pingjian.rules.roc import roc_date

        return roc_date(d)
    except Exception:  # pragma: no cover - fallback while the calendar module is being edited
        return f"{d.year - 1911}/{d.month:02}/{d.day:02}"


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class ItemScore:
    """One item's outcome: its exact points (None when exempt or not applicable) and why."""

    id: str
    group: str
    max: Decimal
    points: Fraction | None
    form: str
    full: bool  # earned its full points (a required item is met)
    explanation: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoreResult:
    program: str
    method: str
    assessed_on: dt.date
    total: Decimal
    max_total: Decimal
    exact_total: Fraction
    result: Outcome
    reasons: list[str]
    groups: dict[str, Decimal]
    items: dict[str, ItemScore]
    trace: list[str]
    steps: list[dict[str, Any]]
    decimal_places: int = 2
    institution: dict[str, Any] | None = None

    @property
    def reason_codes(self) -> list[str]:
        return [r.split(":", 1)[0] for r in self.reasons]

    def item_points(self, item_id: str) -> str | None:
        points = self.items[item_id].points
        return None if points is None else decimal_text(round_half_up(points, self.decimal_places))

    def to_json(self) -> dict[str, Any]:
        """The contract's output: numbers as decimal strings, totals and groups with 2 decimals."""
        out: dict[str, Any] = {"program": self.program}
        if self.institution is not None:
            out["institution"] = self.institution
        out.update(
            {
                "assessed_on": self.assessed_on.isoformat(),
                "total": decimal_text(self.total),
                "max_total": decimal_text(self.max_total),
                "result": self.result,
                "reasons": list(self.reasons),
                "groups": {g: decimal_text(v) for g, v in self.groups.items()},
                "items": {
                    i: {"points": self.item_points(i), "max": plain(s.max)} for i, s in self.items.items()
                },
                "trace": list(self.trace),
                "steps": self.steps,
            }
        )
        return out


# --------------------------------------------------------------------------- input


def _assessed_on(raw: Any, today: dt.date | None) -> dt.date:
    if raw is None:
        return today or dt.date.today()
    if isinstance(raw, dt.datetime):
        raise AssessmentError(f"assessed_on: expected a date (YYYY-MM-DD), got {raw!r}")
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise AssessmentError(f"assessed_on: not an ISO date (YYYY-MM-DD): {raw!r}")


def _numbers(value: Any, where: str, count: int) -> list[int]:
    if not isinstance(value, list):
        raise AssessmentError(f"{where}: expected a list of requirement numbers 1…{count}, got {value!r}")
    numbers: list[int] = []
    for entry in value:
        if isinstance(entry, bool) or not isinstance(entry, int | Decimal):
            raise AssessmentError(f"{where}: {entry!r} is not a requirement number (1…{count})")
        if isinstance(entry, Decimal):
            if entry != entry.to_integral_value():
                raise AssessmentError(f"{where}: {entry} is not a requirement number (1…{count})")
            entry = int(entry)
        if not 1 <= entry <= count:
            raise AssessmentError(f"{where}: requirement {entry} is outside 1…{count}")
        if entry in numbers:
            raise AssessmentError(f"{where}: requirement {entry} is listed twice")
        numbers.append(entry)
    return sorted(numbers)


def _review_rows(program: Program, raw: Any) -> dict[int, str]:
    """The optional ``preliminary_review`` of an assessment: row number → value."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise AssessmentError("preliminary_review: expected an object of row number → result")
    rows = {c.number: c for c in program.preliminary_review}
    values: dict[int, str] = {}
    for key, value in raw.items():
        try:
            number = int(str(key))
        except ValueError:
            number = -1
        check = rows.get(number)
        if check is None:
            known = ", ".join(str(n) for n in rows) or "none"
            raise AssessmentError(f"preliminary_review.{key}: unknown row (rows: {known})")
        allowed = PRECONDITION_STATUSES if check.precondition else REVIEW_VALUES
        if value not in allowed:
            raise AssessmentError(f"preliminary_review.{key}: {value!r} is not one of {', '.join(allowed)}")
        values[number] = value
    return values


# --------------------------------------------------------------------------- items


def _score_item(program: Program, item: Item, raw: Any, review: dict[int, str]) -> ItemScore:
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
    maximum = item.max_points
    max_f = Fraction(maximum)
    if form == "exempt":
        if not item.exemptable:
            raise AssessmentError(f"{where}.exempt: item {item.id} may not be exempted (不可免評)")
        if raw["exempt"] is not True:
            raise AssessmentError(f"{where}.exempt: expected true, got {raw['exempt']!r}")
        note = raw.get("reason") or raw.get("note") or ""
        return ItemScore(
            item.id,
            item.group,
            maximum,
            None,
            form,
            False,
            f"免評，不計入分子及分母{('（' + str(note) + '）') if note else ''}",
            {"exempt": True},
        )
    if form not in item.forms:
        raise AssessmentError(
            f"{where}.{form}: item {item.id} is not assessed by `{form}` (it accepts {accepted})"
        )

    if form == "score":
        value = _number(raw["score"], f"{where}.score")
        if not Decimal(0) <= value <= maximum:
            raise AssessmentError(f"{where}.score: {value} is outside 0…{plain(maximum)}")
        points = Fraction(value)
        return ItemScore(
            item.id,
            item.group,
            maximum,
            points,
            form,
            points == max_f,
            f"評分 {plain(value)} 分（滿分 {plain(maximum)}）",
            {"score": plain(value)},
        )

    if form == "met":
        count = len(item.requirements)
        met = _numbers(raw["met"], f"{where}.met", count)
        not_applicable = _numbers(raw.get("not_applicable", []), f"{where}.not_applicable", count)
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
        points = max_f * Fraction(len(met), applicable)
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
            form,
            len(met) == applicable,
            explanation,
            {"met": met, "not_applicable": not_applicable, "applicable": applicable},
        )

    if form == "grade":
        grade = raw["grade"]
        grades = item.grades or []
        if grade not in grades:
            raise AssessmentError(
                f"{where}.grade: {grade!r} is not a grade of item {item.id} ({'/'.join(grades)})"
            )
        fraction = Fraction(program.scoring.grade_fractions[grade])
        points = max_f * fraction
        return ItemScore(
            item.id,
            item.group,
            maximum,
            points,
            form,
            fraction == 1,
            f"評等 {grade}，得 {plain(maximum)} × {plain(program.scoring.grade_fractions[grade])} = "
            f"{exact_text(points)} 分",
            {"grade": grade, "fraction": plain(program.scoring.grade_fractions[grade])},
        )

    # result
    value = raw["result"]
    if value not in RESULT_VALUES:
        raise AssessmentError(f"{where}.result: {value!r} is not one of {', '.join(RESULT_VALUES)}")
    if value == "not_applicable":
        return ItemScore(item.id, item.group, maximum, None, form, False, "不適用，不計入", {"result": value})
    points = max_f if value == "met" else Fraction(0)
    return ItemScore(
        item.id,
        item.group,
        maximum,
        points,
        form,
        value == "met",
        RESULT_LABELS[value],
        {"result": value},
    )


# --------------------------------------------------------------------------- the engine


def score(program: Program, assessment: dict[str, Any], today: dt.date | None = None) -> ScoreResult:
    """Score ASSESSMENT (the contract's input, parsed) under PROGRAM. Raises AssessmentError
    naming the item and field for any bad input. TODAY stands in for ``assessed_on`` when absent."""
    if not isinstance(program, Program):
        raise AssessmentError(
            f"program {getattr(program, 'id', program)!r} has no scoring items (not scored here)"
        )
    if not isinstance(assessment, dict):
        raise AssessmentError("assessment: expected an object with items (and preconditions, assessed_on)")
    unknown_top = sorted(set(assessment) - set(TOP_LEVEL))
    if unknown_top:
        raise AssessmentError(
            f"assessment: unknown field {unknown_top[0]!r} (expected {', '.join(TOP_LEVEL)})"
        )
    if "program" in assessment and assessment["program"] != program.id:
        raise AssessmentError(f"program: the assessment is for {assessment['program']!r}, not {program.id!r}")
    institution = assessment.get("institution")
    if institution is not None and not isinstance(institution, dict):
        raise AssessmentError('institution: expected an object such as {"id": …, "name": …}')
    assessed_on = _assessed_on(assessment.get("assessed_on"), today)
    review = _review_rows(program, assessment.get("preliminary_review"))

    raw_items = assessment.get("items")
    if not isinstance(raw_items, dict):
        raise AssessmentError("items: missing, or not an object of item id → result")
    known = {item.id for item in program.items}
    for item_id in raw_items:
        if item_id not in known:
            raise AssessmentError(f"items.{item_id}: unknown item of {program.id}")
    missing = [item.id for item in program.items if item.id not in raw_items]
    if missing:
        raise AssessmentError(f"items.{missing[0]}: missing (every item of {program.id} must be given)")

    method = program.scoring.method
    places = program.scoring.decimal_places
    trace: list[str] = []
    steps: list[dict[str, Any]] = []
    reasons: list[str] = []
    head = f"{program.title}（{program.id}），評分方式：{METHOD_LABELS[method]}；評核日 {_roc(assessed_on)}"
    trace.append(head)
    steps.append(
        {
            "step": "program",
            "program": program.id,
            "method": method,
            "assessed_on": assessed_on.isoformat(),
            "reference": program.scoring.reference,
        }
    )

    preconditions = _preconditions(
        program, assessment.get("preconditions"), review, assessed_on, trace, steps
    )

    scores: dict[str, ItemScore] = {}
    for item in program.items:
        result = _score_item(program, item, raw_items[item.id], review)
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
        members = [s for s in scores.values() if s.group == group.id]
        if method == "all_met":
            earned = Fraction(sum(1 for s in members if s.points is not None and s.full))
            possible = Fraction(sum(1 for s in members if s.points is not None))
        else:
            earned = sum((s.points for s in members if s.points is not None), Fraction(0))
            possible = sum((Fraction(s.max) for s in members if s.points is not None), Fraction(0))
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
    if method == "points":
        exact_total = sum((s.points for s in applicable if s.points is not None), Fraction(0))
        exact_max = sum((Fraction(s.max) for s in applicable), Fraction(0))
        trace.append(
            f"各項分數先行加總（不先四捨五入）：總分 = {exact_text(exact_total)} 分"
            f"（滿分 {exact_text(exact_max)}）"
        )
    elif method == "percent":
        earned = sum((s.points for s in applicable if s.points is not None), Fraction(0))
        possible = sum((Fraction(s.max) for s in applicable), Fraction(0))
        if possible == 0:
            raise AssessmentError("items: every item is exempt; there is nothing to score")
        exact_total = earned / possible * 100
        exact_max = Fraction(100)
        trace.append(
            f"得分 {exact_text(earned)} ÷ 適用滿分 {exact_text(possible)} × 100 = {exact_text(exact_total)}"
        )
    else:
        exact_total = Fraction(sum(1 for s in applicable if s.full))
        exact_max = Fraction(len(applicable))
        trace.append(f"適用項目 {len(applicable)} 項，符合 {exact_text(exact_total)} 項")
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
    if method != "all_met" and threshold is not None:
        unit = "%" if method == "percent" else " 分"
        name = "得分百分比" if method == "percent" else "總分"
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
        if not passed_threshold:
            reasons.append(
                f"below_threshold: {name} {decimal_text(total)}{unit}，未達合格標準 {plain(threshold)}{unit}"
            )
    reasons.extend(preconditions)
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
    for item in program.items:
        s = scores[item.id]
        if item.required and s.points is not None:
            steps.append({"step": "required_item", "item": item.id, "passed": s.full})
            if not s.full:
                trace.append(f"必要項目 {item.id}：未完全符合")
                reasons.append(
                    f"required_item_not_met: 必要項目 {item.id} {item.title} 未符合，評鑑結果不合格"
                )
    if method == "all_met":
        for item in program.items:
            s = scores[item.id]
            if s.points is not None and not s.full and not item.required:
                reasons.append(f"item_not_met: {item.id} {item.title} 未符合")
        not_met = [s.id for s in applicable if not s.full]
        trace.append(
            "適用項目皆符合：通過" if not not_met else f"適用項目未符合：{'、'.join(not_met)}，不通過"
        )
        steps.append({"step": "all_met", "not_met": not_met, "passed": not not_met})

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
        institution=institution,
    )


def _preconditions(
    program: Program,
    raw: Any,
    review: dict[int, str],
    assessed_on: dt.date,
    trace: list[str],
    steps: list[dict[str, Any]],
) -> list[str]:
    """Check the preconditions (seed 002 §六); return the `precondition_not_met` reasons."""
    given: dict[str, Any] = {}
    if raw is not None:
        if not isinstance(raw, dict):
            raise AssessmentError("preconditions: expected an object of precondition → status")
        given = dict(raw)
    known = {p.id: p for p in program.preconditions}
    for key in given:
        if key not in known:
            names = ", ".join(known) or "none"
            raise AssessmentError(
                f"preconditions.{key}: unknown precondition of {program.id} (it has: {names})"
            )
    for check in program.preliminary_review:
        if check.precondition and check.number in review:
            from_review = review[check.number]
            if check.precondition in given and given[check.precondition] != from_review:
                raise AssessmentError(
                    f"preconditions.{check.precondition}: {given[check.precondition]!r} contradicts "
                    f"preliminary review row {check.number} ({from_review!r})"
                )
            given[check.precondition] = from_review
    reasons = []
    for precondition in program.preconditions:
        if precondition.id not in given:
            raise AssessmentError(
                f"preconditions.{precondition.id}: missing ({', '.join(PRECONDITION_STATUSES)})"
            )
        status = given[precondition.id]
        if status not in PRECONDITION_STATUSES:
            raise AssessmentError(
                f"preconditions.{precondition.id}: {status!r} is not one of "
                f"{', '.join(PRECONDITION_STATUSES)}"
            )
        deadline = precondition.remediation_deadline
        failed = status == "non_compliant"
        line = f"前提條件 {precondition.title}：{PRECONDITION_LABELS[status]}"
        if status == "remediation_pending":
            if deadline is None:
                line += "（未定改善期限）"
            elif assessed_on > deadline:
                failed = True
                line += f"，改善期限 {_roc(deadline)} 已屆（評核日 {_roc(assessed_on)}）仍未完成"
            else:
                line += (
                    f"，改善期限 {_roc(deadline)} 尚未屆至（評核日 {_roc(assessed_on)}），"
                    "屆期仍未完成者不合格"
                )
        line += f"；{'評鑑結果不合格' if failed else '不影響評鑑結果'}（{precondition.reference}）"
        trace.append(line)
        steps.append(
            {
                "step": "precondition",
                "precondition": precondition.id,
                "status": status,
                "deadline": deadline.isoformat() if deadline else None,
                "passed": not failed,
            }
        )
        if failed:
            why = (
                "不符合規定"
                if status == "non_compliant"
                else f"須限期改善或複評，屆 {_roc(deadline) if deadline else ''} 仍未完成"
            )
            reasons.append(
                f"precondition_not_met: {precondition.title}：{why}，"
                f"公告為評鑑結果不合格（{precondition.reference}）"
            )
    return reasons
