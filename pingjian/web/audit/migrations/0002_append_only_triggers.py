"""Append-only enforced by the database, not only by the ORM (issue 17, item 5).

PostgreSQL: a row trigger refuses every UPDATE and DELETE of an audit event, whoever runs it
(TRUNCATE fires no row trigger: the test runner's flush still works, and an emptied table is caught
by the signed checkpoints). SQLite: a trigger refuses UPDATE; DELETE stays allowed there because
Django flushes an SQLite database with DELETE (the chain and the checkpoints catch a deleted row).
`audit.guard` names these triggers and `pingjian audit verify` reports one that is missing.
"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        RAISE EXCEPTION USING
            MESSAGE = 'audit events are append-only: ' || TG_OP || ' of audit_auditevent refused',
            ERRCODE = 'insufficient_privilege';
    END
    $body$
    """,
    """
    CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
]
SQLITE = [
    """
    CREATE TRIGGER audit_event_append_only BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE of audit_auditevent refused'); END
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_event_append_only"]


def run(statements_by_vendor):  # type: ignore[no-untyped-def]
    def operation(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
            elidable=False,
        )
    ]
