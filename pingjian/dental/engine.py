"""The heavy stage, written once as Ibis expressions and run on DuckDB or PySpark.

claims → one row per clinic with integer measures (numerators and denominators of the program
file's indicators) + the cross-region doctor-month sums of 五.5/六.5. The expressions are built
from the program file's `measures` and `code_sets`; nothing here knows an indicator's formula.

Allowed constructs are those that behave the same on both engines: filters, conditional sums
and counts, COUNT DISTINCT, LAG over (patient, tooth, day), equi-joins (plus a day-range filter),
integer day numbers. No ASOF joins, no float arithmetic.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from pingjian.dental.codes import CodeSets
from pingjian.dental.io import sql_text
from pingjian.rules.dental_program import DentalProgram, Measure
from pingjian.rules.errors import DataFileError
from pingjian.rules.roc import Quarter

Progress = Callable[[str], None]

COLUMN_TYPES = {
    "claims": {
        "claim_id": "string",
        "clinic_id": "string",
        "doctor_id": "string",
        "patient_id": "string",
        "birth_date": "date",
        "visit_date": "date",
        "order_code": "string",
        "tooth": "string",
        "surfaces": "int64",
        "points": "int64",
    },
    "clinics": {"clinic_id": "string", "region": "string"},
    "doctors": {"doctor_id": "string", "home_region": "string", "specialist": "boolean"},
}


@dataclass
class HeavyResult:
    """Integer measures per clinic (all clinics with a Q line), and cross-region rows."""

    measures: dict[str, dict[str, int]]
    # (clinic_id, doctor_id, month yyyymm, T) for every cross-region doctor-month (specialist or
    # not: 十三/十四 decide in the light stage which count in 五.5/六.5; 七 looks at all of them)
    cross_region: list[tuple[str, str, int, int]] = field(default_factory=list)
    # (doctor_id, month yyyymm, cases, cases per specialty in the program's order) for every
    # doctor with a line in the quarter, at any clinic of any region (十三)
    doctor_months: list[tuple[Any, ...]] = field(default_factory=list)
    engine: str = "duckdb"


@dataclass
class ClaimsSource:
    """Where the heavy stage reads the claims: the raw files (keys as the strings of the files), or
    a claims store (`store.py`: keys as integers, their dictionaries decoded only for the few
    values of the result). `claims`: the typed lines; `region_clinics` / `external_doctors`: one
    column `clinic_id` / `doctor_id` of the region's clinics / of doctors from other regions, in
    the lines' keys; `code_keys`: each order code (as written) → its key on the lines."""

    claims: ir.Table
    region_clinics: ir.Table | None = None  # None: a source for the summaries only
    external_doctors: ir.Table | None = None
    code_keys: dict[str, Any] | None = None  # None: the codes themselves
    clinic_names: dict[Any, str] | None = None  # key → clinic_id (None: the keys are the ids)
    doctor_names: dict[Any, str] | None = None
    key_type: str = "string"  # the type of patient_id and order_code on the lines
    # a claims store's summaries of the quarters before the one scored (`history_summary` rows),
    # standing for their lines in the look-back measures; None: the lines are read
    summaries: ir.Table | None = None

    def codes(self, listed: Iterable[str]) -> list[Any]:
        if self.code_keys is None:
            return list(listed)
        return [self.code_keys[c] for c in listed if c in self.code_keys]

    def clinic(self, key: Any) -> str:
        return key if self.clinic_names is None else self.clinic_names[key]

    def doctor(self, key: Any) -> str:
        return key if self.doctor_names is None else self.doctor_names[key]


def file_source(con: Any, paths: dict[str, Path], region: str) -> ClaimsSource:
    """The raw files as the claims source."""
    clinics = read_table(con, paths["clinics"], "clinics")
    doctors = read_table(con, paths["doctors"], "doctors")
    return ClaimsSource(
        claims=read_table(con, paths["claims"], "claims"),
        region_clinics=clinics.filter(clinics.region == region).select("clinic_id"),
        external_doctors=doctors.filter(doctors.home_region != region).select("doctor_id"),
    )


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)?\s*", re.IGNORECASE)
_UNITS = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
          "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}  # fmt: skip


def memory_bytes(text: str) -> int:
    """A size such as `4GB` (10⁹ bytes, as DuckDB reads it) or `512MiB`, in bytes."""
    m = _SIZE.fullmatch(text)
    if not m or float(m[1]) <= 0:
        raise DataFileError(f"--memory-limit {text!r}: expected a size such as 4GB or 512MB")
    return int(float(m[1]) * _UNITS[(m[2] or "B").upper()])


