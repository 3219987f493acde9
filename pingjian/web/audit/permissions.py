"""The audit trail is for the program office; everyone else sees nothing of it (for now).

Who may read it is granted with the other office grants in accounts.permissions (the home of the
role predicates, one layer above this app): `audit.view_auditevent`."""

from __future__ import annotations

from typing import Any


def visible_events(queryset: Any, user: Any) -> Any:
    return queryset if user.has_perm("audit.view_auditevent") else queryset.none()
