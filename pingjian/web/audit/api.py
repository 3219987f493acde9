from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from pingjian.web.core.access import require_perm
from pingjian.web.core.pagination import BoundedLimitOffsetPagination

from .models import AuditEvent

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor_label: str
    event_type: str
    subject_type: str
    subject_id: str
    subject_label: str
    before: Any
    after: Any
    reason: str
    hash: str


@router.get("/events", response=list[AuditEventOut], summary="稽核事件 (program office only)")
@paginate(BoundedLimitOffsetPagination)
def list_events(request: HttpRequest, subject_type: str | None = None, subject_id: str | None = None):  # type: ignore[no-untyped-def]
    require_perm(request.user, "audit.view_auditevent")
    events = AuditEvent.objects.visible_to(request.user).order_by("-seq")
    if subject_type:
        events = events.filter(subject_type=subject_type)
    if subject_id:
        events = events.filter(subject_id=subject_id)
    return events
