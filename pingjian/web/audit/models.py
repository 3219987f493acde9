"""The append-only, hash-chained audit trail (稽核軌跡).

Each `AuditEvent` records who did what to which record, when and why, with the values before and
after. Rows are numbered 1, 2, 3 … (`seq`) without gaps; each row's `hash` is SHA-256 over its own
content and the previous row's hash (`prev_hash`), and `AuditChainHead` holds the last seq and hash.
Editing a row breaks its hash; deleting one leaves a gap in `seq` (or, for the last rows, a head
that no longer matches). `pingjian audit verify` walks the chain and names the first broken row.

The ORM refuses to update or delete events; a database user with raw SQL access can still do it,
which is exactly what the chain makes visible.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from .display import event_label

GENESIS_HASH = "0" * 64


class AppendOnlyError(RuntimeError):
    """Audit events are never updated or deleted."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")

    def for_subject(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(subject_type=obj._meta.label_lower, subject_id=str(obj.pk))

    def visible_to(self, user: Any) -> AuditEventQuerySet:
        from .permissions import visible_events

        return visible_events(self, user)


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField("序號", unique=True)
    occurred_at = models.DateTimeField("時間", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作者",
        help_text="Null for the system (imports from the command line, migrations, tasks).",
    )
    actor_label = models.CharField("操作者名稱", max_length=150)
    event_type = models.CharField("事件類型", max_length=64, db_index=True)
    subject_type = models.CharField("對象類型", max_length=64)
    subject_id = models.CharField("對象編號", max_length=64)
    subject_label = models.CharField("對象名稱", max_length=300, blank=True)
    before = models.JSONField("變更前", null=True, blank=True)
    after = models.JSONField("變更後", null=True, blank=True)
    reason = models.TextField("事由", blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "稽核事件"
        verbose_name_plural = "稽核事件"
        ordering = ("seq",)
        indexes = (models.Index(fields=["subject_type", "subject_id", "seq"]),)

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_type} {self.subject_type}:{self.subject_id}"

    @property
    def type_label(self) -> str:
        """The event type in words, as pages show it (events.EventType)."""
        return event_label(self.event_type)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("audit events are append-only")


class AuditChainHead(models.Model):
    """One row (pk=1): the seq and hash of the last event. Appending locks it (SELECT … FOR UPDATE on
    PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers), so the chain never forks."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "稽核鏈末端"
