"""The documents section of the application page: links to its letters and summary (PDF)."""

from __future__ import annotations

from typing import Any

from pingjian.web.core.panels import Panel


def application_sections(request: Any, application: Any) -> list[Panel]:
    return [Panel("documents/section.html", {}, 30)]
