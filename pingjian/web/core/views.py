from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The CSRF failure page in the site's frame and language, with a way back (settings.CSRF_FAILURE_VIEW);
    REASON is Django's English diagnosis, for the log, not for the page."""
    return render(request, "403_csrf.html", status=403)
