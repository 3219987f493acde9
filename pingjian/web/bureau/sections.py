"""The health bureau's section of the application page: the preliminary review (初審) and the
survey reply, for the bureau, the institution and the office."""

from __future__ import annotations

from typing import Any

from pingjian.web.accounts.permissions import institution_ids_of
from pingjian.web.core.clock import local_today
from pingjian.web.core.panels import Panel
from pingjian.web.core.text import STATEMENT_MAX_LENGTH

from .models import CheckOutcome, SafetyStatus
from .review import review_effects, uses_survey_reply


def application_sections(request: Any, application: Any) -> list[Panel]:
    program = application.program_version.program()
    user = request.user
    is_bureau = user.has_perm("bureau.review_application", application)
    context: dict[str, Any] = {
        "is_bureau": is_bureau,
        "preliminary": review_effects(application, local_today())
        if getattr(program, "preliminary_review", None)
        else [],
        "safety_choices": SafetyStatus.choices,
        "check_choices": CheckOutcome.choices,
        "survey_reply_applies": uses_survey_reply(program),
        "survey_reply": getattr(application, "survey_reply", None) if uses_survey_reply(program) else None,
        "is_member": application.institution_id in institution_ids_of(user),
        "statement_max_length": STATEMENT_MAX_LENGTH,
    }
    return [Panel("bureau/section.html", context, 20)]
