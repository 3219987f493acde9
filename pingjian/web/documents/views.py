"""Download an application's documents as PDF, generated on request (no stored copies: the PDF
always shows the application as it is now). Lookups go through the application choke point:
404 outside the user's scope, 403 for those who see the application but may not download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from pingjian.web.applications.models import Application
from pingjian.web.core.access import get_object_for_user

from .content import application_summary, supplement_letter
from .permissions import DOWNLOAD
from .render import render_pdf


def _application(request: HttpRequest, pk: int) -> Application:
    return get_object_for_user(Application, request.user, perm=DOWNLOAD, pk=pk)


def _pdf_response(pdf: bytes, filename: str, seconds: float) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["Server-Timing"] = f"pdf;dur={seconds * 1000:.0f}"
    return response


@login_required
@require_GET
def supplement_letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """補件通知函 of the latest supplement request (404 when there is none)."""
    letter = supplement_letter(_application(request, pk))
    pdf, seconds = render_pdf("documents/supplement_letter.html", {"letter": letter})
    return _pdf_response(pdf, letter.filename, seconds)


@login_required
@require_GET
def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """申請資料摘要."""
    summary = application_summary(_application(request, pk), user=request.user)
    pdf, seconds = render_pdf("documents/summary.html", {"summary": summary})
    return _pdf_response(pdf, summary.filename, seconds)
