"""The application fields with legal weight, bound to the audit events that set them (found by
`audit.bindings`): `pingjian audit verify` reports a stored value no event set."""

from __future__ import annotations

from pingjian.web.audit.bindings import Binding

from .models import Application

BINDINGS = [
    Binding(
        Application,
        ("state", "total", "result", "decided_on", "notice_received_on", "appeal_due", "appeal_waived_on"),
    )
]
