"""The database's own refusal to change audit events (migration 0002_append_only_triggers).

PostgreSQL refuses UPDATE and DELETE of an audit event; SQLite refuses UPDATE (Django flushes an
SQLite database with DELETE, so DELETE stays open there and the chain and checkpoints catch it).
A superuser or the table's owner can still disable or drop the trigger: that is what the signed
checkpoints are for (`checkpoints.py`). `missing_guard()` tells `pingjian audit verify` when the
trigger is gone or disabled (a migration that rebuilds the table on SQLite would drop it too).
"""

from __future__ import annotations

from django.db import connection

TRIGGER = "audit_event_append_only"
TABLE = "audit_auditevent"


def missing_guard() -> str | None:
    """None when the append-only trigger is in place, else a sentence saying what is wrong."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgenabled FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
                [TRIGGER, TABLE],
            )
            row = cursor.fetchone()
            if row is None:
                return f"the append-only trigger {TRIGGER} on {TABLE} is missing"
            if row[0] == "D":
                return f"the append-only trigger {TRIGGER} on {TABLE} is disabled"
            return None
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [TRIGGER])
            return None if cursor.fetchone() else f"the append-only trigger {TRIGGER} on {TABLE} is missing"
    return None  # another database: the ORM's refusal and the checkpoints only
