"""What other apps read of visits."""

from __future__ import annotations

from typing import Any

from .models import VisitMember


def team_ids_of(application: Any) -> set[int]:
    """The user ids of APPLICATION's site-visit team (the original team an appeal's re-review
    must leave out)."""
    return set(
        VisitMember.objects.filter(visit__application=application).values_list("surveyor_id", flat=True)
    )
