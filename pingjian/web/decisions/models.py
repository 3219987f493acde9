"""Determination meetings (評定會議), their items and decisions, and appeals (申復).

A `Meeting` of one cycle reviews a batch of scored applications (`Item`), each with the rules
core's proposed result and trace as the team's submitted assessment holds them. `Member` rows
record who sits and whether they attended; a member conflicted with an item's institution
(visits' conflict rule) neither sees nor votes on it. The `Decision` of an item is recorded by the
office (a change from the proposal needs a reason) and approved by the role that owns it; only
then the application's `decide` transition fires with the decision's result. An `Appeal` is filed
by the institution inside the period, re-reviewed by surveyors outside the original team and
without conflicts (`Reviewer`), and closed with an outcome and its reasons.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from pingjian.web.applications.models import Result
from pingjian.web.core.text import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> MeetingQuerySet:
        from .permissions import visible_meetings

        return visible_meetings(self, user)


class Meeting(models.Model):
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+", verbose_name="梯次")
    title = models.CharField("會議名稱", max_length=200)
    held_on = models.DateField("會議日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("建立時間", auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "評定會議"
        verbose_name_plural = "評定會議"
        ordering = ("-held_on", "-pk")

    def __str__(self) -> str:
        return self.title


class Member(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField("出席", null=True, blank=True)  # None: not yet recorded

    class Meta:
        verbose_name = "評定委員"
        verbose_name_plural = "評定委員"
        constraints = (models.UniqueConstraint(fields=["meeting", "user"], name="one_seat_per_member"),)

    def __str__(self) -> str:
        return str(self.user)


class ItemQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ItemQuerySet:
        from .permissions import visible_items

        return visible_items(self, user)


class Item(models.Model):
    """One application on a meeting's agenda, with the rules core's proposal as it stood."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="+", verbose_name="申請案"
    )
    proposed_result = models.CharField("建議結果", max_length=4, choices=Result.choices)
    proposed_total = models.DecimalField("總分", max_digits=8, decimal_places=2)
    max_total = models.DecimalField("滿分", max_digits=8, decimal_places=2, null=True)
    trace = models.JSONField("計分說明", default=list)
    added_at = models.DateTimeField("列入時間", auto_now_add=True)
    version = models.PositiveIntegerField(
        "版本", default=1, help_text="optimistic concurrency: +1 when its decision is recorded"
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "評定案"
        verbose_name_plural = "評定案"
        ordering = ("meeting", "pk")
        constraints = (
            models.UniqueConstraint(fields=["meeting", "application"], name="one_item_per_application"),
        )

    def __str__(self) -> str:
        return f"{self.meeting} · {self.application}"


class Vote(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="votes")
    result = models.CharField("意見", max_length=4, choices=Result.choices)
    at = models.DateTimeField("時間", auto_now=True)

    class Meta:
        verbose_name = "委員意見"
        verbose_name_plural = "委員意見"
        constraints = (models.UniqueConstraint(fields=["item", "member"], name="one_vote_per_member"),)


class Decision(models.Model):
    """The decided result of one item: recorded, then approved; `decide` fires at approval."""

    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="decision")
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="decision"
    )
    result = models.CharField("評定結果", max_length=4, choices=Result.choices)
    reason = models.TextField("與建議結果不同之理由", blank=True, max_length=REASON_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登錄時間", auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField("核定時間", null=True, blank=True)
    decided_on = models.DateField("評定日", null=True, blank=True)
    valid_from = models.DateField("效期起日", null=True, blank=True)
    valid_until = models.DateField("效期迄日", null=True, blank=True)
    published = models.BooleanField("已公告", default=False)
    registry_entry = models.OneToOneField(
        "registry.RegistryEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="評鑑結果公告",
        help_text="the registry entry the finalisation published (its certificate, for a pass)",
    )
    version = models.PositiveIntegerField(
        "版本", default=1, help_text="optimistic concurrency: +1 at approval, appeal outcome, finalisation"
    )

    class Meta:
        verbose_name = "評定結果"
        verbose_name_plural = "評定結果"

    def __str__(self) -> str:
        return f"{self.application}: {self.get_result_display()}"

    @property
    def changed(self) -> bool:
        return self.result != self.item.proposed_result


class AppealQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AppealQuerySet:
        from .permissions import visible_appeals

        return visible_appeals(self, user)


class Outcome(models.TextChoices):
    UPHELD = "upheld", "維持原評定結果"
    CHANGED = "changed", "變更評定結果"


class Appeal(models.Model):
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="appeal")
    statement = models.TextField("申復理由", max_length=MESSAGE_MAX_LENGTH)
    filed_on = models.DateField("申復日")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("申復結果", max_length=8, choices=Outcome.choices, blank=True)
    new_result = models.CharField("變更後結果", max_length=4, choices=Result.choices, blank=True)
    outcome_reason = models.TextField("申復結果理由", blank=True, max_length=REASON_MAX_LENGTH)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_on = models.DateField("申復結果日", null=True, blank=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = "申復"
        verbose_name_plural = "申復"

    def __str__(self) -> str:
        return f"申復 {self.decision.application}"

    @property
    def final_result(self) -> str:
        return self.new_result if self.outcome == Outcome.CHANGED else self.decision.result


class Reviewer(models.Model):
    """A surveyor of the appeal's re-review (申復複審): never one of the original visit team, never
    one conflicted with the institution (actions.do_assign_reviewer checks both)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="reviewers")
    surveyor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField("指派時間", auto_now_add=True)

    class Meta:
        verbose_name = "申復複審委員"
        verbose_name_plural = "申復複審委員"
        constraints = (models.UniqueConstraint(fields=["appeal", "surveyor"], name="one_seat_per_reviewer"),)
