"""Every write of the dental review, audited: requesting a quarter run (files kept, job queued after
commit), running it (the background job: load the files' quarters into the claims store, score the
quarter from the store, with progress from both steps, then every clinic's result in one
transaction; a run from an indicator table skips the store and scores the table, as `dental score
--indicators`), and nothing for a what-if (it computes and stores nothing)."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pingjian.web.accounts.permissions import is_nhi_reviewer
from pingjian.web.audit.actions import record_event
from pingjian.web.audit.events import EventType
from pingjian.web.institutions.models import Institution

from . import engine
from .error_codes import DentalReviewErrorCode
from .models import ClinicResult, QuarterRun, RunSource, RunState
from .tasks import score_quarter_job

MAX_WARNINGS = 200

# The engine's steps, in order, with the share of the bar each reaches (the engine reports words,
# not fractions; the bar moves on each word it knows and creeps on the others): first the load
# into the claims store, then the score from it.
LOAD_PROGRESS = [("validating", 10), ("reference", 20), ("encoding", 30), ("writing", 40)]
SCORE_PROGRESS = [
    ("validating", 50),
    ("starting", 52),
    ("reading", 55),
    ("claims stage", 80),
    ("scoring", 85),
]
LOAD_CEILING, SCORE_CEILING = 45, 84
TABLE_PROGRESS = [("scoring", 80)]  # an indicator table: read and checked, then scored


def _bad(message: str, code: DentalReviewErrorCode = DentalReviewErrorCode.BAD_INPUT) -> ValidationError:
    return ValidationError(message, code=code)


def upload_root() -> Path:
    return Path(settings.PINGJIAN_DENTAL_UPLOAD_DIR)


def store_path() -> Path:
    """The app's one claims store (settings.PINGJIAN_DENTAL_STORE)."""
    return Path(settings.PINGJIAN_DENTAL_STORE)


@transaction.atomic
def do_request_run(
    *,
    actor: Any,
    quarter: str,
    uploads: Iterable[tuple[str, bytes]] = (),
    folder: str = "",
    params_text: str = "",
    indicator_table: tuple[str, bytes] | None = None,
) -> QuarterRun:
    """Check the input (files by content, a folder under the data root, or an indicator table by
    content and by the engine's own checks), keep it, and queue the scoring job after commit.
    Nothing is kept when anything is refused."""
    if actor is None or not is_nhi_reviewer(actor):
        raise PermissionDenied("dentalreview.add_quarterrun")
    uploads = list(uploads)
    given = [bool(uploads), bool((folder or "").strip()), indicator_table is not None]
    if given.count(True) != 1:
        raise _bad("請上傳檔案、填寫伺服器資料夾或上傳指標表（擇一）。", DentalReviewErrorCode.NO_SOURCE)
    try:
        q = engine.normalise_quarter(quarter)
        params = engine.parse_params(params_text)
        if indicator_table is not None:
            table_name = engine.validate_indicator_table(*indicator_table, q, params)
        elif uploads:
            files = engine.unpack_upload(uploads)
        else:
            target = engine.folder_under(settings.PINGJIAN_DENTAL_DATA_ROOT, folder)
    except engine.EngineInputError as exc:
        raise _bad(str(exc)) from None
    if indicator_table is not None:
        source = RunSource.TABLE
    else:
        source = RunSource.UPLOAD if uploads else RunSource.FOLDER
    run = QuarterRun.objects.create(
        quarter=q,
        source=source,
        folder="" if source != RunSource.FOLDER else str(target),
        params=params,
        created_by=actor,
    )
    if source != RunSource.FOLDER:
        if indicator_table is not None:
            files = {table_name: indicator_table[1]}
        directory = upload_root() / f"run-{run.pk}"
        directory.mkdir(parents=True, exist_ok=True)
        try:
            for name, data in files.items():
                (directory / name).write_bytes(data)
        except OSError:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        run.folder = str(directory / table_name) if indicator_table is not None else str(directory)
        run.save(update_fields=["folder"])
    record_event(actor=actor, event_type=EventType.DENTAL_RUN_REQUESTED, subject=run, after=run.snapshot())
    transaction.on_commit(lambda: _enqueue(run.pk), robust=True)
    return run


def _enqueue(run_id: int) -> None:
    score_quarter_job.enqueue(run_id)


def _set_progress(run_id: int, percent: int, step: str) -> None:
    QuarterRun.objects.filter(pk=run_id).update(progress=percent, step=step[:200])


def _progress_for(run_id: int, steps: list[tuple[str, int]], start: int, ceiling: int) -> Any:
    current = {"percent": start}

    def report(message: str) -> None:
        target = current["percent"]
        for word, percent in steps:
            if message.startswith(word) or word in message:
                target = max(target, percent)
                break
        else:
            target = min(current["percent"] + 3, ceiling)
        current["percent"] = target
        _set_progress(run_id, target, message)

    return report


