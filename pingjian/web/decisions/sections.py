"""The decisions section of the application page, and the transitions it takes over.

`decide` is never offered on the application page nor its API: its result comes from an approved
decision of a determination meeting (actions.do_approve_decision). Once an application has a
decision, `appeal` and `finalize` go through this app too (an Appeal record with its re-review;
the finalisation publishes in the registry).
"""

from __future__ import annotations

from typing import Any

from pingjian.web.core.panels import Panel

from .selectors import certificate_context, decision_context


def application_withheld_transitions(request: Any, application: Any) -> set[str]:
    withheld = {"decide"}
    if hasattr(application, "decision"):
        withheld |= {"appeal", "finalize"}
    return withheld


def application_sections(request: Any, application: Any) -> list[Panel]:
    context = decision_context(request.user, application)
    if context is None:
        return []
    sections = [Panel("decisions/section.html", context, 25)]
    certificate = certificate_context(request.user, application)
    if certificate is not None:
        sections.append(Panel("decisions/certificate.html", certificate, 26))
    return sections
