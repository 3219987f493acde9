from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from pingjian.web.core.access import get_object_for_user
from pingjian.web.core.pagination import BoundedLimitOffsetPagination

from .models import Institution

router = Router(tags=["institutions"])


class OwnerTermOut(Schema):
    owner_name: str
    started_on: dt.date
    ended_on: dt.date | None


class InstitutionOut(Schema):
    code: str
    name: str
    type: str
    county: str
    district: str
    address: str
    capacity: int | None
    opened_on: dt.date | None
    suspended_on: dt.date | None
    reopened_on: dt.date | None
    closed_on: dt.date | None


class InstitutionDetailOut(InstitutionOut):
    phone: str
    owners: list[OwnerTermOut]


@router.get("/", response=list[InstitutionOut], summary="機構列表 (scoped to the caller)")
@paginate(BoundedLimitOffsetPagination)
def list_institutions(
    request: HttpRequest, q: str | None = None, county: str | None = None, type: str | None = None
):  # type: ignore[no-untyped-def]
    queryset = Institution.objects.visible_to(request.user).order_by("county", "code")
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if county:
        queryset = queryset.filter(county=county)
    if type:
        queryset = queryset.filter(type=type)
    return queryset


@router.get("/{code}", response=InstitutionDetailOut, summary="機構 (404 outside the caller's scope)")
def get_institution(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    institution = get_object_for_user(Institution, request.user, code=code)
    owners = [OwnerTermOut.from_orm(t) for t in institution.owner_terms.order_by("started_on")]
    return InstitutionDetailOut(
        **{name: getattr(institution, name) for name in InstitutionOut.model_fields},
        phone=institution.phone,
        owners=owners,
    )
