"""State changes for program versions; each one transaction with its audit event inside."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pingjian.rules.errors import ProgramFileError
from pingjian.rules.programs import program_paths
from pingjian.web.audit.actions import changed_fields, record_event
from pingjian.web.audit.events import EventType
from pingjian.web.core.text import REASON_MAX_LENGTH, bounded_text

from .models import ProgramOffice, ProgramVersion, PublishedProgramImmutableError, VersionStatus
from .schema import checksum, parse_source


class DraftExistsError(RuntimeError):
    """A program has at most one draft at a time."""


def _snapshot(version: ProgramVersion) -> dict[str, Any]:
    return {
        "program_id": version.program_id,
        "number": version.number,
        "status": version.status,
        "checksum": version.checksum,
        "title": version.title,
    }


def _next_number(program_id: str) -> int:
    return (ProgramVersion.objects.filter(program_id=program_id).aggregate(n=Max("number"))["n"] or 0) + 1


@dataclass(frozen=True)
class LoadSummary:
    created: list[str]
    unchanged: list[str]


@transaction.atomic
def do_load_program_files(*, actor: Any, paths: list[Path] | None = None) -> LoadSummary:
    """Load every program file as a published version. A file already loaded (same text) is left
    alone; a file whose text differs from the latest published version becomes the next version.
    Files are validated by the core before anything is written (all or nothing)."""
    files = list(paths) if paths is not None else list(program_paths())
    parsed = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        program = parse_source(text, str(path))
        if path.stem != program.id:
            raise ProgramFileError(f"{path}: file name must be the program id {program.id!r}")
        parsed.append((path, text, program))
    created, unchanged = [], []
    for path, text, program in parsed:
        latest = ProgramVersion.objects.latest_published(program.id)
        if latest is not None and latest.checksum == checksum(text):
            unchanged.append(program.id)
            continue
        version = ProgramVersion.objects.create(
            program_id=program.id,
            number=_next_number(program.id),
            status=VersionStatus.PUBLISHED,
            kind=program.kind,
            title=program.title,
            source=text,
            origin=str(path.name),
            created_by=actor,
            published_by=actor,
            published_at=timezone.now(),
            based_on=latest,
        )
        record_event(
            actor=actor,
            event_type=EventType.PROGRAM_LOADED,
            subject=version,
            after=_snapshot(version),
            reason=f"載入計畫檔 {path.name}",
        )
        created.append(program.id)
    return LoadSummary(created, unchanged)


@transaction.atomic
def do_copy_to_draft(version: ProgramVersion, *, actor: Any) -> ProgramVersion:
    """Start the next version of a program as a draft holding a copy of `version`'s text."""
    if (
        ProgramVersion.objects.select_for_update()
        .filter(program_id=version.program_id, status="draft")
        .exists()
    ):
        raise DraftExistsError(f"{version.program_id} already has a draft")
    draft = ProgramVersion.objects.create(
        program_id=version.program_id,
        number=_next_number(version.program_id),
        status=VersionStatus.DRAFT,
        kind=version.kind,
        title=version.title,
        source=version.source,
        origin="web",
        based_on=version,
        created_by=actor,
    )
    record_event(
        actor=actor,
        event_type=EventType.PROGRAM_DRAFT_CREATED,
        subject=draft,
        after=_snapshot(draft),
        reason=f"複製自第{version.number}版",
    )
    return draft


def _require_draft(draft: ProgramVersion) -> None:
    if draft.status != VersionStatus.DRAFT:
        raise PublishedProgramImmutableError(f"{draft} is published and cannot change")


def validate_draft_text(draft: ProgramVersion, text: str) -> Any:
    """The core's validation of a draft's text; the program id may not change."""
    program = parse_source(text, f"{draft.program_id} 草稿 v{draft.number}")
    if program.id != draft.program_id:
        raise ProgramFileError(f"{draft.program_id} 草稿: id: 不得變更計畫代碼（{program.id!r}）")
    return program


@transaction.atomic
def do_update_draft(draft: ProgramVersion, *, source: str, actor: Any, reason: str = "") -> ProgramVersion:
    """Replace a draft's text after validating it with the core's schema (ProgramFileError if bad)."""
    draft = ProgramVersion.objects.select_for_update().get(pk=draft.pk)
    _require_draft(draft)
    program = validate_draft_text(draft, source)
    before = _snapshot(draft)
    draft.source = source
    draft.title = program.title
    draft.kind = program.kind
    draft.save()
    record_event(
        actor=actor,
        event_type=EventType.PROGRAM_DRAFT_UPDATED,
        subject=draft,
        before=before,
        after=_snapshot(draft),
        reason=reason,
    )
    return draft


@transaction.atomic
def do_publish_draft(draft: ProgramVersion, *, actor: Any, reason: str = "") -> ProgramVersion:
    """Publish a draft as its program's next version; from here on it never changes."""
    draft = ProgramVersion.objects.select_for_update().get(pk=draft.pk)
    _require_draft(draft)
    validate_draft_text(draft, draft.source)
    before = _snapshot(draft)
    draft.status = VersionStatus.PUBLISHED
    draft.published_at = timezone.now()
    draft.published_by = actor
    draft.save()
    record_event(
        actor=actor,
        event_type=EventType.PROGRAM_PUBLISHED,
        subject=draft,
        before=before,
        after={**_snapshot(draft), "diff_lines": len(draft_diff(draft))},
        reason=reason,
    )
    return draft


@transaction.atomic
def do_discard_draft(draft: ProgramVersion, *, actor: Any, reason: str = "") -> None:
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="事由")
    draft = ProgramVersion.objects.select_for_update().get(pk=draft.pk)
    _require_draft(draft)
    record_event(
        actor=actor,
        event_type=EventType.PROGRAM_DRAFT_DISCARDED,
        subject=draft,
        before=_snapshot(draft),
        reason=reason,
    )
    draft.delete()


def draft_diff(draft: ProgramVersion) -> list[str]:
    """Unified diff of the draft against the version it was copied from (the published one)."""
    base = draft.based_on or ProgramVersion.objects.latest_published(draft.program_id)
    old = base.source if base else ""
    label = f"第{base.number}版（已公告）" if base else "（無）"
    return list(
        difflib.unified_diff(
            old.splitlines(),
            draft.source.splitlines(),
            fromfile=label,
            tofile=f"第{draft.number}版（草稿）",
            lineterm="",
            n=2,
        )
    )


# --------------------------------------------------------------------------- program offices


def program_owners() -> list[str]:
    """The owners (主辦機關) of the published program versions, as the program files name them."""
    owners = (getattr(version.program(), "owner", None) for version in ProgramVersion.objects.published())
    return sorted({owner for owner in owners if owner})  # (the dental program file names none)


@transaction.atomic
def do_save_program_office(office: ProgramOffice, *, actor: Any, reason: str = "") -> ProgramOffice:
    """Create or change a program office's letterhead (the admin's save calls this), audited with
    the fields before and after. Office staff only (programs.change_programoffice)."""
    if actor is not None and not actor.has_perm("programs.change_programoffice"):
        raise PermissionDenied("programs.change_programoffice")
    stored = ProgramOffice.objects.select_for_update().filter(pk=office.pk).first() if office.pk else None
    before = stored.snapshot() if stored else {}
    office.full_clean()
    office.save()
    after = office.snapshot()
    old, new = changed_fields(before, after)
    record_event(
        actor=actor,
        event_type=EventType.PROGRAM_OFFICE_CHANGED if stored else EventType.PROGRAM_OFFICE_CREATED,
        subject=office,
        before=old,
        after=new,
        reason=reason,
    )
    return office
