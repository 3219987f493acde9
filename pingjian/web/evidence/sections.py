"""The evidence section of the application page: every slot with its versions and comments."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pingjian.web.core.panels import Panel
from pingjian.web.core.text import MESSAGE_MAX_LENGTH

from .actions import UPLOAD_STATES
from .checks import MAX_BYTES
from .models import EvidenceFile
from .slots import slots_for


def application_sections(request: Any, application: Any) -> list[Panel]:
    user = request.user
    files: dict[str, list[EvidenceFile]] = defaultdict(list)
    for row in application.evidence_files.select_related("uploaded_by").order_by("slot_key", "-number"):
        files[row.slot_key].append(row)
    comments: dict[str, list[Any]] = defaultdict(list)
    for comment in application.evidence_comments.select_related("author"):
        comments[comment.slot_key].append(comment)
    slots = [
        {"slot": slot, "files": files.get(slot.key, []), "comments": comments.get(slot.key, [])}
        for slot in slots_for(application.program_version.program())
    ]
    can_upload = user.has_perm("evidence.upload_evidence", application) and (
        application.state in UPLOAD_STATES or "evidence" in application.unlocked_parts()
    )
    context = {
        "comment_max_length": MESSAGE_MAX_LENGTH,
        "evidence_slots": slots,
        "can_upload": can_upload,
        "can_comment": user.has_perm("evidence.comment_evidence"),
        "max_upload_mb": MAX_BYTES // (1024 * 1024),
    }
    return [Panel("evidence/section.html", context, 10)]
