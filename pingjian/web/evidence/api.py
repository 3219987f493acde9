from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from pingjian.web.applications.models import Application
from pingjian.web.core.access import get_object_for_user

from .models import EvidenceFile
from .slots import slots_for

router = Router(tags=["evidence"])


class SlotOut(Schema):
    key: str
    item_id: str
    requirement: int | None
    text: str
    note: str


class EvidenceOut(Schema):
    id: int
    slot_key: str
    number: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    superseded_at: dt.datetime | None
    download_url: str


class EvidenceListOut(Schema):
    slots: list[SlotOut]
    files: list[EvidenceOut]


@router.get("/{application_id}", response=EvidenceListOut, summary="佐證資料 metadata (404 outside scope)")
def list_evidence(request: HttpRequest, application_id: int):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    application = get_object_for_user(Application, request.user, pk=application_id)
    slots = [SlotOut(**s.__dict__) for s in slots_for(application.program_version.program())]
    files = [
        EvidenceOut(
            **{k: getattr(f, k) for k in EvidenceOut.model_fields if k not in ("id", "download_url")},
            id=f.pk,
            download_url=reverse("evidence:download", args=[application.pk, f.pk]),
        )
        for f in EvidenceFile.objects.filter(application=application).order_by("slot_key", "-number")
    ]
    return EvidenceListOut(slots=slots, files=files)
