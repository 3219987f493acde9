"""A published result's validity, bound to the audit events that set it (found by
`audit.bindings`): `pingjian audit verify` reports a stored value no event set."""

from __future__ import annotations

from pingjian.web.audit.bindings import Binding

from .models import RegistryEntry

BINDINGS = [Binding(RegistryEntry, ("result", "valid_from", "valid_until", "status"))]
