"""The dental engine as functions: `indicators(...)` and `score(...)`, callable from the CLI and
from benchmarks. The heavy stage runs on DuckDB (default) or PySpark; everything after it is the
pure-Python light stage in `points.py`."""

from __future__ import annotations

import csv
import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

import duckdb

from pingjian.dental import cache, io
from pingjian.dental import specialists as spx
from pingjian.dental.codes import CodeSets
from pingjian.dental.points import (
    ClinicFacts,
    ClinicInput,
    ClinicScore,
    combine_periods,
    derived_values,
    indicator_values,
    score_quarter,
)
from pingjian.rules.dental_program import DentalProgram, load_dental_program
from pingjian.rules.errors import DataFileError
from pingjian.rules.roc import Quarter

Progress = Callable[[str], None]

FACT_COLUMNS = [
    "region",
    "kind",
    "name",
    "opened_on",
    "sessions_per_month",
    "outreach_sessions_year",
    "unimproved_after_agreement",
]
XR_COLUMNS = ["cross_region_mid_count", "cross_region_high_count"]


@dataclass
class IndicatorResult:
    program: DentalProgram
    quarter: Quarter
    inputs: list[ClinicInput]
    measures: dict[str, dict[str, int]]
    warnings: list[str]
    run: dict[str, Any]
    # 十三 per doctor for the quarter (see specialists.quarter_specialists)
    specialists: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ScoreResult:
    program: DentalProgram
    label: str
    scores: list[ClinicScore]
    warnings: list[str]
    run: dict[str, Any]
    inputs: list[ClinicInput] = field(default_factory=list)
    specialists: list[dict[str, Any]] = field(default_factory=list)

    def by_clinic(self) -> dict[str, ClinicScore]:
        return {s.clinic_id: s for s in self.scores}


def prepare_program(
    params: Mapping[str, str] | None = None, program_path: str | Path | None = None
) -> DentalProgram:
    return load_dental_program(program_path).with_params(dict(params or {}))


def _facts(
    con: duckdb.DuckDBPyConnection, paths: dict[str, Path], quarter: Quarter
) -> dict[str, ClinicFacts]:
    clinics = con.sql(io.typed_select_sql(paths["clinics"], "clinics")).fetchall()
    cq = con.sql(
        f"SELECT clinic_id, sessions_per_month, outreach_sessions_year, unimproved_after_agreement "
        f"FROM ({io.typed_select_sql(paths['clinic_quarter'], 'clinic_quarter')}) "
        f"WHERE quarter = '{quarter}'"  # reading 17: other quarters ignored
    ).fetchall()
    by_q = {r[0]: r for r in cq}
    out = {}
    for _row, cid, name, region, kind, opened in clinics:
        q = by_q.get(cid)
        out[cid] = ClinicFacts(
            clinic_id=cid,
            region=region,
            kind=kind,
            name=name or "",
            opened_on=opened,
            sessions_per_month=_exact(q[1]) if q else Fraction(0),
            outreach_sessions_year=int(q[2]) if q else 0,
            unimproved_after_agreement=bool(q[3]) if q else False,
            has_quarter_row=q is not None,
        )
    return out


def _exact(x: Any) -> Fraction:
    """A float from a file read as the decimal it was written as (44.0 → 44, 43.9 → 439/10)."""
    return Fraction(Decimal(repr(x) if isinstance(x, float) else str(x)))


