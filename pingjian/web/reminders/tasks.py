"""The daily reminders job (django-tasks, database backend).

`send_reminders_job()` runs the reminders (sending.send_reminders) and re-enqueues itself for the
next morning (REMINDER_TIME, Taipei): the database backend has no cron, so the job carries its own
schedule (`ensure_reminder_schedule` starts the chain once; a second chain is not added while one
is waiting). It also re-queues e-mails whose jobs were lost.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import task

from pingjian.web.core.clock import local_today
from pingjian.web.core.jobs import enqueue_unless_waiting
from pingjian.web.notifications.tasks import requeue_unsent_emails

from .sending import DEFAULT_DAYS, send_reminders
from .validity import send_validity_reminders

REMINDER_TIME = dt.time(8, 0)  # every morning, Taipei time, before the offices open


def next_reminder_run(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    at = local.replace(hour=REMINDER_TIME.hour, minute=REMINDER_TIME.minute, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


def ensure_reminder_schedule(now: dt.datetime | None = None) -> Any:
    """Enqueue the next reminders run unless one is already waiting. Returns the task result or None."""
    return enqueue_unless_waiting(send_reminders_job, next_reminder_run(now or timezone.now()))


@task()
def send_reminders_job(days: int | None = None) -> dict[str, int]:
    try:
        sent = send_reminders(local_today(), days=days or DEFAULT_DAYS)
        validity = send_validity_reminders(local_today())
        requeued = requeue_unsent_emails()
    finally:
        ensure_reminder_schedule()
    return {"reminders": len(sent), "validity_reminders": len(validity), "emails_requeued": requeued}
