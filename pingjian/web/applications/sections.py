"""This app's sections of a cycle's page: the form to apply (voluntary cycles, for the user's own
institutions of the program's types) and the cycle's applications the user may see."""

from __future__ import annotations

from typing import Any

from pingjian.web.accounts.permissions import institution_ids_of
from pingjian.web.core.panels import Panel
from pingjian.web.cycles.actions import institution_types_of
from pingjian.web.cycles.models import CycleMode
from pingjian.web.institutions.models import Institution

from .selectors import applications_of_cycle


def cycle_sections(request: Any, cycle: Any) -> list[Panel]:
    user = request.user
    applications = applications_of_cycle(user, cycle)
    can_apply_for: list[Any] = []
    if cycle.mode == CycleMode.VOLUNTARY:
        types = institution_types_of(cycle.program_version.program())
        taken = set(applications.values_list("institution_id", flat=True))
        can_apply_for = list(
            Institution.objects.filter(pk__in=institution_ids_of(user), type__in=types).exclude(pk__in=taken)
        )
    return [
        Panel("applications/sections/cycle_apply.html", {"can_apply_for": can_apply_for}, 10),
        Panel(
            "applications/sections/cycle_applications.html",
            {"applications": applications.order_by("institution__code")},
            20,
        ),
    ]
