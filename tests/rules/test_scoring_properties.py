"""Hypothesis properties of the scoring engine on every evaluation/certification program file
(and on small synthetic programs of each method, so every property runs even before all files land)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pingjian.rules.program_schema import GRADE_ORDER, Program
from pingjian.rules.programs import list_programs, load_program
from pingjian.rules.scoring import score

from .test_scoring import all_met_program, percent_program

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def programs() -> list[Program]:
    found = [load_program(s.id) for s in list_programs()]
    return [p for p in found if isinstance(p, Program)] + [percent_program(), all_met_program()]


PROGRAMS = {p.id: p for p in programs()}


def item_value(item, draw) -> dict[str, Any]:
    options = []
    if "score" in item.forms:
        options.append("score")
    if "met" in item.forms:
        options.append("met")
    if "grade" in item.forms:
        options.append("grade")
    if "result" in item.forms:
        options.append("result")
    if item.exemptable:
        options.append("exempt")
    form = draw(st.sampled_from(options))
    if form == "score":
        hundredths = draw(st.integers(0, int(item.max_points * 1000)))
        return {"score": Decimal(hundredths) / 1000}
    if form == "met":
        n = len(item.requirements)
        na = draw(st.sets(st.integers(1, n), max_size=n - 1))
        met = draw(st.sets(st.sampled_from([i for i in range(1, n + 1) if i not in na])))
        return {"met": sorted(met), "not_applicable": sorted(na)}
    if form == "grade":
        return {"grade": draw(st.sampled_from(item.grades))}
    if form == "result":
        return {"result": draw(st.sampled_from(["met", "not_met", "not_applicable"]))}
    return {"exempt": True}


@st.composite
def assessments(draw, program: Program) -> dict[str, Any]:
    items = {item.id: item_value(item, draw) for item in program.items}
    if program.scoring.method == "all_met" and all(
        v.get("result") == "not_applicable" for v in items.values()
    ):
        pass  # vacuous pass is allowed
    pre = {
        p.id: draw(st.sampled_from(["compliant", "non_compliant", "remediation_pending"]))
        for p in program.preconditions
    }
    on = draw(st.dates(dt.date(2022, 7, 1), dt.date(2023, 1, 31)))
    return {"assessed_on": on, "preconditions": pre, "items": items}


def exact_sum(program: Program, result) -> Fraction:
    points = [s.points for s in result.items.values() if s.points is not None]
    if program.scoring.method == "points":
        return sum(points, Fraction(0))
    if program.scoring.method == "percent":
        maximum = sum((Fraction(s.max) for s in result.items.values() if s.points is not None), Fraction(0))
        return sum(points, Fraction(0)) / maximum * 100
    return Fraction(sum(1 for s in result.items.values() if s.points is not None and s.full))


def half_up(value: Fraction) -> Decimal:
    return Decimal(math.floor(value * 100 + Fraction(1, 2))) / 100


def expected_outcome(program: Program, data: dict[str, Any], total: Decimal) -> str:
    """The rules, written a second time: threshold, preconditions, key items, required, all_met."""
    fail = False
    if program.scoring.method != "all_met":
        fail |= total < program.scoring.pass_threshold
    for p in program.preconditions:
        status = data["preconditions"][p.id]
        fail |= status == "non_compliant"
        fail |= status == "remediation_pending" and data["assessed_on"] > p.remediation_deadline
    for item in program.items:
        value = data["items"][item.id]
        if item.key_min_grade and "grade" in value:
            fail |= GRADE_ORDER.index(value["grade"]) > GRADE_ORDER.index(item.key_min_grade)
        if program.scoring.method == "all_met":
            fail |= value.get("result") == "not_met"
    return "fail" if fail else "pass"


def improve(item, value) -> dict[str, Any] | None:
    """A strictly better (or equal) answer for the same item: one more met requirement, a better
    grade, a higher score, met instead of not met."""
    if "met" in value:
        free = [
            i
            for i in range(1, len(item.requirements) + 1)
            if i not in value["met"] and i not in value["not_applicable"]
        ]
        return {**value, "met": sorted([*value["met"], free[0]])} if free else None
    if "grade" in value:
        better = GRADE_ORDER.index(value["grade"]) - 1
        candidates = [g for g in item.grades if GRADE_ORDER.index(g) <= max(better, 0)]
        return {"grade": candidates[-1]} if better >= 0 and candidates else None
    if "score" in value:
        return {"score": min(item.max_points, value["score"] + Decimal("0.5"))}
    if value.get("result") == "not_met":
        return {"result": "met"}
    return None


@pytest.mark.parametrize("program_id", sorted(PROGRAMS))
def test_properties_on_every_program(program_id: str):
    program = PROGRAMS[program_id]

    @SETTINGS
    @given(data=assessments(program), which=st.integers(0, len(program.items) - 1))
    def check(data, which):
        result = score(program, data)
        # the total never exceeds the maximum
        assert result.total <= result.max_total
        # the total equals ROUND_HALF_UP of the exact sum of the item points
        assert result.exact_total == exact_sum(program, result)
        assert result.total == half_up(result.exact_total)
        # the result is pass iff the rules say so
        assert result.result == expected_outcome(program, data, result.total)
        # a better grade / one more met requirement / a higher score never lowers the total
        item = program.items[which]
        better = improve(item, data["items"][item.id])
        if better is not None:
            improved = score(program, {**data, "items": {**data["items"], item.id: better}})
            assert improved.exact_total >= result.exact_total
        # an exemption removes the item from both sides
        if item.exemptable:
            exempt = score(program, {**data, "items": {**data["items"], item.id: {"exempt": True}}})
            kept = [s for s in exempt.items.values() if s.points is not None]
            assert item.id not in {s.id for s in kept}
            if program.scoring.method == "percent" and kept:
                earned = sum((s.points for s in kept), Fraction(0))
                possible = sum((Fraction(s.max) for s in kept), Fraction(0))
                assert exempt.exact_total == earned / possible * 100

    check()
