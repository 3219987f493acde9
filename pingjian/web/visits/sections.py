"""This app's section of a cycle's page (the visit schedule at a glance, for those who plan it) and
its column on the health bureau's county list (core/columns.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pingjian.rules.roc import roc_date
from pingjian.web.core.columns import Column
from pingjian.web.core.panels import Panel

from .models import Visit
from .planning import waiting_applications
from .selectors import visit_slots_of


def cycle_sections(request: Any, cycle: Any) -> list[Panel]:
    if not request.user.has_perm("visits.plan_visits"):
        return []
    context = {
        "scheduled": Visit.objects.filter(application__cycle=cycle).count(),
        "waiting": waiting_applications(cycle).count(),
    }
    return [Panel("visits/sections/cycle_schedule.html", context, 30)]


def bureau_list_columns(request: Any, applications: Any) -> list[Column]:
    """The visit's date and half-day on the health bureau's county list: the bureau is told each
    institution's date (seed 002 §九(一)) and attends the visit (§十(一))."""
    slots = visit_slots_of(request.user, applications)
    cells = {pk: f"{roc_date(day)} {half}" for pk, (day, half) in slots.items()}
    return [Column(str(_("實地訪查日期")), cells, 40)]
