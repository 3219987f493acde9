"""A quarter's scoring run (QuarterRun) and what the engine gave per clinic (ClinicResult).

Every value in ClinicResult is the engine's (engine.py); nothing is typed by a person. Progress is
stored on the run so that a reloaded page shows where the background job is."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pingjian.web.core.counties import County


class RunState(models.TextChoices):
    QUEUED = "queued", _("排隊中")
    RUNNING = "running", _("計算中")
    DONE = "done", _("完成")
    FAILED = "failed", _("失敗")


class RunSource(models.TextChoices):
    UPLOAD = "upload", _("上傳檔案")
    FOLDER = "folder", _("伺服器資料夾")
    TABLE = "table", _("指標表")  # an indicator table instead of claims: no claims stage, no store


class QuarterRunQuerySet(models.QuerySet["QuarterRun"]):
    def visible_to(self, user: Any) -> QuarterRunQuerySet:
        from .permissions import visible_runs

        return visible_runs(self, user)


class QuarterRun(models.Model):
    quarter = models.CharField("季別", max_length=6)
    source = models.CharField("資料來源", max_length=8, choices=RunSource.choices)
    # absolute, resolved under the data root or uploads; for an indicator table run, the table file
    folder = models.CharField("資料夾", max_length=500)
    params = models.JSONField("參數", default=dict, blank=True)
    state = models.CharField("狀態", max_length=8, choices=RunState.choices, default=RunState.QUEUED)
    progress = models.PositiveSmallIntegerField("進度", default=0)
    step = models.CharField("步驟", max_length=200, blank=True)
    error = models.TextField("錯誤", blank=True)
    warnings = models.JSONField("警告", default=list, blank=True)
    run_record = models.JSONField("執行紀錄", default=dict, blank=True)
    clinic_count = models.PositiveIntegerField("院所數", default=0)
    # the claims store: what the load did (LoadReport) and the manifest the score read
    load_report = models.JSONField("載入紀錄", default=dict, blank=True)
    store_generation = models.PositiveIntegerField("資料庫版次", null=True, blank=True)
    store_manifest = models.JSONField("資料庫內容", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="建立者"
    )
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    started_at = models.DateTimeField("開始時間", null=True, blank=True)
    finished_at = models.DateTimeField("完成時間", null=True, blank=True)

    objects = QuarterRunQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = "牙醫輔導季別計算"
        indexes = (models.Index(fields=["quarter", "state"]),)

    def __str__(self) -> str:
        return f"{self.quarter} #{self.pk}"

    def snapshot(self) -> dict[str, Any]:
        return {
            "quarter": self.quarter,
            "source": self.source,
            "folder": self.folder,
            "params": self.params,
            "state": self.state,
            "clinic_count": self.clinic_count,
            "store_generation": self.store_generation,
            "error": self.error[:500],
        }

    @property
    def from_indicator_table(self) -> bool:
        return self.source == RunSource.TABLE

    @property
    def finished(self) -> bool:
        return self.state in (RunState.DONE, RunState.FAILED)


class ClinicResultQuerySet(models.QuerySet["ClinicResult"]):
    def visible_to(self, user: Any) -> ClinicResultQuerySet:
        from .permissions import visible_results

        return visible_results(self, user)


class ClinicResult(models.Model):
    run = models.ForeignKey(QuarterRun, on_delete=models.CASCADE, related_name="results")
    clinic_id = models.CharField("院所代碼", max_length=20)
    name = models.CharField("院所名稱", max_length=200, blank=True)
    county = models.CharField(
        "縣市", max_length=3, blank=True, choices=County.choices
    )  # from the institutions register, if known
    excluded = models.BooleanField("排除", default=False)
    exclusion_reason = models.CharField("排除理由", max_length=300, blank=True)
    points = models.DecimalField("總積分", max_digits=8, decimal_places=2, null=True, blank=True)
    level = models.PositiveSmallIntegerField("級別", null=True, blank=True)
    flags = models.JSONField("標記", default=list, blank=True)
    flags_text = models.CharField(max_length=500, blank=True)  # ";flag;flag;" for filtering
    rule_points = models.JSONField("各規則積分", default=dict, blank=True)
    rules_fired = models.JSONField("觸發規則", default=list, blank=True)
    rules_text = models.CharField(max_length=500, blank=True)  # ";r3_1;r4_2;" for filtering
    indicators = models.JSONField("指標", default=list, blank=True)
    trace = models.JSONField("說明", default=dict, blank=True)

    objects = ClinicResultQuerySet.as_manager()

    class Meta:
        ordering = ("clinic_id",)
        verbose_name = "院所輔導積分"
        constraints = (models.UniqueConstraint(fields=["run", "clinic_id"], name="dental_result_unique"),)
        indexes = (models.Index(fields=["run", "level"]), models.Index(fields=["clinic_id"]))

    def __str__(self) -> str:
        return f"{self.clinic_id} {self.run.quarter}"
