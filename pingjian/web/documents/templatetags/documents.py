"""`{{ n|chinese_number }}` (說明 一、二、…) and `{% document_links application %}` (the download
links on the application page, shown only to those who may download; the 評鑑意見書 to those who
may read it: the office, the institution once approved)."""

from __future__ import annotations

from typing import Any

from django import template

from pingjian.web.assessments.models import Opinion

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
    has_opinions = (
        allowed and Opinion.objects.visible_to(user).filter(visit__application=application).exists()
    )
    return {
        "application": application,
        "allowed": allowed,
        "has_letter": has_letter,
        "has_opinions": has_opinions,
    }
