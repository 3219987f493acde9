"""What other apps read of visits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from .models import Half, Visit, VisitMember


def team_ids_of(application: Any) -> set[int]:
    """The user ids of APPLICATION's site-visit team (the original team an appeal's re-review
    must leave out)."""
    return set(
        VisitMember.objects.filter(visit__application=application).values_list("surveyor_id", flat=True)
    )


def visit_slots_of(user: Any, applications: Iterable[Any]) -> dict[int, tuple[dt.date, str]]:
    """Application pk → (day, half-day label) of its scheduled site visit, for the APPLICATIONS
    whose visit USER may see (an application without a visit is absent)."""
    ids = [a.pk for a in applications]
    rows = (
        Visit.objects.visible_to(user)
        .filter(application_id__in=ids)
        .values_list("application_id", "day", "half")
    )
    return {pk: (day, str(Half(half).label)) for pk, day, half in rows}
