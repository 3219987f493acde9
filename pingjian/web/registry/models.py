"""The public registry of evaluation results (提供民眾選擇, seed 002 §二(三)).

One `RegistryEntry` per published result: which institution passed which program, and for how long.
Decisions publish entries through `registry.actions.do_publish_result` (issue 14), which issues the
`Certificate` of a passing result. Revocation (撤銷), abolition (廢止), the JCT's suspension (中止)
and termination (終止) and a voluntary withdrawal end a result early (`StatusAction`, with reason,
legal basis, effective date and letter) and stay visible as such. Every registry action writes a
`RegistryChange`: the public change feed (`/registry/changes.json`) is read from them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pingjian.web.accounts.permissions import institution_ids_of, sees_everything
from pingjian.web.core.text import MESSAGE_MAX_LENGTH


class EntryStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤銷")
    ABOLISHED = "abolished", _("已廢止")
    SUSPENDED = "suspended", _("已中止")
    TERMINATED = "terminated", _("已終止")
    WITHDRAWN = "withdrawn", _("自願退出")


# the words a passing result is published in (ministry programs: 合格; the JCT: 通過)
PASSING_RESULTS = frozenset({"合格", "通過", "pass"})

# the programs of the JCT (財團法人醫院評鑑暨醫療品質策進會): certificates in Chinese and English,
# suspension (中止) and termination (終止) are theirs; the ministry's programs revoke and abolish
JCT_PROGRAM_PREFIXES = ("aesthetic-clinic-", "cell-therapy-clinic-")


def is_jct_program(program_id: str) -> bool:
    return program_id.startswith(JCT_PROGRAM_PREFIXES)


class RegistryEntryQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> RegistryEntryQuerySet:
        """Published entries are public: everyone, the anonymous public included, sees them; the
        program office also sees drafts."""
        return self if sees_everything(user) else self.filter(published_at__isnull=False)

    def valid_on(self, day: dt.date) -> RegistryEntryQuerySet:
        """Passing results in force on DAY (a published fail, seed 002 §十二(二), is never valid)."""
        return self.filter(status=EntryStatus.VALID, result__in=PASSING_RESULTS, valid_from__lte=day).filter(
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
            and self.result.strip() in PASSING_RESULTS
            and self.valid_from <= day
            and (self.valid_until is None or self.valid_until >= day)
        )


# certificate number prefixes per program family (the rest of the number: ROC year of issue and a
# sequence per program and year, e.g. JCT-AES-112-0001)
CERTIFICATE_PREFIXES = {
    "aesthetic-clinic": "JCT-AES",
    "cell-therapy-clinic": "JCT-CTC",
    "postpartum": "MOHW-PPC",
    "psych-rehab-day": "MOHW-PRD",
    "psych-rehab-residential": "MOHW-PRR",
}


def certificate_prefix(program_id: str) -> str:
    family = program_id.rsplit("-", 1)[0]
    return CERTIFICATE_PREFIXES.get(family, "CERT-" + "".join(w[:1] for w in family.split("-")).upper())


def new_verification_code() -> str:
    """128 random bits, URL-safe (22 characters): not guessable, not derived from anything."""
    return secrets.token_urlsafe(16)


class CertificateQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> CertificateQuerySet:
        """The office sees every certificate; an institution's members their own; nobody else (the
        public verifies a certificate by its code, never by listing)."""
        if sees_everything(user):
            return self
        return self.filter(
            entry__institution_id__in=institution_ids_of(user), entry__published_at__isnull=False
        )


class Certificate(models.Model):
    """The certificate (認證證書 / 評鑑合格證明) of one published passing result."""

    entry = models.OneToOneField(
        RegistryEntry, on_delete=models.PROTECT, related_name="certificate", verbose_name="評鑑結果公告"
    )
    number = models.CharField("證書字號", max_length=40, unique=True)
    program_id = models.CharField("評鑑計畫代碼", max_length=64)
    year = models.PositiveSmallIntegerField("發證年度（民國）")
    sequence = models.PositiveIntegerField("流水號")
    verification_code = models.CharField("驗證碼", max_length=32, unique=True, default=new_verification_code)
    issued_on = models.DateField("發證日期")

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = "證書"
        verbose_name_plural = "證書"
        ordering = ("program_id", "year", "sequence")
        constraints = (
            models.UniqueConstraint(fields=["program_id", "year", "sequence"], name="one_certificate_number"),
        )

    def __str__(self) -> str:
        return self.number


class StatusActionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> StatusActionQuerySet:
        """The office, and the members of the institution the action concerns (its letter's addressee)."""
        if sees_everything(user):
            return self
        return self.filter(entry__institution_id__in=institution_ids_of(user))


class StatusAction(models.Model):
    """A result ended early: 撤銷, 廢止, 中止, 終止 or a voluntary withdrawal, with its letter."""

    entry = models.ForeignKey(
        RegistryEntry, on_delete=models.PROTECT, related_name="status_actions", verbose_name="評鑑結果公告"
    )
    status = models.CharField("處分", max_length=20, choices=EntryStatus.choices)
    reason = models.TextField("理由", max_length=MESSAGE_MAX_LENGTH)
    legal_basis = models.CharField("法令依據", max_length=300)
    effective_on = models.DateField("生效日")
    letter_number = models.CharField("發文字號", max_length=40, unique=True)
    bureau_report = models.ForeignKey(
        "AbolitionReport", on_delete=models.PROTECT, null=True, blank=True, related_name="actions",
        verbose_name="衛生局通報",
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登錄人"
    )
    recorded_at = models.DateTimeField("登錄時間", auto_now_add=True)

    objects = StatusActionQuerySet.as_manager()

    class Meta:
        verbose_name = "評鑑結果處分"
        verbose_name_plural = "評鑑結果處分"
        ordering = ("-recorded_at", "-pk")

    def __str__(self) -> str:
        return f"{self.letter_number} {self.get_status_display()}"


class AbolitionReport(models.Model):
    """A health bureau's report of serious violations by a passing institution of its county (seed
    002 §十四(一): 由地方政府（衛生局）送本部): the grounds for the ministry to abolish."""

    entry = models.ForeignKey(
        RegistryEntry, on_delete=models.PROTECT, related_name="abolition_reports", verbose_name="評鑑結果公告"
    )
    grounds = models.TextField("違規事實", max_length=MESSAGE_MAX_LENGTH)
    reported_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="通報人"
    )
    reported_at = models.DateTimeField("通報時間", auto_now_add=True)

    class Meta:
        verbose_name = "衛生局廢止事由通報"
        verbose_name_plural = "衛生局廢止事由通報"
        ordering = ("-reported_at", "-pk")

    def __str__(self) -> str:
        return f"{self.entry} {self.reported_at:%Y-%m-%d}"


