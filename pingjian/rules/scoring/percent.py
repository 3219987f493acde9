"""Scoring method ``percent`` (得分百分比, psychiatric rehabilitation): earned ÷ applicable maximum × 100.

A graded item earns ``grade_fractions[grade]`` of its points; an exempt item leaves numerator and
denominator. The percentage is rounded half-up once and compared with ``pass_threshold``; a key
item graded below its ``key_min_grade`` fails the result (`items.key_item_reasons`).
"""

from __future__ import annotations

from fractions import Fraction

from pingjian.rules.errors import AssessmentError
from pingjian.rules.program_schema import Program
from pingjian.rules.scoring import points
from pingjian.rules.scoring.numbers import exact_text
from pingjian.rules.scoring.result import ItemScore

LABEL = "得分百分比"
THRESHOLD_WORDING = ("得分百分比", "%")  # what the threshold compares, and its unit, in the trace
PERCENT = Fraction(100)


def highest_total(program: Program) -> Fraction:
    """The largest total this method can produce: a percentage, 100 whatever the item points."""
    return PERCENT


def group_subtotal(members: list[ItemScore]) -> tuple[Fraction, Fraction]:
    """(points earned, applicable maximum) of a group's items, as for ``points``."""
    return points.group_subtotal(members)


def total(applicable: list[ItemScore], trace: list[str]) -> tuple[Fraction, Fraction]:
    """(exact percentage, 100); an assessment with every item exempt has nothing to score."""
    earned = sum((s.points for s in applicable if s.points is not None), Fraction(0))
    possible = sum((Fraction(s.max) for s in applicable), Fraction(0))
    if possible == 0:
        raise AssessmentError("items: every item is exempt; there is nothing to score")
    exact_total = earned / possible * PERCENT
    trace.append(
        f"得分 {exact_text(earned)} ÷ 適用滿分 {exact_text(possible)} × 100 = {exact_text(exact_total)}"
    )
    return exact_total, PERCENT
