"""The quarterly claims store: claims validated once, their keys encoded once, kept by quarter.

`load_quarters(data_dir, store_path)` validates a folder of claims (the checks and messages of
`score`), encodes the keys as integers and adds each quarter found to the store, replacing a
quarter already there. `dental score|explain|indicators --store PATH` (and
`pipeline.score(None, …, store=PATH)`) then read the store instead of a folder, on DuckDB or
Spark, with the same output.

Layout (all Parquet, read by both engines):

    PATH/manifest.json                    what the store holds: the files below, by name
    PATH/claims/2024Q4.g7.parquet         one file per quarter (visit date), keys as integers
    PATH/dict/patient.g7.parquet          (key, value) dictionaries, one chunk per load that
    PATH/dict/{clinic,doctor,code}.g7…     met new values; a value keeps its key for ever
    PATH/ref/{clinics,doctors,clinic_quarter}.g7.parquet   as loaded last (contract), typed
    PATH/summary/2024Q4.g7.parquet        per quarter, the look-back summary (below)

Keys: `clinic_id`, `doctor_id`, `patient_id`, `order_code` are INTEGER keys into their
dictionaries (the code as written in the file: the engine's code sets see what they would see in
the file); `tooth` is the FDI number as an integer (validation admits FDI teeth only, so the
number is its own dictionary); `claim_id` is numbered per load (a case is counted within one
quarter's lines only, so only equality within a load matters, and it is never output).

Summaries: the look-back measures (refills s8/s9/s19/s20, root-canal re-treatment, re-scaling
s14) need, for a line of the scored quarter, only the latest earlier day of its key (patient and
tooth, or patient) and the clinics of that day. A load writes, per quarter, each key's last day
of such a line in that quarter (`engine.history_summary`, with the program's code sets and
exclusions, recorded by a fingerprint). A score then reads the scored quarter's lines, the
summaries of the quarters before it and the lines of the short s17 window only — unless a
quarter of the look-back lacks a summary or a what-if changed what it holds (another
fingerprint): then it reads the lines, as before. A summary depends on its quarter alone, so
replacing a quarter leaves the others' summaries valid.

A load writes new files under new names (generation `g<N>`) and then replaces `manifest.json`
atomically (temporary file + rename): until that rename the store is what it was, and a failed
load leaves at most unreferenced files, removed by the next load. Loads are serialised by a lock
file (`PATH/.lock`). Scoring reads the manifest once and only the files it names.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from pingjian.dental import io
from pingjian.dental.codes import CodeSets
from pingjian.rules.dental_program import DentalProgram, load_dental_program
from pingjian.rules.errors import DataFileError
from pingjian.rules.roc import Quarter

FORMAT = 1
MANIFEST = "manifest.json"
# dictionary name → the claims column it encodes
DICTIONARIES = {"clinic": "clinic_id", "doctor": "doctor_id", "code": "order_code", "patient": "patient_id"}
REFERENCE_TABLES = ("clinics", "doctors", "clinic_quarter")
SUBDIRECTORIES = ("claims", "dict", "ref", "summary")

Progress = Callable[[str], None]
_NO_ENTRY = "CAST(NULL AS INTEGER) AS key, CAST(NULL AS VARCHAR) AS value"


@dataclass
class LoadReport:
    """What a load did: per quarter loaded, its lines and whether it replaced one in the store."""

    store: str
    source: str
    quarters: dict[str, dict[str, Any]]
    new_keys: dict[str, int]
    stored_quarters: list[str]
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "store": self.store,
            "source": self.source,
            "quarters": self.quarters,
            "new_keys": self.new_keys,
            "stored_quarters": self.stored_quarters,
            "warnings": self.warnings,
            "seconds": self.seconds,
        }


# --- the manifest ------------------------------------------------------------------------------


def _empty_manifest() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "generation": 0,
        "quarters": {},
        "dictionaries": {name: {"files": [], "size": 0} for name in DICTIONARIES},
        "tables": {},
        "loads": [],
    }


def read_manifest(store_path: str | Path) -> dict[str, Any] | None:
    """The store's manifest; None when there is no store at the path."""
    path = Path(store_path) / MANIFEST
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{path}: not a readable claims store manifest ({exc})") from exc
    if data.get("format") != FORMAT:
        raise DataFileError(f"{path}: claims store format {data.get('format')!r}, expected {FORMAT}")
    return data


