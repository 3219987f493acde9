"""The scoring form's data and the rules core's score, both from the program file alone.

Every program gets the same treatment (never a template per program): its items in the forms each
accepts (`Item.accepted_forms`), its preconditions (seed 002 §六) by status. An entry is checked
by the rules core's own reading of that item (`pingjian.rules.scoring.items.score_item`); the total,
result and trace are `pingjian.rules.scoring.score` on the application's pinned program version,
the function `pingjian score` runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pingjian.rules.errors import AssessmentError
from pingjian.rules.program_schema import Program
from pingjian.rules.scoring import PRECONDITION_LABELS, PRECONDITION_STATUSES, ScoreResult, score
from pingjian.rules.scoring.items import score_item
from pingjian.web.core.references import in_words

PRECONDITION_PREFIX = "precondition:"


def program_of(assessment_or_visit: Any) -> Program:
    visit = getattr(assessment_or_visit, "visit", assessment_or_visit)
    program = visit.application.program_version.program()
    if not isinstance(program, Program):
        raise AssessmentError(f"{getattr(program, 'id', program)}: not scored on site")
    return program


def keys_of(program: Program) -> list[str]:
    """Every entry an assessment of PROGRAM needs: its preconditions, then its items in order."""
    return [PRECONDITION_PREFIX + p.id for p in program.preconditions] + [i.id for i in program.items]


def check_value(program: Program, key: str, value: Any) -> None:
    """Raise AssessmentError (naming the field) unless VALUE is an input KEY accepts."""
    if key.startswith(PRECONDITION_PREFIX):
        name = key[len(PRECONDITION_PREFIX) :]
        if name not in {p.id for p in program.preconditions}:
            raise AssessmentError(f"preconditions.{name}: unknown precondition of {program.id}")
        status = value.get("status") if isinstance(value, dict) else None
        if status not in PRECONDITION_STATUSES or set(value) != {"status"}:
            raise AssessmentError(
                f"preconditions.{name}: expected a status, one of {', '.join(PRECONDITION_STATUSES)}"
            )
        return
    try:
        item = program.item(key)
    except KeyError:
        raise AssessmentError(f"items.{key}: unknown item of {program.id}") from None
    score_item(program, item, value, {})


def document(program: Program, visit: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The contract's assessment input (`pingjian score`'s JSON) from entry values by key."""
    institution = visit.application.institution
    preconditions = {
        key[len(PRECONDITION_PREFIX) :]: value["status"]
        for key, value in values.items()
        if key.startswith(PRECONDITION_PREFIX)
    }
    return {
        "program": program.id,
        "institution": {"id": institution.code, "name": institution.name},
        "assessed_on": visit.day.isoformat(),
        "preconditions": preconditions,
        "items": {k: v for k, v in values.items() if not k.startswith(PRECONDITION_PREFIX)},
    }


@dataclass(frozen=True)
class Computed:
    """The rules core's answer on the entries so far: the result, or what is missing or wrong."""

    result: ScoreResult | None
    missing: list[str]
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "complete": self.result is not None,
            "missing": self.missing,
            "error": self.error,
            "score": None if self.result is None else self.result.to_json(),
        }


def compute(program: Program, visit: Any, values: dict[str, Any]) -> Computed:
    missing = [key for key in keys_of(program) if key not in values]
    if missing:
        return Computed(None, missing)
    try:
        return Computed(score(program, document(program, visit, values)), [])
    except AssessmentError as exc:
        return Computed(None, [], str(exc))


def precondition_choices() -> list[tuple[str, str]]:
    return [(s, PRECONDITION_LABELS[s]) for s in PRECONDITION_STATUSES]


_KEY_IN_BRACKETS = re.compile(r"（[a-z][a-z0-9_.-]*）")


def trace_in_words(trace: list[str]) -> list[str]:
    """The rules core's trace as a person reads it: the official documents named for 「seed NNN §X」,
    and no program slug or result key in brackets (「（postpartum-111）」, 「（pass）」)."""
    return [_KEY_IN_BRACKETS.sub("", in_words(line)) for line in trace]
