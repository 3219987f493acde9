"""Reading applications for pages of this and other apps (evidence, bureau, documents …): the
choke point that answers 404 outside the user's scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pingjian.web.core.access import get_object_for_user

from .models import Application


def get_application(request: HttpRequest, pk: int, perm: str | None = None) -> Application:
    """The application PK as REQUEST's user may see it (404 outside the scope, 403 without PERM)."""
    return get_object_for_user(Application, request.user, perm=perm, pk=pk)


def applications_of_cycle(user: Any, cycle: Any) -> Any:
    return Application.objects.visible_to(user).filter(cycle=cycle).select_related("institution")
