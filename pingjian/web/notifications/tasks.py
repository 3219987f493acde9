"""The e-mail jobs (django-tasks; the database backend in settings.TASKS, run by
`pingjian manage db_worker`, and by `pingjian serve --demo`'s own worker process).

- `send_notification_email(id)`: the e-mail copy of one in-app notification, with the document it
  names attached (generated now: attachments.render_attachment). Idempotent: the row
  is claimed with a conditional UPDATE (emailed False → True) before sending, so a job that runs
  twice (two enqueues, a re-queued sweep) sends once; a failed send releases the claim and fails
  the job, and the next sweep queues it again. (A crash between the claim and the send loses that
  one e-mail rather than sending it twice; the in-app copy is there either way.)
- `prepare_attachment(kind, ref)`: makes the document notifications name, once, before their
  e-mails (documents that are rendered once keep it; issue 17).
- `requeue_unsent_emails()`: queues again the e-mails whose jobs were lost (the daily reminders
  job calls it).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

from .attachments import render_attachment
from .models import Notification

log = logging.getLogger(__name__)

RESEND_AFTER = dt.timedelta(minutes=10)  # an e-mail unsent this long after its notification is re-queued
RESEND_WITHIN = dt.timedelta(days=2)  # … but not older ones (they were never going to be e-mailed)


@task()
def prepare_attachment(kind: str, ref: int | None) -> str:
    """Make the document KIND/REF in the background (documents.stored keeps it); queued once per
    notify() that names an attachment, ahead of its e-mails. A failure only logs: the e-mail and
    the download make the document themselves when it is not there."""
    try:
        filename, content, _mimetype = render_attachment(kind, ref)
    except Exception:
        log.exception("preparing attachment %s:%s", kind, ref)
        return "failed"
    return f"{filename} ({len(content)} bytes)"


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
