"""On-site scoring over JSON (`/api/assessments/`): the same actions and permission checks as the
pages. Entries carry the device's id and sequence number; a resent entry is answered as before."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from pingjian.web.core.access import get_object_for_user
from pingjian.web.visits.models import Visit

from .actions import do_save_entry, do_submit_assessment
from .error_codes import EntryStatus
from .models import Assessment, Kind
from .selectors import scoring_state

router = Router(tags=["assessments"])

STATUS_CODES = {EntryStatus.STORED: 200, EntryStatus.CONFLICT: 409, EntryStatus.INVALID: 422}


class EntryIn(Schema):
    key: str
    value: dict[str, Any]
    kind: str = Kind.CONSENSUS
    base_version: int = 0
    device_id: str = ""
    sequence: int | None = None
    comment: str = ""
    reason: str = ""


def _visit(request: HttpRequest, visit_id: int, perm: str = "assessments.view_entries") -> Visit:
    return get_object_for_user(Visit, request.user, perm=perm, pk=visit_id)


@router.get("/visits/{visit_id}", summary="評分：共識與本人評分、規則核心之計分與說明")
def get_scoring(request: HttpRequest, visit_id: int):  # type: ignore[no-untyped-def]
    return scoring_state(_visit(request, visit_id), request.user)


@router.post(
    "/visits/{visit_id}/entries",
    response={200: dict, 409: dict, 422: dict},
    summary="登錄或更新一項評分（裝置識別碼與序號：重送者只存一次）",
)
def save_entry(request: HttpRequest, visit_id: int, payload: EntryIn):  # type: ignore[no-untyped-def]
    visit = _visit(request, visit_id, "assessments.score_visit")
    answer = do_save_entry(visit, actor=request.user, **payload.model_dump())
    return Status(STATUS_CODES[EntryStatus(answer["status"])], answer)


@router.post("/visits/{visit_id}/submit", summary="訪查小組送出評分")
def submit(request: HttpRequest, visit_id: int):  # type: ignore[no-untyped-def]
    visit = _visit(request, visit_id, "assessments.submit_assessment")
    try:
        assessment = do_submit_assessment(visit, actor=request.user)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    return {"state": assessment.state, "total": str(assessment.total), "result": assessment.result}


@router.get("/{assessment_id}", summary="評分結果（總分、結果、計分說明）；機構於評定後可見")
def get_assessment(request: HttpRequest, assessment_id: int):  # type: ignore[no-untyped-def]
    assessment = get_object_for_user(Assessment, request.user, pk=assessment_id)
    return {
        "visit": assessment.visit_id,
        "state": assessment.state,
        "total": None if assessment.total is None else str(assessment.total),
        "max_total": None if assessment.max_total is None else str(assessment.max_total),
        "result": assessment.result,
        "trace": assessment.trace,
    }
