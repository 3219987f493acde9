from __future__ import annotations

from typing import Any

from pingjian.web.core.clock import local_today
from pingjian.web.core.panels import Panel

from .due import due_items


def dashboard_panels(request: Any) -> list[Panel]:
    items = due_items(request.user, local_today())
    return [
        Panel(
            "reminders/panels/deadlines.html",
            {"items": items[:50], "overdue": sum(i.overdue for i in items), "total": len(items)},
            5,
        )
    ]
