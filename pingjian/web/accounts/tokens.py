"""API tokens: the secret is shown once, only its SHA-256 is stored; `Authorization: Bearer
<secret>` authenticates an API request as the token's user, within the token's scope."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken, TokenScope

PREFIX_LENGTH = 8
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    """`pj_` + 8 characters naming the token + the secret part (43 URL-safe characters)."""
    return f"pj_{secrets.token_hex(PREFIX_LENGTH // 2)}_{secrets.token_urlsafe(32)}"


def prefix_of(secret: str) -> str:
    return secret[: 3 + PREFIX_LENGTH]


def token_for(secret: str) -> ApiToken | None:
    if not secret.startswith("pj_") or len(secret) > 200:
        return None
    return ApiToken.objects.usable().select_related("user").filter(secret_hash=hash_secret(secret)).first()


def api_app_of(path: str) -> str:
    """The router a request goes to: /api/<app>/… → <app>."""
    parts = path.split("/")
    return parts[2] if len(parts) > 2 and parts[1] == "api" else ""


def check_scope(token: ApiToken, request: HttpRequest) -> None:
    """A read token may not write (403); a token limited to some apps may not reach the others."""
    if request.method not in SAFE_METHODS and token.scope != TokenScope.WRITE:
        raise PermissionDenied("read-only token")
    if token.app_list and api_app_of(request.path) not in token.app_list:
        raise PermissionDenied("token not valid for this API")


def bearer_secret(request: HttpRequest) -> str:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


class TokenAuth(HttpBearer):
    """django-ninja auth: a valid token makes its user the request's user (the endpoints' checks
    then are the same as for a session); an unknown or revoked token is 401, out of scope 403."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_for(token)
        if found is None:
            return None
        check_scope(found, request)
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user
