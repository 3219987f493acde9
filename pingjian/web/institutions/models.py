"""Healthcare institutions (醫事機構) and their owners (負責人) over time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.counties import County
from pingjian.web.core.institution_codes import validate_institution_code


class InstitutionType(models.TextChoices):
    HOSPITAL = "hospital", _("醫院")
    CLINIC = "clinic", _("西醫診所")
    DENTAL_CLINIC = "dental_clinic", _("牙醫診所")
    POSTPARTUM_HOME = "postpartum_home", _("產後護理之家")
    PSYCH_REHAB_DAY = "psych_rehab_day", _("精神復健機構（日間型）")
    PSYCH_REHAB_RESIDENTIAL = "psych_rehab_residential", _("精神復健機構（住宿型）")
    NURSING_HOME = "nursing_home", _("一般護理之家")


class InstitutionStatus(models.TextChoices):
    NOT_YET_OPEN = "not_yet_open", _("尚未開業")
    OPEN = "open", _("開業中")
    SUSPENDED = "suspended", _("停業中")
    CLOSED = "closed", _("歇業")


class InstitutionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> InstitutionQuerySet:
        """The institutions `user` may see; the predicate beside it is institutions.view_institution."""
        from .permissions import visible_institutions

        return visible_institutions(self, user)


class Institution(models.Model):
    """A healthcare institution under evaluation (醫事機構)."""

    code = models.CharField(
        "醫事機構代碼", max_length=10, unique=True, validators=[validate_institution_code]
    )
    name = models.CharField("機構名稱", max_length=200)
    name_en = models.CharField("英文名稱", max_length=200, blank=True)
    type = models.CharField("機構類型", max_length=30, choices=InstitutionType.choices)
    county = models.CharField("縣市", max_length=3, choices=County.choices)
    district = models.CharField("鄉鎮市區", max_length=20, blank=True)
    address = models.CharField("地址", max_length=300)
    phone = models.CharField("電話", max_length=30, blank=True)
    capacity = models.PositiveIntegerField("床數／服務量", null=True, blank=True)
    opened_on = models.DateField("開業日期", null=True, blank=True)
    suspended_on = models.DateField("停業日期", null=True, blank=True)
    reopened_on = models.DateField("復業日期", null=True, blank=True)
    closed_on = models.DateField("歇業日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = "機構"
        verbose_name_plural = "機構"
        ordering = (
            "county",
            "code",
        )
        indexes = (
            models.Index(fields=["county", "type"]),
            models.Index(fields=["type"]),
        )

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def status_on(self, day: dt.date) -> str:
        if self.closed_on and self.closed_on <= day:
            return InstitutionStatus.CLOSED
        if self.opened_on and self.opened_on > day:
            return InstitutionStatus.NOT_YET_OPEN
        suspended = self.suspended_on and self.suspended_on <= day
        reopened = self.reopened_on and self.suspended_on and self.reopened_on >= self.suspended_on
        if suspended and not (reopened and self.reopened_on <= day):
            return InstitutionStatus.SUSPENDED
        return InstitutionStatus.OPEN

    @property
    def current_owner(self) -> OwnerTerm | None:
        return self.owner_terms.filter(ended_on__isnull=True).order_by("-started_on").first()

    def snapshot(self) -> dict[str, Any]:
        """The record as audit events store it (before/after)."""
        return {
            "code": self.code,
            "name": self.name,
            "name_en": self.name_en,
            "type": self.type,
            "county": self.county,
            "district": self.district,
            "address": self.address,
            "phone": self.phone,
            "capacity": self.capacity,
            "opened_on": self.opened_on,
            "suspended_on": self.suspended_on,
            "reopened_on": self.reopened_on,
            "closed_on": self.closed_on,
        }


class OwnerTerm(models.Model):
    """One owner's (負責人) term at an institution. Terms of successive owners at the same premises
    count together for eligibility (seed 002 §五 註), so the history is kept, never overwritten."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="owner_terms")
    owner_name = models.CharField("負責人", max_length=100)
    started_on = models.DateField("起始日期")
    ended_on = models.DateField("結束日期", null=True, blank=True)

    class Meta:
        verbose_name = "負責人任期"
        verbose_name_plural = "負責人任期"
        ordering = (
            "institution",
            "started_on",
        )
        constraints = (
            models.CheckConstraint(
                name="owner_term_ends_after_start",
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
            ),
            models.UniqueConstraint(
                fields=["institution"],
                condition=models.Q(ended_on__isnull=True),
                name="one_current_owner_per_institution",
            ),
        )

    def __str__(self) -> str:
        return f"{self.owner_name} {self.started_on}–{self.ended_on or ''}"