def _write_manifest(root: Path, manifest: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".manifest.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(manifest, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, root / MANIFEST)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _referenced(manifest: dict[str, Any]) -> set[str]:
    files = {q["file"] for q in manifest["quarters"].values()}
    files.update(q["summary"]["file"] for q in manifest["quarters"].values() if "summary" in q)
    files.update(f for d in manifest["dictionaries"].values() for f in d["files"])
    files.update(manifest["tables"].values())
    return files


def _collect_garbage(root: Path, manifest: dict[str, Any]) -> None:
    """Remove files no manifest names (replaced quarters, tables loaded again, a failed load's)."""
    keep = _referenced(manifest)
    for sub in SUBDIRECTORIES:
        for p in (root / sub).glob("*"):
            if f"{sub}/{p.name}" not in keep:
                if p.is_dir():
                    for q in p.rglob("*"):
                        q.unlink() if q.is_file() else None
                    for q in sorted(p.rglob("*"), reverse=True):
                        q.rmdir()
                    p.rmdir()
                else:
                    p.unlink(missing_ok=True)


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _q(path: Path | str) -> str:
    return io.sql_text(str(path))


def _files_sql(root: Path, files: list[str], columns: str) -> str:
    if not files:
        return f"(SELECT {columns} WHERE false)"
    return f"read_parquet([{', '.join(_q(root / f) for f in files)}])"


# --- loading -----------------------------------------------------------------------------------


def _claims_text_sql(path: Path) -> str:
    """The claims as the engine reads them from the file (`engine.read_table`): CSV text trimmed,
    empty as null; Parquet as stored, strings cast to text."""
    cols = []
    for col, (family, _req) in io.SCHEMAS["claims"].items():
        if col == "quantity":
            continue
        typ = io.SQL_TYPES[family]
        if path.suffix == ".csv":
            cols.append(f"CAST(NULLIF(TRIM({col}), '') AS {typ}) AS {col}")
        else:
            cols.append(f"CAST({col} AS {typ}) AS {col}")
    return f"SELECT {', '.join(cols)} FROM {io.raw_relation_sql(path, with_row=False)}"


def _typed_table_sql(path: Path, table: str) -> str:
    cols = ", ".join(io.SCHEMAS[table])
    return f"SELECT {cols} FROM ({io.typed_select_sql(path, table)}) ORDER BY _row"


def _connect(memory_limit: str | None, threads: int | None) -> duckdb.DuckDBPyConnection:
    from pingjian.dental.engine import duckdb_share

    con = duckdb.connect()
    con.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    if memory_limit:
        con.execute(f"SET memory_limit = '{duckdb_share(memory_limit)}'")
    return con


def load_quarters(
    data_dir: str | Path,
    store_path: str | Path,
    *,
    quarters: list[str] | None = None,
    program: DentalProgram | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
    progress: Progress | None = None,
) -> LoadReport:
    """Validate DIR's files (the checks and messages of `score`) and add the quarters of its
    claims (all of them, or `quarters`) to the store, replacing those already there. On any error
    the store is unchanged."""
    t0 = time.perf_counter()
    step = progress or (lambda _m: None)
    prog = program or load_dental_program()
    paths = io.input_paths(data_dir)
    root = Path(store_path)
    if root.exists() and not root.is_dir():
        raise DataFileError(f"{root}: not a directory")
    con = _connect(memory_limit, threads)
    step("validating input files")
    profile = io.claim_code_profile(con, paths["claims"])
    od_codes = CodeSets(prog, profile.present).codes.get("od", [])
    warnings = io.validate_inputs(con, paths, None, region=None, od_codes=od_codes, code_profile=profile)
    seconds = {"validate": round(time.perf_counter() - t0, 3)}

    con.execute(f"CREATE TEMP VIEW lines_all AS {_claims_text_sql(paths['claims'])}")
    found = {
        f"{y}Q{n}": (int(c), str(first), str(last))
        for y, n, c, first, last in con.sql(
            "SELECT year(visit_date), quarter(visit_date), count(*), min(visit_date), max(visit_date) "
            "FROM lines_all GROUP BY ALL"
        ).fetchall()
    }
    wanted = sorted(found) if not quarters else sorted({str(io.parse_quarter(q)) for q in quarters})
    for q in wanted:
        if q not in found:
            raise DataFileError(f"{paths['claims'].name}: unknown quarter {q}: no claim line in it")
    if not wanted:
        raise DataFileError(f"{paths['claims'].name}: no claim line")
    if quarters:
        cond = " OR ".join(
            f"visit_date BETWEEN DATE '{qq.start}' AND DATE '{qq.end}'"
            for qq in (io.parse_quarter(q) for q in wanted)
        )
        con.execute(f"CREATE TEMP VIEW lines AS SELECT * FROM lines_all WHERE {cond}")
    else:
        con.execute("CREATE TEMP VIEW lines AS SELECT * FROM lines_all")

    with _locked(root):
        manifest = read_manifest(root) or _empty_manifest()
        _collect_garbage(root, manifest)  # a failed load's files, if any
        gen = int(manifest["generation"]) + 1
        for sub in SUBDIRECTORIES:
            (root / sub).mkdir(exist_ok=True)
        new = json.loads(json.dumps(manifest))
        new["generation"] = gen
        try:
            report_quarters, new_keys = _write_generation(
                con, root, manifest, new, paths, wanted, found, seconds, step
            )
            _write_summaries(con, root, new, prog, wanted, seconds, step)
            new["loads"] = [
                *manifest["loads"][-49:],
                {"generation": gen, "source": str(data_dir), "quarters": wanted, "at": time.time()},
            ]
            _write_manifest(root, new)  # the load takes effect here
        except BaseException:
            _collect_garbage(root, manifest)  # this load's files; the store is as it was
            raise
        _collect_garbage(root, new)
    seconds["total"] = round(time.perf_counter() - t0, 3)
    return LoadReport(
        store=str(root),
        source=str(data_dir),
        quarters=report_quarters,
        new_keys=new_keys,
        stored_quarters=list(new["quarters"]),
        warnings=warnings,
        seconds=seconds,
    )


def _write_generation(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    manifest: dict[str, Any],
    new: dict[str, Any],
    paths: dict[str, Path],
    wanted: list[str],
    found: dict[str, tuple[int, str, str]],
    seconds: dict[str, float],
    step: Progress,
) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    """Write the load's files (new names, generation `new["generation"]`) and enter them in `new`."""
    gen = new["generation"]

    # reference tables, as loaded last (contract); the stored quarters' clinics and doctors
    # must still be in them
    t1 = time.perf_counter()
    step("reference tables")
    kept = [q for q in manifest["quarters"] if q not in wanted]
    _check_registry(con, root, manifest, kept, paths)
    for table in REFERENCE_TABLES:
        rel = f"ref/{table}.g{gen}.parquet"
        con.execute(f"COPY ({_typed_table_sql(paths[table], table)}) TO {_q(root / rel)} (FORMAT parquet)")
        new["tables"][table] = rel

    # dictionaries: the values not yet in them, numbered after the last key
    step("encoding keys")
    new_keys: dict[str, int] = {}
    con.execute(
        "CREATE TEMP TABLE present AS SELECT clinic_id, doctor_id, order_code, patient_id, claim_id "
        "FROM lines GROUP BY GROUPING SETS "
        "((clinic_id), (doctor_id), (order_code), (patient_id), (claim_id))"
    )
    con.execute(
        "CREATE TEMP TABLE claim_keys AS SELECT claim_id AS value, row_number() OVER () AS key "
        "FROM present WHERE claim_id IS NOT NULL"
    )
    for name, col in DICTIONARIES.items():
        d = new["dictionaries"][name]
        con.execute(
            f"CREATE TEMP VIEW dict_old_{name} AS SELECT key, value FROM "
            f"{_files_sql(root, d['files'], _NO_ENTRY)}"
        )
        # the dictionary read once: its entries for the load's values, then the values it lacks
        con.execute(
            f"CREATE TEMP TABLE dict_known_{name} AS SELECT o.key, o.value FROM dict_old_{name} o "
            f"SEMI JOIN present p ON p.{col} = o.value"
        )
        con.execute(
            f"CREATE TEMP TABLE dict_new_{name} AS "
            f"SELECT CAST({int(d['size'])} + row_number() OVER (ORDER BY v) AS INTEGER) AS key, "
            "v AS value "
            f"FROM (SELECT DISTINCT {col} AS v FROM present WHERE {col} IS NOT NULL) "
            f"ANTI JOIN dict_known_{name} o ON o.value = v"
        )
        (n,) = con.sql(f"SELECT count(*) FROM dict_new_{name}").fetchall()[0]
        new_keys[name] = int(n)
        if n:
            rel = f"dict/{name}.g{gen}.parquet"
            con.execute(f"COPY dict_new_{name} TO {_q(root / rel)} (FORMAT parquet)")
            d["files"].append(rel)
            d["size"] = int(d["size"]) + int(n)
        con.execute(
            f"CREATE TEMP TABLE dict_{name} AS SELECT * FROM dict_new_{name} "
            f"UNION ALL SELECT key, value FROM dict_known_{name}"
        )
    seconds["reference_and_dictionaries"] = round(time.perf_counter() - t1, 3)

    # the lines, keys encoded, one file per quarter (one pass, partitioned by quarter)
    t2 = time.perf_counter()
    step("writing quarters")
    part = root / "claims" / f".g{gen}"
    single = len(wanted) == 1  # one quarter (the quarterly routine): its file at once
    target = (
        f"{_q(root / f'claims/{wanted[0]}.g{gen}.parquet')} (FORMAT parquet)"
        if single
        else (f"{_q(part)} (FORMAT parquet, PARTITION_BY (q), OVERWRITE_OR_IGNORE true)")
    )
    con.execute(
        f"""COPY (
        SELECT n.key AS claim_id,
               c.key AS clinic_id, d.key AS doctor_id, p.key AS patient_id,
               l.birth_date, l.visit_date, k.key AS order_code,
               CAST(l.tooth AS SMALLINT) AS tooth, l.surfaces, l.points
               {"" if single else ", CAST(year(l.visit_date) AS VARCHAR) || 'Q' || "}
               {"" if single else "CAST(quarter(l.visit_date) AS VARCHAR) AS q"}
        FROM lines l
        JOIN dict_clinic c ON c.value = l.clinic_id
        JOIN dict_doctor d ON d.value = l.doctor_id
        JOIN dict_code k ON k.value = l.order_code
        JOIN dict_patient p ON p.value = l.patient_id
        JOIN claim_keys n ON n.value = l.claim_id
        ) TO {target}"""
    )
    report_quarters: dict[str, dict[str, Any]] = {}
    for q in wanted:
        files = [] if single else sorted((part / f"q={q}").glob("*.parquet"))
        rel = f"claims/{q}.g{gen}.parquet"
        if single:
            pass
        elif len(files) == 1:
            os.replace(files[0], root / rel)
        else:
            con.execute(
                f"COPY (SELECT * FROM read_parquet([{', '.join(_q(f) for f in files)}])) "
                f"TO {_q(root / rel)} (FORMAT parquet)"
            )
        lines, first, last = found[q]
        report_quarters[q] = {"lines": lines, "replaced": q in manifest["quarters"]}
        new["quarters"][q] = {"file": rel, "lines": lines, "first": first, "last": last}
    seconds["write"] = round(time.perf_counter() - t2, 3)
    new["quarters"] = dict(sorted(new["quarters"].items()))
    return report_quarters, new_keys


def _write_summaries(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    new: dict[str, Any],
    program: DentalProgram,
    wanted: list[str],
    seconds: dict[str, float],
    step: Progress,
) -> None:
    """Each loaded quarter's summary for the look-back measures (`engine.history_summary`): a
    later quarter's score reads it instead of the quarter's lines. It depends on the quarter
    alone, so replacing one quarter leaves the others' summaries valid."""
    import ibis

    from pingjian.dental import engine

    t = time.perf_counter()
    step("summarising the look-back")
    ibis_con = ibis.duckdb.from_connection(con)
    codes = {int(k): str(v) for k, v in con.sql("SELECT key, value FROM dict_code").fetchall()}
    present, code_keys = _code_keys(codes)
    fingerprint = engine.summary_fingerprint(program)
    for q in wanted:
        info = new["quarters"][q]
        lines = ibis_con.read_parquet(str(root / info["file"]), table_name=f"summary_src_{q}")
        src = engine.ClaimsSource(claims=lines, code_keys=code_keys, key_type="int32")
        rows = engine.history_summary(ibis_con, program, present, src)
        rel = f"summary/{q}.g{new['generation']}.parquet"
        con.execute(f"COPY ({ibis_con.compile(rows)}) TO {_q(root / rel)} (FORMAT parquet)")
        info["summary"] = {"file": rel, "fingerprint": fingerprint}
    seconds["summaries"] = round(time.perf_counter() - t, 3)


def _code_keys(codes: dict[int, str]) -> tuple[list[str], dict[str, int]]:
    """The codes as the engine's code sets see them (trimmed, as a file's code profile gives
    them) and each code as written → its key."""
    return sorted({c.strip() for c in codes.values() if c.strip()}), {v: k for k, v in codes.items()}


def _check_registry(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    manifest: dict[str, Any],
    kept: list[str],
    paths: dict[str, Path],
) -> None:
    """The quarters kept in the store must find their clinics and doctors in the new registry (as a
    folder's claims must in its files): a stored clinic or doctor missing from it is an error."""
    if not kept:
        return
    files = [manifest["quarters"][q]["file"] for q in kept]
    for name, table, col in (("clinic", "clinics", "clinic_id"), ("doctor", "doctors", "doctor_id")):
        d = manifest["dictionaries"][name]
        if not d["files"]:
            continue
        # the dictionary's values missing from the new registry (usually none: then the stored
        # quarters are not read at all)
        missing = con.sql(
            f"SELECT dv.key, dv.value FROM {_files_sql(root, d['files'], '')} dv "
            f"ANTI JOIN ({io.typed_select_sql(paths[table], table)}) t ON t.{col} = dv.value"
        ).fetchall()
        if not missing:
            continue
        keys = ", ".join(str(int(k)) for k, _v in missing)
        rows = con.sql(
            f"SELECT dv.value FROM {_files_sql(root, d['files'], '')} dv "
            f"SEMI JOIN (SELECT DISTINCT {col} AS key FROM {_files_sql(root, files, '')} "
            f"WHERE {col} IN ({keys})) s ON s.key = dv.key ORDER BY 1 LIMIT 1"
        ).fetchall()
        if rows:
            raise DataFileError(
                f"{paths[table].name}: {name} {rows[0][0]!r} of a quarter in the store is not in it "
                f"(load that quarter again, or keep the {name} in {paths[table].name})"
            )


# --- reading -----------------------------------------------------------------------------------


@dataclass
class Snapshot:
    """A store as one manifest names it (later loads do not change what a run reads)."""

    root: Path
    manifest: dict[str, Any]

    @property
    def quarters(self) -> list[str]:
        return list(self.manifest["quarters"])

    def reference_paths(self) -> dict[str, Path]:
        """clinics, doctors, clinic_quarter as Parquet files with the contract's columns."""
        return {t: self.root / self.manifest["tables"][t] for t in REFERENCE_TABLES}

    def claim_files(self, start: date, end: date) -> list[Path]:
        """The quarter files with a visit day in [start, end]."""
        return [self.root / info["file"] for info in self.quarters_between(start, end)]

    def quarters_between(self, start: date, end: date) -> list[dict[str, Any]]:
        """The stored quarters (their manifest entries) with a visit day in [start, end]."""
        return [
            info
            for info in self.manifest["quarters"].values()
            if date.fromisoformat(info["first"]) <= end and date.fromisoformat(info["last"]) >= start
        ]

    def first_visit(self) -> date | None:
        firsts = [date.fromisoformat(i["first"]) for i in self.manifest["quarters"].values()]
        return min(firsts) if firsts else None

    def lines_in(self, quarter: Quarter) -> int:
        info = self.manifest["quarters"].get(str(quarter))
        return int(info["lines"]) if info else 0

    def dictionary(self, con: duckdb.DuckDBPyConnection, name: str) -> dict[int, str]:
        files = self.manifest["dictionaries"][name]["files"]
        if not files:
            return {}
        rows = con.sql(f"SELECT key, value FROM {_files_sql(self.root, files, '')}").fetchall()
        return {int(k): str(v) for k, v in rows}

    def cache_files(self) -> dict[str, Path]:
        """What the claims-stage cache keys a store run by: the manifest (it names every file by
        its generation, so any load changes it)."""
        return {"store_manifest": self.root / MANIFEST}


def open_store(store_path: str | Path) -> Snapshot:
    root = Path(store_path)
    manifest = read_manifest(root)
    if manifest is None:
        raise DataFileError(f"{root}: no claims store (load one with `pingjian dental load`)")
    if not manifest["quarters"]:
        raise DataFileError(f"{root}: the claims store holds no quarter")
    return Snapshot(root, manifest)


def present_codes(con: duckdb.DuckDBPyConnection, snap: Snapshot) -> tuple[list[str], dict[int, str]]:
    """The distinct codes the store holds (trimmed, as the files' code profile gives them) and the
    code dictionary."""
    codes = snap.dictionary(con, "code")
    return _code_keys(codes)[0], codes


def claims_source(
    con: Any,
    snap: Snapshot,
    dcon: duckdb.DuckDBPyConnection,
    quarter: Quarter,
    program: DentalProgram,
    region: str,
) -> Any:
    """The store as the engine's claims source (`engine.ClaimsSource`) for `quarter` and its
    look-back: only the quarter files in the window are read. When every stored quarter of the
    look-back has its summary for this program, the summaries stand for their lines in the
    look-back measures, and lines are read only for the other measures' (shorter) windows."""
    import ibis

    from pingjian.dental import engine
    from pingjian.dental.engine import ClaimsSource, _small_int_table

    windows = {m.kind: 0 for m in program.measures.values()}
    for m in program.measures.values():
        if m.window:
            windows[m.kind] = max(windows[m.kind], program.int_param(m.window))
    lookback = max([*windows.values(), 0])
    prior = snap.quarters_between(quarter.start - timedelta(days=lookback), quarter.start - timedelta(days=1))
    fingerprint = engine.summary_fingerprint(program)
    summaries = None
    if prior and all(info.get("summary", {}).get("fingerprint") == fingerprint for info in prior):
        lookback = max([0, *(w for kind, w in windows.items() if kind not in engine.SUMMARISED)])
        parts = [
            con.read_parquet(
                str(snap.root / info["summary"]["file"]), table_name=_table_name(info["summary"]["file"])
            )
            for info in prior
        ]
        summaries = parts[0] if len(parts) == 1 else ibis.union(*parts)
    files = snap.claim_files(quarter.start - timedelta(days=lookback), quarter.end)
    tables = [con.read_parquet(str(f), table_name=_table_name(str(f))) for f in files]
    claims = tables[0] if len(tables) == 1 else ibis.union(*tables)
    codes = snap.dictionary(dcon, "code")
    clinic_names = snap.dictionary(dcon, "clinic")
    doctor_names = snap.dictionary(dcon, "doctor")
    refs = snap.reference_paths()
    in_region = {
        r[0]
        for r in dcon.sql(
            f"SELECT clinic_id FROM read_parquet({_q(refs['clinics'])}) WHERE region = {io.sql_text(region)}"
        ).fetchall()
    }
    external = {
        r[0]
        for r in dcon.sql(
            f"SELECT doctor_id FROM read_parquet({_q(refs['doctors'])}) "
            f"WHERE home_region <> {io.sql_text(region)}"
        ).fetchall()
    }
    return ClaimsSource(
        claims=claims,
        region_clinics=_small_int_table(
            con, "clinic_id", sorted(k for k, v in clinic_names.items() if v in in_region)
        ),
        external_doctors=_small_int_table(
            con, "doctor_id", sorted(k for k, v in doctor_names.items() if v in external)
        ),
        code_keys={v: k for k, v in codes.items()},
        clinic_names=clinic_names,
        doctor_names=doctor_names,
        key_type="int32",
        summaries=summaries,
    )


def _table_name(path: str) -> str:
    return f"store_{abs(hash(path)) % 10**10}"


# --- the Python API the web application calls -------------------------------------------------


def stored_quarters(store_path: str | Path) -> list[str]:
    """The quarters the store holds, oldest first ([] when there is no store yet)."""
    manifest = read_manifest(store_path)
    return list(manifest["quarters"]) if manifest else []


def score_from_store(store_path: str | Path, quarter: str, **options: Any) -> Any:
    """`pipeline.score` over the store: the `ScoreResult` of `dental score --store` (options:
    engine, params, memory_limit, period, progress, threads, use_cache, applications, refusals)."""
    from pingjian.dental import pipeline

    return pipeline.score(None, quarter, store=store_path, **options)
