"""State changes for users and memberships; each one transaction with its audit event."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pingjian.web.audit.actions import record_event
from pingjian.web.audit.events import EventType

from .models import Membership, User
from .permissions import forget_grants
from .roles import Role


def _user_snapshot(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "is_active": user.is_active,
        "is_demo": user.is_demo,
    }


@transaction.atomic
def do_create_user(
    *,
    username: str,
    password: str | None,
    actor: Any,
    display_name: str = "",
    email: str = "",
    is_demo: bool = False,
    reason: str = "",
    password_hash: str | None = None,
) -> User:
    """Create a user; `password_hash` (from make_password) lets bulk seeding hash once."""
    user = User(username=username, display_name=display_name, email=email, is_demo=is_demo)
    if password_hash:
        user.password = password_hash
    elif password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record_event(
        actor=actor,
        event_type=EventType.USER_CREATED,
        subject=user,
        after=_user_snapshot(user),
        reason=reason,
    )
    return user


def _membership_snapshot(m: Membership) -> dict[str, Any]:
    return {
        "user": m.user.username,
        "role": m.role,
        "institution": m.institution.code if m.institution_id else None,
        "county": m.county or None,
        "revoked_at": m.revoked_at,
    }


@transaction.atomic
def do_grant_membership(
    user: User,
    *,
    role: str,
    actor: Any,
    institution: Any = None,
    county: str = "",
    reason: str = "",
) -> Membership:
    role = Role(role)
    membership = Membership(
        user=user,
        role=role,
        institution=institution if role == Role.INSTITUTION else None,
        county=county if role == Role.BUREAU else "",
        granted_by=actor,
    )
    membership.full_clean()
    membership.save()
    forget_grants(user)
    record_event(
        actor=actor,
        event_type=EventType.MEMBERSHIP_GRANTED,
        subject=membership,
        after=_membership_snapshot(membership),
        reason=reason,
    )
    return membership


@transaction.atomic
def do_revoke_membership(membership: Membership, *, actor: Any, reason: str) -> Membership:
    if membership.revoked_at is not None:
        return membership
    before = _membership_snapshot(membership)
    membership.revoked_at = timezone.now()
    membership.save(update_fields=["revoked_at"])
    forget_grants(membership.user)
    record_event(
        actor=actor,
        event_type=EventType.MEMBERSHIP_REVOKED,
        subject=membership,
        before=before,
        after=_membership_snapshot(membership),
        reason=reason,
    )
    return membership


@transaction.atomic
def do_deactivate_user(user: User, *, actor: Any, reason: str) -> User:
    """Stop an account from signing in and from seeing anything; its memberships stay on record
    (revoke them separately to end a role for good). Nobody deactivates their own account."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError("不能停用自己的帳號 (you cannot deactivate your own account)")
    if not user.is_active:
        return user
    before = _user_snapshot(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    forget_grants(user)
    record_event(
        actor=actor, event_type=EventType.USER_DEACTIVATED, subject=user,
        before={"is_active": before["is_active"]}, after={"is_active": False}, reason=reason,
    )  # fmt: skip
    return user


@transaction.atomic
def do_reactivate_user(user: User, *, actor: Any, reason: str) -> User:
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    forget_grants(user)
    record_event(
        actor=actor, event_type=EventType.USER_REACTIVATED, subject=user,
        before={"is_active": False}, after={"is_active": True}, reason=reason,
    )  # fmt: skip
    return user


@transaction.atomic
def do_set_admin_site_access(user: User, *, allowed: bool, actor: Any, reason: str) -> User:
    """Let an account into the Django admin (/admin/) or out of it (`is_staff`). The admin holds
    only the settings kept as data (the program offices' letterheads); what the account may view
    or change there is still decided by the rules predicates of its roles."""
    if actor is not None and not actor.has_perm("accounts.change_user"):
        raise PermissionDenied("accounts.change_user")
    if user.is_staff == allowed:
        return user
    user.is_staff = allowed
    user.save(update_fields=["is_staff"])
    record_event(
        actor=actor, event_type=EventType.USER_ADMIN_ACCESS_CHANGED, subject=user,
        before={"is_staff": not allowed}, after={"is_staff": allowed}, reason=reason,
    )  # fmt: skip
    return user
