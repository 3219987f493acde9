"""Who must pass a second factor (TOTP) after their password, and whether this session has."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from .permissions import roles_of
from .roles import Role

# The roles that must use two-factor outside demo mode: the program office, program
# administrators and health bureau officers (superusers too).
TWO_FACTOR_ROLES = frozenset({Role.OFFICE, Role.PROGRAM_ADMIN, Role.BUREAU})


def two_factor_required(user: Any) -> bool:
    """Outside demo mode, office, admin and bureau accounts (and superusers) need a verified TOTP
    device in their session. The demo keeps password-only log-in for its accounts."""
    if settings.DEMO or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or roles_of(user) & TWO_FACTOR_ROLES)


def is_verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
