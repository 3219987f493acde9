"""Uploads and review comments; each one transaction with its audit event."""

from __future__ import annotations

import hashlib
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from pingjian.web.accounts.permissions import institution_ids_of, is_office_operator
from pingjian.web.applications.actions import application_url, require_editable
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import Part, State
from pingjian.web.audit.actions import record_event
from pingjian.web.audit.events import EventType
from pingjian.web.core.text import MESSAGE_MAX_LENGTH, bounded_text
from pingjian.web.notifications.messages import message
from pingjian.web.notifications.notify import institution_members, notify

from .checks import UploadRejectedError, check_upload
from .error_codes import EvidenceErrorCode
from .models import EvidenceComment, EvidenceFile
from .slots import OnSiteOnlyError, UnknownSlotError, slot_for

# The institution uploads while preparing, answering a supplement request and before the visit.
UPLOAD_STATES = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.QUALIFICATION_REVIEW,
        State.SUPPLEMENT_REQUESTED,
        State.RESUBMITTED,
        State.ACCEPTED,
        State.EVIDENCE_DUE,
    }
)


@transaction.atomic
def do_upload_evidence(
    application: Application, *, slot_key: str, upload: IO[bytes], name: str, actor: Any
) -> EvidenceFile:
    if actor is not None and application.institution_id not in institution_ids_of(actor):
        raise PermissionDenied("evidence.upload_evidence")
    app = Application.objects.select_for_update().get(pk=application.pk)
    try:
        slot = slot_for(app.program_version.program(), slot_key)
    except (OnSiteOnlyError, UnknownSlotError) as exc:
        raise ValidationError(str(exc), code=EvidenceErrorCode.SLOT) from None
    if app.is_locked:
        require_editable(app, Part.EVIDENCE)
    elif app.state not in UPLOAD_STATES:
        raise ValidationError(
            f"目前狀態「{State(app.state).label}」不能上傳佐證資料。", code=EvidenceErrorCode.STATE
        )
    try:
        checked = check_upload(upload, name)
    except UploadRejectedError as exc:
        raise ValidationError(str(exc), code=EvidenceErrorCode.REJECTED) from None
    upload.seek(0)
    data = upload.read()
    previous = EvidenceFile.objects.filter(application=app, slot_key=slot.key)
    number = (previous.aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    superseded = list(previous.filter(superseded_at__isnull=True).values_list("number", flat=True))
    previous.filter(superseded_at__isnull=True).update(superseded_at=now)
    row = EvidenceFile(
        application=app,
        slot_key=slot.key,
        item_id=slot.item_id,
        requirement=slot.requirement,
        number=number,
        original_name=name[:255],
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    row.file.save(f"upload.{checked.extension}", ContentFile(data), save=False)
    row.save()
    record_event(
        actor=actor,
        event_type=EventType.EVIDENCE_UPLOADED,
        subject=row,
        after={
            "application": app.pk,
            "slot": slot.key,
            "number": number,
            "name": row.original_name,
            "type": row.content_type,
            "size": row.size,
            "sha256": row.sha256,
            "supersedes": superseded,
        },
    )
    return row


@transaction.atomic
def do_comment_evidence(application: Application, *, slot_key: str, text: str, actor: Any) -> EvidenceComment:
    if actor is not None and not is_office_operator(actor):
        raise PermissionDenied("evidence.comment_evidence")
    text = bounded_text(text, max_length=MESSAGE_MAX_LENGTH, label="審閱意見")
    if not text:
        raise ValidationError("請填寫審閱意見。")
    try:
        slot = slot_for(application.program_version.program(), slot_key)
    except (OnSiteOnlyError, UnknownSlotError) as exc:
        raise ValidationError(str(exc)) from None
    comment = EvidenceComment.objects.create(
        application=application, slot_key=slot.key, author=actor, text=text
    )
    record_event(
        actor=actor,
        event_type=EventType.EVIDENCE_COMMENTED,
        subject=application,
        after={"slot": slot.key, "comment": text},
    )
    notify(
        institution_members(application.institution),
        subject=message(
            N_("{institution}：評鑑辦公室對「{item}」之佐證資料提出審閱意見（{cycle}）"),
            institution=application.institution.name,
            item=f"{slot.item_id} {slot.item_title}",
            cycle=application.cycle.title,
        ),
        body=f"審閱意見：{text}\n"
        f"請於申請案頁面之佐證資料「{slot.item_id} {slot.item_title}」處，依審閱意見補正檔案或回覆說明。",
        url=application_url(application),
    )
    return comment
