"""Sections that other apps add to a page, found by discovery: an app's `sections.py` may define
`<page>_sections(request, obj) -> list[Panel]` (e.g. `application_sections(request, application)`
for the application page, `cycle_sections(request, cycle)` for a cycle's page). The page renders
each section's template with its own context plus the page's, in `order`; no page imports another
app's views."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .discovery import hooks
from .panels import Panel


def sections_for(page: str, request: Any, obj: Any) -> list[Panel]:
    sections = [
        section for provide in hooks("sections", f"{page}_sections") for section in provide(request, obj)
    ]
    return sorted(sections, key=lambda section: section.order)


def render_sections(page: str, request: Any, obj: Any, context: dict[str, Any]) -> list[SafeString]:
    """The sections of PAGE for OBJ as HTML, each rendered with the page's CONTEXT and its own."""
    return [
        mark_safe(render_to_string(section.template, {**context, **section.context}, request=request))
        for section in sections_for(page, request, obj)
    ]
