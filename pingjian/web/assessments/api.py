"""On-site scoring over JSON (`/api/assessments/`): the same actions and permission checks as the
pages. Entries carry the device's id and sequence number; a resent entry is answered as before."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from pingjian.web.core.access import get_object_for_user
from pingjian.web.core.bounds import MAX_KEY
from pingjian.web.core.pagination import BoundedLimitOffsetPagination, MappedQuerySet
from pingjian.web.core.text import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH, STATEMENT_MAX_LENGTH
from pingjian.web.visits.models import Visit

from .actions import (
    do_approve_opinion,
    do_return_opinion,
    do_save_entry,
    do_save_opinion_entry,
    do_submit_assessment,
    do_submit_opinion,
)
from .error_codes import EntryStatus
from .models import DEVICE_ID_MAX_LENGTH, KEY_MAX_LENGTH, OVERALL, Assessment, Kind, Opinion
from .selectors import opinion_json, opinion_of, scoring_state

router = Router(tags=["assessments"])

STATUS_CODES = {EntryStatus.STORED: 200, EntryStatus.CONFLICT: 409, EntryStatus.INVALID: 422}


# Every field bounded (issue 17): a sequence beyond a 64-bit integer or a device id beyond its column
# was a 500, a 1,000,000-character comment was stored.
class EntryIn(Schema):
    key: str = Field(..., max_length=KEY_MAX_LENGTH)
    value: dict[str, Any]
    kind: str = Field(Kind.CONSENSUS, max_length=10)
    base_version: int = Field(0, ge=0, le=MAX_KEY)
    device_id: str = Field("", max_length=DEVICE_ID_MAX_LENGTH)
    sequence: int | None = Field(None, ge=0, le=MAX_KEY)
    comment: str = Field("", max_length=MESSAGE_MAX_LENGTH)
    reason: str = Field("", max_length=REASON_MAX_LENGTH)  # why a submitted scoring changes


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


# --------------------------------------------------------------------------- opinions (評鑑意見書)


class OpinionEntryIn(Schema):
    key: str = Field(OVERALL, max_length=KEY_MAX_LENGTH)  # an item id, or empty: overall (總評)
    strengths: str = Field("", max_length=STATEMENT_MAX_LENGTH)
    recommendations: str = Field("", max_length=STATEMENT_MAX_LENGTH)


class ReturnIn(Schema):
    reason: str = Field(..., max_length=REASON_MAX_LENGTH)


def _refused(exc: ValidationError) -> HttpError:
    return HttpError(422, " ".join(exc.messages))


@router.get(
    "/opinions", response=list[dict], summary="評鑑意見書（本人可見者：辦公室、訪查小組、核定後之機構）"
)
@paginate(BoundedLimitOffsetPagination)
def list_opinions(request: HttpRequest):  # type: ignore[no-untyped-def]
    opinions = (
        Opinion.objects.visible_to(request.user)
        .select_related("visit__application__institution")
        .order_by("-pk")
    )
    return MappedQuerySet(opinions, lambda o: opinion_json(o, entries=False))


@router.get("/opinions/{opinion_id}", summary="評鑑意見書：總評及各基準之優點與建議事項")
def get_opinion(request: HttpRequest, opinion_id: int):  # type: ignore[no-untyped-def]
    return opinion_json(get_object_for_user(Opinion, request.user, pk=opinion_id))


@router.get(
    "/visits/{visit_id}/opinion", summary="訪查之評鑑意見書（訪查小組、辦公室；尚未撰寫者為空白草稿）"
)
def get_visit_opinion(request: HttpRequest, visit_id: int):  # type: ignore[no-untyped-def]
    visit = _visit(request, visit_id)
    opinion = opinion_of(visit)
    return (
        opinion_json(opinion) if opinion is not None else {"visit": visit.pk, "state": "draft", "entries": []}
    )


@router.put("/visits/{visit_id}/opinion/entries", summary="訪查小組撰寫一項評鑑意見（總評或一項基準）")
def save_opinion_entry(request: HttpRequest, visit_id: int, payload: OpinionEntryIn):  # type: ignore[no-untyped-def]
    visit = _visit(request, visit_id, "assessments.write_opinion")
    try:
        do_save_opinion_entry(visit, actor=request.user, **payload.model_dump())
    except ValidationError as exc:
        raise _refused(exc) from None
    return opinion_json(opinion_of(visit))


@router.post("/visits/{visit_id}/opinion/submit", summary="訪查小組將評鑑意見書送審")
def submit_opinion(request: HttpRequest, visit_id: int):  # type: ignore[no-untyped-def]
    visit = _visit(request, visit_id, "assessments.write_opinion")
    try:
        return opinion_json(do_submit_opinion(visit, actor=request.user))
    except ValidationError as exc:
        raise _refused(exc) from None


@router.post("/opinions/{opinion_id}/approve", summary="評鑑辦公室核定評鑑意見書")
def approve_opinion(request: HttpRequest, opinion_id: int):  # type: ignore[no-untyped-def]
    opinion = get_object_for_user(Opinion, request.user, perm="assessments.review_opinion", pk=opinion_id)
    try:
        return opinion_json(do_approve_opinion(opinion, actor=request.user))
    except ValidationError as exc:
        raise _refused(exc) from None


@router.post("/opinions/{opinion_id}/return", summary="評鑑辦公室退回評鑑意見書（須說明理由）")
def return_opinion(request: HttpRequest, opinion_id: int, payload: ReturnIn):  # type: ignore[no-untyped-def]
    opinion = get_object_for_user(Opinion, request.user, perm="assessments.review_opinion", pk=opinion_id)
    try:
        return opinion_json(do_return_opinion(opinion, actor=request.user, reason=payload.reason))
    except ValidationError as exc:
        raise _refused(exc) from None


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
