"""The public registry of evaluation results (提供民眾選擇, seed 002 §二(三)).

One `RegistryEntry` per published result: which institution passed which program, and for how long.
The decisions stage will publish entries through `registry.actions`; revocation (撤銷) and
abolition (廢止) end a result early and stay visible as such.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pingjian.web.accounts.permissions import sees_everything


class EntryStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤銷")
    ABOLISHED = "abolished", _("已廢止")


class RegistryEntryQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> RegistryEntryQuerySet:
        """Published entries are public: everyone, the anonymous public included, sees them; the
        program office also sees drafts."""
        return self if sees_everything(user) else self.filter(published_at__isnull=False)

    def valid_on(self, day: dt.date) -> RegistryEntryQuerySet:
        return self.filter(status=EntryStatus.VALID, valid_from__lte=day).filter(
            Q(valid_until__gte=day) | Q(valid_until__isnull=True)
        )


class RegistryEntry(models.Model):
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="registry_entries",
        verbose_name="機構",
    )
    program_id = models.CharField("評鑑計畫代碼", max_length=64)
    program_title = models.CharField("評鑑計畫", max_length=200)
    result = models.CharField("評鑑結果", max_length=50, default="合格")
    valid_from = models.DateField("效期起日")
    valid_until = models.DateField("效期迄日", null=True, blank=True)
    status = models.CharField("狀態", max_length=20, choices=EntryStatus.choices, default=EntryStatus.VALID)
    status_changed_on = models.DateField("狀態變更日", null=True, blank=True)
    published_at = models.DateTimeField("公告時間", null=True, blank=True)

    objects = RegistryEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "評鑑結果公告"
        verbose_name_plural = "評鑑結果公告"
        ordering = (
            "-valid_until",
            "institution__name",
        )
        indexes = (models.Index(fields=["program_id", "status", "valid_until"]),)

    def __str__(self) -> str:
        return f"{self.institution.name} {self.program_title} {self.result}"

    def is_valid_on(self, day: dt.date) -> bool:
        return (
            self.status == EntryStatus.VALID
            and self.valid_from <= day
            and (self.valid_until is None or self.valid_until >= day)
        )
