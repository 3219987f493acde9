"""This app's section of a cycle's page: the visit schedule at a glance, for those who plan it."""

from __future__ import annotations

from typing import Any

from pingjian.web.core.panels import Panel

from .models import Visit
from .planning import waiting_applications


def cycle_sections(request: Any, cycle: Any) -> list[Panel]:
    if not request.user.has_perm("visits.plan_visits"):
        return []
    context = {
        "scheduled": Visit.objects.filter(application__cycle=cycle).count(),
        "waiting": waiting_applications(cycle).count(),
    }
    return [Panel("visits/sections/cycle_schedule.html", context, 30)]
