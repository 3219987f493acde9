"""What pages and other apps read of on-site scoring."""

from __future__ import annotations

from typing import Any

from .actions import computed_for, entry_json
from .models import Assessment, Kind, SurveyorNote


def assessment_of(visit: Any) -> Assessment | None:
    return Assessment.objects.filter(visit=visit).first()


def scoring_state(visit: Any, user: Any) -> dict[str, Any]:
    """The team's view: consensus and the user's own entries, the rules core's result so far."""
    assessment = assessment_of(visit)
    entries = [] if assessment is None else list(assessment.entries.select_related("updated_by"))
    return {
        "visit": visit.pk,
        "state": Assessment.State.OPEN if assessment is None else assessment.state,
        "consensus": [entry_json(e) for e in entries if e.kind == Kind.CONSENSUS],
        "mine": [entry_json(e) for e in entries if e.kind == Kind.MEMBER and e.surveyor_id == user.pk],
        "computed": computed_for(assessment, visit).to_json(),
    }


def notes_of(visit: Any, user: Any) -> dict[str, str]:
    return dict(SurveyorNote.objects.filter(visit=visit, surveyor=user).values_list("key", "text"))


def opinion_of(visit: Any) -> Any:
    from .models import Opinion

    return Opinion.objects.filter(visit=visit).first()


def opinion_json(opinion: Any, *, entries: bool = True) -> dict[str, Any]:
    """An opinion over the API: its state and review, and (unless listed) its entries."""
    application = opinion.visit.application
    out: dict[str, Any] = {
        "id": opinion.pk,
        "visit": opinion.visit_id,
        "application": application.pk,
        "institution": application.institution.name,
        "state": opinion.state,
        "state_label": opinion.get_state_display(),
        "submitted_at": opinion.submitted_at.isoformat() if opinion.submitted_at else None,
        "approved_at": opinion.approved_at.isoformat() if opinion.approved_at else None,
        "returned_reason": opinion.returned_reason,
    }
    if entries:
        out["entries"] = [
            {"key": e.key, "strengths": e.strengths, "recommendations": e.recommendations}
            for e in opinion.entries.order_by("key")
        ]
    return out


def opinions_document(opinion: Any) -> dict[str, Any]:
    """What the 評鑑意見書 says, for the documents app (it reads assessments only through here):
    the overall opinion and each criterion's, in the program's order, the criteria without any
    opinion left out; with the assessment's total and result when the team submitted."""
    from .models import OVERALL
    from .scoring import program_of

    program = program_of(opinion.visit)
    entries = {e.key: e for e in opinion.entries.all()}
    criteria = [
        {"id": item.id, "title": item.title, "strengths": e.strengths, "recommendations": e.recommendations}
        for item in program.items
        if (e := entries.get(item.id)) is not None and (e.strengths or e.recommendations)
    ]
    overall = entries.get(OVERALL)
    assessment = assessment_of(opinion.visit)
    return {
        "opinion": opinion,
        "program": program,
        "overall": overall,
        "criteria": criteria,
        "assessment": assessment if assessment is not None and assessment.submitted else None,
    }
