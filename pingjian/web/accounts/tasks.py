"""The idempotency-key purge (django-tasks, database backend): an `IdempotentRequest` is kept for
`settings.IDEMPOTENCY_RETENTION` (the window in which a repeat is answered as the first), then
deleted. The job runs every `PURGE_EVERY` and re-enqueues itself (as `reminders.tasks`);
`ensure_idempotency_purge_schedule` starts the chain once, `pingjian manage purge_idempotency_keys`
purges by hand. Not audited: a kept answer is a technical copy, not a record of anything done (the
work it answered for was audited by its action), and the reminders and checkpoint jobs are not
audited either."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from pingjian.web.core.jobs import enqueue_unless_waiting

from .models import IdempotentRequest

PURGE_EVERY = dt.timedelta(hours=1)


def idempotency_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Records created before this are past their retention."""
    return (now or timezone.now()) - settings.IDEMPOTENCY_RETENTION


def purge_idempotent_requests(now: dt.datetime | None = None) -> int:
    """Delete the records past their retention; returns how many."""
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=idempotency_cutoff(now)).delete()
    return deleted


def ensure_idempotency_purge_schedule(now: dt.datetime | None = None) -> Any:
    """Enqueue the next purge unless one is already waiting. Returns the task result or None."""
    return enqueue_unless_waiting(purge_idempotency_keys_job, (now or timezone.now()) + PURGE_EVERY)


@task()
def purge_idempotency_keys_job() -> dict[str, int]:
    try:
        deleted = purge_idempotent_requests()
    finally:
        ensure_idempotency_purge_schedule()
    return {"deleted": deleted}
