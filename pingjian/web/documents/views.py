"""Download an application's documents as PDF: the summary generated on request (it shows the
application as it is now), the supplement letter rendered once per content and then served from
its stored copy (stored.py); a render a budget refuses is answered 413 or 503 (`_refusal`).
Lookups go through the application choke point: 404 outside the user's scope, 403 for those who
see the application but may not download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pingjian.web.applications.models import Application
from pingjian.web.assessments.models import Opinion
from pingjian.web.core.access import get_object_for_user
from pingjian.web.core.links import absolute_url
from pingjian.web.registry.badges import badge_svg
from pingjian.web.registry.models import Certificate, StatusAction

from .certificates import certificate_doc, status_letter
from .content import application_summary, opinion_letter
from .permissions import DOWNLOAD
from .render import DocumentsBusyError, DocumentTimeoutError, DocumentTooLargeError, render_pdf
from .result_letter import result_letter
from .stored import letter_pdf


def _application(request: HttpRequest, pk: int) -> Application:
    return get_object_for_user(Application, request.user, perm=DOWNLOAD, pk=pk)


def _rendered_pdf(template: str, context: dict, filename: str) -> HttpResponse:  # type: ignore[type-arg]
    """TEMPLATE rendered as the PDF download FILENAME, or the answer when a budget refuses it."""
    try:
        pdf, seconds = render_pdf(template, context)
    except REFUSED as exc:
        return _refusal(exc)
    return _pdf_response(pdf, filename, seconds)


REFUSED = (DocumentTooLargeError, DocumentsBusyError, DocumentTimeoutError)


def _refusal(exc: Exception) -> HttpResponse:
    """The answer to a render a budget refused: 413 too large; 503 every turn taken or the render
    stopped at its time limit (both may pass: Retry-After)."""
    if isinstance(exc, DocumentTooLargeError):
        return HttpResponse(str(exc), status=413, content_type="text/plain; charset=utf-8")
    if isinstance(exc, DocumentTimeoutError):
        message = _("文件產製逾時（超過 %(seconds)s 秒），已中止；請稍後再試，若一再發生請聯絡承辦單位。") % {
            "seconds": f"{exc.seconds:g}"
        }
    else:
        message = _("文件產製忙碌中，請稍後再試。")
    response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "30"
    return response


def _pdf_response(pdf: bytes, filename: str, seconds: float) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["Server-Timing"] = f"pdf;dur={seconds * 1000:.0f}"
    return response


@login_required
@require_GET
def supplement_letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """補件通知函 of the latest supplement request (404 when there is none), rendered once and
    served from its stored copy afterwards (stored.py)."""
    application = _application(request, pk)
    try:
        letter = letter_pdf(application)
    except REFUSED as exc:
        return _refusal(exc)
    response = _pdf_response(letter.pdf, letter.filename, 0.0 if letter.stored else letter.seconds)
    response["X-Document-Source"] = "stored" if letter.stored else "rendered"
    return response


@login_required
@require_GET
def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """申請資料摘要."""
    summary = application_summary(_application(request, pk), user=request.user)
    return _rendered_pdf("documents/summary.html", {"summary": summary}, summary.filename)


@login_required
@require_GET
def opinions_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """評鑑意見書 of the application's visit: the visit's team and the office (a draft marked as
    such), the institution once the office approved it; 404 to everyone else, a conflicted
    surveyor included (the application's scope and the opinions' own both leave them out)."""
    application = get_object_for_user(Application, request.user, pk=pk)
    opinion = get_object_for_user(Opinion, request.user, visit__application=application)
    doc = opinion_letter(application, opinion, user=request.user)
    return _rendered_pdf("documents/opinions.html", {"doc": doc}, doc.filename)


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """認證證書／評鑑合格證明 in Chinese (zh) or English (en): the certified institution's members and
    the office; 404 to everyone else. Rendered on request: it shows the result as it is now (an
    ended result is printed as such)."""
    if language not in ("zh", "en"):
        raise Http404("certificates are in zh or en")
    certificate = get_object_for_user(Certificate, request.user, pk=pk)
    url = absolute_url(request, reverse("registry:verify", args=[certificate.verification_code]))
    doc = certificate_doc(certificate, language=language, verify_url=url, user=request.user)
    return _rendered_pdf("documents/certificate.html", {"doc": doc}, doc.filename)


@login_required
@require_GET
def certificate_badge(request: HttpRequest, pk: int) -> HttpResponse:
    """The program's badge with the certificate number, for the institution's own use (標章電子檔)."""
    certificate = get_object_for_user(Certificate, request.user, pk=pk)
    response = HttpResponse(
        badge_svg(certificate.program_id, number=certificate.number), content_type="image/svg+xml"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{certificate.number}-badge.svg")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def status_letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter of a revocation, abolition, suspension, termination or withdrawal."""
    action = get_object_for_user(StatusAction, request.user, pk=pk)
    letter = status_letter(action, user=request.user)
    return _rendered_pdf("documents/status_letter.html", {"letter": letter}, letter.filename)


@login_required
@require_GET
def result_letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """評鑑結果通知函 of the application's decision (404 before a result is decided)."""
    letter = result_letter(_application(request, pk))
    return _rendered_pdf("documents/supplement_letter.html", {"letter": letter}, letter.filename)
