"""Scoring (評分): one institution's assessment → total, result, reasons and a trace.

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

Modules: `inputs` reads the assessment, `items` scores an item in its form, `preconditions`
checks seed 002 §六, `points` / `percent` / `all_met` are the methods, `numbers` rounds and
writes exact numbers, `engine` runs the steps, `result` holds what comes out.
"""

from pingjian.rules.scoring.engine import METHOD_LABELS, score, total_range
from pingjian.rules.scoring.inputs import (
    FORMS,
    PRECONDITION_STATUSES,
    RESULT_VALUES,
    REVIEW_VALUES,
    TEXT_KEYS,
    TOP_LEVEL,
)
from pingjian.rules.scoring.items import RESULT_LABELS
from pingjian.rules.scoring.numbers import decimal_text, exact_decimal, exact_text, plain, round_half_up
from pingjian.rules.scoring.preconditions import PRECONDITION_LABELS
from pingjian.rules.scoring.result import ItemScore, Outcome, ScoreResult

__all__ = [
    "FORMS",
    "METHOD_LABELS",
    "PRECONDITION_LABELS",
    "PRECONDITION_STATUSES",
    "RESULT_LABELS",
    "RESULT_VALUES",
    "REVIEW_VALUES",
    "TEXT_KEYS",
    "TOP_LEVEL",
    "ItemScore",
    "Outcome",
    "ScoreResult",
    "decimal_text",
    "exact_decimal",
    "exact_text",
    "plain",
    "round_half_up",
    "score",
    "total_range",
]
