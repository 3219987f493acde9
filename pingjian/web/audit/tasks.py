"""The checkpoint job (django-tasks, database backend): signs the chain head every
AUDIT_CHECKPOINT_MINUTES and re-enqueues itself (the database backend has no cron, as in
`reminders.tasks`); `ensure_checkpoint_schedule` starts the chain once."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from pingjian.web.core.jobs import enqueue_unless_waiting

from .checkpoints import write_checkpoint

logger = logging.getLogger(__name__)


def ensure_checkpoint_schedule(now: dt.datetime | None = None) -> Any:
    """Enqueue the next checkpoint unless one is already waiting. Returns the task result or None."""
    run_after = (now or timezone.now()) + dt.timedelta(minutes=settings.AUDIT_CHECKPOINT_MINUTES)
    return enqueue_unless_waiting(write_checkpoint_job, run_after)


@task()
def write_checkpoint_job() -> dict[str, Any]:
    try:
        written = write_checkpoint()
    except Exception:
        logger.exception("audit checkpoint not written")  # a broken chain or a missing key: say so loudly
        raise
    finally:
        ensure_checkpoint_schedule()
    return {"seq": written.checkpoint.seq, "new": written.new}
