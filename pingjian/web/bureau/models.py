"""The health bureau's (衛生局) part: the postpartum preliminary review (初審, seed 002 §八(三)),
fire and building safety certificates (seed 002 §六), and the JCT survey reply form
(衛生局調查回復單, seed 001 醫評字第1120100216A號函 說明三)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.text import MESSAGE_MAX_LENGTH, STATEMENT_MAX_LENGTH


class SafetyStatus(models.TextChoices):
    COMPLIANT = "compliant", _("符合規定")
    NON_COMPLIANT = "non_compliant", _("不符合規定")
    REMEDIATION_PENDING = "remediation_pending", _("須限期改善或須再複評")


class CheckOutcome(models.TextChoices):
    MET = "met", _("符合")
    NOT_MET = "not_met", _("不符合")


class SafetyCertificate(models.Model):
    """The latest fire (消防安全設備檢查) or building (建築物防火避難設施與設備安全檢查) result, as the
    local authorities certified it; preliminary-review rows 1–2 are these records."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="safety_certificates"
    )
    kind = models.CharField("類別", max_length=32)  # the program's precondition id (fire_safety …)
    status = models.CharField("檢查結果", max_length=24, choices=SafetyStatus.choices)
    remediation_due = models.DateField("限期改善期限", null=True, blank=True)
    note = models.TextField("備註", blank=True, max_length=MESSAGE_MAX_LENGTH)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField("登錄時間", auto_now=True)

    class Meta:
        verbose_name = "消防及建築物安全檢查結果"
        verbose_name_plural = "消防及建築物安全檢查結果"
        constraints = (
            models.UniqueConstraint(fields=["application", "kind"], name="one_certificate_per_kind"),
        )


class PreliminaryCheck(models.Model):
    """One row of the preliminary review that feeds a criterion (rows 3–5: A1.1, A1.1, A2.1)."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="preliminary_checks"
    )
    number = models.PositiveSmallIntegerField("序號")
    outcome = models.CharField("結果", max_length=8, choices=CheckOutcome.choices)
    note = models.TextField("備註", blank=True, max_length=MESSAGE_MAX_LENGTH)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField("登錄時間", auto_now=True)

    class Meta:
        verbose_name = "初審項目"
        verbose_name_plural = "初審項目"
        ordering = ("application", "number")
        constraints = (models.UniqueConstraint(fields=["application", "number"], name="one_check_per_row"),)


class SurveyReplyStatus(models.TextChoices):
    SENT = "sent", _("機構已寄送，待衛生局查證")
    RETURNED = "returned", _("衛生局已查證並寄回")


class SurveyReply(models.Model):
    """衛生局調查回復單: the clinic sends it to its county's bureau, which verifies and returns it."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="survey_reply"
    )
    status = models.CharField("狀態", max_length=10, choices=SurveyReplyStatus.choices)
    institution_statement = models.TextField("機構填報內容", blank=True, max_length=STATEMENT_MAX_LENGTH)
    sent_at = models.DateTimeField("寄送時間")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    verified = models.BooleanField("查證結果相符", null=True)
    findings = models.TextField("查證結果", blank=True, max_length=STATEMENT_MAX_LENGTH)
    returned_at = models.DateTimeField("寄回時間", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "衛生局調查回復單"
        verbose_name_plural = "衛生局調查回復單"
