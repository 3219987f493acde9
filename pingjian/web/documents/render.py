"""HTML templates to PDF with WeasyPrint (docs/research/web-stack.md §8).

Font rule: every element and every `@page` margin box names the Traditional Chinese family
(`Noto Sans CJK TC` / `Noto Serif CJK TC`, templates/documents/pdf_base.html) and the root has
`lang="zh-Hant"`; otherwise fontconfig picks Noto Sans CJK JP for the margin boxes (Japanese glyph
shapes). The tests check every font of every PDF with pdffonts: embedded and TC only.

Documents are official Chinese texts: they render in zh-hant whatever the interface language is,
with the English title under the Chinese. Nothing is fetched: the url fetcher refuses every URL,
so a template can never make the server read a file or the network.

Bounded work (issue 17, item 2). Free text is bounded where it is stored (core.text), which bounds
what a document can hold; rendering adds three budgets of its own:

- size: the HTML of a document may hold at most `MAX_HTML_CHARS` characters and its PDF at most
  `MAX_PDF_BYTES` bytes (`DocumentTooLargeError`, answered 413 with a message);
- concurrency: at most `settings.PINGJIAN_PDF_CONCURRENCY` renders at once per process; a request
  that waits longer than `QUEUE_SECONDS` for a turn gets `DocumentsBusyError` (503, Retry-After);
- time: `TIME_BUDGET_SECONDS` per document, checked by a test with the longest allowed message
  and logged as a warning when exceeded; and a hard limit, `settings.PINGJIAN_PDF_TIMEOUT_SECONDS`
  (30): the PDF is written in a child process (core/pdf_process.py) that is killed when it overruns,
  and the caller gets `DocumentTimeoutError` (answered 503 with a message). The size budget keeps
  a render far inside both; the hard limit is for what it did not foresee.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from pingjian.web.core.pdf_process import RenderTimeoutError, write_pdf_within

log = logging.getLogger(__name__)

MAX_HTML_CHARS = 400_000  # the longest allowed letter or summary is far below (tests/web/documents)
MAX_PDF_BYTES = 20 * 1024 * 1024
TIME_BUDGET_SECONDS = 10.0
QUEUE_SECONDS = 15.0

_turns = threading.BoundedSemaphore(getattr(settings, "PINGJIAN_PDF_CONCURRENCY", 2))


class DocumentTooLargeError(ValueError):
    """The document exceeds the size budget; the message says so in Traditional Chinese."""


class DocumentsBusyError(RuntimeError):
    """Every rendering turn stayed taken for QUEUE_SECONDS."""


class DocumentTimeoutError(RuntimeError):
    """The render overran settings.PINGJIAN_PDF_TIMEOUT_SECONDS and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"documents: rendering stopped after {seconds:g} s")
        self.seconds = seconds


def render_pdf(template: str, context: dict[str, Any]) -> tuple[bytes, float]:
    """The PDF of TEMPLATE and the seconds it took (HTML + layout + PDF)."""
    started = time.perf_counter()
    with translation.override("zh-hant"):
        html = render_to_string(template, context)
    if len(html) > MAX_HTML_CHARS:
        raise DocumentTooLargeError(
            f"文件內容過長（{len(html):,} 字元，上限 {MAX_HTML_CHARS:,}），無法產製 PDF。"
        )
    if not _turns.acquire(timeout=QUEUE_SECONDS):
        raise DocumentsBusyError("documents: every rendering turn is taken")
    timeout = settings.PINGJIAN_PDF_TIMEOUT_SECONDS
    try:
        pdf = write_pdf_within(html, timeout)
    except RenderTimeoutError:
        log.error("rendering %s stopped after %.0f s (PINGJIAN_PDF_TIMEOUT_SECONDS)", template, timeout)
        raise DocumentTimeoutError(timeout) from None
    finally:
        _turns.release()
    seconds = time.perf_counter() - started
    if len(pdf) > MAX_PDF_BYTES:
        raise DocumentTooLargeError(f"文件 PDF 過大（{len(pdf):,} 位元組），無法提供下載。")
    level = logging.WARNING if seconds > TIME_BUDGET_SECONDS else logging.INFO
    log.log(
        level,
        "rendered %s in %.3f s (%d bytes, budget %.0f s)",
        template,
        seconds,
        len(pdf),
        TIME_BUDGET_SECONDS,
    )
    return pdf, seconds
