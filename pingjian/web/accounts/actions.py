"""State changes for users and memberships; each one transaction with its audit event."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from pingjian.web.audit.actions import record_event
from pingjian.web.audit.events import EventType

from .models import ApiToken, Membership, TokenScope, User
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


# --- log-in history, two-factor and API tokens: audited like every other change --------------------


def client_ip(request: Any) -> str:
    """The address a request came from (the proxy's X-Forwarded-For only behind HTTPS settings)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[0].strip()[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


def _login_subject(user: User | None, username: str) -> dict[str, Any]:
    if user is not None:
        return {"subject": user}
    name = username[:150]
    return {"subject_type": "accounts.login", "subject_id": name or "?", "subject_label": name}


@transaction.atomic
def do_record_login(
    request: Any, *, event_type: EventType, user: User | None = None, username: str = "", detail: str = ""
) -> None:
    """One line of the log-in history (a success, a failure, a lockout, a second-factor check, a
    log-out): when, from which address, with which browser. A failure names the account tried,
    which need not exist."""
    if user is None and username:
        user = User.objects.filter(username=username).first()
    after = {
        "username": user.get_username() if user is not None else username[:150],
        "ip": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
    }
    if detail:
        after["detail"] = detail
    # A failed password proves nobody: the attempt has no actor. Every other line is the user's own.
    actor = None if event_type in (EventType.LOGIN_FAILED, EventType.LOGIN_LOCKED_OUT) else user
    record_event(actor=actor, event_type=event_type, after=after, **_login_subject(user, username))


@transaction.atomic
def do_confirm_totp_device(device: Any, *, request: Any) -> Any:
    """The device's first correct code confirms it; any other device of the user is removed."""
    type(device).objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    do_record_login(request, event_type=EventType.OTP_ENROLLED, user=device.user, detail=device.name)
    return device


@transaction.atomic
def do_create_api_token(
    user: User, *, name: str, scope: str, apps: list[str] | None = None, actor: Any
) -> tuple[ApiToken, str]:
    """A new token for USER; answers (token, secret). The secret is not stored (only its SHA-256)
    and cannot be shown again."""
    from .tokens import hash_secret, new_secret, prefix_of

    if actor is None or actor.pk != user.pk:
        raise PermissionDenied("accounts.add_apitoken")
    secret = new_secret()
    token = ApiToken(
        user=user, name=name, scope=TokenScope(scope), apps=",".join(apps or []),
        prefix=prefix_of(secret), secret_hash=hash_secret(secret),
    )  # fmt: skip
    token.full_clean()
    token.save()
    record_event(
        actor=actor, event_type=EventType.API_TOKEN_CREATED, subject=token,
        after={"name": name, "prefix": token.prefix, "scope": token.scope, "apps": token.apps},
    )  # fmt: skip
    return token, secret


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, actor: Any, reason: str = "") -> ApiToken:
    if actor is None or (actor.pk != token.user_id and not actor.has_perm("accounts.change_user")):
        raise PermissionDenied("accounts.change_apitoken")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(
        actor=actor, event_type=EventType.API_TOKEN_REVOKED, subject=token,
        before={"revoked_at": None}, after={"revoked_at": token.revoked_at}, reason=reason,
    )  # fmt: skip
    return token


@transaction.atomic
def do_start_totp_enrolment(user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device (a new key unless one is already waiting): not in force
    until its first code confirms it (do_confirm_totp_device, audited there)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="pingjian", confirmed=False)
    return device


@transaction.atomic
def do_reset_two_factor(user: User, *, actor: Any, reason: str) -> int:
    """Remove USER's TOTP devices (a lost phone); they set one up again at their next log-in. The
    office does it for others, never for itself (that would skip its own second factor)."""
    if actor is None or not actor.has_perm("accounts.change_user"):
        raise PermissionDenied("accounts.change_user")
    if actor.pk == user.pk:
        raise ValidationError("不能重設自己的雙重驗證 (ask another office user)")
    devices = list(TOTPDevice.objects.filter(user=user).values_list("name", flat=True))
    TOTPDevice.objects.filter(user=user).delete()
    record_event(
        actor=actor, event_type=EventType.OTP_RESET, subject=user,
        before={"devices": devices}, after={"devices": []}, reason=reason,
    )  # fmt: skip
    return len(devices)
