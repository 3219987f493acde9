"""A decision's result, day and validity and an appeal's outcome, bound to the audit events that
set them (found by `audit.bindings`): `pingjian audit verify` reports a stored value no event set."""

from __future__ import annotations

from pingjian.web.audit.bindings import Binding

from .models import Appeal, Decision

BINDINGS = [
    Binding(Decision, ("result", "decided_on", "valid_from", "valid_until", "published")),
    Binding(Appeal, ("outcome", "new_result")),
]
