"""What scoring returns: each item's outcome and the assessment's result, with its trace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from pingjian.rules.scoring.numbers import decimal_text, plain, round_half_up

Outcome = Literal["pass", "fail"]


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
