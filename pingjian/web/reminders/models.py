"""`DeadlineReminder` is the record of a reminder sent for one deadline at one stage (upcoming,
overdue): the unique row and its conditional claim make `send_reminders` safe to run again."""

from __future__ import annotations

from django.db import models


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
        db_table = "dashboard_deadlinereminder"  # the table it had in the dashboard app (kept, data and all)

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.due.isoformat()} {self.stage}"


class ValidityReminder(models.Model):
    """One reminder that a published result's validity ends (合格效期屆滿提醒), at one stage (days
    before the end: 180, 90, 30). Inserted and claimed like `DeadlineReminder`: once per stage."""

    entry = models.ForeignKey(
        "registry.RegistryEntry", on_delete=models.CASCADE, related_name="+", verbose_name="評鑑結果公告"
    )
    due = models.DateField("效期迄日")
    stage = models.PositiveSmallIntegerField("提前日數")
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    sent_at = models.DateTimeField("寄送時間", null=True, blank=True)
    recipients = models.PositiveIntegerField("收件人數", default=0)

    class Meta:
        verbose_name = "效期屆滿提醒"
        verbose_name_plural = "效期屆滿提醒"
        ordering = ("-created_at", "-pk")
        constraints = (
            models.UniqueConstraint(fields=["entry", "due", "stage"], name="one_validity_reminder_per_stage"),
        )

    def __str__(self) -> str:
        return f"{self.entry_id} {self.due.isoformat()} {self.stage}"
