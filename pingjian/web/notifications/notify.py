"""Tell people about a change: an in-app notification per recipient, written inside the caller's
transaction (so it exists exactly when the change does), and an e-mail per recipient sent by a
background job (tasks.send_notification_email, django-tasks on the database backend) that is
enqueued by `transaction.on_commit`, so a rolled-back change sends nothing and the page never
waits for the mail server. Callers are the actions modules; there are no signals."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from pingjian.web.accounts.models import User
from pingjian.web.accounts.roles import Role

from .messages import Message
from .models import Notification

log = logging.getLogger(__name__)


def notify(
    recipients: Iterable[Any],
    *,
    subject: str | Message,
    body: str = "",
    url: str = "",
    attachment: tuple[str, int] | None = None,
) -> list[Notification]:
    """SUBJECT: a Message (messages.py: a key and its parameters, shown in the reader's language),
    or plain text. ATTACHMENT: (kind, reference) of a document the e-mail carries."""
    kind, ref = attachment or ("", None)
    key, params = (subject.key, subject.params) if isinstance(subject, Message) else ("", {})
    text = subject.stored() if isinstance(subject, Message) else subject
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    rows = [
        Notification.objects.create(
            recipient=user,
            subject=text[:200],
            message_key=key,
            message_params=params,
            body=body,
            url=url,
            attachment=kind,
            attachment_ref=ref,
        )
        for user in unique.values()
    ]
    ids = [row.pk for row in rows if row.recipient.email]
    if ids or (kind and rows):
        transaction.on_commit(lambda: enqueue_jobs(ids, (kind, ref) if kind and rows else None), robust=True)
    return rows


def enqueue_jobs(ids: list[int], attachment: tuple[str, int | None] | None) -> None:
    """After commit: first one job that makes the document the notifications name (the renderer
    keeps what it makes, so the e-mails and downloads are served that one copy), then the e-mails."""
    if attachment is not None:
        from .tasks import prepare_attachment

        prepare_attachment.enqueue(*attachment)
    enqueue_emails(ids)


def enqueue_emails(ids: list[int]) -> None:
    """One job per notification (one recipient per message: addresses are never shared)."""
    from .tasks import send_notification_email

    for pk in ids:
        send_notification_email.enqueue(pk)


def institution_members(institution: Any) -> list[Any]:

    return list(
        User.objects.filter(
            is_active=True,
            memberships__institution=institution,
            memberships__role=Role.INSTITUTION,
            memberships__revoked_at__isnull=True,
        ).distinct()
    )


def office_staff() -> list[Any]:

    return list(
        User.objects.filter(
            is_active=True, memberships__role=Role.OFFICE, memberships__revoked_at__isnull=True
        ).distinct()
    )


def bureau_officers(county: str) -> list[Any]:

    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.BUREAU,
            memberships__county=county,
            memberships__revoked_at__isnull=True,
        ).distinct()
    )
