"""The institution's dashboard: its certificates in force (證書與標章), with their documents and
the public registry entry; the office's and the institution's follow-ups within the validity that
ask something now (追蹤訪查)."""

from __future__ import annotations

from typing import Any

from pingjian.web.accounts.permissions import institution_ids_of
from pingjian.web.core.clock import local_today
from pingjian.web.core.panels import Panel

from .selectors import certificates_in_force, follow_ups_due


def dashboard_panels(request: Any) -> list[Panel]:
    due = follow_ups_due(request.user, local_today())  # the office's all, an institution's own
    panels = [Panel("registry/panels/follow_ups.html", due, 6)] if any(due.values()) else []
    if not institution_ids_of(request.user):
        return panels
    certificates = certificates_in_force(request.user, local_today())
    if not certificates:
        return panels
    several = len({certificate.entry.institution_id for certificate in certificates}) > 1
    context = {"certificates": certificates, "several_institutions": several}
    return [*panels, Panel("registry/panels/certificates.html", context, 20)]