def indicators(
    data_dir: str | Path | None,
    quarter: str | Quarter,
    *,
    engine: str = "duckdb",
    params: Mapping[str, str] | None = None,
    memory_limit: str | None = None,
    program: DentalProgram | None = None,
    progress: Progress | None = None,
    threads: int | None = None,
    use_cache: bool | None = None,
    applications: str | Path | None = None,
    refusals: str | Path | None = None,
    store: str | Path | None = None,
) -> IndicatorResult:
    """claims → per-clinic measures (engine) → indicator values of the region's scored clinics.

    The claims stage's result is taken from the cache (`cache.py`) when the same files, quarter
    and claims-stage definitions were computed before; `use_cache=False` (or
    `PINGJIAN_DENTAL_CACHE=off`) always computes it. `store`: a claims store (`store.py`)
    instead of the folder `data_dir`."""
    from pingjian.dental import store as claims_store

    t0 = time.perf_counter()
    step = progress or (lambda _m: None)
    prog = program or prepare_program(params)
    q = quarter if isinstance(quarter, Quarter) else io.parse_quarter(quarter)
    if (data_dir is None) == (store is None):
        raise DataFileError("give exactly one of --data DIR and --store PATH")
    snap = claims_store.open_store(store) if store is not None else None
    paths = snap.reference_paths() if snap is not None else io.input_paths(data_dir)  # type: ignore[arg-type]
    use_cache = cache.enabled() if use_cache is None else use_cache
    keyed = snap.cache_files() if snap is not None else paths
    entry = cache.key(keyed, str(q), prog) if use_cache else None
    stage = cache.load(entry) if entry else None
    if stage is None:
        if snap is not None:
            stage = _store_claims_stage(prog, q, snap, engine, memory_limit, threads, step)
        else:
            stage = _claims_stage(prog, q, paths, engine, memory_limit, threads, step)
        if entry:
            cache.store(entry, stage)
        from_cache = False
    else:
        step("claims stage from the cache")
        from_cache = True
    con = duckdb.connect()
    facts = _facts(con, paths, q)
    overrides = _specialist_overrides(con, paths)
    table = spx.doctor_month_table(prog, stage.doctor_months)
    apps, refused = _actions_inputs(con, prog, q, facts, overrides, applications, refusals)
    inputs, more = build_inputs(
        prog, q, facts, stage.measures, stage.cross_region,
        overrides=overrides, doctor_months=table, applications=apps, refusals=refused,
    )  # fmt: skip
    run = run_record(prog, q, stage.engine, memory_limit, source=str(store if snap is not None else data_dir))
    run["applications"] = None if applications is None else str(applications)
    run["refusals"] = None if refusals is None else str(refusals)
    run["claims_stage"] = {"from_cache": from_cache, "key": entry, "seconds_computed": stage.seconds}
    run["seconds"] = {**stage.timings, "total": round(time.perf_counter() - t0, 3)}
    specialists = spx.quarter_specialists(prog, table)
    return IndicatorResult(prog, q, inputs, stage.measures, stage.warnings + more, run, specialists)


def _specialist_overrides(con: duckdb.DuckDBPyConnection, paths: dict[str, Path]) -> dict[str, bool | None]:
    """doctors.specialist per doctor: true/false is the 認定 given as input, None (empty) leaves
    it to the claims (十三/十四)."""
    rows = con.sql(f"SELECT doctor_id, specialist FROM ({io.typed_select_sql(paths['doctors'], 'doctors')})")
    return {str(d): (None if v is None else bool(v)) for d, v in rows.fetchall()}


def _actions_inputs(
    con: duckdb.DuckDBPyConnection,
    prog: DentalProgram,
    q: Quarter,
    facts: dict[str, ClinicFacts],
    overrides: dict[str, bool | None],
    applications: str | Path | None,
    refusals: str | Path | None,
) -> tuple[dict[tuple[str, str, int], spx.Application], list[spx.Refusal]]:
    apps: dict[tuple[str, str, int], spx.Application] = {}
    if applications is not None:
        rows = io.read_applications(
            con, Path(applications), q, set(facts), set(overrides), [sp.id for sp in prog.specialties]
        )
        for row, clinic, doctor, month, specialty, pct in rows:
            declared = None if pct is None else _exact(pct)
            apps[(clinic, doctor, month)] = spx.Application(clinic, doctor, month, specialty, declared, row)
    refused: list[spx.Refusal] = []
    if refusals is not None:
        for row, clinic, kind, doctor, note in io.read_refusals(
            con, Path(refusals), q, set(facts), list(spx.REFUSAL_KINDS)
        ):
            refused.append(spx.Refusal(clinic, kind, doctor, note, row))
    return apps, refused


