from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from .permissions import grants_of

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    institution_ids: list[int]
    counties: list[str]


@router.get("/me", response=MeOut, summary="目前使用者與角色")
def me(request: HttpRequest):  # type: ignore[no-untyped-def]
    grants = grants_of(request.user)
    return MeOut(
        username=request.user.username,
        display_name=str(request.user),
        roles=sorted(grants.roles),
        institution_ids=sorted(grants.institution_ids),
        counties=sorted(grants.counties),
    )
