from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from pingjian.web.core.access import get_object_for_user

from .models import Cycle

router = Router(tags=["cycles"])


class CycleOut(Schema):
    id: int
    title: str
    mode: str
    program_id: str
    program_version: int
    application_opens: dt.date | None
    application_closes: dt.date
    visit_opens: dt.date
    visit_closes: dt.date
    preliminary_review_due: dt.date | None
    remediation_due: dt.date | None


def _out(cycle: Cycle) -> CycleOut:
    return CycleOut(
        id=cycle.pk,
        title=cycle.title,
        mode=cycle.mode,
        program_id=cycle.program_version.program_id,
        program_version=cycle.program_version.number,
        application_opens=cycle.application_opens,
        application_closes=cycle.application_closes,
        visit_opens=cycle.visit_opens,
        visit_closes=cycle.visit_closes,
        preliminary_review_due=cycle.preliminary_review_due,
        remediation_due=cycle.remediation_due,
    )


@router.get("/", response=list[CycleOut], summary="評鑑梯次")
def list_cycles(request: HttpRequest):  # type: ignore[no-untyped-def]
    return [_out(c) for c in Cycle.objects.visible_to(request.user).select_related("program_version")]


@router.get("/{cycle_id}", response=CycleOut)
def get_cycle(request: HttpRequest, cycle_id: int):  # type: ignore[no-untyped-def]
    return _out(get_object_for_user(Cycle, request.user, pk=cycle_id))
