from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PingjianModelBackend(ModelBackend):
    """Django's model backend, except that demo accounts exist only in demo mode: outside it they
    cannot sign in (and `seed_demo` refuses to create them)."""

    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO:
            return False
        return super().user_can_authenticate(user)
