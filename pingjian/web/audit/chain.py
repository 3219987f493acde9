"""Hashing and verification of the audit chain (no Django writes here)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from .models import GENESIS_HASH, AuditChainHead, AuditEvent


def normalise(value: Any) -> Any:
    """What a JSON column gives back for `value`: dates and decimals become strings, tuples lists."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def event_hash(
    *,
    seq: int,
    occurred_at: str,
    actor_id: int | None,
    actor_label: str,
    event_type: str,
    subject_type: str,
    subject_id: str,
    subject_label: str,
    before: Any,
    after: Any,
    reason: str,
    prev_hash: str,
) -> str:
    payload = {
        "seq": seq,
        "occurred_at": occurred_at,
        "actor_id": actor_id,
        "actor_label": actor_label,
        "event_type": event_type,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "subject_label": subject_label,
        "before": before,
        "after": after,
        "reason": reason,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def hash_of_row(event: AuditEvent) -> str:
    return event_hash(
        seq=event.seq,
        occurred_at=timestamp(event.occurred_at),
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        event_type=event.event_type,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        subject_label=event.subject_label,
        before=event.before,
        after=event.after,
        reason=event.reason,
        prev_hash=event.prev_hash,
    )


def timestamp(value: Any) -> str:
    """UTC, microseconds always written, so SQLite and PostgreSQL give back the same text."""
    import datetime as dt

    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    message: str = ""


def verify_chain(batch_size: int = 2000) -> VerifyResult:
    """Walk every event in seq order; report the first row that was edited, deleted or inserted."""
    previous_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return VerifyResult(
                False,
                checked,
                expected_seq,
                f"audit event #{expected_seq} is missing (deleted); the chain continues at #{event.seq}",
            )
        if event.prev_hash != previous_hash:
            return VerifyResult(
                False,
                checked,
                event.seq,
                f"audit event #{event.seq}: prev_hash does not match event #{event.seq - 1}",
            )
        if hash_of_row(event) != event.hash:
            return VerifyResult(
                False,
                checked,
                event.seq,
                f"audit event #{event.seq} was altered: its content does not match its hash",
            )
        previous_hash = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != checked or head_hash != previous_hash:
        missing = checked + 1
        return VerifyResult(
            False,
            checked,
            missing,
            f"audit chain ends at #{checked} but its head records #{head_seq}: "
            f"event #{missing} onwards was deleted (or the head was altered)",
        )
    return VerifyResult(True, checked, None, f"audit chain intact: {checked} events")
