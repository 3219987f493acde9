from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from pingjian.web.core.pagination import BoundedLimitOffsetPagination, MappedQuerySet

from .models import RegistryEntry

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
