"""Decisions over JSON (`/api/decisions/`): meetings, items, decisions, appeals, with the same
actions and permission checks as the pages (404 outside the caller's scope — a conflicted member
included —, 403 for an action the caller's role does not take, 422 for refused data: a late
appeal names its last day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from pingjian.web.applications.selectors import get_application
from pingjian.web.core.access import get_object_for_user, require_perm
from pingjian.web.core.pagination import BoundedLimitOffsetPagination, MappedQuerySet
from pingjian.web.core.text import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH

from . import actions
from .models import Appeal, Decision, Item, Meeting
from .permissions import APPROVE, FILE_APPEAL, MANAGE, RECORD, REVIEW, VOTE
from .selectors import cycles_visible_to

router = Router(tags=["decisions"])


class MeetingOut(Schema):
    id: int
    cycle_id: int
    title: str
    held_on: dt.date


class DecisionOut(Schema):
    result: str
    changed: bool
    reason: str
    approved: bool
    decided_on: dt.date | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    published: bool
    version: int  # send it back to approve or record an appeal outcome (optimistic locking)


class ItemOut(Schema):
    id: int
    meeting_id: int
    application_id: int
    institution_code: str
    proposed_result: str
    proposed_total: Decimal
    trace: list[str]
    decision: DecisionOut | None
    version: int  # send it back to record the decision (optimistic locking)


class AppealOut(Schema):
    id: int
    application_id: int
    filed_on: dt.date
    statement: str
    reviewers: list[str]
    outcome: str
    final_result: str
    outcome_reason: str


class MeetingIn(Schema):
    cycle_id: int
    title: str = Field(..., max_length=200)
    held_on: dt.date


class ResultIn(Schema):
    result: str
    reason: str = Field("", max_length=REASON_MAX_LENGTH)
    version: int | None = None  # recording a decision: the item's version read (409 if it moved on)


class AppealIn(Schema):
    statement: str = Field(..., max_length=MESSAGE_MAX_LENGTH)


class ReviewerIn(Schema):
    user_id: int


class OutcomeIn(Schema):
    outcome: str
    reason: str = Field(..., max_length=REASON_MAX_LENGTH)
    new_result: str = ""
    version: int | None = None  # the appealed decision's version read (409 if it moved on)


def _decision_out(decision: Decision | None) -> DecisionOut | None:
    if decision is None:
        return None
    return DecisionOut(
        result=decision.result,
        changed=decision.changed,
        reason=decision.reason,
        approved=decision.approved_at is not None,
        decided_on=decision.decided_on,
        valid_from=decision.valid_from,
        valid_until=decision.valid_until,
        published=decision.published,
        version=decision.version,
    )


def _item_out(item: Item) -> ItemOut:
    return ItemOut(
        id=item.pk,
        meeting_id=item.meeting_id,
        application_id=item.application_id,
        institution_code=item.application.institution.code,
        proposed_result=item.proposed_result,
        proposed_total=item.proposed_total,
        trace=[str(line) for line in item.trace],
        decision=_decision_out(getattr(item, "decision", None)),
        version=item.version,
    )


def _appeal_out(appeal: Appeal) -> AppealOut:
    return AppealOut(
        id=appeal.pk,
        application_id=appeal.decision.application_id,
        filed_on=appeal.filed_on,
        statement=appeal.statement,
        reviewers=[r.surveyor.get_username() for r in appeal.reviewers.select_related("surveyor")],
        outcome=appeal.outcome,
        final_result=appeal.final_result,
        outcome_reason=appeal.outcome_reason,
    )


def _meeting_out(meeting: Meeting) -> MeetingOut:
    return MeetingOut(id=meeting.pk, cycle_id=meeting.cycle_id, title=meeting.title, held_on=meeting.held_on)


@router.get("/meetings", response=list[MeetingOut], summary="評定會議 (scoped, paginated)")
@paginate(BoundedLimitOffsetPagination)
def list_meetings(request: HttpRequest):  # type: ignore[no-untyped-def]
    return MappedQuerySet(Meeting.objects.visible_to(request.user).order_by("pk"), _meeting_out)


@router.post("/meetings", response={201: MeetingOut}, summary="open a determination meeting")
def create_meeting(request: HttpRequest, payload: MeetingIn):  # type: ignore[no-untyped-def]
    require_perm(request.user, MANAGE)
    cycle = cycles_visible_to(request.user).filter(pk=payload.cycle_id).first()
    if cycle is None:
        raise HttpError(404, "cycle not found")
    meeting = actions.do_create_meeting(
        cycle, title=payload.title, held_on=payload.held_on, actor=request.user
    )
    return Status(201, _meeting_out(meeting))


@router.get("/meetings/{meeting_id}/items", response=list[ItemOut], summary="the items the caller may see")
@paginate(BoundedLimitOffsetPagination)
def list_items(request: HttpRequest, meeting_id: int):  # type: ignore[no-untyped-def]
    meeting = get_object_for_user(Meeting, request.user, pk=meeting_id)
    items = (
        Item.objects.visible_to(request.user)
        .filter(meeting=meeting)
        .select_related("application__institution")
    )
    return MappedQuerySet(items.order_by("pk"), _item_out)


@router.get("/items/{item_id}", response=ItemOut, summary="an item with the rules core's proposal")
def get_item(request: HttpRequest, item_id: int):  # type: ignore[no-untyped-def]
    return _item_out(get_object_for_user(Item, request.user, pk=item_id))


@router.post("/items/{item_id}/vote", response=ItemOut, summary="a member's opinion")
def post_vote(request: HttpRequest, item_id: int, payload: ResultIn):  # type: ignore[no-untyped-def]
    item = get_object_for_user(Item, request.user, perm=VOTE, pk=item_id)
    actions.do_vote(item, actor=request.user, result=payload.result)
    return _item_out(item)


@contextmanager
def _fresh() -> Iterator[None]:
    """A concurrent change since the caller read the version (optimistic locking) is 409."""
    try:
        yield
    except actions.StaleDecisionError as exc:
        raise HttpError(409, "；".join(exc.messages)) from exc


@router.post("/items/{item_id}/decision", response=ItemOut, summary="record the meeting's decision")
def post_decision(request: HttpRequest, item_id: int, payload: ResultIn):  # type: ignore[no-untyped-def]
    """Send the item's `version` as read: a second recording from the same base is 409."""
    item = get_object_for_user(Item, request.user, perm=RECORD, pk=item_id)
    with _fresh():
        actions.do_record_decision(
            item,
            actor=request.user,
            result=payload.result,
            reason=payload.reason,
            expected_version=payload.version,
        )
    return _item_out(Item.objects.get(pk=item.pk))


