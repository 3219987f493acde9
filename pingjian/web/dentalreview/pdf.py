"""The dental review's PDFs (notices, improvement agreement, per-level lists): a thin WeasyPrint
call of this app's own, since `documents` is a higher layer. It keeps documents/render.py's rules:
the TC font named on every element and every @page margin box (templates/dentalreview/pdf/base.html),
`lang="zh-Hant"`, rendered in zh-hant whatever the interface language, nothing fetched, a size
budget on the HTML and on the PDF, and the hard time limit (`settings.PINGJIAN_PDF_TIMEOUT_SECONDS`,
the child process of core/pdf_process.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from pingjian.web.core.pdf_process import RenderTimeoutError, write_pdf_within

MAX_HTML_CHARS = 2_000_000  # a per-level list of a whole region stays far below
MAX_PDF_BYTES = 20 * 1024 * 1024


class PdfTooLargeError(ValueError):
    """The document exceeds the size budget; the message says so in Traditional Chinese."""


class PdfTimeoutError(RuntimeError):
    """The render overran its time limit and was stopped; the message says so in Traditional Chinese."""


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    with translation.override("zh-hant"):
        html = render_to_string(template, context)
    if len(html) > MAX_HTML_CHARS:
        raise PdfTooLargeError(f"文件內容過長（{len(html):,} 字元），請以篩選縮小範圍或改下載 CSV。")
    seconds = settings.PINGJIAN_PDF_TIMEOUT_SECONDS
    try:
        pdf = write_pdf_within(html, seconds)
    except RenderTimeoutError:
        raise PdfTimeoutError(
            f"文件產製逾時（超過 {seconds:g} 秒），已中止；請以篩選縮小範圍或改下載 CSV。"
        ) from None
    if len(pdf) > MAX_PDF_BYTES:
        raise PdfTooLargeError(f"文件 PDF 過大（{len(pdf):,} 位元組），請改下載 CSV。")
    return pdf
