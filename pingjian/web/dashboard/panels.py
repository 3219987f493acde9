from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rules import is_authenticated

from pingjian.web.core.clock import local_today
from pingjian.web.core.panels import Panel

from .deadlines import due_items
from .models import Notification

NAV_EXTENSIONS = [(_("通知"), "dashboard:notifications", is_authenticated)]


def dashboard_panels(request: Any) -> list[Panel]:
    user = request.user
    today = local_today()
    items = due_items(user, today)
    unread = Notification.objects.visible_to(user).unread()
    return [
        Panel(
            "dashboard/panels/deadlines.html",
            {"items": items[:50], "overdue": sum(i.overdue for i in items), "total": len(items)},
            5,
        ),
        Panel(
            "dashboard/panels/notifications.html", {"notifications": unread[:5], "unread": unread.count()}, 6
        ),
    ]