@router.post("/items/{item_id}/approve", response=ItemOut, summary="approve (fires the application's decide)")
def post_approve(request: HttpRequest, item_id: int, version: int | None = None):  # type: ignore[no-untyped-def]
    """`?version=` the decision's version as read: a concurrent change since is 409."""
    item = get_object_for_user(Item, request.user, perm=APPROVE, pk=item_id)
    decision = Decision.objects.filter(item=item).first()
    if decision is None:
        raise HttpError(409, "尚未登錄評定會議決議。")
    with _fresh():
        actions.do_approve_decision(decision, actor=request.user, expected_version=version)
    return _item_out(Item.objects.get(pk=item.pk))


@router.get("/appeals", response=list[AppealOut], summary="申復 (scoped, paginated)")
@paginate(BoundedLimitOffsetPagination)
def list_appeals(request: HttpRequest):  # type: ignore[no-untyped-def]
    return MappedQuerySet(Appeal.objects.visible_to(request.user).order_by("pk"), _appeal_out)


@router.get("/appeals/{appeal_id}", response=AppealOut)
def get_appeal(request: HttpRequest, appeal_id: int):  # type: ignore[no-untyped-def]
    return _appeal_out(get_object_for_user(Appeal, request.user, pk=appeal_id))


@router.post("/applications/{application_id}/appeal", response={201: AppealOut}, summary="file an appeal")
def post_appeal(request: HttpRequest, application_id: int, payload: AppealIn):  # type: ignore[no-untyped-def]
    application = get_application(request, application_id, perm=FILE_APPEAL)
    appeal = actions.do_file_appeal(application, actor=request.user, statement=payload.statement)
    return Status(201, _appeal_out(appeal))


@router.post("/appeals/{appeal_id}/reviewers", response=AppealOut, summary="assign a re-reviewer")
def post_reviewer(request: HttpRequest, appeal_id: int, payload: ReviewerIn):  # type: ignore[no-untyped-def]
    appeal = get_object_for_user(Appeal, request.user, perm=REVIEW, pk=appeal_id)
    surveyor = get_user_model().objects.filter(pk=payload.user_id).first()
    if surveyor is None:
        raise HttpError(422, "user not found")
    actions.do_assign_reviewer(appeal, surveyor, actor=request.user)
    return _appeal_out(appeal)


@router.post("/appeals/{appeal_id}/outcome", response=AppealOut, summary="record the re-review's outcome")
def post_outcome(request: HttpRequest, appeal_id: int, payload: OutcomeIn):  # type: ignore[no-untyped-def]
    appeal = get_object_for_user(Appeal, request.user, perm=REVIEW, pk=appeal_id)
    with _fresh():
        appeal = actions.do_record_appeal_outcome(
            appeal,
            actor=request.user,
            outcome=payload.outcome,
            reason=payload.reason,
            new_result=payload.new_result,
            expected_version=payload.version,
        )
    return _appeal_out(appeal)


@router.post(
    "/applications/{application_id}/finalize",
    response=DecisionOut,
    summary="結果確定; a pass is published in the registry",
)
def post_finalize(request: HttpRequest, application_id: int):  # type: ignore[no-untyped-def]
    application = get_application(request, application_id, perm=RECORD)
    return _decision_out(actions.do_finalize_decision(application, actor=request.user))
