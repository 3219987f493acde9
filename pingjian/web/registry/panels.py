"""The institution's dashboard: its certificates in force (證書與標章), with their documents and
the public registry entry."""

from __future__ import annotations

from typing import Any

from pingjian.web.accounts.permissions import institution_ids_of
from pingjian.web.core.clock import local_today
from pingjian.web.core.panels import Panel

from .selectors import certificates_in_force


def dashboard_panels(request: Any) -> list[Panel]:
    if not institution_ids_of(request.user):
        return []
    certificates = certificates_in_force(request.user, local_today())
    if not certificates:
        return []
    several = len({certificate.entry.institution_id for certificate in certificates}) > 1
    context = {"certificates": certificates, "several_institutions": several}
    return [Panel("registry/panels/certificates.html", context, 20)]
