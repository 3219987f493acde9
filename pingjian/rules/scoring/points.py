"""Scoring method ``points`` (配分加總, postpartum-111): the total is the sum of the item points.

Item points are summed exactly and the total rounded half-up once (seed 002 附件2 三(二)); the
result passes when the rounded total reaches ``pass_threshold`` (69.995 → 70.00 → pass, as 附件2
rounds 「總分之數值」 before the 「總分70分以上」 test).
"""

from __future__ import annotations

from fractions import Fraction

from pingjian.rules.program_schema import Program
from pingjian.rules.scoring.numbers import exact_text
from pingjian.rules.scoring.result import ItemScore

LABEL = "配分加總"
THRESHOLD_WORDING = ("總分", " 分")  # what the threshold compares, and its unit, in the trace


def highest_total(program: Program) -> Fraction:
    """The largest total this method can produce: every item at its maximum."""
    return Fraction(program.max_total)


def group_subtotal(members: list[ItemScore]) -> tuple[Fraction, Fraction]:
    """(points earned, applicable maximum) of a group's items; exempt items count in neither."""
    earned = sum((s.points for s in members if s.points is not None), Fraction(0))
    possible = sum((Fraction(s.max) for s in members if s.points is not None), Fraction(0))
    return earned, possible


def total(applicable: list[ItemScore], trace: list[str]) -> tuple[Fraction, Fraction]:
    """(exact total, exact maximum): the applicable items' points and maxima, summed unrounded."""
    exact_total = sum((s.points for s in applicable if s.points is not None), Fraction(0))
    exact_max = sum((Fraction(s.max) for s in applicable), Fraction(0))
    trace.append(
        f"各項分數先行加總（不先四捨五入）：總分 = {exact_text(exact_total)} 分"
        f"（滿分 {exact_text(exact_max)}）"
    )
    return exact_total, exact_max
