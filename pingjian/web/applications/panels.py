"""The office's pipeline at a glance on the dashboard: open applications by state, each a link to
the list filtered by it."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from pingjian.web.accounts.permissions import is_office_staff
from pingjian.web.core.clock import local_today
from pingjian.web.core.panels import Panel

from .models import Application
from .workflow import TERMINAL_STATES, State


def dashboard_panels(request: Any) -> list[Panel]:
    if not is_office_staff(request.user):
        return []
    counts = dict(
        Application.objects.visible_to(request.user).values_list("state").annotate(n=Count("pk")).order_by()
    )
    today = local_today()
    overdue = (
        Application.objects.visible_to(request.user)
        .filter(
            Q(state=State.SUPPLEMENT_REQUESTED, supplement_due__lt=today)
            | Q(state=State.EVIDENCE_DUE, evidence_due__lt=today)
        )
        .count()
    )
    rows = [
        (state.value, state.label, counts.get(state.value, 0))
        for state in State
        if state not in TERMINAL_STATES
    ]
    closed = [
        (state.value, state.label, counts.get(state.value, 0)) for state in State if state in TERMINAL_STATES
    ]
    return [
        Panel("applications/panels/pipeline.html", {"rows": rows, "closed": closed, "overdue": overdue}, 15)
    ]
