"""The applications' deadlines as the closures app asks for them (found by discovery): a closure
for work entered or withdrawn in a county moves that county's open deadlines."""

from __future__ import annotations

from typing import Any

from .actions import do_recompute_county_deadlines


def recompute_county_deadlines(county: str, *, actor: Any, reason: str) -> None:
    do_recompute_county_deadlines(county, actor=actor, reason=reason)