def duckdb_share(memory_limit: str) -> str:
    """DuckDB's part of the run's memory budget. DuckDB's limit covers its buffer manager only;
    the process also holds Python, the libraries and DuckDB's other allocations (measured at 10×:
    0.46 GiB above the limit), so DuckDB gets the budget less max(15 %, 512 MiB), at least half."""
    budget = memory_bytes(memory_limit)
    share = max(budget // 2, budget - max(budget * 15 // 100, 512 * 2**20))
    return f"{share // 2**20}MiB"


def connect(engine: str, memory_limit: str | None = None, threads: int | None = None) -> Any:
    """An Ibis backend: DuckDB (threads = cores, spills to a temp directory beyond memory_limit)
    or PySpark local mode."""
    if engine == "duckdb":
        con = ibis.duckdb.connect()
        con.raw_sql(f"SET threads = {int(threads or os.cpu_count() or 1)}")
        con.raw_sql("SET preserve_insertion_order = false")
        con.raw_sql("SET enable_progress_bar = false")
        # Every join here has the small side (quarter keys, code table) on the right; DuckDB's
        # build-side flip, misled by the estimate of a filtered Parquet scan, would build the
        # hash table on 17 M look-back lines instead (measured: 2.7 GB and 3× slower at 1×).
        con.raw_sql("SET disabled_optimizers = 'build_side_probe_side'")
        if memory_limit:
            con.raw_sql(f"SET memory_limit = '{duckdb_share(memory_limit)}'")
        spill = Path(tempfile.gettempdir()) / f"pingjian-duckdb-{os.getpid()}"
        con.raw_sql(f"SET temp_directory = '{spill}'")
        return con
    if engine == "spark":
        return ibis.pyspark.connect(spark_session(memory_limit))
    raise ValueError(f"unknown engine {engine!r} (duckdb or spark)")


def spark_session(memory_limit: str | None = None, master: str | None = None) -> Any:
    """A local Spark session (PINGJIAN_SPARK_MASTER overrides `local[2]`, e.g. a cluster URL)."""
    import os

    from pyspark.sql import SparkSession

    master = master or os.environ.get("PINGJIAN_SPARK_MASTER", "local[2]")

    builder = (
        SparkSession.builder.master(master)
        .appName("pingjian-dental")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if memory_limit:
        builder = builder.config("spark.driver.memory", f"{memory_bytes(memory_limit) // 2**20}m")
    return builder.getOrCreate()


def read_table(con: Any, path: Path, table: str) -> ir.Table:
    """Read a file and cast the used columns to the contract's types (CSV is read as text)."""
    name = f"{table}_{abs(hash(str(path))) % 10**8}"
    if path.suffix == ".csv":
        if con.name == "duckdb":
            t = con.read_csv(str(path), table_name=name, all_varchar=True, header=True)
        else:
            t = con.read_csv(str(path), table_name=name, header=True)
    else:
        t = con.read_parquet(str(path), table_name=name)
    cols = {}
    for col, typ in COLUMN_TYPES[table].items():
        c = t[col]
        if path.suffix == ".csv" and typ == "string":
            c = c.cast("string").strip().nullif("")
        elif path.suffix == ".csv":
            c = c.cast("string").strip().nullif("").cast(typ)
        elif typ == "string":
            c = c.cast("string")
        else:
            c = c.cast(typ)
        cols[col] = c
    return t.select(**cols)


def _age_at_most(birth: ir.DateValue, visit: ir.DateValue, years: int) -> ir.BooleanValue:
    """Completed years at the visit ≤ years; the birthday counts on its calendar day (reading 11)."""
    before_birthday = (visit.month() * 100 + visit.day()) < (birth.month() * 100 + birth.day())
    age = visit.year() - birth.year() - before_birthday.ifelse(1, 0)
    return age <= years


class LineFlags:
    """What the engine derives from a claim line, the same wherever the line is read: the bit
    mask of its code sets (one row per distinct code present, joined to the lines), its day
    number, its point-based points and `keep` (the line survives the exclusions of Q, seed
    排除項目 1–3)."""

    def __init__(self, con: Any, program: DentalProgram, present_codes: Iterable[str], src: ClaimsSource):
        self.cs = CodeSets(program, present_codes)
        self.src = src
        self.bit = {name: 1 << i for i, name in enumerate(sorted(self.cs.codes))}
        if len(self.bit) > 62:
            raise ValueError("more than 62 code sets")
        codes = sorted(set(present_codes))
        members = {name: set(self.cs.codes[name]) for name in self.bit}
        masks = [sum(b for n, b in self.bit.items() if c in members[n]) for c in codes]
        if src.code_keys is not None:
            masks = [m for c, m in zip(codes, masks, strict=True) if c in src.code_keys]
        self.code_table = _code_table(con, src.codes(codes), masks, src.key_type)
        self.child_age = program.int_param("child_age_max")
        self.deduction = program.int_param("od_892_deduction")

    def bits(self, names: Iterable[str]) -> int:
        return sum(self.bit[n] for n in set(names))

    def has(self, t: ir.Table, names: Iterable[str]) -> ir.BooleanValue:
        return (t.mask & ibis.literal(self.bits(names), type="int64")) != 0

    def with_flags(
        self, raw: ir.Table, listed: list[str] | None = None, *, keep_listed_only: bool = False
    ) -> ir.Table:
        """Lines with their code-set mask, day number, point-based points and `keep`. `listed`:
        the lines carry only these codes (None: any code); when none of them is a special-fund or
        oral-exam code, `keep` is true without reading the birth date. `keep_listed_only`: the
        lines are not filtered yet, and the join to the code table keeps those of `listed` (one
        join instead of an IN filter, which DuckDB runs as a second join over every line)."""
        has, cs, code_table = self.has, self.cs, self.code_table
        if keep_listed_only:
            assert listed is not None
            keys = self.src.codes(listed)
            codes = code_table.filter(code_table.code.isin(keys) if keys else ibis.literal(False))
            c = raw.inner_join(codes, raw.order_code == codes.code)
        else:
            c = raw.left_join(code_table, raw.order_code == code_table.code)
        c = c.mutate(mask=c.code_mask.fill_null(0))
        excl = ["special_fund", "oral_exam"]
        if listed is not None and not set(listed) & set(cs.union(excl)):
            keep: ir.BooleanValue = c.mask.notnull()  # true: no line of these codes is excluded
        else:
            special = has(c, ["special_fund"])
            child_exam = has(c, ["oral_exam"]) & _age_at_most(c.birth_date, c.visit_date, self.child_age)
            keep = ~(special | child_exam)
        adj = (
            ibis.cases(
                (has(c, ["od_892"]), ibis.greatest(c.points - self.deduction, 0)),
                (has(c, ["p3601"]), 0),
                else_=c.points,
            )
        ).cast("int64")
        return c.mutate(day=c.visit_date.epoch_days().cast("int32"), apts=adj, keep=keep)


def heavy_stage(
    con: Any,
    program: DentalProgram,
    quarter: Quarter,
    paths: dict[str, Path] | None,
    present_codes: Iterable[str],
    progress: Progress | None = None,
    timings: dict[str, float] | None = None,
    source: ClaimsSource | None = None,
) -> HeavyResult:
    """claims → integer measures per clinic + cross-region rows.

    The claims file is read three times, each read pruned to the columns and lines it needs:
    (1) the quarter's lines (Parquet row groups outside the quarter are skipped), materialised
    once (a DuckDB temp table that spills beyond the memory limit, or a persisted Spark
    DataFrame) with a code-set bit mask, day number, point-based points and the exclusion flag;
    every quarter measure, the distinct cases/patients (one pre-aggregation per clinic and claim
    or patient) and T run over it; (2) the look-back lines of the tooth-history and re-scaling
    code sets, kept only when their (patient, tooth) or patient occurs in the quarter, and
    materialised (about 1.7 M of 39 M lines at 1×); (3) the same clinic's lines of the s17
    window. Code-set membership is decided once per distinct code (a small table of masks
    joined to the lines), not per line and measure."""
    step = progress or (lambda _msg: None)
    clock = _Clock(timings)
    region = program.str_param("region")
    windows = [program.int_param(m.window) for m in program.measures.values() if m.window]
    qs = (quarter.start - _EPOCH).days
    lookback_start = quarter.start - timedelta(days=max([*windows, 0]))

    if source is None:
        assert paths is not None
        source = file_source(con, paths, region)
    src = source
    claims = src.claims
    claims = claims.filter(
        (claims.visit_date >= ibis.date(lookback_start)) & (claims.visit_date <= ibis.date(quarter.end))
    )

    line_flags = LineFlags(con, program, present_codes, src)
    cs, has, with_flags = line_flags.cs, line_flags.has, line_flags.with_flags

    # the quarter's lines, all of them (cross-region T counts excluded lines too, reading 3)
    qc = with_flags(claims.filter(claims.visit_date >= ibis.date(quarter.start)))
    # 十三: per line, whether it is a case line of each specialty (Pedo only for a patient aged
    # ≤ its age limit at the visit)
    specialty_cols: dict[str, ir.BooleanValue] = {}
    for sp in program.specialties:
        in_set: ir.BooleanValue = has(qc, [sp.code_set]) if cs.codes[sp.code_set] else ibis.literal(False)
        if sp.age_max_param is not None:
            in_set = in_set & _age_at_most(qc.birth_date, qc.visit_date, program.int_param(sp.age_max_param))
        specialty_cols[f"sp_{sp.id}"] = in_set
    qa_expr = qc.select(
        "claim_id",
        "clinic_id",
        "doctor_id",
        "patient_id",
        "tooth",
        "surfaces",
        "points",
        "apts",
        "day",
        "keep",
        "mask",
        month=qc.visit_date.year() * 100 + qc.visit_date.month(),
        **specialty_cols,
    )

    def history(keys: ir.Table, on: list[str], code_sets: list[str] | None, since: date | None) -> ir.Table:
        """Look-back lines (after the exclusions) of `code_sets` (any code when None) from `since`
        on, restricted to the keys that occur in the quarter. The code list and the date are
        pushed into the Parquet scan."""
        raw = claims
        listed = None
        if code_sets is not None:
            listed = cs.union(code_sets)
            keys = src.codes(listed)
            raw = raw.filter(raw.order_code.isin(keys) if keys else ibis.literal(False))
        if since is not None:
            raw = raw.filter(raw.visit_date >= ibis.date(since))
        if "tooth" in on:
            raw = raw.filter(raw.tooth.notnull())
        hc = with_flags(raw.semi_join(keys, on), listed)
        hc = hc.filter(hc.keep)
        if code_sets is not None:
            hc = hc.filter(has(hc, code_sets))
        return hc.select("clinic_id", "patient_id", "tooth", "day", "apts", "mask")

    def shared_history(
        tooth_keys: ir.Table | None,
        tooth_sets: list[str],
        patient_keys: ir.Table | None,
        patient_sets: list[str],
        kept: ir.Table | None = None,
    ) -> ir.Table:
        """One read of the look-back for the tooth-history and patient-repeat measures together:
        lines of `tooth_sets` with a tooth whose (patient, tooth) is in `tooth_keys` (flag `kt`),
        and lines of `patient_sets` whose patient is in `patient_keys` (flag `kp`). The lines
        carry the keys' integer surrogates `pt` (patient and tooth) and `pk` (patient) instead of
        the id strings, so the histories group and sort integers. `kept`: the flagged lines
        that survive the exclusions to read instead of the claims (the quarter's, when the
        store's summaries stand for the quarters before it)."""
        listed = cs.union([*tooth_sets, *patient_sets])
        if kept is None:
            raw = with_flags(claims, listed, keep_listed_only=True)
            raw = raw.filter(raw.keep)
        else:
            raw = kept.filter(has(kept, [*tooth_sets, *patient_sets]))
        # join keys are null on lines of the other kind, so each line probes only its own keys
        null = ibis.null(src.key_type)
        raw = raw.mutate(
            kt_key=ibis.ifelse(has(raw, tooth_sets) & raw.tooth.notnull(), raw.patient_id, null),
            kp_key=ibis.ifelse(has(raw, patient_sets), raw.patient_id, null),
        )
        no_key = ibis.null("int64")
        if tooth_keys is not None:
            kt = tooth_keys.select(kt_patient="patient_id", kt_tooth="tooth", pt="pt")
            raw = raw.left_join(kt, [raw.kt_key == kt.kt_patient, raw.tooth == kt.kt_tooth])
        if patient_keys is not None:
            kp = patient_keys.select(kp_patient="patient_id", pk="pk")
            raw = raw.left_join(kp, raw.kp_key == kp.kp_patient)
        raw = raw.select(
            "clinic_id",
            "day",
            "mask",
            pt=raw.pt.cast("int64") if tooth_keys is not None else no_key,
            pk=raw.pk.cast("int64") if patient_keys is not None else no_key,
        )
        raw = raw.mutate(kt=raw.pt.notnull(), kp=raw.pk.notnull())
        return raw.filter(raw.kt | raw.kp)

    measures: dict[str, dict[str, int]] = {}

    def collect(expr: ir.Table, label: str) -> None:
        step(label)
        table = _fetch(con, expr)
        cols = [n for n in table.column_names if n != "clinic_id"]
        ids = [src.clinic(c) for c in table.column("clinic_id").to_pylist()]
        data = {n: table.column(n).to_pylist() for n in cols}
        for i, cid in enumerate(ids):
            row = measures.setdefault(cid, {})
            for n in cols:
                v = data[n][i]
                row[n] = int(v) if v is not None else 0
        clock.lap(label)

    step("reading the quarter's claims")
    with _materialised(con, qa_expr, "quarter_lines") as qa:
        clock.lap("base: quarter lines")
        q = qa.filter(qa.keep)

        # 1. quarter aggregates (one group-by over Q), cases and patients via one
        #    pre-aggregation per (clinic, claim) and per (clinic, patient)
        aggs: dict[str, ir.Scalar] = {"q_lines": q.count()}
        per_claim: dict[str, ir.Scalar] = {}
        per_patient: dict[str, ir.Scalar] = {}
        for name, m in program.measures.items():
            cond = _condition(q, m, has)
            one = (cond if cond is not None else q.keep).cast("int32")  # q.keep is true on Q
            if m.kind == "sum_points":
                aggs[name] = q.apts.sum(where=cond)
            elif m.kind == "count_lines":
                aggs[name] = q.count(where=cond)
            elif m.kind == "sum_surfaces":
                aggs[name] = q.surfaces.sum(where=cond)
            elif m.kind == "count_cases":
                per_claim[name] = one.max()
            elif m.kind == "count_cases_only":
                per_claim[name] = has(q, m.codes).cast("int32").min()
            elif m.kind == "count_patients":
                per_patient[name] = one.max()
        collect(q.group_by("clinic_id").aggregate(**aggs), "quarter aggregates")
        for key, flags in (("claim_id", per_claim), ("patient_id", per_patient)):
            if flags:
                pre = q.group_by("clinic_id", key).aggregate(**flags)
                collect(
                    pre.group_by("clinic_id").aggregate(**{n: pre[n].sum() for n in flags}),
                    f"distinct {key}",
                )

        # 2. s1 and other per-(doctor, month) maxima
        for name, m in program.measures.items():
            if m.kind == "doctor_month_max_points":
                dm = q.group_by("clinic_id", "doctor_id", "month").aggregate(p=q.apts.sum())
                collect(dm.group_by("clinic_id").aggregate(**{name: dm.p.max()}), name)

        # 3. tooth history (s8 s9 s19 s20, s15 s16): LAG over (patient, tooth, day), and
        # 4. re-scaling (s14), from one read of the look-back (semi-joined to the quarter's keys)
        groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[str, Measure]]] = {}
        repeats: list[tuple[str, Measure]] = []
        for name, m in program.measures.items():
            if m.kind == "history_repeat":
                key = (tuple(m.codes), tuple(m.history_codes or m.codes))
                groups.setdefault(key, []).append((name, m))
            elif m.kind == "patient_repeat_cases":
                repeats.append((name, m))
        tooth_keys = patient_keys = None
        tooth_sets: set[str] = set()
        patient_sets: set[str] = set()
        for cur_codes, hist_codes in groups:
            k = q.filter(has(q, cur_codes) & q.tooth.notnull()).select("patient_id", "tooth")
            tooth_keys = k if tooth_keys is None else tooth_keys.union(k)
            tooth_sets.update(cur_codes, hist_codes)
        for _name, m in repeats:
            k = q.filter(has(q, m.codes)).select("patient_id")
            patient_keys = k if patient_keys is None else patient_keys.union(k)
            patient_sets.update(m.codes)
        if groups or repeats:
            step("reading the look-back claims")
            with ExitStack() as keys:
                # the quarter's keys, numbered once (integer surrogates for the look-back lines).
                # Spark numbers them in one partition (an unpartitioned window): about a million
                # keys per 1,000 clinics, which one executor numbers in seconds. Measured against
                # a patient-level tooth bit mask (one single-column join): the mask was slower.
                tk = pk = None
                if tooth_keys is not None:
                    numbered = tooth_keys.distinct().mutate(pt=ibis.row_number())
                    tk = keys.enter_context(_materialised(con, numbered, "tooth_keys"))
                if patient_keys is not None:
                    numbered = patient_keys.distinct().mutate(pk=ibis.row_number())
                    pk = keys.enter_context(_materialised(con, numbered, "patient_keys"))
                clock.lap("base: look-back keys")
                if src.summaries is None:
                    shared = shared_history(tk, sorted(tooth_sets), pk, sorted(patient_sets))
                else:
                    # the quarter's own lines, and for the quarters before it the store's last
                    # day of each key (only the latest earlier day decides, and every window
                    # lies within the look-back)
                    shared = shared_history(tk, sorted(tooth_sets), pk, sorted(patient_sets), kept=q)
                    shared = shared.mutate(set_id=ibis.null("int16")).union(
                        _summary_lines(src.summaries, summary_windows(program), qs, line_flags, tk, pk)
                    )
                hist = keys.enter_context(_materialised(con, shared, "lookback_lines"))
                clock.lap("base: look-back lines")

                def from_set(kind: str, sets: Iterable[str]) -> ir.BooleanValue:
                    """The quarter's lines and the summary rows of this code set (not another's)."""
                    if src.summaries is None:
                        return ibis.literal(True)
                    sid = summary_specs(program).index((kind, tuple(sorted(set(sets)))))
                    return hist.set_id.isnull() | (hist.set_id == sid)

                for (cur_codes, hist_codes), items in groups.items():
                    both = sorted(set(cur_codes) | set(hist_codes))
                    lines = hist.filter(hist.kt & has(hist, both) & from_set("tooth", hist_codes))
                    collect(
                        _history_repeat(lines, program, has, list(cur_codes), list(hist_codes), items, qs),
                        "tooth history",
                    )
                for name, m in repeats:
                    assert pk is not None
                    window = program.int_param(m.window or "")
                    cur = q.filter(has(q, m.codes)).select("clinic_id", "claim_id", "patient_id", "day")
                    cur = cur.join(pk, "patient_id").select("clinic_id", "claim_id", "pk", "day")
                    lines = hist.filter(hist.kp & has(hist, m.codes) & from_set("patient", m.codes))
                    collect(_patient_repeat(lines, cur, window, name), name)

        # 4'. pre-extraction points (s17): the same clinic's lines of the last `window` days only
        for name, m in program.measures.items():
            if m.kind == "prior_points_sum":
                window = program.int_param(m.window or "")
                ext = q.filter(has(q, m.codes) & q.tooth.notnull())
                e = ext.group_by("clinic_id", "patient_id", "tooth", "day").aggregate(n=ext.count())
                on = ["clinic_id", "patient_id", "tooth"]
                lines = history(e.select(*on).distinct(), on, None, quarter.start - timedelta(days=window))
                collect(_prior_points(lines, e, window, name), name)

        # 5. 十三: each doctor's cases per month, and those of each specialty (every line of the
        #    doctor at any clinic, no exclusions: the seed's exclusions are the 20 indicators')
        step("specialist cases")
        per_case = qa.group_by("doctor_id", "month", "claim_id").aggregate(
            **{n: qa[n].cast("int32").max() for n in specialty_cols}
        )
        dm_cases = per_case.group_by("doctor_id", "month").aggregate(
            cases=per_case.count(), **{n: per_case[n].sum() for n in specialty_cols}
        )
        dm_tab = _fetch(con, dm_cases)
        clock.lap("specialist cases")

        # 6. cross-region doctor-month sums T (五.5/六.5, 七): every line, no exclusions (reading 3)
        step("cross-region support")
        assert src.region_clinics is not None and src.external_doctors is not None
        lines = qa.semi_join(src.region_clinics, "clinic_id").semi_join(src.external_doctors, "doctor_id")
        t_sum = lines.group_by("doctor_id", "month").aggregate(T=lines.points.sum())
        dmc = lines.select("doctor_id", "month", "clinic_id").distinct()
        rows = dmc.join(t_sum, ["doctor_id", "month"]).select("clinic_id", "doctor_id", "month", "T")
        tab = _fetch(con, rows)
        clock.lap("cross-region support")
    cross = sorted(
        zip(
            [src.clinic(c) for c in tab.column("clinic_id").to_pylist()],
            [src.doctor(d) for d in tab.column("doctor_id").to_pylist()],
            [int(x) for x in tab.column("month").to_pylist()],
            [int(x) for x in tab.column("T").to_pylist()],
            strict=True,
        )
    )
    dm_cols = ["doctor_id", "month", "cases", *specialty_cols]
    dm_data = [dm_tab.column(c).to_pylist() for c in dm_cols]
    doctor_months = sorted(
        (str(src.doctor(row[0])), *(int(x or 0) for x in row[1:])) for row in zip(*dm_data, strict=True)
    )
    return HeavyResult(measures=measures, cross_region=cross, doctor_months=doctor_months, engine=con.name)


