"""In-app notifications (站內通知): one row per recipient, written in the same transaction as the
change it announces; the e-mail copy is sent by a background job enqueued after commit (see
notify.py and tasks.py), which records on the row that it was sent, so it is sent once.

`DeadlineReminder` is the record of a reminder sent for one deadline at one stage (upcoming,
overdue): the unique row and its conditional claim make `send_reminders` safe to run again.

A notification may name a document its e-mail carries (`attachment`, `attachment_ref`): the
document is generated when the e-mail is sent, never stored (see documents.attachments)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> NotificationQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="收件者",
    )
    subject = models.CharField("主旨", max_length=200)
    body = models.TextField("內容", blank=True)
    url = models.CharField("連結", max_length=300, blank=True)
    created_at = models.DateTimeField("時間", auto_now_add=True)
    read_at = models.DateTimeField("已讀時間", null=True, blank=True)
    emailed = models.BooleanField("已寄送電子郵件", default=False)
    emailed_at = models.DateTimeField("電子郵件寄送時間", null=True, blank=True)
    # A document the e-mail carries, generated when it is sent (documents.attachments names the
    # kinds): e.g. ("supplement_letter", id of the request's ApplicationTransition).
    attachment = models.CharField("附件", max_length=40, blank=True)
    attachment_ref = models.PositiveBigIntegerField("附件來源", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=["recipient", "read_at"]),)

    def __str__(self) -> str:
        return self.subject


class ReminderStage(models.TextChoices):
    UPCOMING = "upcoming", "即將到期"
    OVERDUE = "overdue", "已逾期"


class DeadlineReminder(models.Model):
    """One reminder for one deadline (an application's kind of deadline and its date) at one stage.

    Rows are inserted unclaimed (``sent_at`` empty) with the unique key below, then claimed by a
    conditional UPDATE … WHERE sent_at IS NULL (Healthchecks' sendalerts claims a check the same
    way): of two runs that meet, exactly one sends. A moved deadline (a typhoon closure, a second
    supplement request) has another date, so it is reminded afresh.
    """

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="reminders", verbose_name="申請案"
    )
    kind = models.CharField("期限種類", max_length=32)
    due = models.DateField("期限")
    stage = models.CharField("階段", max_length=10, choices=ReminderStage.choices)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    sent_at = models.DateTimeField("寄送時間", null=True, blank=True)
    recipients = models.PositiveIntegerField("收件人數", default=0)

    class Meta:
        verbose_name = "期限提醒"
        verbose_name_plural = "期限提醒"
        ordering = ("-created_at", "-pk")
        constraints = (
            models.UniqueConstraint(
                fields=["application", "kind", "due", "stage"], name="one_reminder_per_deadline_stage"
            ),
        )

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.due.isoformat()} {self.stage}"
