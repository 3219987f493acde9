"""Reminders before a published result's validity ends (issue 14, "after the result"): 180, 90
and 30 days before the last day of validity, the institution's members are told once per stage
(and the office at the last stage). A JCT certification is renewed by a new application (認證效期
3年, seed 000); a ministry evaluation's next round comes by the program's target list (seed 002
§五(一)). Run with the deadline reminders (`send_reminders` command and the daily job)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pingjian.rules.roc import roc_date_long
from pingjian.web.notifications.notify import institution_members, notify, office_staff
from pingjian.web.registry.models import RegistryEntry, is_jct_program
from pingjian.web.registry.selectors import ending_between

from .models import ValidityReminder

STAGES = (180, 90, 30)  # days before the validity's last day


@dataclass(frozen=True)
class ValiditySent:
    reminder: ValidityReminder
    subject: str
    recipients: int


def stage_for(days_left: int) -> int | None:
    """The nearest stage not yet passed: 100 days left → 180; 20 days left → 30; 200 → None."""
    fitting = [s for s in STAGES if days_left <= s]
    return min(fitting) if fitting else None


def validity_message(entry: RegistryEntry, days_left: int) -> tuple[str, str]:
    until = entry.valid_until
    assert until is not None
    subject = (
        f"【效期提醒】{entry.institution.name}：{entry.program_title}合格效期至{roc_date_long(until)}，"
        f"尚餘{days_left}日"
    )
    if is_jct_program(entry.program_id):
        what = "認證效期為3年；欲延續認證者，請於效期屆滿前於系統提出新一期認證申請（續評）。"
    else:
        what = "效期屆滿後須依評鑑作業程序再次接受評鑑，請留意主管機關公告之評鑑對象名單與期程。"
    body = "\n".join(
        [
            f"機構：{entry.institution.name}",
            f"評鑑計畫：{entry.program_title}（{entry.result}）",
            f"合格效期：{roc_date_long(entry.valid_from)}至{roc_date_long(until)}，尚餘{days_left}日。",
            what,
        ]
    )
    return subject, body


def send_validity_reminders(today: dt.date) -> list[ValiditySent]:
    """Remind of every valid result whose validity ends within the largest stage, once per stage."""
    due_now: list[tuple[RegistryEntry, int, int]] = []
    for entry in ending_between(today, today + dt.timedelta(days=max(STAGES))):
        left = (entry.valid_until - today).days  # type: ignore[operator]
        stage = stage_for(left)
        if stage is not None:
            due_now.append((entry, stage, left))
    ValidityReminder.objects.bulk_create(
        [ValidityReminder(entry=e, due=e.valid_until, stage=stage) for e, stage, _left in due_now],
        ignore_conflicts=True,
    )
    sent: list[ValiditySent] = []
    for entry, stage, left in due_now:
        with transaction.atomic():
            row = ValidityReminder.objects.get(entry=entry, due=entry.valid_until, stage=stage)
            claimed = ValidityReminder.objects.filter(pk=row.pk, sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
            if claimed != 1:
                continue
            subject, body = validity_message(entry, left)
            people = institution_members(entry.institution)
            if stage == min(STAGES):
                people += office_staff()
            rows = notify(people, subject=subject, body=body, url=reverse("registry:detail", args=[entry.pk]))
            ValidityReminder.objects.filter(pk=row.pk).update(recipients=len(rows))
            sent.append(ValiditySent(row, subject, len(rows)))
    return sent
