"""Applications through the API: list and detail scoped to the caller (404 outside), transitions
and the recording of the result notice's receipt as POSTs calling the same actions as the pages
(403 for the wrong role, 409 for a stale version or a state that does not allow it, 422 for
missing or wrong data)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from pingjian.web.core.access import get_object_for_user
from pingjian.web.core.pagination import BoundedLimitOffsetPagination, MappedQuerySet
from pingjian.web.core.text import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH

from . import actions
from .models import Application
from .workflow import TRANSITIONS

router = Router(tags=["applications"])


class TransitionOut(Schema):
    name: str
    from_state: str
    to_state: str
    actor: str | None
    at: dt.datetime
    message: str
    due: dt.date | None


class ApplicationOut(Schema):
    id: int
    cycle_id: int
    institution_code: str
    program_id: str
    program_version: int
    state: str
    version: int
    submitted_on: dt.date | None
    supplement_due: dt.date | None
    visit_date: dt.date | None
    evidence_due: dt.date | None
    result: str
    notice_received_on: dt.date | None  # None: receipt of the result notice not yet recorded
    appeal_due: dt.date | None  # None after a decision until receipt (seed 002 §十二(一))
    appeal_waived_on: dt.date | None  # the institution waived its appeal (放棄申復) on this day
    fee_amount: Decimal | None
    fee_paid_on: dt.date | None
    fee_receipt_no: str
    renews: int | None  # the JCT renewal (續約): the application this one renews


class ApplicationDetailOut(ApplicationOut):
    transitions: list[TransitionOut]
    available: list[str]


class TransitionIn(Schema):
    version: int
    message: str = Field("", max_length=MESSAGE_MAX_LENGTH)
    visit_date: dt.date | None = None
    total: Decimal | None = None
    result: str | None = None


class NoticeReceiptIn(Schema):
    """收受評定通知. Office staff send `received_on` (the delivery date on the proof of service) and,
    to correct an earlier record, a `reason`; a member of the institution sends neither: the
    receipt is acknowledged as of today."""

    version: int
    received_on: dt.date | None = None
    reason: str = Field("", max_length=REASON_MAX_LENGTH)


class AppealWaiverIn(Schema):
    """放棄申復. Office staff send `waived_on` (the date of the written declaration) and `reason`
    (the document it is in); a member of the institution sends neither: declared today."""

    version: int
    waived_on: dt.date | None = None
    reason: str = Field("", max_length=REASON_MAX_LENGTH)


class FieldErrorOut(Schema):
    """One field the request's own validation refused (django-ninja's 422: where, what, which kind)."""

    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(Schema):
    detail: str | list[str] | list[FieldErrorOut]


def _out(app: Application, cls: type = ApplicationOut, **extra) -> ApplicationOut:  # type: ignore[no-untyped-def]
    return cls(
        id=app.pk,
        cycle_id=app.cycle_id,
        institution_code=app.institution.code,
        program_id=app.program_version.program_id,
        program_version=app.program_version.number,
        state=app.state,
        version=app.version,
        submitted_on=app.submitted_on,
        supplement_due=app.supplement_due,
        visit_date=app.visit_date,
        evidence_due=app.evidence_due,
        result=app.result,
        notice_received_on=app.notice_received_on,
        appeal_due=app.appeal_due,
        appeal_waived_on=app.appeal_waived_on,
        fee_amount=app.fee_amount,
        fee_paid_on=app.fee_paid_on,
        fee_receipt_no=app.fee_receipt_no,
        renews=app.renews_id,
        **extra,
    )


def _detail(request: HttpRequest, app: Application) -> ApplicationDetailOut:
    transitions = [
        TransitionOut(
            name=t.name,
            from_state=t.from_state,
            to_state=t.to_state,
            actor=t.actor.get_username() if t.actor else None,
            at=t.at,
            message=t.message,
            due=t.due,
        )
        for t in app.transitions.select_related("actor").order_by("at", "pk")
    ]
    withheld = actions.withheld_transitions(request, app)
    available = [t.name for t in actions.available_transitions(request.user, app) if t.name not in withheld]
    return _out(app, ApplicationDetailOut, transitions=transitions, available=available)  # type: ignore[return-value]


@router.get("/", response=list[ApplicationOut], summary="申請案 (scoped to the caller, paginated)")
@paginate(BoundedLimitOffsetPagination)
def list_applications(request: HttpRequest, state: str | None = None):  # type: ignore[no-untyped-def]
    queryset = Application.objects.visible_to(request.user).select_related("institution", "program_version")
    if state:
        queryset = queryset.filter(state=state)
    return MappedQuerySet(queryset.order_by("pk"), _out)


@router.get(
    "/{application_id}", response=ApplicationDetailOut, summary="申請案 (404 outside the caller's scope)"
)
def get_application(request: HttpRequest, application_id: int):  # type: ignore[no-untyped-def]
    return _detail(request, get_object_for_user(Application, request.user, pk=application_id))


@router.post(
    "/{application_id}/transitions/{name}",
    response={200: ApplicationDetailOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="fire a workflow transition (same action as the page)",
)
def post_transition(request: HttpRequest, application_id: int, name: str, payload: TransitionIn):  # type: ignore[no-untyped-def]
    app = get_object_for_user(Application, request.user, pk=application_id)
    if name not in TRANSITIONS:
        return Status(404, {"detail": f"unknown transition {name}"})
    if name in actions.withheld_transitions(request, app):
        return Status(
            409,
            {
                "detail": [
                    f"{TRANSITIONS[name].label}：由實地評分（規則核心計分）或評定會議辦理，不另行輸入。"
                ]
            },
        )
    data = {k: v for k, v in payload.dict().items() if k not in ("version", "message") and v is not None}
    try:
        app = actions.fire(
            app, name, actor=request.user, message=payload.message, expected_version=payload.version, **data
        )
    except actions.TransitionNotAllowedError as exc:
        return Status(409, {"detail": exc.messages})
    except ValidationError as exc:
        return Status(422, {"detail": exc.messages})
    return Status(200, _detail(request, app))


def _record(request: HttpRequest, application_id: int, action, **data):  # type: ignore[no-untyped-def]
    """Call ACTION on the application as the caller: 404 outside the scope (choke point), 403 from
    the action for those who see it without the role, 409 stale or wrong state, 422 bad data."""
    app = get_object_for_user(Application, request.user, pk=application_id)
    try:
        app = action(app, actor=request.user, **data)
    except actions.TransitionNotAllowedError as exc:
        return Status(409, {"detail": exc.messages})
    except ValidationError as exc:
        return Status(422, {"detail": exc.messages})
    return Status(200, _detail(request, app))


RECORD_RESPONSES = {200: ApplicationDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post(
    "/{application_id}/notice-receipt",
    response=RECORD_RESPONSES,
    summary="record receipt of the result notice (收受評定通知); sets the appeal deadline",
)
def post_notice_receipt(request: HttpRequest, application_id: int, payload: NoticeReceiptIn):  # type: ignore[no-untyped-def]
    """Same action as the application page: the institution's members acknowledge receipt today
    (once), office staff record or correct the delivery date; others who see the application get
    403, everyone else 404. The appeal deadline (`appeal_due`) is counted from the receipt."""
    return _record(
        request,
        application_id,
        actions.do_record_notice_receipt,
        received_on=payload.received_on,
        reason=payload.reason,
        expected_version=payload.version,
    )


@router.post(
    "/{application_id}/appeal-waiver",
    response=RECORD_RESPONSES,
    summary="record that the institution waives its appeal (放棄申復); the case may then be closed",
)
def post_appeal_waiver(request: HttpRequest, application_id: int, payload: AppealWaiverIn):  # type: ignore[no-untyped-def]
    """Same action as the application page: a member declares the waiver today, office staff record
    a written declaration (its date and document); others who see the application get 403,
    everyone else 404."""
    return _record(
        request,
        application_id,
        actions.do_waive_appeal,
        waived_on=payload.waived_on,
        reason=payload.reason,
        expected_version=payload.version,
    )


@router.post(
    "/{application_id}/renewal",
    response=RECORD_RESPONSES,
    summary="open the JCT 3-year renewal (續約): a new application linked to this one",
)
def post_renewal(request: HttpRequest, application_id: int):  # type: ignore[no-untyped-def]
    """Same action as the application page: the office or the institution's members, on a
    finalised JCT pass inside the last 12 months of its validity, with a cycle of the program open;
    answers the new application (its `renews` is this one). Others who see it get 403, everyone
    else 404; a refusal in words is 422."""
    return _record(request, application_id, actions.do_open_renewal)
