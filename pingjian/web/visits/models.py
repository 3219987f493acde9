"""Surveyors' assignments to institutions and their conflict-of-interest declarations.

The site-visit workflow (visits, teams, consensus meetings, on-site scoring) comes later and will
hang off these: a surveyor sees an institution only while assigned to it and not conflicted
(seed 002 §四(二): 評鑑委員應依相關法規規定，遵守利益迴避原則).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from pingjian.web.core.text import REASON_MAX_LENGTH


class AssignmentQuerySet(models.QuerySet):
    def active(self) -> AssignmentQuerySet:
        return self.filter(ended_at__isnull=True)

    def visible_to(self, user: Any) -> AssignmentQuerySet:
        from .permissions import visible_assignments

        return visible_assignments(self, user)


class SurveyorAssignment(models.Model):
    """A surveyor (評鑑委員) assigned to evaluate an institution. `cycle_label` names the evaluation
    round until cycles and visits exist as models."""

    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name="評鑑委員",
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="assignments", verbose_name="機構"
    )
    cycle_label = models.CharField("評鑑梯次", max_length=100, blank=True)
    assigned_at = models.DateTimeField("指派時間", auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField("結束時間", null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "委員指派"
        verbose_name_plural = "委員指派"
        constraints = (
            models.UniqueConstraint(
                fields=["surveyor", "institution", "cycle_label"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_assignment_per_surveyor_institution_cycle",
            ),
        )

    def __str__(self) -> str:
        return f"{self.surveyor} → {self.institution}"


class ConflictOfInterest(models.Model):
    """A surveyor's declaration of a conflict of interest (利益迴避) with an institution. While
    declared, the surveyor is kept away from the institution whatever their assignments say."""

    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts", verbose_name="評鑑委員"
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="conflicts", verbose_name="機構"
    )
    reason = models.TextField("迴避事由", max_length=REASON_MAX_LENGTH)
    declared_at = models.DateTimeField("申報時間", auto_now_add=True)

    class Meta:
        verbose_name = "利益迴避申報"
        verbose_name_plural = "利益迴避申報"
        constraints = (
            models.UniqueConstraint(fields=["surveyor", "institution"], name="one_conflict_per_pair"),
        )

    def __str__(self) -> str:
        return f"{self.surveyor} ⟂ {self.institution}"


class ConfidentialityAgreement(models.Model):
    """A surveyor's acceptance of confidentiality (保密同意) for one program year (ROC year, e.g.
    112). Accepted once per year, before the surveyor reviews evidence or visits; never edited."""

    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="confidentiality_agreements",
        verbose_name="評鑑委員",
    )
    program_year = models.PositiveSmallIntegerField("計畫年度（民國）")
    accepted_at = models.DateTimeField("簽署時間", auto_now_add=True)
    text_version = models.CharField("同意書版本", max_length=32, default="1")

    class Meta:
        verbose_name = "保密同意"
        verbose_name_plural = "保密同意"
        constraints = (
            models.UniqueConstraint(fields=["surveyor", "program_year"], name="one_confidentiality_per_year"),
        )

    def __str__(self) -> str:
        return f"{self.surveyor} 保密同意 {self.program_year}"
