"""Reading an assessment (the contract's scoring input, parsed JSON/YAML) for a program.

Every check raises `AssessmentError` naming the field (``items.A1.met``, ``assessed_on``, …).
Numbers are read as `Decimal`; a binary float that reaches us (e.g. from YAML) is read by its
shortest decimal repr — the number its author wrote.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pingjian.rules.errors import AssessmentError
from pingjian.rules.program_schema import Program

PRECONDITION_STATUSES = ("compliant", "non_compliant", "remediation_pending")
RESULT_VALUES = ("met", "not_met", "not_applicable")
REVIEW_VALUES = ("met", "not_met")
FORMS = ("score", "met", "grade", "result", "exempt")
TEXT_KEYS = ("note", "reason", "comment")  # free text recorded with an item (e.g. why exempt)
TOP_LEVEL = ("institution", "preconditions", "items", "assessed_on", "preliminary_review", "program")


@dataclass(frozen=True)
class Assessment:
    """An assessment whose top level has been checked against its program."""

    assessed_on: dt.date
    institution: dict[str, Any] | None
    preconditions: Any  # checked by `preconditions.check_preconditions`
    review: dict[int, str]  # preliminary review row number → value
    items: dict[str, Any]  # item id → the item's raw result, one for every item of the program


def read_assessment(program: Program, assessment: Any, today: dt.date | None) -> Assessment:
    """The top level of ASSESSMENT checked under PROGRAM: known fields, the program's id, the
    date, the preliminary review rows and every item present (each item's form is read later)."""
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
    assessed_on = read_assessed_on(assessment.get("assessed_on"), today)
    review = review_rows(program, assessment.get("preliminary_review"))

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
    return Assessment(assessed_on, institution, assessment.get("preconditions"), review, raw_items)


def read_number(value: Any, where: str) -> Decimal:
    """A finite number given as a number or as decimal text; never via a binary float's digits."""
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


def read_assessed_on(raw: Any, today: dt.date | None) -> dt.date:
    """The assessment date: an ISO date, or TODAY (else the system date) when absent."""
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


def requirement_numbers(value: Any, where: str, count: int) -> list[int]:
    """A list of distinct requirement numbers 1…COUNT, sorted."""
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


def review_rows(program: Program, raw: Any) -> dict[int, str]:
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
