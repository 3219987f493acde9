"""`{{ n|chinese_number }}` (說明 一、二、…) and `{% document_links application %}` (the download
links on the application page, shown only to those who may download)."""

from __future__ import annotations

from typing import Any

from django import template

from ..content import chinese_number as _chinese_number
from ..permissions import DOWNLOAD

register = template.Library()


@register.filter
def chinese_number(value: Any) -> str:
    try:
        return _chinese_number(int(value))
    except (TypeError, ValueError):
        return ""


@register.inclusion_tag("documents/links.html", takes_context=True)
def document_links(context: dict[str, Any], application: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    allowed = user is not None and user.has_perm(DOWNLOAD, application)
    has_letter = allowed and application.transitions.filter(name="request_supplement").exists()
    return {"application": application, "allowed": allowed, "has_letter": has_letter}