def _claims_stage(
    prog: DentalProgram,
    q: Quarter,
    paths: dict[str, Path],
    engine: str,
    memory_limit: str | None,
    threads: int | None,
    step: Progress,
) -> cache.ClaimsStage:
    """Validation and the heavy stage: input files → per-clinic integer measures."""
    from pingjian.dental import engine as heavy

    t0 = time.perf_counter()
    region = prog.str_param("region")

    if engine == "duckdb":
        con = heavy.connect("duckdb", memory_limit, threads)
        dcon = con.con
    else:
        dcon = duckdb.connect()
        if memory_limit:
            dcon.execute(f"SET memory_limit = '{heavy.duckdb_share(memory_limit)}'")
    step("validating input files")
    profile = io.claim_code_profile(dcon, paths["claims"])
    present = profile.present
    od_codes = CodeSets(prog, present).codes.get("od", [])
    warnings = io.validate_inputs(dcon, paths, q, region=region, od_codes=od_codes, code_profile=profile)
    t_validate = time.perf_counter() - t0

    if engine != "duckdb":
        step("starting Spark")
        con = heavy.connect(engine, memory_limit)
    t1 = time.perf_counter()
    stages: dict[str, float] = {}
    result = heavy.heavy_stage(con, prog, q, paths, present, progress=step, timings=stages)
    t_heavy = time.perf_counter() - t1
    return cache.ClaimsStage(
        measures=result.measures,
        cross_region=result.cross_region,
        doctor_months=result.doctor_months,
        warnings=warnings,
        engine=engine,
        seconds=round(time.perf_counter() - t0, 3),
        timings={"validate": round(t_validate, 3), "engine": round(t_heavy, 3), "engine_stages": stages},
    )


def _store_claims_stage(
    prog: DentalProgram,
    q: Quarter,
    snap: Any,
    engine: str,
    memory_limit: str | None,
    threads: int | None,
    step: Progress,
) -> cache.ClaimsStage:
    """The heavy stage over a claims store: validated at load, so only the quarter's and region's
    checks run here; keys stay integers until the per-clinic result."""
    from pingjian.dental import engine as heavy
    from pingjian.dental import store as claims_store

    t0 = time.perf_counter()
    region = prog.str_param("region")
    dcon = duckdb.connect()
    refs = snap.reference_paths()
    warnings = io.quarter_checks(
        dcon,
        f"{snap.root} (claims store)",
        io.typed_select_sql(refs["clinics"], "clinics"),
        f"{snap.root} (clinics)",
        q,
        region,
        snap.first_visit(),
        snap.lines_in(q),
    )
    present, _codes = claims_store.present_codes(dcon, snap)
    t_validate = time.perf_counter() - t0
    if engine != "duckdb":
        step("starting Spark")
    con = (
        heavy.connect(engine, memory_limit, threads)
        if engine == "duckdb"
        else heavy.connect(engine, memory_limit)
    )
    source = claims_store.claims_source(con, snap, dcon, q, prog, region)
    t1 = time.perf_counter()
    stages: dict[str, float] = {}
    result = heavy.heavy_stage(con, prog, q, None, present, progress=step, timings=stages, source=source)
    return cache.ClaimsStage(
        measures=result.measures,
        cross_region=result.cross_region,
        doctor_months=result.doctor_months,
        warnings=warnings,
        engine=engine,
        seconds=round(time.perf_counter() - t0, 3),
        timings={
            "validate": round(t_validate, 3),
            "engine": round(time.perf_counter() - t1, 3),
            "engine_stages": stages,
        },
    )


