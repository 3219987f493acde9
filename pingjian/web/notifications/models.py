"""In-app notifications (站內通知): one row per recipient, written in the same transaction as the
change it announces; the e-mail copy is sent by a background job enqueued after commit (see
notify.py and tasks.py), which records on the row that it was sent, so it is sent once.

A notification may name a document its e-mail carries (`attachment`, `attachment_ref`): the
document is generated when the e-mail is sent, never stored (see attachments.py)."""

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
    subject = models.CharField("主旨", max_length=200)  # as written, in the interface's first language
    # the subject as a message key and its parameters (messages.py), rendered in the reader's
    # language; rows written before keys existed have none and show `subject`
    message_key = models.CharField("主旨訊息代碼", max_length=300, blank=True)
    message_params = models.JSONField("主旨參數", default=dict, blank=True)
    body = models.TextField("內容", blank=True)
    url = models.CharField("連結", max_length=300, blank=True)
    created_at = models.DateTimeField("時間", auto_now_add=True)
    read_at = models.DateTimeField("已讀時間", null=True, blank=True)
    emailed = models.BooleanField("已寄送電子郵件", default=False)
    emailed_at = models.DateTimeField("電子郵件寄送時間", null=True, blank=True)
    # A document the e-mail carries, generated when it is sent (attachments.AttachmentKind names
    # the kinds): e.g. ("supplement_letter", id of the request's ApplicationTransition).
    attachment = models.CharField("附件", max_length=40, blank=True)
    attachment_ref = models.PositiveBigIntegerField("附件來源", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=["recipient", "read_at"]),)
        db_table = "dashboard_notification"  # the table it had in the dashboard app (kept, data and all)

    def __str__(self) -> str:
        return self.subject

    @property
    def display_subject(self) -> str:
        """The subject in the active language (the reader's)."""
        if not self.message_key:
            return self.subject
        from .messages import render

        return render(self.message_key, self.message_params)