class ChangeKind(models.TextChoices):
    PUBLISHED = "published", _("公告")
    STATUS_CHANGED = "status_changed", _("狀態變更")


class RegistryChange(models.Model):
    """One line of the public change feed: written by every registry action, never edited."""

    entry = models.ForeignKey(
        RegistryEntry, on_delete=models.PROTECT, related_name="changes", verbose_name="評鑑結果公告"
    )
    kind = models.CharField("變更種類", max_length=20, choices=ChangeKind.choices)
    status = models.CharField("變更後狀態", max_length=20, choices=EntryStatus.choices)
    effective_on = models.DateField("生效日")
    at = models.DateTimeField("變更時間", db_index=True)

    class Meta:
        verbose_name = "公告變更紀錄"
        verbose_name_plural = "公告變更紀錄"
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.entry_id}"


class FollowUpKind(models.TextChoices):
    ON_SITE = "on_site", _("實地追蹤")
    DOCUMENTS = "documents", _("書面追蹤")


class FollowUpOutcome(models.TextChoices):
    PLANNED = "planned", _("已排定")
    COMPLIANT = "compliant", _("符合")
    IMPROVEMENT = "improvement", _("限期改善")
    NON_COMPLIANT = "non_compliant", _("不符合")


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> FollowUpQuerySet:
        """The office, and the members of the institution followed up; nobody else (the registry's
        entry page is public, its follow-ups are not)."""
        if sees_everything(user):
            return self
        return self.filter(entry__institution_id__in=institution_ids_of(user))


class FollowUp(models.Model):
    """A follow-up within the validity (追蹤訪查): seed 000 has the certifier follow up on site
    within the validity (合格效期內進行實地追蹤); seed 002 §十四(一) abolishes a result found, within
    the validity, in serious breach or not improved by the deadline (經限期改善而屆期未改善). The
    office plans it, then records its outcome once; abolition stays the office's own decision
    (`do_change_status`)."""

    entry = models.ForeignKey(
        RegistryEntry, on_delete=models.PROTECT, related_name="follow_ups", verbose_name="評鑑結果公告"
    )
    day = models.DateField("追蹤日期")
    kind = models.CharField("追蹤方式", max_length=20, choices=FollowUpKind.choices)
    outcome = models.CharField(
        "追蹤結果", max_length=20, choices=FollowUpOutcome.choices, default=FollowUpOutcome.PLANNED
    )
    findings = models.TextField("追蹤發現", max_length=MESSAGE_MAX_LENGTH, blank=True)
    improve_by = models.DateField("改善期限", null=True, blank=True)
    planned_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+", verbose_name="排定人"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="登錄人",
    )  # fmt: skip
    recorded_on = models.DateField("登錄日", null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = "追蹤訪查"
        verbose_name_plural = "追蹤訪查"
        ordering = ("day", "pk")

    def __str__(self) -> str:
        return f"{self.entry} {self.day:%Y-%m-%d} {self.get_kind_display()}"
