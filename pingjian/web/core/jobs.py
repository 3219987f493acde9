"""Self-rescheduling background jobs on django-tasks' database backend, which has no cron: a job
enqueues its own next run when it ends, and `enqueue_unless_waiting` starts such a chain once
(the reminders, the audit checkpoints, the idempotency-key purge)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def enqueue_unless_waiting(job: Any, run_after: dt.datetime) -> Any:
    """Enqueue JOB to run after RUN_AFTER unless a run of it is already waiting. Returns the task
    result, or None when one was waiting or the backend cannot defer (the immediate backend would
    run the chain forever)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = job.get_backend()
    if not backend.supports_defer:
        return None
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=job.module_path, status="READY", backend_name=backend.alias
        )
        if waiting.exists():
            return None
    return job.using(run_after=run_after).enqueue()
