from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from pingjian.web.accounts.permissions import roles_of

from .navigation import navigation_for

_NAV_ATTR = "_pingjian_nav_items"


def pingjian(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: demo mode, today's date (for ROC display) and the user's roles.

    The navigation is built once per request: context processors run for every template rendered
    with the request, and a page with sections (the application page: four) renders several."""
    user = getattr(request, "user", None)
    nav_items = getattr(request, _NAV_ATTR, None)
    if nav_items is None:
        nav_items = navigation_for(request)
        setattr(request, _NAV_ATTR, nav_items)
    return {
        "pingjian_demo": settings.DEMO,
        "today": timezone.localdate(),
        "user_roles": roles_of(user) if user is not None else frozenset(),
        "nav_items": nav_items,
    }
