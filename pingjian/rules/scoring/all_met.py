"""Scoring method ``all_met`` (全部符合, JCT): every applicable item must be met.

Items are judged by ``result`` (met / not_met / not_applicable); the total is the applicable
items met, the maximum the applicable items, and groups count the items met. The result passes
when no applicable item is not met.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from pingjian.rules.program_schema import Program
from pingjian.rules.scoring.numbers import exact_text
from pingjian.rules.scoring.result import ItemScore

LABEL = "全部符合"


def highest_total(program: Program) -> Fraction:
    """The largest total this method can produce: every item applicable and met."""
    return Fraction(len(program.items))


def group_subtotal(members: list[ItemScore]) -> tuple[Fraction, Fraction]:
    """(items met, applicable items) of a group."""
    earned = Fraction(sum(1 for s in members if s.points is not None and s.full))
    possible = Fraction(sum(1 for s in members if s.points is not None))
    return earned, possible


def total(applicable: list[ItemScore], trace: list[str]) -> tuple[Fraction, Fraction]:
    """(items met, applicable items)."""
    exact_total = Fraction(sum(1 for s in applicable if s.full))
    trace.append(f"適用項目 {len(applicable)} 項，符合 {exact_text(exact_total)} 項")
    return exact_total, Fraction(len(applicable))


def item_reasons(
    program: Program,
    scores: dict[str, ItemScore],
    applicable: list[ItemScore],
    trace: list[str],
    steps: list[dict[str, Any]],
) -> list[str]:
    """An ``item_not_met`` reason for each applicable item not met (a required one already has
    its own reason)."""
    reasons = []
    for item in program.items:
        s = scores[item.id]
        if s.points is not None and not s.full and not item.required:
            reasons.append(f"item_not_met: {item.id} {item.title} 未符合")
    not_met = [s.id for s in applicable if not s.full]
    trace.append("適用項目皆符合：通過" if not not_met else f"適用項目未符合：{'、'.join(not_met)}，不通過")
    steps.append({"step": "all_met", "not_met": not_met, "passed": not not_met})
    return reasons
