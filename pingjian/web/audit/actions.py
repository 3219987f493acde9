"""Writing audit events. Every actions module calls `record_event` inside its own transaction."""

from __future__ import annotations

from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from .chain import event_hash, normalise, timestamp
from .events import EventType
from .models import GENESIS_HASH, AuditChainHead, AuditEvent


class AuditOutsideTransactionError(RuntimeError):
    """An audit event must be written in the same transaction as the change it records."""


def actor_label_of(actor: Any) -> str:
    if actor is None:
        return "系統 system"
    return f"{actor.get_username()}" + (f" ({actor})" if str(actor) != actor.get_username() else "")


def record_event(
    *,
    actor: Any,
    event_type: EventType,
    subject: models.Model | None = None,
    subject_type: str | None = None,
    subject_id: str | None = None,
    subject_label: str | None = None,
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain. Must run inside `transaction.atomic()`; the caller's action
    is the transaction, so the event commits or rolls back with the change it describes.
    EVENT_TYPE is one of `events.EventType` (ValueError otherwise: a typo fails loudly)."""
    if not connection.in_atomic_block:
        raise AuditOutsideTransactionError(f"record_event({str(event_type)!r}) called outside a transaction")
    if event_type not in EventType.values:
        raise ValueError(f"unknown audit event type {str(event_type)!r}: add it to audit.events.EventType")
    if subject is not None:
        subject_type = subject_type or subject._meta.label_lower
        subject_id = subject_id or str(subject.pk)
        subject_label = subject_label if subject_label is not None else str(subject)[:300]
    if not subject_type or subject_id is None:
        raise ValueError("an audit event needs a subject (a model instance or subject_type + subject_id)")

    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"seq": 0, "hash": GENESIS_HASH}
    )
    occurred_at = timezone.now()
    fields = {
        "seq": head.seq + 1,
        "occurred_at": occurred_at,
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": actor_label_of(actor)[:150],
        "event_type": EventType(event_type).value,
        "subject_type": subject_type,
        "subject_id": str(subject_id),
        "subject_label": (subject_label or "")[:300],
        "before": normalise(before),
        "after": normalise(after),
        "reason": reason or "",
        "prev_hash": head.hash,
    }
    digest = event_hash(**{**fields, "occurred_at": timestamp(occurred_at)})
    event = AuditEvent.objects.create(**fields, hash=digest)
    AuditChainHead.objects.filter(pk=1).update(seq=event.seq, hash=digest)
    return event


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """What changed, as (before, after): each side keeps only its keys whose value the other side
    does not have (a key new in AFTER appears only there, a key gone from it only in BEFORE)."""
    return (
        {k: v for k, v in before.items() if after.get(k) != v},
        {k: v for k, v in after.items() if before.get(k) != v},
    )


__all__ = ["changed_fields", "record_event", "transaction"]
