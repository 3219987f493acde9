from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from pingjian.web.core.access import get_object_for_user
from pingjian.web.core.pagination import BoundedLimitOffsetPagination, MappedQuerySet

from . import selectors
from .models import FollowUp, RegistryEntry

router = Router(tags=["registry"])


class RegistryEntryOut(Schema):
    institution_code: str
    institution_name: str
    county: str
    institution_type: str
    program_id: str
    program_title: str
    result: str
    valid_from: dt.date
    valid_until: dt.date | None
    status: str


@router.get("/", response=list[RegistryEntryOut], auth=None, summary="公開查詢：有效評鑑結果 (public)")
@paginate(BoundedLimitOffsetPagination)
def list_entries(request: HttpRequest, q: str | None = None, county: str | None = None):  # type: ignore[no-untyped-def]
    entries = (
        RegistryEntry.objects.visible_to(None).valid_on(timezone.localdate()).select_related("institution")
    )
    if q:
        entries = entries.filter(institution__name__icontains=q)
    if county:
        entries = entries.filter(institution__county=county)
    return MappedQuerySet(entries.order_by("institution__county", "institution__name"), _out)


def _out(e: RegistryEntry) -> RegistryEntryOut:
    return RegistryEntryOut(
        institution_code=e.institution.code,
        institution_name=e.institution.name,
        county=e.institution.county,
        institution_type=e.institution.type,
        program_id=e.program_id,
        program_title=e.program_title,
        result=e.result,
        valid_from=e.valid_from,
        valid_until=e.valid_until,
        status=e.status,
    )


class FollowUpOut(Schema):
    id: int
    day: dt.date
    kind: str
    kind_label: str
    outcome: str
    outcome_label: str
    findings: str
    improve_by: dt.date | None
    recorded_on: dt.date | None


@router.get(
    "/{entry_id}/follow-ups",
    response=list[FollowUpOut],
    summary="追蹤訪查 (follow-ups within the validity): the office and the institution's members only",
)
def list_follow_ups(request: HttpRequest, entry_id: int):  # type: ignore[no-untyped-def]
    """The entry is public; its follow-ups are not: 403 for anyone but the office and its members."""
    entry = get_object_for_user(
        RegistryEntry, request.user, perm="registry.view_entry_follow_ups", pk=entry_id
    )
    return [_follow_up_out(f) for f in selectors.follow_ups_of(request.user, entry)]


def _follow_up_out(f: FollowUp) -> FollowUpOut:
    return FollowUpOut(
        id=f.pk,
        day=f.day,
        kind=f.kind,
        kind_label=str(f.get_kind_display()),
        outcome=f.outcome,
        outcome_label=str(f.get_outcome_display()),
        findings=f.findings,
        improve_by=f.improve_by,
        recorded_on=f.recorded_on,
    )
