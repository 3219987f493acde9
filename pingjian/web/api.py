"""The JSON API: one NinjaAPI at /api/, one router per app; a machine client authenticates with an
API token (`Authorization: Bearer <token>`, accounts.tokens: scoped, revocable, hashed at rest), a
person's browser with the session cookie and CSRF. Either way the endpoints check the same user.

Each domain app with an `api.py` exposing `router` is mounted at /api/<app>/. Endpoints look
objects up through core.access.get_object_for_user, so outsiders get 404 exactly as on the pages.
OpenAPI: /api/openapi.json, interactive docs at /api/docs.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import django_auth

from pingjian.web.accounts.tokens import TokenAuth
from pingjian.web.core.discovery import domain_modules

api = NinjaAPI(
    title="pingjian 評鑑 API",
    version="1",
    description="醫療機構品質評鑑系統 API. Dates are ISO 8601. Machine clients send an API token "
    "(created at /accounts/tokens/) as `Authorization: Bearer <token>`: a read token may only read. "
    "In a browser the session cookie authenticates (send the CSRF token in X-CSRFToken for unsafe "
    "methods). A POST may carry `Idempotency-Key`: a repeat with the same key is answered as the first.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": "Forbidden"}, status=403)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": exc.messages}, status=422)


for app, module in domain_modules("api"):
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(f"/{app}/", router)