def build_inputs(
    prog: DentalProgram,
    q: Quarter,
    facts: dict[str, ClinicFacts],
    measures: dict[str, dict[str, int]],
    cross_region: list[tuple[str, str, int, int]],
    *,
    overrides: dict[str, bool | None] | None = None,
    doctor_months: dict[tuple[str, int], spx.DoctorMonth] | None = None,
    applications: dict[tuple[str, str, int], spx.Application] | None = None,
    refusals: list[spx.Refusal] | None = None,
) -> tuple[list[ClinicInput], list[str]]:
    """The region's clinics with at least one line in Q (reading 19), with their values; the
    cross-region doctor-months that count in 五.5/六.5 after 十三/十四, and 七 and 十五."""
    region = prog.str_param("region")
    warnings = []
    xr_all: dict[str, list[tuple[str, int, int]]] = {}
    for cid, doctor, month, t in cross_region:
        xr_all.setdefault(cid, []).append((doctor, month, t))
    refused_by: dict[str, list[spx.Refusal]] = {}
    for r in refusals or []:
        refused_by.setdefault(r.clinic_id, []).append(r)
    xr: dict[str, list[tuple[str, int, int]]] = {}
    actions: dict[str, spx.ClinicActions] = {}
    for cid, rows in xr_all.items():
        general, decisions = spx.decide_cross_region(
            prog, rows, cid, overrides or {}, doctor_months or {}, applications or {}
        )
        xr[cid] = general
        found, status = spx.repayments(prog, rows)
        actions[cid] = spx.ClinicActions(decisions, found, status)
    for cid, items in refused_by.items():
        a = actions.setdefault(cid, spx.ClinicActions())
        for r in items:
            a.refusals.append({"refused": r.kind, "doctor_id": r.doctor_id, "note": r.note, "row": r.row})
            if r.kind == "repayment" and a.repayment_status == "flagged":
                a.abnormal_group_reasons.append("七：拒絕自動繳回，送異常組輔導")
            else:
                a.abnormal_group_reasons.append(
                    f"十五：不配合本要點（拒絕{spx.REFUSAL_KINDS[r.kind]}），移交異常組"
                )
    inputs = []
    for cid in sorted(c for c, f in facts.items() if f.region == region):
        m = measures.get(cid)
        if not m or not m.get("q_lines"):
            warnings.append(
                f"{cid}: clinic of region {region} without a line in {q}: not ranked, not in the "
                "output (reading 19)"
            )
            continue
        if not facts[cid].has_quarter_row:
            warnings.append(
                f"{cid}: no clinic_quarter row for {q}; sessions 0, outreach 0, unimproved false (reading 17)"
            )
        inputs.append(
            ClinicInput(
                facts[cid],
                indicator_values(prog, m),
                xr.get(cid, []),
                actions=actions.get(cid, spx.ClinicActions()),
            )
        )
    return inputs, warnings


def run_record(
    prog: DentalProgram, q: Quarter | str, engine: str, memory_limit: str | None, source: str
) -> dict[str, Any]:
    return {
        "program": prog.id,
        "version": prog.version,
        "quarter": str(q),
        "engine": engine,
        "memory_limit": memory_limit,
        "source": source,
        "percentile_method": prog.str_param("pr_method"),
        "parameters": prog.parameter_values(),
    }


def score(
    data_dir: str | Path | None,
    quarter: str,
    *,
    engine: str = "duckdb",
    params: Mapping[str, str] | None = None,
    memory_limit: str | None = None,
    indicators_path: str | Path | None = None,
    period: str = "quarter",
    progress: Progress | None = None,
    threads: int | None = None,
    use_cache: bool | None = None,
    applications: str | Path | None = None,
    refusals: str | Path | None = None,
    store: str | Path | None = None,
) -> ScoreResult:
    """The whole pipeline for a quarter (or the half-year / year ending with it, section 二)."""
    prog = prepare_program(params)
    last = io.parse_quarter(quarter)
    n = {"quarter": 1, "half": 2, "year": 4}[period]
    quarters = [last.shift(-i) for i in reversed(range(n))]
    per_q: list[list[ClinicScore]] = []
    warnings: list[str] = []
    run: dict[str, Any] = {}
    inputs: list[ClinicInput] = []
    specialists: list[dict[str, Any]] = []
    for qq in quarters:
        if indicators_path is not None:
            inputs, w = read_indicator_table(prog, Path(indicators_path), qq)
            run = run_record(prog, qq, "indicator-table", None, str(indicators_path))
        else:
            if data_dir is None and store is None:
                raise DataFileError("give --data DIR, --store PATH or --indicators FILE")
            res = indicators(
                data_dir,
                qq,
                engine=engine,
                program=prog,
                memory_limit=memory_limit,
                progress=progress,
                threads=threads,
                use_cache=use_cache,
                applications=applications,
                refusals=refusals,
                store=store,
            )
            inputs, w, run = res.inputs, res.warnings, res.run
            specialists = [{**d, "quarter": str(qq)} for d in res.specialists] + specialists
        warnings += w
        if progress:
            progress(f"scoring {qq}")
        per_q.append(score_quarter(prog, str(qq), qq.end, inputs))
    if n == 1:
        label = str(last)
        scores = per_q[0]
    else:
        label = f"{last.year}H{(last.number + 1) // 2}" if n == 2 else f"{last.year}"
        if (n == 2 and last.number not in (2, 4)) or (n == 4 and last.number != 4):
            label = f"{quarters[0]}-{last}"
        scores = combine_periods(prog, label, per_q)
    run["period"] = period
    run["quarters"] = [str(x) for x in quarters]
    return ScoreResult(
        prog,
        label,
        scores,
        warnings,
        run,
        inputs,
        sorted(specialists, key=lambda d: (d["quarter"], d["doctor_id"])),
    )


