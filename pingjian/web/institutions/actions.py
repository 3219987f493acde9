"""State changes for institutions; each one transaction with its audit event inside."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from pingjian.web.audit.actions import changed_fields, record_event
from pingjian.web.audit.events import EventType

from .models import Institution, OwnerTerm

EDITABLE_FIELDS = (
    "name", "name_en", "type", "county", "district", "address", "phone", "capacity",
    "opened_on", "suspended_on", "reopened_on", "closed_on",
)  # fmt: skip


@transaction.atomic
def do_create_institution(
    *, actor: Any, owner_name: str = "", owner_since: dt.date | None = None, reason: str = "", **fields: Any
) -> Institution:
    institution = Institution(**fields)
    institution.full_clean()
    institution.save()
    after = institution.snapshot()
    if owner_name:
        start = owner_since or institution.opened_on or dt.date.today()
        OwnerTerm.objects.create(institution=institution, owner_name=owner_name, started_on=start)
        after["owner"] = {"name": owner_name, "since": start}
    record_event(
        actor=actor, event_type=EventType.INSTITUTION_CREATED, subject=institution, after=after, reason=reason
    )
    return institution


@transaction.atomic
def do_update_institution(
    institution: Institution,
    *,
    actor: Any,
    reason: str = "",
    event_type: EventType = EventType.INSTITUTION_UPDATED,
    **changes: Any,
) -> Institution:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = institution.snapshot()
    for name, value in changes.items():
        setattr(institution, name, value)
    institution.full_clean()
    old, new = changed_fields(before, institution.snapshot())
    if not new:
        return institution
    institution.save()
    record_event(
        actor=actor,
        event_type=event_type,
        subject=institution,
        before=old,
        after=new,
        reason=reason,
    )
    return institution


@transaction.atomic
def do_change_owner(
    institution: Institution, *, owner_name: str, started_on: dt.date, actor: Any, reason: str = ""
) -> OwnerTerm:
    """Record a new owner (負責人) from `started_on`; the previous term ends the day before."""
    current = institution.owner_terms.select_for_update().filter(ended_on__isnull=True).first()
    before = None
    if current is not None:
        if current.owner_name == owner_name:
            return current
        if started_on <= current.started_on:
            raise ValueError(f"新負責人起始日 {started_on} 須晚於現任負責人起始日 {current.started_on}")
        before = {"name": current.owner_name, "since": current.started_on}
        current.ended_on = started_on - dt.timedelta(days=1)
        current.save(update_fields=["ended_on"])
    term = OwnerTerm.objects.create(institution=institution, owner_name=owner_name, started_on=started_on)
    record_event(
        actor=actor,
        event_type=EventType.INSTITUTION_OWNER_CHANGED,
        subject=institution,
        before={"owner": before},
        after={"owner": {"name": owner_name, "since": started_on}},
        reason=reason,
    )
    return term


@transaction.atomic
def do_suspend_institution(institution: Institution, *, on: dt.date, actor: Any, reason: str) -> Institution:
    """停業 from `on`; a suspension replaces an earlier suspension and its reopening."""
    if institution.closed_on is not None:
        raise ValueError("已歇業的機構不能停業 (the institution is closed)")
    if institution.suspended_on is not None and institution.reopened_on is None:
        raise ValueError("機構已在停業中 (the institution is already suspended)")
    if institution.opened_on is not None and on < institution.opened_on:
        raise ValueError("停業日期不能早於開業日期 (suspension before the opening)")
    if institution.reopened_on is not None and on <= institution.reopened_on:
        raise ValueError("停業日期須晚於上次復業日期 (suspension before the last reopening)")
    return do_update_institution(
        institution, suspended_on=on, reopened_on=None, actor=actor, reason=reason,
        event_type=EventType.INSTITUTION_SUSPENDED,
    )  # fmt: skip


@transaction.atomic
def do_reopen_institution(institution: Institution, *, on: dt.date, actor: Any, reason: str) -> Institution:
    """復業 on `on`, after a suspension."""
    if institution.suspended_on is None or institution.reopened_on is not None:
        raise ValueError("機構不在停業中，無法復業 (the institution is not suspended)")
    if on < institution.suspended_on:
        raise ValueError("復業日期須在停業日期之後 (reopening must follow a suspension)")
    return do_update_institution(
        institution, reopened_on=on, actor=actor, reason=reason, event_type=EventType.INSTITUTION_REOPENED
    )


@transaction.atomic
def do_close_institution(institution: Institution, *, on: dt.date, actor: Any, reason: str) -> Institution:
    """歇業 on `on`: final. The record stays, with its history, for past evaluations."""
    if institution.closed_on is not None:
        raise ValueError("機構已歇業 (the institution is already closed)")
    if institution.opened_on is not None and on < institution.opened_on:
        raise ValueError("歇業日期不能早於開業日期 (closing before the opening)")
    return do_update_institution(
        institution, closed_on=on, actor=actor, reason=reason, event_type=EventType.INSTITUTION_CLOSED
    )


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def do_import_institutions(rows: Iterable[Any], *, actor: Any, source: str) -> ImportSummary:
    """Write checked import rows (see csv_import.parse_institutions_csv): create new codes, update
    known ones, record owner changes. All or nothing: the caller passes only a file without errors."""
    created = updated = unchanged = 0
    for row in rows:
        existing = Institution.objects.filter(code=row.code).first()
        if existing is None:
            do_create_institution(
                actor=actor,
                owner_name=row.owner_name,
                owner_since=row.owner_since,
                reason=f"匯入 {source}",
                code=row.code,
                **row.fields,
            )
            created += 1
            continue
        before_seq = existing.snapshot()
        do_update_institution(existing, actor=actor, reason=f"匯入 {source}", **row.fields)
        changed = existing.snapshot() != before_seq
        current = existing.current_owner
        if row.owner_name and (current is None or current.owner_name != row.owner_name):
            do_change_owner(
                existing,
                owner_name=row.owner_name,
                started_on=row.owner_since or dt.date.today(),
                actor=actor,
                reason=f"匯入 {source}",
            )
            changed = True
        updated += changed
        unchanged += not changed
    summary = ImportSummary(created, updated, unchanged)
    record_event(
        actor=actor,
        event_type=EventType.INSTITUTIONS_IMPORTED,
        subject_type="institutions.import",
        subject_id=source[:64],
        subject_label=source,
        after={"created": created, "updated": updated, "unchanged": unchanged},
        reason=f"匯入 {source}",
    )
    return summary
