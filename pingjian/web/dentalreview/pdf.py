"""The dental review's PDFs (notices, improvement agreement, per-level lists): a thin WeasyPrint
call of this app's own, since `documents` is a higher layer. It keeps documents/render.py's rules:
the TC font named on every element and every @page margin box (templates/dentalreview/pdf/base.html),
`lang="zh-Hant"`, rendered in zh-hant whatever the interface language, nothing fetched, and a
size budget on the HTML and on the PDF."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

MAX_HTML_CHARS = 2_000_000  # a per-level list of a whole region stays far below
MAX_PDF_BYTES = 20 * 1024 * 1024


class PdfTooLargeError(ValueError):
    """The document exceeds the size budget; the message says so in Traditional Chinese."""


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"dental review PDFs fetch nothing: {url}")


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported on first use: the web process starts without it

    with translation.override("zh-hant"):
        html = render_to_string(template, context)
    if len(html) > MAX_HTML_CHARS:
        raise PdfTooLargeError(f"文件內容過長（{len(html):,} 字元），請以篩選縮小範圍或改下載 CSV。")
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    if len(pdf) > MAX_PDF_BYTES:
        raise PdfTooLargeError(f"文件 PDF 過大（{len(pdf):,} 位元組），請改下載 CSV。")
    return pdf
