"""The audit trail is for the program office; everyone else sees nothing of it (for now).
Later stages may show an institution the events about its own records."""

from __future__ import annotations

from typing import Any

import rules

from pingjian.web.accounts.permissions import is_office_staff


def visible_events(queryset: Any, user: Any) -> Any:
    return queryset if is_office_staff(user) else queryset.none()


rules.add_perm("audit.view_auditevent", is_office_staff)
