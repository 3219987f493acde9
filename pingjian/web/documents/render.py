"""HTML templates to PDF with WeasyPrint (docs/research/web-stack.md §8).

Font rule: every element and every `@page` margin box names the Traditional Chinese family
(`Noto Sans CJK TC` / `Noto Serif CJK TC`, templates/documents/pdf_base.html) and the root has
`lang="zh-Hant"`; otherwise fontconfig picks Noto Sans CJK JP for the margin boxes (Japanese glyph
shapes). The tests check every font of every PDF with pdffonts: embedded and TC only.

Documents are official Chinese texts: they render in zh-hant whatever the interface language is,
with the English title under the Chinese. Nothing is fetched: the url fetcher refuses every URL,
so a template can never make the server read a file or the network.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

log = logging.getLogger(__name__)


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"documents fetch nothing: {url}")


def render_pdf(template: str, context: dict[str, Any]) -> tuple[bytes, float]:
    """The PDF of TEMPLATE and the seconds it took (HTML + layout + PDF)."""
    from weasyprint import HTML  # imported on first use: the web process starts without it

    started = time.perf_counter()
    with translation.override("zh-hant"):
        html = render_to_string(template, context)
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    seconds = time.perf_counter() - started
    log.info("rendered %s in %.3f s (%d bytes)", template, seconds, len(pdf))
    return pdf, seconds
