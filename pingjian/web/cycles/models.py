"""Evaluation cycles (評鑑梯次): a published program version with its windows and deadlines, and,
for mandatory programs, the target list (評鑑對象) computed from the eligibility rules and
confirmed county by county by the health bureaus."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pingjian.web.institutions.models import Institution


class CycleMode(models.TextChoices):
    VOLUNTARY = "voluntary", _("機構自願申請")  # JCT certifications: institutions apply
    MANDATORY = "mandatory", _("應受評機構")  # postpartum: targets from the eligibility rules


class CycleQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> CycleQuerySet:
        from .permissions import visible_cycles

        return visible_cycles(self, user)


class Cycle(models.Model):
    program_version = models.ForeignKey(
        "programs.ProgramVersion", on_delete=models.PROTECT, related_name="cycles", verbose_name="計畫版本"
    )
    title = models.CharField("梯次名稱", max_length=200)
    mode = models.CharField("辦理方式", max_length=10, choices=CycleMode.choices)
    application_opens = models.DateField("申請起日", null=True, blank=True)
    application_closes = models.DateField("申請迄日")
    visit_opens = models.DateField("實地訪查起日")
    visit_closes = models.DateField("實地訪查迄日")
    preliminary_review_due = models.DateField("衛生局初審期限", null=True, blank=True)
    remediation_due = models.DateField("消防及建築物安全限期改善期限", null=True, blank=True)
    fee_amount = models.DecimalField("認證費用", max_digits=10, decimal_places=0, null=True, blank=True)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = "評鑑梯次"
        verbose_name_plural = "評鑑梯次"
        ordering = ("-application_closes", "title")
        constraints = (
            models.CheckConstraint(
                name="cycle_visit_window_in_order",
                condition=models.Q(visit_opens__lte=models.F("visit_closes")),
            ),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def program_id(self) -> str:
        return self.program_version.program_id

    def snapshot(self) -> dict[str, Any]:
        return {
            "program": f"{self.program_version.program_id} v{self.program_version.number}",
            "title": self.title,
            "mode": self.mode,
            "application_opens": self.application_opens,
            "application_closes": self.application_closes,
            "visit_opens": self.visit_opens,
            "visit_closes": self.visit_closes,
            "preliminary_review_due": self.preliminary_review_due,
            "remediation_due": self.remediation_due,
            "fee_amount": self.fee_amount,
        }


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> TargetQuerySet:
        return self.filter(institution__in=Institution.objects.visible_to(user))


class CycleTarget(models.Model):
    """An institution the eligibility rules make a target of a mandatory cycle (seed 002 §五),
    with the clause and reason, confirmed by its county's health bureau (seed 002 §八(一))."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="targets")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    clause = models.CharField("依據條款", max_length=20)
    reason = models.TextField("理由")
    computed_at = models.DateTimeField("計算時間", auto_now_add=True)
    confirmed_at = models.DateTimeField("衛生局確認時間", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "評鑑對象"
        verbose_name_plural = "評鑑對象"
        ordering = ("institution__county", "institution__code")
        constraints = (models.UniqueConstraint(fields=["cycle", "institution"], name="one_target_per_cycle"),)
