"""This app's part of the application page (found by discovery, core/sections.py):

- `application_sections`: the on-site score as the rules core computed it — total, result and
  trace (計分說明) — shown to the office and the visit's team, and to the institution only once
  the result is decided (評定; states decided, appeal, final), with the office's button that
  records it on the application (`do_record_assessment_score`) and the team's opinions;
- `application_next_step`: the office's next step in the withheld one's place (the scoring page,
  then the record-score button);
- `application_withheld_transitions`: once the visit has an assessment, the application page no
  longer offers the office's typed total (`record_score`): the web never retypes what it computed.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pingjian.web.applications.models import Result
from pingjian.web.applications.workflow import State
from pingjian.web.core.panels import Panel

from .models import Assessment, Opinion
from .scoring import trace_in_words


def _assessment(application: Any) -> Assessment | None:
    return Assessment.objects.filter(visit__application=application).select_related("visit").first()


def application_withheld_transitions(request: Any, application: Any) -> set[str]:
    return {"record_score"} if _assessment(application) is not None else set()


def application_next_step(request: Any, application: Any) -> dict[str, Any] | None:
    """The office's next step once the team scores the visit (instead of typing a total): while
    the team scores, the scoring page (小組共識); once it submitted, the button that records the
    rules core's score, in this app's section of the page."""
    assessment = _assessment(application)
    if assessment is None or application.state != State.VISITED:
        return None
    if not assessment.submitted:
        return {
            "now": _("訪查小組評分中；小組送出評分後，請依評分結果登錄成績。"),
            "url": reverse("assessments:form", args=[assessment.visit_id]),
            "label": _("查看評分表（小組共識）"),
        }
    return {
        "now": _("訪查小組已送出評分；請核對規則核心計分後，按「依評分結果登錄成績」。"),
        "url": "#assessment",
        "label": _("前往規則核心計分"),
    }


def application_sections(request: Any, application: Any) -> list[Panel]:
    user = request.user
    assessment = Assessment.objects.visible_to(user).filter(visit__application=application).first()
    if assessment is None or not user.has_perm("assessments.view_assessment", assessment):
        return []
    opinion = Opinion.objects.visible_to(user).filter(visit=assessment.visit).first()
    can_record = (
        assessment.submitted
        and application.state == State.VISITED
        and user.has_perm("assessments.record_score", assessment)
    )
    return [
        Panel(
            "assessments/sections/application_score.html",
            {
                "assessment": assessment,
                "trace": trace_in_words(assessment.trace),
                "result_label": dict(Result.choices).get(assessment.result, assessment.result),
                "can_record": can_record,
                "can_score": user.has_perm("assessments.view_entries", assessment.visit),
                "opinion": opinion,
            },
            25,
        )
    ]
