"""A published result's validity and status, and a certificate's number and verification code,
bound to the audit events that set them (found by `audit.bindings`): `pingjian audit verify`
reports a stored value no event set."""

from __future__ import annotations

from pingjian.web.audit.bindings import Binding

from .models import Certificate, FollowUp, RegistryEntry

BINDINGS = [
    Binding(RegistryEntry, ("result", "valid_from", "valid_until", "status", "status_changed_on")),
    Binding(Certificate, ("number", "verification_code", "issued_on")),
    Binding(FollowUp, ("day", "kind", "outcome", "improve_by", "recorded_on")),
]
