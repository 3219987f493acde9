"""What-if: score a stored run's quarter again, from the claims store (a run from an indicator
table: from that table), with changed parameters and list who would change level or points. It
reads the stored results and the store and writes nothing (neither the database nor the store)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

from . import engine
from .models import ClinicResult, QuarterRun


@dataclass
class Change:
    clinic_id: str
    name: str
    level_before: int | None
    level_after: int | None
    points_before: Decimal | None
    points_after: Decimal | None
    excluded_before: bool
    excluded_after: bool
    rules_gained: list[str]
    rules_lost: list[str]

    @property
    def direction(self) -> str:
        if self.level_before == self.level_after:
            return "same"
        if self.level_before is None or self.level_after is None:
            return "changed"
        return "up" if self.level_after > self.level_before else "down"


@dataclass
class WhatIf:
    changes: list[Change]
    compared: int
    store: dict[str, Any]  # the manifest the what-if read (engine.store_state)
    same_data: bool  # the store's file of the run's quarter is the one the run scored


def what_if(run: QuarterRun, params: dict[str, str]) -> WhatIf:
    """The clinics whose level, points, exclusion or rules would change, scored from the store."""
    merged = {**run.params, **params}
    if run.from_indicator_table:  # the run's own table, kept with the run: the same data
        outcome = engine.score_indicator_table(Path(run.folder), run.quarter, merged)
    else:
        outcome = engine.score_quarter(settings.PINGJIAN_DENTAL_STORE, run.quarter, merged)
    stored = {r.clinic_id: r for r in ClinicResult.objects.filter(run=run)}
    changes = []
    for c in outcome.clinics:
        before = stored.get(c.clinic_id)
        after_points = None if c.points is None else Decimal(c.points)
        if before is not None and (
            before.level == c.level
            and before.points == after_points
            and before.excluded == c.excluded
            and before.rules_fired == c.rules_fired
        ):
            continue
        changes.append(
            Change(
                clinic_id=c.clinic_id,
                name=c.name,
                level_before=None if before is None else before.level,
                level_after=c.level,
                points_before=None if before is None else before.points,
                points_after=after_points,
                excluded_before=False if before is None else before.excluded,
                excluded_after=c.excluded,
                rules_gained=sorted(set(c.rules_fired) - set(before.rules_fired if before else [])),
                rules_lost=sorted(set(before.rules_fired if before else []) - set(c.rules_fired)),
            )
        )
    changes.sort(key=lambda ch: (ch.direction == "same", -(ch.level_after or 0), ch.clinic_id))
    if run.from_indicator_table:
        return WhatIf(changes, len(outcome.clinics), outcome.store, True)
    scored = run.store_manifest.get("quarters", {}).get(run.quarter)
    same = scored is not None and scored == outcome.store["quarters"].get(run.quarter)
    return WhatIf(changes, len(outcome.clinics), outcome.store, same)
