from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from pingjian.web.core.access import get_object_for_user

from .models import ProgramVersion

router = Router(tags=["programs"])


class VersionOut(Schema):
    program_id: str
    number: int
    status: str
    kind: str
    title: str
    checksum: str
    published_at: dt.datetime | None


class VersionDetailOut(VersionOut):
    source: str
    items: list[str]


@router.get("/", response=list[VersionOut], summary="評鑑計畫版本 (drafts for the office only)")
def list_versions(request: HttpRequest):  # type: ignore[no-untyped-def]
    return ProgramVersion.objects.visible_to(request.user).order_by("program_id", "-number")


@router.get("/{program_id}/{number}", response=VersionDetailOut, summary="one version with its YAML")
def get_version(request: HttpRequest, program_id: str, number: int):  # type: ignore[no-untyped-def]
    version = get_object_for_user(ProgramVersion, request.user, program_id=program_id, number=number)
    program = version.program()
    items = [item.id for item in getattr(program, "items", [])]
    return VersionDetailOut(
        **{name: getattr(version, name) for name in VersionOut.model_fields},
        source=version.source,
        items=items,
    )
