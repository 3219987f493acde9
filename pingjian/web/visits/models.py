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

CYCLE_LABEL_MAX_LENGTH = 100  # a surveyor assignment's 評鑑梯次
BASIS_MAX_LENGTH = 60  # what a waived conflict rests on (a declaration or a history row)


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
    cycle_label = models.CharField("評鑑梯次", max_length=CYCLE_LABEL_MAX_LENGTH, blank=True)
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


class ConflictSeverity(models.TextChoices):
    """A hard conflict is never waived; a soft one only by the office with a written reason."""

    HARD = "hard", _("絕對迴避")
    SOFT = "soft", _("得經審查免除")


class ConflictReason(models.TextChoices):
    """迴避事由 (seed 002 §四(二): 遵守利益迴避原則). Each reason has its severity
    (REASON_SEVERITY); the free text says the particulars."""

    EMPLOYMENT = "employment", _("現任或曾任該機構職務")
    OWNERSHIP = "ownership", _("現為或曾為該機構負責人或出資者")
    FAMILY = "family", _("配偶或三親等以內親屬任職於該機構")
    CONSULTANT = "consultant", _("曾任該機構顧問或輔導")
    DISPUTE = "dispute", _("與該機構有訴訟、糾紛或競爭關係")
    OTHER = "other", _("其他足認有偏頗之虞")


REASON_SEVERITY = {
    ConflictReason.EMPLOYMENT: ConflictSeverity.HARD,
    ConflictReason.OWNERSHIP: ConflictSeverity.HARD,
    ConflictReason.FAMILY: ConflictSeverity.HARD,
    ConflictReason.CONSULTANT: ConflictSeverity.SOFT,
    ConflictReason.DISPUTE: ConflictSeverity.SOFT,
    ConflictReason.OTHER: ConflictSeverity.SOFT,
}


class ConflictSide(models.TextChoices):
    SURVEYOR = "surveyor", _("委員申報")
    INSTITUTION = "institution", _("機構申報")
    DATA = "data", _("資料比對")  # found in the records (visits.conflicts), never stored as a row


class ConflictOfInterest(models.Model):
    """A declared conflict of interest (利益迴避) between a surveyor and an institution, by the
    surveyor or by the institution. While declared and not waived, the surveyor is kept away from
    the institution whatever their assignments say (visits.conflicts)."""

    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts", verbose_name="評鑑委員"
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="conflicts", verbose_name="機構"
    )
    side = models.CharField(
        "申報者", max_length=12, choices=ConflictSide.choices, default=ConflictSide.SURVEYOR
    )
    reason_code = models.CharField(
        "迴避事由類別", max_length=12, choices=ConflictReason.choices, default=ConflictReason.OTHER
    )
    severity = models.CharField(
        "迴避程度", max_length=4, choices=ConflictSeverity.choices, default=ConflictSeverity.HARD
    )
    reason = models.TextField("迴避事由", max_length=REASON_MAX_LENGTH)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    declared_at = models.DateTimeField("申報時間", auto_now_add=True)

    class Meta:
        verbose_name = "利益迴避申報"
        verbose_name_plural = "利益迴避申報"
        constraints = (
            models.UniqueConstraint(
                fields=["surveyor", "institution", "side"], name="one_conflict_per_pair_side"
            ),
        )

    def __str__(self) -> str:
        return f"{self.surveyor} ⟂ {self.institution}"

    @property
    def basis(self) -> str:
        return f"declared:{self.pk}"


class HistoryKind(models.TextChoices):
    EMPLOYMENT = "employment", _("任職")
    OWNERSHIP = "ownership", _("負責人或出資")


class SurveyorHistory(models.Model):
    """A surveyor's employment at, or ownership of, an institution (經歷): the records the
    conflicts found in the data are computed from (visits.conflicts)."""

    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="history", verbose_name="評鑑委員"
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+", verbose_name="機構"
    )
    kind = models.CharField("關係", max_length=12, choices=HistoryKind.choices)
    title = models.CharField("職稱", max_length=100, blank=True)
    started_on = models.DateField("起始日期")
    ended_on = models.DateField("結束日期", null=True, blank=True)

    class Meta:
        verbose_name = "委員經歷"
        verbose_name_plural = "委員經歷"
        ordering = ("surveyor", "-started_on")
        constraints = (
            models.CheckConstraint(
                name="surveyor_history_ends_after_start",
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
            ),
        )


class ConflictWaiver(models.Model):
    """The office's waiver of one soft conflict (its basis: a declaration or a history row), with
    the written reason; hard conflicts are never waived (visits.actions.do_waive_conflict)."""

    surveyor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    basis = models.CharField("依據", max_length=BASIS_MAX_LENGTH)
    reason = models.TextField("免除理由", max_length=REASON_MAX_LENGTH)
    waived_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    waived_at = models.DateTimeField("免除時間", auto_now_add=True)

    class Meta:
        verbose_name = "利益迴避免除"
        verbose_name_plural = "利益迴避免除"
        constraints = (
            models.UniqueConstraint(fields=["surveyor", "institution", "basis"], name="one_waiver_per_basis"),
        )


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


class UnavailabilityQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> UnavailabilityQuerySet:
        """The office sees every surveyor's unavailable half-days; a surveyor their own."""
        from .permissions import visible_unavailability

        return visible_unavailability(self, user)


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
    reason = models.TextField("事由", max_length=REASON_MAX_LENGTH, blank=True)

    objects = UnavailabilityQuerySet.as_manager()

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
    # the county health bureau's attendance (seed 002 §十(一): 衛生局應派員會同)
    bureau_attended = models.BooleanField("衛生局會同", null=True, blank=True)
    bureau_attendee = models.CharField("衛生局會同人員", max_length=100, blank=True)
    # the half-day a closure for work cancelled (seed 002 §九(三)): withdrawing that closure moves
    # the visit back there when its team is still free (else the office is asked to)
    moved_from_day = models.DateField("停止上班前原訂日期", null=True, blank=True)
    moved_from_half = models.CharField("停止上班前原訂時段", max_length=2, choices=Half.choices, blank=True)

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


class VisitChangeReason(models.TextChoices):
    """The only reasons an institution's request to move its visit is accepted for (seed 002
    §九(二): 除天然、重大災害、不可抗力情況或政府政策外，不接受受評機構要求而變更日期時間)."""

    NATURAL_DISASTER = "natural_disaster", _("天然災害")
    MAJOR_DISASTER = "major_disaster", _("重大災害")
    FORCE_MAJEURE = "force_majeure", _("不可抗力情況")
    GOVERNMENT_POLICY = "government_policy", _("政府政策")


class CalendarFeed(models.Model):
    """A user's secret iCalendar feed URL (their visits); revoked by deleting, renewed by a new token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "行事曆訂閱"
        verbose_name_plural = "行事曆訂閱"
