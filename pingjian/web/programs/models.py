"""Program versions in the database (評鑑計畫版本), loaded from the program files.

A `ProgramVersion` is one revision of one program (`postpartum-111` revision 1, 2, …) holding the
YAML text the rules core validates. A published revision is immutable: the model and its queryset
refuse to change or delete it, so an application pinned to it always scores under the same rules.
A change is a new draft (copied from the published text), edited, checked and published as the
next revision.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .schema import checksum, parse_source


class PublishedProgramImmutableError(RuntimeError):
    """A published program version is never edited or deleted (publish a new one instead)."""


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公告")


class ProgramVersionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ProgramVersionQuerySet:
        from .permissions import visible_versions

        return visible_versions(self, user)

    def published(self) -> ProgramVersionQuerySet:
        return self.filter(status=VersionStatus.PUBLISHED)

    def latest_published(self, program_id: str) -> ProgramVersion | None:
        return self.published().filter(program_id=program_id).order_by("-number").first()

    def update(self, **kwargs: Any) -> int:
        if self.filter(status=VersionStatus.PUBLISHED).exists():
            raise PublishedProgramImmutableError("published program versions are immutable")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=VersionStatus.PUBLISHED).exists():
            raise PublishedProgramImmutableError("published program versions are immutable")
        return super().delete()


class ProgramVersion(models.Model):
    program_id = models.CharField("計畫代碼", max_length=64)
    number = models.PositiveIntegerField("版次")
    status = models.CharField(
        "狀態", max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    kind = models.CharField("類別", max_length=20)
    title = models.CharField("名稱", max_length=200)
    source = models.TextField("內容（YAML）")
    checksum = models.CharField("SHA-256", max_length=64)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="依據版本"
    )
    origin = models.CharField("來源", max_length=300, blank=True, help_text="program file path, or 'web'")
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField("公告時間", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgramVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "評鑑計畫版本"
        verbose_name_plural = "評鑑計畫版本"
        ordering = ("program_id", "-number")
        constraints = (
            models.UniqueConstraint(fields=["program_id", "number"], name="one_number_per_program_version"),
            models.UniqueConstraint(
                fields=["program_id"], condition=models.Q(status="draft"), name="one_draft_per_program"
            ),
        )

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"  # words, not the program code (issue 18)

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def program(self) -> Any:
        """The rules core's validated Program for this version (cached per text)."""
        return parse_source(self.source, f"{self.program_id} v{self.number}")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == VersionStatus.PUBLISHED:
                raise PublishedProgramImmutableError(f"{self} is published and cannot change")
        self.checksum = checksum(self.source)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_published:
            raise PublishedProgramImmutableError(f"{self} is published and cannot be deleted")
        return super().delete(*args, **kwargs)


class ProgramOfficeQuerySet(models.QuerySet):
    def for_program(self, program: Any) -> ProgramOffice | None:
        """The office of PROGRAM's owner (the program file's `owner`), or None when none is set."""
        return self.filter(owner=getattr(program, "owner", "")).first()


class ProgramOffice(models.Model):
    """The office that runs a program owner's evaluations (評鑑辦公室) and signs its letters: the
    letterhead — unit, address, phone, fax, e-mail — printed on every letter of that owner's
    programs (e.g. the 補件通知函). One row per owner, matched on the program file's `owner`
    exactly, so the two JCT certifications share one and a new program of the same owner needs
    nothing new. Kept in the admin by office staff (programs.change_programoffice), every save
    audited (actions.do_save_program_office)."""

    owner = models.CharField(
        "主辦機關",
        max_length=200,
        unique=True,
        help_text="與計畫檔之主辦機關（owner）完全相同，例如「衛生福利部」。",
    )
    unit = models.CharField("承辦單位", max_length=100, default="評鑑辦公室")
    address = models.CharField("地址", max_length=200, help_text="含郵遞區號，印於函之機關地址欄。")
    phone = models.CharField("電話", max_length=40)
    fax = models.CharField("傳真", max_length=40, blank=True)
    email = models.EmailField("電子信箱", blank=True)
    updated_at = models.DateTimeField("更新時間", auto_now=True)

    objects = ProgramOfficeQuerySet.as_manager()

    class Meta:
        verbose_name = "評鑑辦公室（函稿資料）"
        verbose_name_plural = "評鑑辦公室（函稿資料）"
        ordering = ("owner",)

    def __str__(self) -> str:
        return f"{self.owner} {self.unit}"

    def snapshot(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ("owner", "unit", "address", "phone", "fax", "email")}
