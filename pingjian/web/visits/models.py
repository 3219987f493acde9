"""Surveyors' assignments to institutions and their conflict-of-interest declarations.

The site-visit workflow (visits, teams, consensus meetings, on-site scoring) comes later and will
hang off these: a surveyor sees an institution only while assigned to it and not conflicted
(seed 002 §四(二): 評鑑委員應依相關法規規定，遵守利益迴避原則).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class Expertise(models.TextChoices):
    """評鑑委員之專長 (the vocabulary of the program files' visit teams, rules.program_schema)."""

    MEDICINE = "medicine", _("醫學")
    NURSING = "nursing", _("護理")
    MIDWIFERY = "midwifery", _("助產")
    MANAGEMENT = "management", _("管理")
    ENVIRONMENT_SAFETY = "environment_safety", _("環境與消防安全")
    PSYCHIATRY = "psychiatry", _("精神醫學")
    SOCIAL_WORK = "social_work", _("社會工作")
    OCCUPATIONAL_THERAPY = "occupational_therapy", _("職能治療")
    PSYCHOLOGY = "psychology", _("心理")


class SurveyorProfile(models.Model):
    """A surveyor's place on the roster (評鑑委員名冊): fields of expertise and the programs they
    may survey."""

    surveyor = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="surveyor_profile",
        verbose_name="評鑑委員",
    )
    expertise = models.JSONField("專長", default=list)  # Expertise values
    programs = models.JSONField("可評鑑之計畫", default=list)  # program family ids: postpartum, …

    class Meta:
        verbose_name = "評鑑委員名冊"
        verbose_name_plural = "評鑑委員名冊"

    def __str__(self) -> str:
        return f"{self.surveyor}（{'、'.join(str(Expertise(e).label) for e in self.expertise)}）"


class Half(models.TextChoices):
    AM = "am", _("上午")
    PM = "pm", _("下午")


class SurveyorUnavailability(models.Model):
    """A half-day the surveyor cannot visit (every other half-day of the cycle is available)."""

    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="unavailability",
        verbose_name="評鑑委員",
    )
    day = models.DateField("日期")
    half = models.CharField("時段", max_length=2, choices=Half.choices)

    class Meta:
        verbose_name = "不克訪查時段"
        verbose_name_plural = "不克訪查時段"
        constraints = (
            models.UniqueConstraint(fields=["surveyor", "day", "half"], name="one_unavailability"),
        )


class ConsensusAttendance(models.Model):
    """Attendance at a cycle's consensus meeting (評鑑委員共識會議): without it a surveyor cannot be
    assigned to that cycle's visits (seed 002 §四(一): 需參加評鑑委員共識會，始能進行評鑑作業)."""

    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consensus_meetings",
        verbose_name="評鑑委員",
    )
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="consensus_attendance")
    attended_on = models.DateField("出席日期")

    class Meta:
        verbose_name = "共識會議出席"
        verbose_name_plural = "共識會議出席"
        constraints = (
            models.UniqueConstraint(fields=["surveyor", "cycle"], name="one_attendance_per_cycle"),
        )


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> VisitQuerySet:
        from .permissions import visible_visits

        return visible_visits(self, user)


class Visit(models.Model):
    """The site visit (實地訪查) of one application: its half-day and team, as the scheduler placed
    them or as staff pinned them (a pinned visit keeps its slot and team when the cycle is planned
    again)."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="visit", verbose_name="申請案"
    )
    day = models.DateField("訪查日期")
    half = models.CharField("時段", max_length=2, choices=Half.choices)
    pinned = models.BooleanField("人工固定", default=False)
    planned_at = models.DateTimeField("排定時間", auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = "實地訪查"
        verbose_name_plural = "實地訪查"
        ordering = ("day", "half", "pk")

    def __str__(self) -> str:
        return f"{self.application.institution} {self.day.isoformat()} {self.get_half_display()}"


class VisitMember(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="members")
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visit_memberships",
        verbose_name="評鑑委員",
    )
    role = models.CharField("角色", max_length=60)

    class Meta:
        verbose_name = "訪查委員"
        verbose_name_plural = "訪查委員"
        constraints = (models.UniqueConstraint(fields=["visit", "surveyor"], name="one_role_per_visit"),)
