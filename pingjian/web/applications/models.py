"""Applications (申請案): one institution in one cycle, pinned to the program version it started
under, moving through the states of workflow.py with a version column for optimistic concurrency.

`ApplicationTransition` is the dated, attributed history of every move with its message;
`PartUnlock` records each unlock of a part of a locked (decided) record, with its reason.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.text import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH

from .workflow import LOCKED_STATES, Part, State


def state_label(value: str) -> str:
    """What Django's get_state_display answers (the label in the active language, or the value
    when it is no state), by the enum's own lookup: Django's builds a dict of every state per call,
    hashing each lazy label, i.e. translating all of them: 1,000 translations for the list's 50
    rows."""
    try:
        return str(State(value).label)
    except ValueError:
        return value


class Result(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ApplicationQuerySet:
        from .permissions import visible_applications

        return visible_applications(self, user)

    def open(self) -> ApplicationQuerySet:
        return self.exclude(state__in=[State.FINAL, State.WITHDRAWN, State.REJECTED])


class Application(models.Model):
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="applications")
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="applications", verbose_name="機構"
    )
    program_version = models.ForeignKey(
        "programs.ProgramVersion",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="計畫版本",
    )
    state = models.CharField("狀態", max_length=24, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(
        "版本", default=1, help_text="optimistic concurrency: +1 per change"
    )
    state_changed_at = models.DateTimeField("狀態變更時間", null=True, blank=True)
    submitted_on = models.DateField("送件日", null=True, blank=True)
    supplement_due = models.DateField("補件期限", null=True, blank=True)
    visit_date = models.DateField("實地訪查日", null=True, blank=True)
    evidence_due = models.DateField("申報資料繳交期限", null=True, blank=True)
    total = models.DecimalField("總分", max_digits=7, decimal_places=2, null=True, blank=True)
    result = models.CharField("評鑑結果", max_length=4, choices=Result.choices, blank=True)
    decided_on = models.DateField("評定通知日", null=True, blank=True)
    notice_received_on = models.DateField(
        "收受評定通知日",
        null=True,
        blank=True,
        help_text="機構於系統確認收受，或評鑑辦公室登錄送達日；申復期限自其次日起算（111年度產後護理之家評鑑作業程序第十二點第一款）。",
    )
    appeal_due = models.DateField("申復期限", null=True, blank=True)
    appeal_waived_on = models.DateField(
        "放棄申復日",
        null=True,
        blank=True,
        help_text="機構聲明不提出申復（放棄申復）之日；聲明後即得確定結果，不必等待申復期間屆滿。",
    )
    fee_amount = models.DecimalField("費用金額", max_digits=10, decimal_places=0, null=True, blank=True)
    fee_paid_on = models.DateField("繳費日", null=True, blank=True)
    fee_receipt_no = models.CharField("收據號碼", max_length=40, blank=True)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    renews = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name="續約自",
        help_text="醫策會認證效期3年（種子000 認證效期）：續約之新申請案連結原申請案。",
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "申請案"
        verbose_name_plural = "申請案"
        ordering = ("-created_at", "-pk")
        constraints = (
            models.UniqueConstraint(fields=["cycle", "institution"], name="one_application_per_cycle"),
        )
        indexes = (models.Index(fields=["state"]),)

    def get_state_display(self) -> str:
        return state_label(self.state)

    def __str__(self) -> str:
        return f"{self.institution.name} · {self.cycle.title}"

    @property
    def is_locked(self) -> bool:
        return self.state in LOCKED_STATES

    def unlocked_parts(self) -> set[str]:
        return set(self.unlocks.filter(relocked_at__isnull=True).values_list("part", flat=True))

    def snapshot(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "version": self.version,
            "supplement_due": self.supplement_due,
            "visit_date": self.visit_date,
            "evidence_due": self.evidence_due,
            "total": self.total,
            "result": self.result,
            "decided_on": self.decided_on,
            "notice_received_on": self.notice_received_on,
            "appeal_due": self.appeal_due,
            "appeal_waived_on": self.appeal_waived_on,
            "fee_amount": self.fee_amount,
            "fee_paid_on": self.fee_paid_on,
            "fee_receipt_no": self.fee_receipt_no,
        }


class ApplicationTransition(models.Model):
    """One move of an application: who, when, from and to which state, and the message sent."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField("動作", max_length=32)
    from_state = models.CharField("原狀態", max_length=24, choices=State.choices)
    to_state = models.CharField("新狀態", max_length=24, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField("時間", auto_now_add=True)
    effective_on = models.DateField("生效日")
    message = models.TextField("訊息", blank=True, max_length=MESSAGE_MAX_LENGTH)
    due = models.DateField("期限", null=True, blank=True)
    explanation = models.TextField("期限說明", blank=True)

    class Meta:
        verbose_name = "申請案異動"
        verbose_name_plural = "申請案異動"
        ordering = ("application", "at", "pk")

    def get_from_state_display(self) -> str:
        return state_label(self.from_state)

    def get_to_state_display(self) -> str:
        return state_label(self.to_state)

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_state} → {self.to_state}"


class PartUnlock(models.Model):
    """A part of a locked application opened for a correction, with the reason (audited)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="unlocks")
    part = models.CharField("項目", max_length=16, choices=Part.choices)
    reason = models.TextField("理由", max_length=REASON_MAX_LENGTH)
    unlocked_at = models.DateTimeField("解鎖時間", auto_now_add=True)
    unlocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    relocked_at = models.DateTimeField("重新鎖定時間", null=True, blank=True)

    class Meta:
        verbose_name = "解鎖紀錄"
        verbose_name_plural = "解鎖紀錄"
        constraints = (
            models.UniqueConstraint(
                fields=["application", "part"],
                condition=models.Q(relocked_at__isnull=True),
                name="one_open_unlock_per_part",
            ),
        )
