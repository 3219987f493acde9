"""The office's pipeline at a glance on the dashboard: open applications by state, each a link to
the list filtered by it."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from pingjian.web.accounts.permissions import institution_ids_of, is_office_staff
from pingjian.web.core.clock import local_today
from pingjian.web.core.panels import Panel
from pingjian.web.cycles.actions import institution_types_of
from pingjian.web.cycles.models import Cycle, CycleMode
from pingjian.web.institutions.models import Institution

from .models import Application
from .workflow import TERMINAL_STATES, State


def dashboard_panels(request: Any) -> list[Panel]:
    panels = _open_cycles(request.user)
    if not is_office_staff(request.user):
        return panels
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
        *panels,
        Panel("applications/panels/pipeline.html", {"rows": rows, "closed": closed, "overdue": overdue}, 15),
    ]


def _open_cycles(user: Any) -> list[Panel]:
    """For an institution's members: the voluntary cycles open for application today that one of
    their institutions may apply to and has not yet."""
    ids = institution_ids_of(user)
    if not ids:
        return []
    today = local_today()
    institutions = list(Institution.objects.filter(pk__in=ids))
    rows = []
    cycles = Cycle.objects.filter(
        mode=CycleMode.VOLUNTARY, application_opens__lte=today, application_closes__gte=today
    ).select_related("program_version")
    for cycle in cycles.order_by("application_closes"):
        types = institution_types_of(cycle.program_version.program())
        taken = set(Application.objects.filter(cycle=cycle).values_list("institution_id", flat=True))
        if any(i.type in types and i.pk not in taken for i in institutions):
            rows.append(cycle)
    return [Panel("applications/panels/open_cycles.html", {"cycles": rows}, 12)] if rows else []