# --- the store's summaries of the look-back ------------------------------------------------------
#
# The look-back measures ask, for a line of the quarter, for the latest earlier day of a history
# line of the same key (patient and tooth, or patient); the window only decides whether that day
# counts. So for a quarter before the one scored, its last day per key (and the clinics with a
# line that day) stands for all of its lines. A claims store keeps these rows per quarter, written
# at load: a score then reads the quarter's lines and the summaries instead of three years of lines.

SUMMARISED = ("history_repeat", "patient_repeat_cases")


def summary_specs(program: DentalProgram) -> list[tuple[str, tuple[str, ...]]]:
    """The code sets summarised: ("tooth", history code sets) per tooth-history group and
    ("patient", code sets) per patient-repeat measure; a row's `set_id` is the index here."""
    return sorted(summary_windows(program))


def summary_windows(program: DentalProgram) -> dict[tuple[str, tuple[str, ...]], int]:
    """Each summarised set's longest window: a last day further back counts for no measure."""
    out: dict[tuple[str, tuple[str, ...]], int] = {}
    for m in program.measures.values():
        if m.kind == "history_repeat":
            spec = ("tooth", tuple(sorted(set(m.history_codes or m.codes))))
        elif m.kind == "patient_repeat_cases":
            spec = ("patient", tuple(sorted(set(m.codes))))
        else:
            continue
        out[spec] = max(out.get(spec, 0), program.int_param(m.window or ""))
    return out


