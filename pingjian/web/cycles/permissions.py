"""Cycles are announced to everyone signed in; the office creates them and computes targets; a
health bureau confirms its own county's target list."""

from __future__ import annotations

from typing import Any

import rules

from pingjian.web.accounts.permissions import is_bureau_officer, is_office_operator


def visible_cycles(queryset: Any, user: Any) -> Any:
    return queryset if getattr(user, "is_authenticated", False) else queryset.none()


rules.add_perm("cycles.view_cycle", rules.is_authenticated)
rules.add_perm("cycles.add_cycle", is_office_operator)
rules.add_perm("cycles.compute_targets", is_office_operator)
rules.add_perm("cycles.confirm_targets", is_bureau_officer)
