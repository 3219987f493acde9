"""Two middlewares of the accounts app: the two-factor gate and idempotent API submissions."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .models import IdempotentRequest
from .tasks import idempotency_cutoff
from .tokens import bearer_secret, token_for
from .twofactor import confirmed_device, is_verified, two_factor_required

# What an account that still owes its second factor may reach.
_OPEN_NAMES = ("accounts:otp_enrol", "accounts:otp_verify", "accounts:logout", "set_language")


class TwoFactorMiddleware:
    """Office, admin and bureau accounts (outside demo mode) reach nothing but enrolment, the
    code check and log-out until this session has verified a TOTP code: pages redirect there, the
    API answers 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if two_factor_required(user) and not is_verified(user) and not self._open(request.path):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "two-factor verification required"}, status=403)
            target = "accounts:otp_verify" if confirmed_device(user) else "accounts:otp_enrol"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        if path.startswith(settings.STATIC_URL) or path == "/favicon.ico":
            return True
        return any(path == reverse(name) for name in _OPEN_NAMES)


IDEMPOTENCY_HEADER = "Idempotency-Key"
NOT_KEPT = frozenset({401, 403, 429})  # refused before the work: a later try may be let in
MAX_KEY_LENGTH = 100


class IdempotencyMiddleware:
    """An API POST carrying `Idempotency-Key` runs once per user and key: a repeat (a resent
    submission, a double click, a retry after a lost answer) gets the first answer again and
    changes nothing; the same key with a different request is 422, one still running 409. A key is
    honoured for settings.IDEMPOTENCY_RETENTION; after that it starts afresh (accounts.tasks)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if request.method != "POST" or not key or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > MAX_KEY_LENGTH:
            return JsonResponse({"detail": f"{IDEMPOTENCY_HEADER}: at most {MAX_KEY_LENGTH} characters"}, 400)
        user = self._user(request)
        if user is None:  # the API refuses it anyway (401)
            return self.get_response(request)
        fingerprint = hashlib.sha256(b"\n".join([request.path.encode(), self._content(request)])).hexdigest()
        try:
            with transaction.atomic():
                # a key past its retention is forgotten now, whether or not the purge has run yet
                IdempotentRequest.objects.filter(
                    user=user, key=key, created_at__lt=idempotency_cutoff()
                ).delete()
                record = IdempotentRequest.objects.create(user=user, key=key, fingerprint=fingerprint)
        except IntegrityError:
            return self._replay(IdempotentRequest.objects.get(user=user, key=key), fingerprint)
        response = self.get_response(request)
        if response.status_code in NOT_KEPT or response.status_code >= 500 or response.streaming:
            record.delete()  # the work did not run (refused before it, or failed): try again
            return response
        record.status = response.status_code
        record.content_type = response.get("Content-Type", "")
        record.body = response.content
        record.save(update_fields=["status", "content_type", "body"])
        return response

    @staticmethod
    def _content(request: HttpRequest) -> bytes:
        """The body, or for an upload (which may be too large to hold) its declared length."""
        if request.content_type == "multipart/form-data":
            return request.META.get("CONTENT_LENGTH", "").encode()
        return request.body

    @staticmethod
    def _user(request: HttpRequest):  # type: ignore[no-untyped-def]
        secret = bearer_secret(request)
        if secret:
            token = token_for(secret)
            return token.user if token else None
        return request.user if request.user.is_authenticated else None

    @staticmethod
    def _replay(record: IdempotentRequest, fingerprint: str) -> HttpResponse:
        if record.fingerprint != fingerprint:
            detail = f"{IDEMPOTENCY_HEADER} already used for a different request"
            return JsonResponse({"detail": detail}, status=422)
        if record.status is None:
            return JsonResponse({"detail": "the first request with this key is still running"}, status=409)
        response = HttpResponse(bytes(record.body), status=record.status, content_type=record.content_type)
        response["Idempotent-Replayed"] = "true"
        return response
