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


def parts_of(program: Any, slots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The slots by the program's part (group 組別), each with its completeness count (已上傳 12/33)."""
    group_of = {item.id: item.group for item in getattr(program, "items", None) or []}
    titles = {group.id: group.title for group in getattr(program, "groups", None) or []}
    parts: dict[str, dict[str, Any]] = {}
    for row in slots:
        group = group_of.get(row["slot"].item_id, "")
        part = parts.setdefault(group, {"id": group, "title": titles.get(group, ""), "rows": [], "done": 0})
        part["rows"].append(row)
        part["done"] += 1 if row["files"] else 0
    return list(parts.values())


def application_sections(request: Any, application: Any) -> list[Panel]:
    user = request.user
    files: dict[str, list[EvidenceFile]] = defaultdict(list)
    for row in application.evidence_files.select_related("uploaded_by").order_by("slot_key", "-number"):
        files[row.slot_key].append(row)
    comments: dict[str, list[Any]] = defaultdict(list)
    for comment in application.evidence_comments.select_related("author"):
        comments[comment.slot_key].append(comment)
    program = application.program_version.program()
    slots = [
        {"slot": slot, "files": files.get(slot.key, []), "comments": comments.get(slot.key, [])}
        for slot in slots_for(program)
    ]
    can_upload = user.has_perm("evidence.upload_evidence", application) and (
        application.state in UPLOAD_STATES or "evidence" in application.unlocked_parts()
    )
    context = {
        "comment_max_length": MESSAGE_MAX_LENGTH,
        "evidence_slots": slots,
        "evidence_parts": parts_of(program, slots),
        "evidence_done": sum(1 for row in slots if row["files"]),
        "can_upload": can_upload,
        "can_comment": user.has_perm("evidence.comment_evidence"),
        "max_upload_mb": MAX_BYTES // (1024 * 1024),
    }
    return [Panel("evidence/section.html", context, 10)]
