"""The visits' dates as the closures app asks for them (found by discovery): a closure for work
entered in a county cancels that day's visits there and places them afresh, every other visit kept
(seed 002 §九(三): 實地訪查作業如遇機構所在地之直轄市或縣市政府發布停班，則予中止，由本部另擇期辦理);
a closure withdrawn moves the visits it cancelled back to their half-day (or asks the office to)."""

from __future__ import annotations

from typing import Any

from .actions import do_replan_closed_visits, do_restore_visits_after_withdrawal


def recompute_county_deadlines(county: str, *, actor: Any, reason: str) -> None:
    do_replan_closed_visits(county, actor=actor, reason=reason)
    do_restore_visits_after_withdrawal(county, actor=actor, reason=reason)