def summary_fingerprint(program: DentalProgram) -> str:
    """What a summary depends on: the sets summarised, their codes and the exclusions' codes and
    age. A score whose program (what-if parameters included) differs here reads the lines."""
    import hashlib
    import json

    specs = summary_specs(program)
    names = sorted({n for _kind, sets in specs for n in sets} | {"special_fund", "oral_exam"})
    data = {
        "version": 1,
        "specs": specs,
        "code_sets": {n: program.code_set_codes(n) for n in names},
        "child_age_max": program.int_param("child_age_max"),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def history_summary(
    con: Any, program: DentalProgram, present_codes: Iterable[str], src: ClaimsSource
) -> ir.Table:
    """The summary rows of the lines of `src.claims` (one quarter's): per code set of
    `summary_specs`, the last day of each key with a line of the set that survives the
    exclusions — (set_id, patient_id, tooth, day, clinic_id), one row per clinic with such a line
    that day for a tooth set; tooth and clinic null for a patient set."""
    flags = LineFlags(con, program, present_codes, src)
    parts = []
    for sid, (kind, sets) in enumerate(summary_specs(program)):
        lines = flags.with_flags(src.claims, flags.cs.union(sets), keep_listed_only=True)
        lines = lines.filter(lines.keep)
        if kind == "tooth":
            lines = lines.filter(lines.tooth.notnull())
            g = lines.group_by("patient_id", "tooth", "day", "clinic_id").aggregate()
            g = g.mutate(last=g.day.max().over(ibis.window(group_by=["patient_id", "tooth"])))
            g = g.filter(g.day == g.last)
            tooth, clinic = g.tooth.cast("int16"), g.clinic_id
        else:
            g = lines.group_by("patient_id").aggregate(day=lines.day.max())
            tooth, clinic = ibis.null("int16"), ibis.null(lines.clinic_id.type())
        parts.append(
            g.select(
                set_id=ibis.literal(sid, type="int16"),
                patient_id=g.patient_id,
                tooth=tooth,
                day=g.day,
                clinic_id=clinic,
            )
        )
    return ibis.union(*parts) if len(parts) > 1 else parts[0]


def _summary_lines(
    summaries: ir.Table,
    windows: dict[tuple[str, tuple[str, ...]], int],
    quarter_start: int,
    flags: LineFlags,
    tooth_keys: ir.Table | None,
    patient_keys: ir.Table | None,
) -> ir.Table:
    """The summary rows of the quarter's keys as look-back lines (the columns of the engine's
    shared history, plus `set_id`): a row's mask holds its set's codes, so it counts as a history
    line of that set."""
    no_key = ibis.null("int64")
    parts = []
    for sid, (kind, sets) in enumerate(sorted(windows)):
        since = quarter_start - windows[(kind, sets)]
        rows = summaries.filter((summaries.set_id == sid) & (summaries.day >= since))
        if kind == "tooth" and tooth_keys is not None:
            kt = tooth_keys.select(kt_patient="patient_id", kt_tooth="tooth", pt="pt")
            rows = rows.join(kt, [rows.patient_id == kt.kt_patient, rows.tooth == kt.kt_tooth])
            pt, pk = rows.pt.cast("int64"), no_key
        elif kind == "patient" and patient_keys is not None:
            kp = patient_keys.select(kp_patient="patient_id", pk="pk")
            rows = rows.join(kp, rows.patient_id == kp.kp_patient)
            pt, pk = no_key, rows.pk.cast("int64")
        else:
            continue
        parts.append(
            rows.select(
                clinic_id=rows.clinic_id,
                day=rows.day,
                mask=ibis.literal(flags.bits(sets), type="int64"),
                pt=pt,
                pk=pk,
                kt=pt.notnull(),
                kp=pk.notnull(),
                set_id=rows.set_id.cast("int16"),
            )
        )
    return ibis.union(*parts)


# On DuckDB the engine avoids Ibis' memtables and result conversion: both import pandas, a third
# of a second of every cold run (measured with -X importtime), for a 54-row table and results
# DuckDB hands over as Arrow anyway.


def _code_table(con: Any, codes: list[Any], masks: list[int], key_type: str = "string") -> ir.Table:
    """(code, code_mask) for every code present (`codes`: the codes, or their keys in a store): a
    DuckDB temp table from VALUES, a memtable on Spark."""
    if con.name != "duckdb":
        return ibis.memtable(
            {"code": codes, "code_mask": masks}, schema={"code": key_type, "code_mask": "int64"}
        )
    name = f"pingjian_codes_{uuid.uuid4().hex[:12]}"
    sql_type = {"string": "VARCHAR", "int32": "INTEGER"}.get(key_type, "BIGINT")
    literal = sql_text if key_type == "string" else (lambda c: str(int(c)))
    rows = ", ".join(f"({literal(c)}, {int(m)})" for c, m in zip(codes, masks, strict=True))
    values = (
        f"(VALUES {rows}) AS v(code, code_mask)"
        if rows
        else "(SELECT NULL, NULL WHERE false) AS v(code, code_mask)"
    )
    con.raw_sql(
        f"CREATE TEMP TABLE {name} AS "
        f"SELECT CAST(code AS {sql_type}) AS code, CAST(code_mask AS BIGINT) AS code_mask FROM {values}"
    )
    return con.table(name)


def _small_int_table(con: Any, column: str, values: list[int]) -> ir.Table:
    """One INTEGER column of a few values (a store's clinic or doctor keys): a DuckDB temp table,
    a memtable on Spark."""
    if con.name != "duckdb":
        return ibis.memtable({column: values}, schema={column: "int32"})
    name = f"pingjian_keys_{uuid.uuid4().hex[:12]}"
    con.con.execute(
        f"CREATE TEMP TABLE {name} AS SELECT unnest(CAST(? AS INTEGER[])) AS {column}",
        [list(map(int, values))],
    )
    return con.table(name)


def _fetch(con: Any, expr: ir.Table) -> Any:
    """The expression's rows as an Arrow table."""
    if con.name != "duckdb":
        return expr.to_pyarrow()
    return con.con.sql(str(con.compile(expr))).to_arrow_table()


@contextmanager
def _materialised(con: Any, expr: ir.Table, label: str) -> Iterator[ir.Table]:
    """The expression computed once and kept for the measures that follow: a DuckDB temp table
    (spills to the temp directory beyond the memory limit), or a persisted Spark DataFrame.
    Dropped on exit. (Ibis' own `cache().release()` emits a broken DROP with this sqlglot.)"""
    if con.name != "duckdb":
        con._run_pre_execute_hooks(expr)  # registers the code table (a memtable) first
        cached = expr.cache()
        try:
            yield cached
        finally:
            cached.release()
        return
    name = f"pingjian_{label}_{uuid.uuid4().hex[:12]}"
    table = con.create_table(name, expr, temp=True)
    try:
        yield table
    finally:
        con.raw_sql(f'DROP TABLE IF EXISTS "{name}"')


class _Clock:
    """Seconds per stage, accumulated into `timings` (label → seconds) when given."""

    def __init__(self, timings: dict[str, float] | None):
        self.timings = timings
        self.t = time.perf_counter()

    def lap(self, label: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[label] = round(self.timings.get(label, 0.0) + now - self.t, 3)
        self.t = now


Has = Callable[[ir.Table, Iterable[str]], ir.BooleanValue]


def _condition(q: ir.Table, m: Measure, has: Has) -> ir.BooleanValue | None:
    cond: ir.BooleanValue | None = None
    if m.codes:
        cond = has(q, m.codes)
    if m.exclude_codes:
        ex = ~has(q, m.exclude_codes)
        cond = ex if cond is None else cond & ex
    return cond


def _history_repeat(
    lines: ir.Table,
    program: DentalProgram,
    has: Has,
    codes: list[str],
    hist_codes: list[str],
    items: list[tuple[str, Measure]],
    qs: int,
) -> ir.Table:
    """Of the quarter's lines of `codes`, those whose patient and tooth had a `hist_codes` line on
    a strictly earlier day within the window (1 ≤ day − earlier ≤ window). The most recent such
    earlier day decides: a history line of that day at the same clinic → `same`, else `other`.

    Tie-break (same-day lines at two clinics on the deciding day): the current clinic counts as
    `same` when it is one of them — it did have a line that day, which is what the contract's
    "if an OD line of that date is at the same clinic" says; no clinic ordering is involved.

    `lines`: the look-back and quarter lines of `codes` ∪ `hist_codes` with a tooth, already
    restricted to the (patient, tooth) pairs of the quarter's `codes` lines, each pair numbered
    `pt`."""
    g = lines.group_by("pt", "day", "clinic_id").aggregate(
        nq=(has(lines, codes) & (lines.day >= qs)).cast("int64").sum(),
        nh=has(lines, hist_codes).cast("int64").sum(),
    )
    days = g.group_by("pt", "day").aggregate(hday=ibis.ifelse(g.nh > 0, g.day, None).max())
    w = ibis.window(group_by="pt", order_by="day", rows=(None, -1))
    days = days.mutate(prev=days.hday.max().over(w))
    cur = g.filter(g.nq > 0).join(days, ["pt", "day"]).select("pt", "day", "clinic_id", "nq", "prev")
    gh = g.filter(g.nh > 0)
    src = gh.select(s_pt=gh.pt, s_day=gh.day, s_clinic=gh.clinic_id, s_one=ibis.literal(1))
    joined = cur.left_join(
        src,
        [
            cur.pt == src.s_pt,
            cur.prev == src.s_day,
            cur.clinic_id == src.s_clinic,
        ],
    )
    joined = joined.mutate(same=joined.s_one.notnull(), gap=joined.day - joined.prev)
    aggs = {}
    for name, m in items:
        wdays = program.int_param(m.window or "")
        inside = joined.prev.notnull() & (joined.gap <= wdays)
        cond = inside & (joined.same if m.outcome == "same" else ~joined.same)
        aggs[name] = joined.nq.sum(where=cond)
    return joined.group_by("clinic_id").aggregate(**aggs)


def _patient_repeat(lines: ir.Table, cur: ir.Table, window: int, name: str) -> ir.Table:
    """Cases with a `codes` line (`cur`: clinic, claim, patient `pk`, day) whose patient had a
    `codes` line at any clinic 1..window days before (reading 7); `lines`: the patients' `codes`
    lines, patients numbered `pk`."""
    d = lines.group_by("pk", "day").aggregate()
    w = ibis.window(group_by="pk", order_by="day")
    d = d.mutate(prev=d.day.lag().over(w))
    j = cur.join(d, ["pk", "day"])
    hit = j.prev.notnull() & ((j.day - j.prev) <= window)
    # distinct cases with a hit: one pre-aggregation per (clinic, claim), then a sum
    per_case = j.group_by("clinic_id", "claim_id").aggregate(hit=hit.cast("int32").max())
    return per_case.group_by("clinic_id").aggregate(**{name: per_case.hit.sum()})


def _prior_points(lines: ir.Table, e: ir.Table, window: int, name: str) -> ir.Table:
    """Σ over the quarter's `codes` lines with a tooth (`e`: per clinic, patient, tooth, day, n
    lines) of the same clinic's Q points for the same patient and tooth 1..window days before
    (readings 7, 8); `lines`: the look-back lines of those (clinic, patient, tooth)."""
    p = lines.group_by("clinic_id", "patient_id", "tooth", "day").aggregate(pts=lines.apts.sum())
    p = p.rename(p_day="day", p_clinic="clinic_id", p_patient="patient_id", p_tooth="tooth")
    j = e.join(
        p,
        [
            e.clinic_id == p.p_clinic,
            e.patient_id == p.p_patient,
            e.tooth == p.p_tooth,
            (e.day - p.p_day) >= 1,
            (e.day - p.p_day) <= window,
        ],
    )
    return j.group_by("clinic_id").aggregate(**{name: (j.n * j.pts).sum()})


_EPOCH = Quarter(1970, 1).start
