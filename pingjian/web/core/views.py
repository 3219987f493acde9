from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and readiness for a proxy or a monitor: 200 {"status": "ok", "database": "ok"} when a
    query answers, 503 with the error's class otherwise (its text, which may name hosts, goes to the
    log only). Never cached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("healthz: the database does not answer: %s", error)
        response = JsonResponse({"status": "error", "database": type(error).__name__}, status=503)
    else:
        response = JsonResponse({"status": "ok", "database": "ok"})
    response["Cache-Control"] = "no-store"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The CSRF failure page in the site's frame and language, with a way back (settings.CSRF_FAILURE_VIEW);
    REASON is Django's English diagnosis, for the log, not for the page."""
    return render(request, "403_csrf.html", status=403)
