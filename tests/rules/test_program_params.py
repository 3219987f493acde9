"""What-if parameters (issue 15 item 4): a program with a changed pass threshold or grade
fractions, validated, scored by the same rules core; the file's program never changes."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from pingjian.rules.errors import ParameterError
from pingjian.rules.program_params import (
    changed_parameters,
    parameter_labels,
    parse_assignments,
    program_parameters,
    with_parameters,
)
from pingjian.rules.programs import load_program
from pingjian.rules.scoring import score

DAY = "psych-rehab-day-107"
DAY_ITEMS = [f"2.{n}" for n in range(1, 13)] + [f"3.{n}" for n in range(1, 12)]


def _all_graded(grade: str) -> dict:
    return {"items": {item: {"grade": grade} for item in DAY_ITEMS}}


def test_parameters_are_the_threshold_and_grade_fractions_of_the_file() -> None:
    # seed 003 / evaluation-programs.md Scoring: ≥ 60 合格; A 1.0, B 0.8, C 0.6, D 0.4, E 0
    day = load_program(DAY)
    assert program_parameters(day) == {
        "pass_threshold": Decimal("60"),
        "grade_fractions.A": Decimal("1.0"),
        "grade_fractions.B": Decimal("0.8"),
        "grade_fractions.C": Decimal("0.6"),
        "grade_fractions.D": Decimal("0.4"),
        "grade_fractions.E": Decimal("0"),
    }
    # postpartum-111 (seed 002 附件2: 總分70分以上者合格) has a threshold and no grades
    assert program_parameters(load_program("postpartum-111")) == {"pass_threshold": Decimal("70")}
    # JCT all_met programs have neither
    assert parameter_labels(load_program("aesthetic-clinic-112")) == {}


def test_a_raised_threshold_fails_an_all_c_institution_and_leaves_the_file_alone() -> None:
    # all C: 60.00 % (seed 003 cases: k = 198), exactly the threshold → pass; at 60.01 → fail
    day = load_program(DAY)
    assert score(day, _all_graded("C")).result == "pass"
    stricter = with_parameters(day, {"pass_threshold": "60.01"})
    result = score(stricter, _all_graded("C"))
    assert (result.total, result.result) == (Decimal("60.00"), "fail")
    assert result.reason_codes == ["below_threshold"]
    assert day.scoring.pass_threshold == Decimal("60")
    assert load_program(DAY).scoring.pass_threshold == Decimal("60")
    assert changed_parameters(day, stricter) == {"pass_threshold": (Decimal("60"), Decimal("60.01"))}


def test_a_changed_grade_fraction_changes_the_percent() -> None:
    day = load_program(DAY)
    lower = with_parameters(day, {"grade_fractions.C": Decimal("0.5")})
    assert score(lower, _all_graded("C")).total == Decimal("50.00")
    assert score(lower, _all_graded("C")).result == "fail"
    assert score(day, _all_graded("C")).total == Decimal("60.00")


def test_no_change_gives_the_same_program() -> None:
    day = load_program(DAY)
    assert with_parameters(day, {}) is day


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pass_threshold": "abc"}, "pass_threshold: 'abc' is not a number"),
        ({"pass_threshold": "NaN"}, "pass_threshold: 'NaN' is not a number"),
        ({"pass_threshold": "100.01"}, "pass_threshold: 100.01 is outside the possible totals 0.00–100.00"),
        ({"pass_threshold": "-1"}, "pass_threshold: -1 is outside"),
        ({"grade_fractions.B": "1.2"}, "grade_fractions.B: 1.2 must be between 0 and 1"),
        ({"grade_fractions.D": "0.7"}, "grade_fractions: a lower grade may not earn more than a higher one"),
        ({"grade_fractions.F": "0.1"}, "grade_fractions.F: not a parameter of psych-rehab-day-107"),
        ({"decimal_places": "3"}, "decimal_places: not a parameter"),
    ],
)
def test_bad_changes_name_the_parameter(changes: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=re.escape(message)):
        with_parameters(load_program(DAY), changes)


def test_postpartum_threshold_is_bounded_by_its_100_points() -> None:
    with pytest.raises(ParameterError, match=re.escape("outside the possible totals 0.00–100.00")):
        with_parameters(load_program("postpartum-111"), {"pass_threshold": "101"})
    with pytest.raises(ParameterError, match=re.escape("grade_fractions.A: not a parameter of")):
        with_parameters(load_program("postpartum-111"), {"grade_fractions.A": "1"})


def test_assignments_are_read_line_by_line() -> None:
    assert parse_assignments(["pass_threshold = 75", "", " grade_fractions.B=0.7 "]) == {
        "pass_threshold": "75",
        "grade_fractions.B": "0.7",
    }
    with pytest.raises(ParameterError, match="line 2: expected NAME=VALUE"):
        parse_assignments(["pass_threshold=75", "oops"])
    with pytest.raises(ParameterError, match="line 2: pass_threshold given twice"):
        parse_assignments(["pass_threshold=75", "pass_threshold=76"])
