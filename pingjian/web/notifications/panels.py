from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rules import is_authenticated

from pingjian.web.core.panels import Panel

from .models import Notification

NAV_EXTENSIONS = [(_("通知"), "notifications:list", is_authenticated)]


def dashboard_panels(request: Any) -> list[Panel]:
    unread = Notification.objects.visible_to(request.user).unread()
    return [
        Panel(
            "notifications/panels/notifications.html",
            {"notifications": unread[:5], "unread": unread.count()},
            6,
        )
    ]
