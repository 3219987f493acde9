"""What-if parameters of an evaluation or certification program: the numbers an office may vary
on a finished cycle to see who would change result — the pass threshold (`scoring.pass_threshold`)
and the grade fractions (`scoring.grade_fractions`, psychiatric rehabilitation's A–E).

`with_parameters(program, {"pass_threshold": "75", "grade_fractions.B": "0.7"})` returns a new,
validated `Program` (the file's program is never changed); scoring it with `scoring.score` is the
what-if. A bad change raises `ParameterError` naming the parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from pydantic import ValidationError

from pingjian.rules.errors import ParameterError
from pingjian.rules.program_schema import GRADE_ORDER, Program
from pingjian.rules.scoring.engine import THRESHOLD_WORDING, total_range

PASS_THRESHOLD = "pass_threshold"
GRADE_PREFIX = "grade_fractions."


def parameter_labels(program: Program) -> dict[str, str]:
    """The parameters PROGRAM has, in order, with their Chinese names."""
    labels: dict[str, str] = {}
    if program.scoring.method in THRESHOLD_WORDING and program.scoring.pass_threshold is not None:
        labels[PASS_THRESHOLD] = "合格標準"
    for grade in GRADE_ORDER:
        if grade in program.scoring.grade_fractions:
            labels[GRADE_PREFIX + grade] = f"{grade} 等級得分比例"
    return labels


def program_parameters(program: Program) -> dict[str, Decimal]:
    """The values in force of PROGRAM's what-if parameters."""
    values: dict[str, Decimal] = {}
    for name in parameter_labels(program):
        if name == PASS_THRESHOLD:
            assert program.scoring.pass_threshold is not None
            values[name] = program.scoring.pass_threshold
        else:
            values[name] = program.scoring.grade_fractions[name.removeprefix(GRADE_PREFIX)]  # type: ignore[index]
    return values


def parse_assignments(lines: Iterable[str]) -> dict[str, str]:
    """`NAME=VALUE` texts (blank lines skipped) → {name: value}; a line without `=` or a name
    given twice is an error naming the line."""
    changes: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        name, sep, value = text.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParameterError(f"line {number}: expected NAME=VALUE, got {text!r}")
        if name in changes:
            raise ParameterError(f"line {number}: {name} given twice")
        changes[name] = value.strip()
    return changes


def _decimal(name: str, value: str | Decimal) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ParameterError(f"{name}: {value!r} is not a number") from None
    if not number.is_finite():
        raise ParameterError(f"{name}: {value!r} is not a number")
    return number


def with_parameters(program: Program, changes: Mapping[str, str | Decimal]) -> Program:
    """A copy of PROGRAM with CHANGES applied, validated as a program file is. Raises
    ParameterError naming the parameter when it is unknown, not a number or out of range: the
    threshold within the totals the program can produce, a grade fraction within 0–1 and no
    higher than the grade above it (A ≥ B ≥ … ≥ E)."""
    if not changes:
        return program
    known = parameter_labels(program)
    scoring = program.scoring.model_dump()
    fractions = dict(program.scoring.grade_fractions)
    for name, raw in changes.items():
        if name not in known:
            listed = ", ".join(known) or "none"
            raise ParameterError(f"{name}: not a parameter of {program.id} (parameters: {listed})")
        value = _decimal(name, raw)
        if name == PASS_THRESHOLD:
            lowest, highest = total_range(program)
            if not lowest <= value <= highest:
                raise ParameterError(f"{name}: {value} is outside the possible totals {lowest}–{highest}")
            scoring["pass_threshold"] = value
        else:
            if not Decimal(0) <= value <= Decimal(1):
                raise ParameterError(f"{name}: {value} must be between 0 and 1")
            fractions[name.removeprefix(GRADE_PREFIX)] = value  # type: ignore[index]
    ordered = [fractions[g] for g in GRADE_ORDER if g in fractions]
    if any(low > high for high, low in pairwise(ordered)):
        shown = ", ".join(f"{g}={fractions[g]}" for g in GRADE_ORDER if g in fractions)
        raise ParameterError(f"grade_fractions: a lower grade may not earn more than a higher one ({shown})")
    scoring["grade_fractions"] = fractions
    data = program.model_dump()
    data["scoring"] = scoring
    try:
        return Program.model_validate(data)
    except ValidationError as exc:  # pragma: no cover - the checks above catch what the schema would
        raise ParameterError(f"{program.id}: {exc.errors()[0]['msg']}") from exc


def changed_parameters(program: Program, changed: Program) -> dict[str, tuple[Decimal, Decimal]]:
    """{name: (before, after)} of the parameters that differ between PROGRAM and CHANGED."""
    before, after = program_parameters(program), program_parameters(changed)
    return {name: (before[name], after[name]) for name in before if before[name] != after[name]}
