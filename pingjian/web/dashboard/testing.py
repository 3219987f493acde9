"""Run the background jobs in a test, deterministically, through the real path: the jobs were
enqueued on the database backend (settings.TASKS), and this runs db_worker's own `Worker` loop in
batch mode (`pingjian manage db_worker --batch`) until the queue is empty.

Inside a test's transaction (pytest-django's `db`), the worker's `close_old_connections` would
drop the connection that holds the test transaction, so it is skipped here; tests marked
`transactional_db` can call `call_command("db_worker", "--batch")` unchanged."""

from __future__ import annotations

from unittest import mock

from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult


def run_jobs(max_rounds: int = 5) -> list[DBTaskResult]:
    """Run every ready job (and jobs those jobs enqueue); return the finished job rows."""
    started = set(DBTaskResult.objects.finished().values_list("pk", flat=True))
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        for _ in range(max_rounds):
            if not DBTaskResult.objects.ready().exists():
                break
            db_worker.Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="test-worker",
                excluded_queue_names=[],
            ).run()
    return list(DBTaskResult.objects.finished().exclude(pk__in=started).order_by("finished_at"))
