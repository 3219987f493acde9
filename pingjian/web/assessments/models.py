"""On-site scoring (實地評分) of a site visit: each team member's entries, the team's consensus
entry per criterion, the offline devices' submissions (stored once each), private notes.

An entry's `key` is an item id of the program (`A1.1`, `2.3`, `I-01`) or `precondition:<id>`
(seed 002 §六, e.g. `precondition:fire_safety`); its `value` is that item's input exactly as the
rules core reads it (`{"met": [1, 2]}`, `{"grade": "B"}`, `{"result": "met"}`, `{"exempt": true}`)
or, for a precondition, `{"status": "compliant"}`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from pingjian.web.core.text import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH, STATEMENT_MAX_LENGTH

KEY_MAX_LENGTH = 40  # an item id or `precondition:<id>`: the column of every entry's and note's key
DEVICE_ID_MAX_LENGTH = 64  # a tablet's id (a UUID is 36)


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AssessmentQuerySet:
        from .permissions import visible_assessments

        return visible_assessments(self, user)


class Assessment(models.Model):
    """The scoring of one site visit; its total, result and trace are the rules core's, kept as
    they were when the team submitted (recomputed when an entry changes afterwards)."""

    class State(models.TextChoices):
        OPEN = "open", "評分中"
        SUBMITTED = "submitted", "已送出"

    visit = models.OneToOneField(
        "visits.Visit", on_delete=models.CASCADE, related_name="assessment", verbose_name="實地訪查"
    )
    state = models.CharField("狀態", max_length=12, choices=State.choices, default=State.OPEN)
    submitted_at = models.DateTimeField("送出時間", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    total = models.DecimalField("總分", max_digits=8, decimal_places=2, null=True, blank=True)
    max_total = models.DecimalField("滿分", max_digits=8, decimal_places=2, null=True, blank=True)
    result = models.CharField("結果", max_length=8, blank=True)
    trace = models.JSONField("計分說明", default=list, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "實地評分"
        verbose_name_plural = "實地評分"

    def __str__(self) -> str:
        return f"{self.visit}"

    @property
    def application(self) -> Any:
        return self.visit.application

    @property
    def submitted(self) -> bool:
        return self.state == self.State.SUBMITTED


class Kind(models.TextChoices):
    MEMBER = "member", "委員評分"
    CONSENSUS = "consensus", "小組共識"


class ScoreEntry(models.Model):
    """One criterion's input: a member's own (`surveyor` set) or the team's consensus (`surveyor`
    empty). `version` grows with every change, so a change made from a stale copy is refused."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField("種類", max_length=10, choices=Kind.choices)
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    key = models.CharField("基準", max_length=KEY_MAX_LENGTH)
    value = models.JSONField("評分")
    comment = models.TextField("說明", blank=True, max_length=MESSAGE_MAX_LENGTH)
    version = models.PositiveIntegerField("版本", default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新時間", auto_now=True)

    class Meta:
        verbose_name = "評分項目"
        verbose_name_plural = "評分項目"
        ordering = ("assessment", "kind", "key")
        constraints = (
            models.UniqueConstraint(
                fields=["assessment", "surveyor", "key"],
                condition=models.Q(kind="member"),
                name="one_member_entry_per_item",
            ),
            models.UniqueConstraint(
                fields=["assessment", "key"],
                condition=models.Q(kind="consensus"),
                name="one_consensus_entry_per_item",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="member", surveyor__isnull=False)
                | models.Q(kind="consensus", surveyor__isnull=True),
                name="member_entries_have_a_surveyor",
            ),
        )

    def __str__(self) -> str:
        return f"{self.assessment} {self.key} v{self.version}"


class Submission(models.Model):
    """What one device sent under one sequence number, and what it was answered: a resent
    submission (same device, same sequence) gets the same answer and changes nothing."""

    device_id = models.CharField("裝置識別碼", max_length=DEVICE_ID_MAX_LENGTH)
    sequence = models.PositiveBigIntegerField("序號")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="submissions")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("結果", max_length=10)  # stored | conflict | invalid
    response = models.JSONField("回應")
    received_at = models.DateTimeField("收到時間", auto_now_add=True)

    class Meta:
        verbose_name = "離線送出紀錄"
        verbose_name_plural = "離線送出紀錄"
        constraints = (
            models.UniqueConstraint(fields=["device_id", "sequence"], name="one_submission_per_sequence"),
        )


class SurveyorNote(models.Model):
    """A surveyor's private note (委員個人筆記) on a visit, before or during it: only its author
    reads it. `key` is an item id, or empty for the visit as a whole."""

    visit = models.ForeignKey("visits.Visit", on_delete=models.CASCADE, related_name="+")
    surveyor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key = models.CharField("基準", max_length=KEY_MAX_LENGTH, blank=True)
    text = models.TextField("筆記", blank=True, max_length=MESSAGE_MAX_LENGTH)
    updated_at = models.DateTimeField("更新時間", auto_now=True)

    class Meta:
        verbose_name = "委員個人筆記"
        verbose_name_plural = "委員個人筆記"
        constraints = (
            models.UniqueConstraint(fields=["visit", "surveyor", "key"], name="one_note_per_item"),
        )


OVERALL = ""  # an opinion entry's key for the visit as a whole (總評)


class OpinionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> OpinionQuerySet:
        from .permissions import visible_opinions

        return visible_opinions(self, user)


class Opinion(models.Model):
    """The team's written opinions of a visit (評鑑意見書): strengths and recommendations per
    criterion and overall. Written by the team (draft), submitted by a team member, approved by
    the office or sent back with a reason (back to draft). The institution reads it once approved."""

    class State(models.TextChoices):
        DRAFT = "draft", "撰寫中"
        SUBMITTED = "submitted", "待審閱"
        APPROVED = "approved", "已核定"

    visit = models.OneToOneField(
        "visits.Visit", on_delete=models.CASCADE, related_name="opinion", verbose_name="實地訪查"
    )
    state = models.CharField("狀態", max_length=12, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField("送審時間", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField("核定時間", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_reason = models.TextField("退回理由", blank=True, max_length=REASON_MAX_LENGTH)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = "評鑑意見書"
        verbose_name_plural = "評鑑意見書"

    def __str__(self) -> str:
        return f"{self.visit} 評鑑意見書"

    @property
    def application(self) -> Any:
        return self.visit.application


class OpinionEntry(models.Model):
    """Strengths (優點) and recommendations (建議事項) for one criterion (`key` an item id) or for
    the visit as a whole (`key` empty). `version` grows with every change: a text written from a
    stale copy (two team members editing one criterion) is refused, never silently overwritten."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="entries")
    key = models.CharField("基準", max_length=KEY_MAX_LENGTH, blank=True)
    strengths = models.TextField("優點", blank=True, max_length=STATEMENT_MAX_LENGTH)
    recommendations = models.TextField("建議事項", blank=True, max_length=STATEMENT_MAX_LENGTH)
    version = models.PositiveIntegerField("版本", default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新時間", auto_now=True)

    class Meta:
        verbose_name = "評鑑意見"
        verbose_name_plural = "評鑑意見"
        constraints = (models.UniqueConstraint(fields=["opinion", "key"], name="one_opinion_entry_per_item"),)

    def __str__(self) -> str:
        return f"{self.opinion} {self.key or '總評'}"