# --- indicator table ---------------------------------------------------------------------------


def indicator_columns(prog: DentalProgram) -> list[str]:
    cols = ["clinic_id", "quarter", *FACT_COLUMNS]
    for ind in prog.indicators:
        cols.append(ind.id)
        if ind.derived is None:
            cols += [f"{ind.id}_num", f"{ind.id}_den"]
    return cols + XR_COLUMNS


def indicator_rows(res: IndicatorResult) -> list[dict[str, Any]]:
    prog = res.program
    rows = []
    for inp in res.inputs:
        f = inp.facts
        m = res.measures[f.clinic_id]
        values = {**inp.values, **derived_values(prog, inp, res.quarter.end)}
        row: dict[str, Any] = {
            "clinic_id": f.clinic_id,
            "quarter": str(res.quarter),
            "region": f.region,
            "kind": f.kind,
            "name": f.name,
            "opened_on": f.opened_on.isoformat() if f.opened_on else "",
            "sessions_per_month": _dec(f.sessions_per_month),
            "outreach_sessions_year": f.outreach_sessions_year,
            "unimproved_after_agreement": str(f.unimproved_after_agreement).lower(),
        }
        for ind in prog.indicators:
            row[ind.id] = _dec(values.get(ind.id))
            if ind.derived is None:
                num = sum(s * m.get(t, 0) for s, t in ind.numerator_terms)
                den = sum(s * m.get(t, 0) for s, t in ind.denominator_terms) if ind.denominator_terms else 1
                row[f"{ind.id}_num"] = num * ind.scale
                row[f"{ind.id}_den"] = den
        from pingjian.dental.points import cross_region_award

        mid, high = cross_region_award(prog, inp.cross_region)
        row["cross_region_mid_count"] = mid
        row["cross_region_high_count"] = high
        rows.append(row)
    return rows


