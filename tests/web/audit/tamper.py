"""Writing to the audit table the way a database superuser would: the append-only trigger switched
off (disabled on PostgreSQL, dropped on SQLite) for the statements and back on after, all inside the
test's transaction. `rewrite_event` is the 20-line script of issue 17: edit one event, recompute its
hash, every later hash and the head, so that the chain alone verifies."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

from pingjian.web.audit.chain import hash_of_row
from pingjian.web.audit.guard import TABLE, TRIGGER
from pingjian.web.audit.models import AuditChainHead, AuditEvent

MIGRATION = importlib.import_module("pingjian.web.audit.migrations.0002_append_only_triggers")


@contextmanager
def guard_off() -> Iterator[None]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE wants no pending FK checks
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
        else:
            cursor.execute(f"DROP TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                for statement in MIGRATION.SQLITE:
                    cursor.execute(statement)


def raw(sql: str, params: Any = ()) -> None:
    with guard_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def rewrite_event(seq: int, **changes: Any) -> None:
    """Change event SEQ's fields, then recompute its hash, every later one and the head."""
    with guard_off():
        previous = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else "0" * 64
        for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
            if event.seq == seq:
                for name, value in changes.items():
                    setattr(event, name, value)
            event.prev_hash = previous
            event.hash = hash_of_row(event)
            fields = {
                "prev_hash": event.prev_hash,
                "hash": event.hash,
                **(changes if event.seq == seq else {}),
            }
            models.QuerySet.update(AuditEvent.objects.filter(pk=event.pk), **fields)  # past the ORM's refusal
            previous = event.hash
        AuditChainHead.objects.filter(pk=1).update(hash=previous)
