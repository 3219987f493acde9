from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from pingjian.web.accounts.permissions import roles_of

from .navigation import navigation_for


def pingjian(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: demo mode, today's date (for ROC display) and the user's roles."""
    user = getattr(request, "user", None)
    return {
        "pingjian_demo": settings.DEMO,
        "today": timezone.localdate(),
        "user_roles": roles_of(user) if user is not None else frozenset(),
        "nav_items": navigation_for(request),
    }