def do_execute_run(run_id: int) -> QuarterRun:
    """The background job's work: load the run's files into the claims store (every quarter they
    hold: the run's quarter and its look-back; a quarter already there is replaced), score the
    run's quarter from the store, store every clinic's result, audit."""
    run = QuarterRun.objects.get(pk=run_id)
    if run.state != RunState.QUEUED:
        return run  # a second delivery of the same job does nothing
    QuarterRun.objects.filter(pk=run_id).update(
        state=RunState.RUNNING, started_at=timezone.now(), progress=5, step="準備中"
    )
    if run.source == RunSource.TABLE:
        return _execute_from_table(run)
    target = store_path()
    try:
        report = engine.load_into_store(
            Path(run.folder), target, _progress_for(run_id, LOAD_PROGRESS, 5, LOAD_CEILING)
        )
        QuarterRun.objects.filter(pk=run_id).update(load_report=report)
        if run.quarter not in report["quarters"]:
            return _fail(
                run_id,
                f"{run.folder}：申報資料中無 {run.quarter} 之申報，已載入之季別："
                f"{'、'.join(report['quarters']) or '無'}",
            )
        _set_progress(run_id, LOAD_CEILING, "已載入資料庫")
        outcome = engine.score_quarter(
            target,
            run.quarter,
            run.params,
            _progress_for(run_id, SCORE_PROGRESS, LOAD_CEILING, SCORE_CEILING),
        )
    except engine.EngineInputError as exc:
        return _fail(run_id, str(exc))
    except Exception as exc:  # an engine failure is shown on the run, not lost in a log
        _fail(run_id, f"計算失敗：{type(exc).__name__}: {exc}")
        raise
    _set_progress(run_id, 90, "儲存結果")
    return _store(run_id, outcome)


def _execute_from_table(run: QuarterRun) -> QuarterRun:
    """Score the run's quarter from its indicator table (as `dental score --indicators FILE`): no
    claims stage and no claims store; the store is neither read nor changed."""
    try:
        outcome = engine.score_indicator_table(
            Path(run.folder), run.quarter, run.params, _progress_for(run.pk, TABLE_PROGRESS, 5, 84)
        )
    except engine.EngineInputError as exc:
        return _fail(run.pk, str(exc))
    except Exception as exc:  # an engine failure is shown on the run, not lost in a log
        _fail(run.pk, f"計算失敗：{type(exc).__name__}: {exc}")
        raise
    _set_progress(run.pk, 90, "儲存結果")
    return _store(run.pk, outcome)


@transaction.atomic
def _store(run_id: int, outcome: engine.QuarterOutcome) -> QuarterRun:
    run = QuarterRun.objects.select_for_update().get(pk=run_id)
    counties = dict(
        Institution.objects.filter(code__in=[c.clinic_id for c in outcome.clinics]).values_list(
            "code", "county"
        )
    )
    ClinicResult.objects.filter(run=run).delete()
    ClinicResult.objects.bulk_create(
        [
            ClinicResult(
                run=run,
                clinic_id=c.clinic_id,
                name=c.name[:200],
                county=counties.get(c.clinic_id, ""),
                excluded=c.excluded,
                exclusion_reason=c.exclusion_reason[:300],
                points=None if c.points is None else Decimal(c.points),
                level=c.level,
                flags=c.flags,
                flags_text="".join(f";{f}" for f in c.flags) + ";",
                rule_points=c.rule_points,
                rules_fired=c.rules_fired,
                rules_text="".join(f";{r}" for r in c.rules_fired) + ";",
                indicators=c.indicators,
                trace=c.trace,
            )
            for c in outcome.clinics
        ],
        batch_size=500,
    )
    run.state = RunState.DONE
    run.progress = 100
    run.step = "完成"
    run.finished_at = timezone.now()
    run.clinic_count = len(outcome.clinics)
    run.warnings = outcome.warnings[:MAX_WARNINGS]
    run.run_record = outcome.run
    run.store_generation = outcome.store.get("generation")  # None: scored from an indicator table
    run.store_manifest = outcome.store
    run.save()
    record_event(
        actor=run.created_by, event_type=EventType.DENTAL_RUN_FINISHED, subject=run, after=run.snapshot()
    )
    return run


@transaction.atomic
def _fail(run_id: int, message: str) -> QuarterRun:
    run = QuarterRun.objects.select_for_update().get(pk=run_id)
    run.state = RunState.FAILED
    run.error = message[:5000]
    run.step = "失敗"
    run.finished_at = timezone.now()
    run.save()
    record_event(
        actor=run.created_by, event_type=EventType.DENTAL_RUN_FAILED, subject=run, after=run.snapshot()
    )
    return run
