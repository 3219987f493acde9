"""Tell people about a change: an in-app notification per recipient, written inside the caller's
transaction (so it exists exactly when the change does), and an e-mail through Django's e-mail
backend (console in the demo) sent by `transaction.on_commit`, so a rolled-back change sends
nothing. Callers are the actions modules; there are no signals."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from .models import Notification

log = logging.getLogger(__name__)


def notify(recipients: Iterable[Any], *, subject: str, body: str = "", url: str = "") -> list[Notification]:
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    rows = [
        Notification.objects.create(recipient=user, subject=subject[:200], body=body, url=url)
        for user in unique.values()
    ]
    addresses = [user.email for user in unique.values() if user.email]
    if addresses:
        ids = [row.pk for row in rows if row.recipient.email]
        transaction.on_commit(lambda: _send(addresses, subject, body, url, ids))
    return rows


def _send(addresses: list[str], subject: str, body: str, url: str, ids: list[int]) -> None:
    text = body + (f"\n\n{url}" if url else "")
    try:
        send_mail(f"[評鑑] {subject}", text, settings.DEFAULT_FROM_EMAIL, addresses)
    except Exception:  # an unreachable mail server must not break the page; the in-app copy exists
        log.exception("e-mail for %r not sent", subject)
        return
    Notification.objects.filter(pk__in=ids).update(emailed=True)


def institution_members(institution: Any) -> list[Any]:
    from pingjian.web.accounts.models import User
    from pingjian.web.accounts.roles import Role

    return list(
        User.objects.filter(
            is_active=True,
            memberships__institution=institution,
            memberships__role=Role.INSTITUTION,
            memberships__revoked_at__isnull=True,
        ).distinct()
    )


def office_staff() -> list[Any]:
    from pingjian.web.accounts.models import User
    from pingjian.web.accounts.roles import Role

    return list(
        User.objects.filter(
            is_active=True, memberships__role=Role.OFFICE, memberships__revoked_at__isnull=True
        ).distinct()
    )


def bureau_officers(county: str) -> list[Any]:
    from pingjian.web.accounts.models import User
    from pingjian.web.accounts.roles import Role

    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.BUREAU,
            memberships__county=county,
            memberships__revoked_at__isnull=True,
        ).distinct()
    )
