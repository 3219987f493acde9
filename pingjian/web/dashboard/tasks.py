"""Background jobs (django-tasks; the database backend in settings.TASKS, run by
`pingjian manage db_worker`, and by `pingjian serve --demo`'s own worker process).

- `send_notification_email(id)`: the e-mail copy of one in-app notification, with the document it
  names attached (generated now: documents.attachments). Idempotent: the row
  is claimed with a conditional UPDATE (emailed False → True) before sending, so a job that runs
  twice (two enqueues, a re-queued sweep) sends once; a failed send releases the claim and fails
  the job, and the next sweep queues it again. (A crash between the claim and the send loses that
  one e-mail rather than sending it twice; the in-app copy is there either way.)
- `send_reminders_job()`: runs the reminders (reminders.send_reminders) and re-enqueues itself for
  the next morning (REMINDER_TIME, Taipei): the database backend has no cron, so the job carries
  its own schedule (`ensure_reminder_schedule` starts the chain once; a second chain is not added
  while one is waiting). It also re-queues e-mails whose jobs were lost.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

from .models import Notification

log = logging.getLogger(__name__)

REMINDER_TIME = dt.time(8, 0)  # every morning, Taipei time, before the offices open
RESEND_AFTER = dt.timedelta(minutes=10)  # an e-mail unsent this long after its notification is re-queued
RESEND_WITHIN = dt.timedelta(days=2)  # … but not older ones (they were never going to be e-mailed)


@task()
def send_notification_email(notification_id: int) -> str:
    claimed = Notification.objects.filter(pk=notification_id, emailed=False).update(
        emailed=True, emailed_at=timezone.now()
    )
    if claimed != 1:
        return "already sent"
    row = Notification.objects.select_related("recipient").get(pk=notification_id)
    address = row.recipient.email
    if not address or not row.recipient.is_active:
        Notification.objects.filter(pk=notification_id).update(emailed=False, emailed_at=None)
        return "no address"
    text = row.body + (f"\n\n{row.url}" if row.url else "")
    message = EmailMessage(f"[評鑑] {row.subject}", text, settings.DEFAULT_FROM_EMAIL, [address])
    if row.attachment:
        _attach(message, row)
    try:
        message.send()
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed=False, emailed_at=None)
        raise
    return "sent"


def _attach(message: EmailMessage, row: Notification) -> None:
    """Generate the notification's document and attach it; if it cannot be generated, the e-mail
    still goes, saying where to download it (a notice is not held back by its enclosure)."""
    from pingjian.web.documents.attachments import render_attachment

    try:
        filename, content, mimetype = render_attachment(row.attachment, row.attachment_ref)
    except Exception:
        log.exception("attachment %s:%s of notification %s", row.attachment, row.attachment_ref, row.pk)
        message.body += "\n\n（附件未能產製，請登入系統於申請案頁面下載。）"
        return
    message.attach(filename, content, mimetype)
    message.body += f"\n\n附件：{filename}"


def requeue_unsent_emails(now: dt.datetime | None = None) -> int:
    """Queue again the e-mails of recent notifications that are still unsent (a lost enqueue, a
    mail server that was down). Harmless if a job is still waiting: the claim makes it send once."""
    from .notify import enqueue_emails

    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            emailed=False,
            created_at__lte=now - RESEND_AFTER,
            created_at__gte=now - RESEND_WITHIN,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .values_list("pk", flat=True)
    )
    enqueue_emails(ids)
    return len(ids)


def next_reminder_run(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    at = local.replace(hour=REMINDER_TIME.hour, minute=REMINDER_TIME.minute, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


def ensure_reminder_schedule(now: dt.datetime | None = None) -> Any:
    """Enqueue the next reminders run unless one is already waiting. Returns the task result or None."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = send_reminders_job.get_backend()
    if not backend.supports_defer:
        return None  # the immediate backend would run the chain forever
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=send_reminders_job.module_path, status="READY", backend_name=backend.alias
        )
        if waiting.exists():
            return None
    return send_reminders_job.using(run_after=next_reminder_run(now or timezone.now())).enqueue()


@task()
def send_reminders_job(days: int | None = None) -> dict[str, int]:
    from pingjian.web.core.clock import local_today

    from .reminders import DEFAULT_DAYS, send_reminders

    try:
        sent = send_reminders(local_today(), days=days or DEFAULT_DAYS)
        requeued = requeue_unsent_emails()
    finally:
        ensure_reminder_schedule()
    return {"reminders": len(sent), "emails_requeued": requeued}
