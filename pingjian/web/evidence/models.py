"""Evidence files (佐證資料) per upload slot, kept in versions: a new upload supersedes the previous
one and never overwrites it. Files live under MEDIA_ROOT, which no URL serves: the only way to a
file is the download view, which checks role and object first."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models

from pingjian.web.applications.models import Application
from pingjian.web.core.text import MESSAGE_MAX_LENGTH


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    return f"evidence/{instance.application_id}/{uuid.uuid4().hex}.{instance.extension}"


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> EvidenceQuerySet:
        return self.filter(application__in=Application.objects.visible_to(user))

    def current(self) -> EvidenceQuerySet:
        return self.filter(superseded_at__isnull=True)


class EvidenceFile(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="evidence_files"
    )
    slot_key = models.CharField("上傳項目", max_length=32)
    item_id = models.CharField("基準", max_length=20)
    requirement = models.PositiveSmallIntegerField("基準說明", null=True, blank=True)
    number = models.PositiveIntegerField("版次")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField("原檔名", max_length=255)
    content_type = models.CharField("檔案類型（依內容判定）", max_length=120)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField("大小（位元組）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("上傳時間", auto_now_add=True)
    superseded_at = models.DateTimeField("被取代時間", null=True, blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "佐證資料"
        verbose_name_plural = "佐證資料"
        ordering = ("application", "slot_key", "-number")
        constraints = (
            models.UniqueConstraint(fields=["application", "slot_key", "number"], name="one_number_per_slot"),
        )

    def __str__(self) -> str:
        return f"{self.slot_key} v{self.number} {self.original_name}"


class EvidenceComment(models.Model):
    """The office's review comment on one slot (審閱意見)."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="evidence_comments"
    )
    slot_key = models.CharField("上傳項目", max_length=32)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("意見", max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField("時間", auto_now_add=True)

    class Meta:
        verbose_name = "佐證資料審閱意見"
        verbose_name_plural = "佐證資料審閱意見"
        ordering = ("slot_key", "created_at")