def _dec(v: Fraction | int | None, places: int = 6) -> str:
    if v is None:
        return ""
    f = Fraction(v)
    if f.denominator == 1:
        return str(f.numerator)
    d = Decimal(f.numerator) / Decimal(f.denominator)
    return str(d.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP"))


def read_indicator_table(prog: DentalProgram, path: Path, q: Quarter) -> tuple[list[ClinicInput], list[str]]:
    """A supplied indicator table (one row per clinic and quarter), checked in DuckDB SQL."""
    if not path.exists():
        raise DataFileError(f"{path}: no such file")
    if path.suffix not in (".csv", ".parquet"):
        raise DataFileError(f"{path.name}: expected .csv or .parquet")
    con = duckdb.connect()
    raw = io.raw_relation_sql(path)
    cols = [r[0] for r in con.sql(f"DESCRIBE SELECT * FROM {raw}").fetchall()]
    for col in ["clinic_id", "quarter", "region", "opened_on", *prog.scored_indicator_ids]:
        if col not in cols:
            raise DataFileError(f"{path.name}: missing column {col}")
    ind_cols = [i.id for i in prog.indicators if i.id in cols]
    exact_cols = [c for c in cols if c.endswith("_num") or c.endswith("_den")]
    checks: list[tuple[str, str, str]] = [
        ("clinic_id", "NULLIF(TRIM(CAST(clinic_id AS VARCHAR)), '') IS NULL", "value missing"),
        (
            "quarter",
            r"NOT regexp_full_match(CAST(quarter AS VARCHAR), '\d{4}Q[1-4]')",
            "unknown quarter (expected YYYYQn)",
        ),
        ("opened_on", "TRY_CAST(opened_on AS DATE) IS NULL", "not a date"),
    ]
    for c in ind_cols:
        checks.append(
            (
                c,
                f"NULLIF(TRIM(CAST({c} AS VARCHAR)), '') IS NOT NULL AND "
                f"TRY_CAST(CAST({c} AS VARCHAR) AS DECIMAL(38, 10)) IS NULL",
                "not a number",
            )
        )
    for c in exact_cols:
        checks.append(
            (
                c,
                f"NULLIF(TRIM(CAST({c} AS VARCHAR)), '') IS NOT NULL AND "
                f"TRY_CAST(CAST({c} AS VARCHAR) AS BIGINT) IS NULL",
                "not an integer",
            )
        )
    for c in ("sessions_per_month", "outreach_sessions_year"):
        if c in cols:
            checks.append(
                (
                    c,
                    f"NULLIF(TRIM(CAST({c} AS VARCHAR)), '') IS NOT NULL AND "
                    f"TRY_CAST(CAST({c} AS VARCHAR) AS DOUBLE) IS NULL",
                    "not a number",
                )
            )
    for c in (c for c in prog.total_indicator_ids if c in cols):
        checks.append(
            (
                c,
                f"NULLIF(TRIM(CAST({c} AS VARCHAR)), '') IS NOT NULL AND "
                f"TRY_CAST(CAST({c} AS VARCHAR) AS DOUBLE) < 0",
                "negative",
            )
        )
    io._first_failure(con, path, f"SELECT * FROM {raw}", checks)
    region = prog.str_param("region")
    rows = con.sql(
        f"SELECT * FROM {raw} WHERE CAST(quarter AS VARCHAR) = '{q}' AND CAST(region AS VARCHAR) = ?",
        params=[region],
    ).fetchall()
    names = cols
    if not rows:
        raise DataFileError(f"{path.name}: unknown quarter {q}: no row of region {region} for it")
    inputs: list[ClinicInput] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for r in rows:
        rec = dict(zip(names, r, strict=True))
        cid = str(rec["clinic_id"]).strip()
        if cid in seen:
            raise DataFileError(
                f"{path.name}: row {rec['_row']}, column clinic_id: duplicate {cid!r} for {q}"
            )
        seen.add(cid)
        has_q = rec.get("sessions_per_month") not in (None, "")
        facts = ClinicFacts(
            clinic_id=cid,
            region=region,
            kind=str(rec.get("kind") or "clinic"),
            name=str(rec.get("name") or ""),
            opened_on=_date(rec["opened_on"]),
            sessions_per_month=_num(rec.get("sessions_per_month")) or Fraction(0),
            outreach_sessions_year=int(_num(rec.get("outreach_sessions_year")) or 0),
            unimproved_after_agreement=str(rec.get("unimproved_after_agreement")).strip().lower()
            in ("true", "1", "t", "yes"),
            has_quarter_row=has_q,
        )
        if not has_q:
            warnings.append(
                f"{cid}: no clinic_quarter facts for {q}; sessions 0, outreach 0, unimproved false "
                "(reading 17)"
            )
        values: dict[str, Fraction | None] = {}
        for ind in prog.indicators:
            num, den = rec.get(f"{ind.id}_num"), rec.get(f"{ind.id}_den")
            if num not in (None, "") and den not in (None, ""):
                values[ind.id] = None if int(den) == 0 else Fraction(int(num), int(den))
            elif ind.derived == "new_clinic_excess":
                continue
            else:
                values[ind.id] = _num(rec.get(ind.id))
        counts = (
            int(_num(rec.get("cross_region_mid_count")) or 0),
            int(_num(rec.get("cross_region_high_count")) or 0),
        )
        inputs.append(ClinicInput(facts, values, [], counts))
    return inputs, warnings


def _num(x: Any) -> Fraction | None:
    if x is None:
        return None
    text = str(x).strip() if not isinstance(x, float) else repr(x)
    if text == "":
        return None
    try:
        return Fraction(Decimal(text))
    except InvalidOperation as exc:  # checked above; defensive
        raise DataFileError(f"not a number: {text!r}") from exc


def _date(x: Any) -> date | None:
    if x is None or str(x).strip() == "":
        return None
    if isinstance(x, date):
        return x
    return date.fromisoformat(str(x).strip()[:10])


# --- writing -----------------------------------------------------------------------------------


def score_columns(prog: DentalProgram) -> list[str]:
    cols = ["clinic_id", "quarter", "excluded", "exclusion_reason", "points", "level", "flags"]
    cols += [r.id for r in prog.rules]
    for ind in prog.indicators:
        cols += [ind.id, f"{ind.id}_pr"]
    return cols


def score_rows(result: ScoreResult) -> list[dict[str, Any]]:
    rows = []
    for s in result.scores:
        row: dict[str, Any] = {
            "clinic_id": s.clinic_id,
            "quarter": s.quarter,
            "excluded": str(s.excluded).lower(),
            "exclusion_reason": s.exclusion_reason,
            "points": "" if s.points is None else _dec(s.points, 2),
            "level": "" if s.level is None else s.level,
            "flags": ";".join(s.flags),
        }
        for r in result.program.rules:
            v = s.rule_points.get(r.id)
            row[r.id] = "" if v is None else v
        for ind in result.program.indicators:
            row[ind.id] = _dec(s.values.get(ind.id))
            pr = s.ranks.get(ind.id)
            row[f"{ind.id}_pr"] = "" if pr is None else pr
        rows.append(row)
    return rows


def action_columns(prog: DentalProgram) -> list[str]:
    """The optional actions output (`score --actions FILE`): what 八, 十四, 七 and 十五 say is to be
    done per clinic. Kept apart from the score table, whose columns the contract fixes."""
    return [
        "clinic_id",
        "quarter",
        "level",
        "level_action",
        "cross_region_specialists",
        "auto_repayment",
        "auto_repayment_doctor_months",
        "abnormal_group",
        "abnormal_group_reasons",
    ]


def action_rows(result: ScoreResult) -> list[dict[str, Any]]:
    actions = {lv.level: lv.action for lv in result.program.levels}
    rows = []
    for s in result.scores:
        a = s.actions
        rows.append(
            {
                "clinic_id": s.clinic_id,
                "quarter": s.quarter,
                "level": "" if s.level is None else s.level,
                "level_action": "" if s.level is None else actions[s.level],
                "cross_region_specialists": "; ".join(
                    f"{d['doctor_id']} {d['month']} "
                    f"{'specialist' if d['specialist'] else 'general'}: {d['reason']}"
                    for d in a.specialist_decisions
                ),
                "auto_repayment": a.repayment_status,
                "auto_repayment_doctor_months": "; ".join(
                    f"{r['doctor_id']} {r['month']} {r['T']}" for r in a.repayments
                ),
                "abnormal_group": str(a.abnormal_group).lower(),
                "abnormal_group_reasons": "；".join(a.abnormal_group_reasons),
            }
        )
    return rows


def specialist_columns(prog: DentalProgram) -> list[str]:
    """The optional 十三 output (`score --specialists FILE`): per doctor and quarter."""
    return [
        "doctor_id",
        "quarter",
        "cases",
        *(f"share_{sp.id}" for sp in prog.specialties),
        "specialist",
        "specialty",
    ]


def specialist_rows(result: ScoreResult) -> list[dict[str, Any]]:
    rows = []
    for d in result.specialists:
        row: dict[str, Any] = {"doctor_id": d["doctor_id"], "quarter": d["quarter"], "cases": d["cases"]}
        for sp in result.program.specialties:
            row[f"share_{sp.id}"] = _dec(d["shares"][sp.id])
        row["specialist"] = str(bool(d["specialty"])).lower()
        row["specialty"] = d["specialty"]
        rows.append(row)
    return rows


def write_csv_atomic(
    path: str | Path, columns: list[str], rows: list[dict[str, Any]], run: dict[str, Any] | None = None
) -> None:
    """Write to a temporary file beside the target, then rename: a failure leaves nothing."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=columns)
            w.writeheader()
            w.writerows(rows)
        if run is not None:
            Path(f"{target}.run.json").write_text(
                json.dumps(run, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
            )
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
