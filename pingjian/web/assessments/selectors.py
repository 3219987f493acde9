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
