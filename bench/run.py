"""Benchmarks of `dental-south-113`, each comparison in one run (issue 3 part 7).

Every measurement runs in its own child process — one warm-up, then the median of three — while
this process samples the resident memory of the child and all its descendants (the Spark JVM
included) with psutil every 50 ms. Wall time is taken inside the child around the work only
(imports and interpreter start are not counted); Spark's session start is reported separately.

    .venv/bin/python bench/run.py --data bench/data/x1 --quarter 2024Q4            # 1×
    .venv/bin/python bench/run.py --data bench/data/x10 --quarter 2024Q4 --only score_duckdb \\
        --memory-limit 4GB --tag x10                                                # 10×

The claims store (issue 15): `--only quarter_floor_decode,store_load,store_load_score,store_score`
first prepares, untimed, `OUT/quarter/` (the quarter's claims alone) and `OUT/store-base/` (a store
holding the twelve quarters before it); each store measurement works on a hard-linked copy.

Results: `bench/data/results-<tag>.json` and a Markdown table on stdout (for docs/benchmarks.md).
The bench fails (exit 1) if an engine's or the reference's output differs from DuckDB's.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MEASUREMENTS = [
    "points_floor",
    "scan_floor",
    "scan_floor_values",
    "scan_floor_decode",
    "sort_floor",
    "score_duckdb",
    "rescore_cached",
    "pandas_reference",
    "score_spark",
]
# issue 15: the claims store (prepared once per --out by `prepare_store`, not timed)
STORE_MEASUREMENTS = [
    "quarter_floor_decode",
    "store_load",
    "store_load_score",
    "store_score",
    "store_score_spark",
]
MEASUREMENTS += STORE_MEASUREMENTS
STRING_COLUMNS = ("claim_id", "doctor_id", "patient_id", "order_code", "tooth")


# ------------------------------------------------------------------ the work, in the child
def _duckdb(threads: int, memory_limit: str | None):
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    return con


def _decode_floor_sql(claims: Path) -> str:
    strings = ", ".join(f"max({c})" for c in STRING_COLUMNS)
    return (
        f"SELECT clinic_id, count(*), sum(points), sum(surfaces), min(birth_date), max(visit_date), "
        f"{strings} FROM read_parquet('{claims}') GROUP BY ALL"
    )


def _linked_copy(src: Path, dst: Path) -> None:
    """A store's copy by hard links: a load never writes a stored file again (new files, then the
    manifest replaced by rename), so the copy's loads leave the source store as it was."""
    import shutil

    shutil.copytree(src, dst, copy_function=os.link, ignore=shutil.ignore_patterns(".lock"))


def prepare_store(data: Path, quarter: str, out: Path, memory_limit: str | None) -> dict:
    """For the store measurements (not timed in them): `out/quarter/` holds the claims of
    `quarter` alone with the folder's clinics, doctors and clinic_quarter; `out/store-base/` is a
    store loaded with the twelve quarters before it; `out/store-full/` is that store with
    `quarter` loaded too."""
    import duckdb

    from pingjian.dental import io, store

    info: dict[str, Any] = {}
    q = io.parse_quarter(quarter)
    qdir, base, full = out / "quarter", out / "store-base", out / "store-full"
    if not (qdir / "claims.parquet").exists():
        qdir.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect()
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{data / 'claims.parquet'}') WHERE visit_date BETWEEN "
            f"DATE '{q.start}' AND DATE '{q.end}') TO '{qdir / 'claims.parquet'}' (FORMAT parquet)"
        )
        for name in ("clinics", "doctors", "clinic_quarter"):
            os.link(data / f"{name}.parquet", qdir / f"{name}.parquet")
    if not base.exists():
        t = time.perf_counter()
        r = store.load_quarters(
            data, base, quarters=[str(q.shift(-i)) for i in range(12, 0, -1)], memory_limit=memory_limit
        )
        info["store_base_build"] = {"wall": time.perf_counter() - t, "seconds": r.seconds}
        print(f"  store-base built in {info['store_base_build']['wall']:.1f} s", file=sys.stderr)
    if not full.exists():
        _linked_copy(base, full)
        store.load_quarters(qdir, full, memory_limit=memory_limit)
    info["store_bytes"] = sum(p.stat().st_size for p in base.rglob("*") if p.is_file())
    return info


def _store_score(store_path: Path, quarter: str, threads: int, memory_limit: str | None, engine: str) -> Any:
    from pingjian.dental import pipeline

    return pipeline.score(
        None,
        quarter,
        store=store_path,
        engine=engine,
        memory_limit=memory_limit if engine == "duckdb" else None,
        threads=threads if engine == "duckdb" else None,
        use_cache=False,
    )


def _keep_output(result: Any, name: str, out: Path) -> None:
    from bench.compare import engine_rows
    from pingjian.dental import pipeline

    pipeline.write_csv_atomic(
        out / f"{name}.csv", pipeline.score_columns(result.program), pipeline.score_rows(result)
    )
    with open(out / f"{name}.pkl", "wb") as fh:
        pickle.dump(engine_rows(result), fh)


def store_child(name: str, quarter: str, threads: int, memory_limit: str | None, out: Path) -> dict:
    import tempfile

    from pingjian.dental import store

    res: dict[str, Any] = {"name": name}
    qdir = out / "quarter"
    if name == "quarter_floor_decode":
        con = _duckdb(threads, memory_limit)
        t = time.perf_counter()
        rows = con.sql(_decode_floor_sql(qdir / "claims.parquet")).fetchall()
        res["wall"] = time.perf_counter() - t
        res["groups"] = len(rows)
    elif name in ("store_load", "store_load_score"):
        # a copy of the store holding the twelve quarters before; load the quarter (+ score it)
        with tempfile.TemporaryDirectory(dir=out) as tmp:
            target = Path(tmp) / "store"
            _linked_copy(out / "store-base", target)
            t = time.perf_counter()
            report = store.load_quarters(qdir, target, memory_limit=memory_limit, threads=threads)
            res["load"] = time.perf_counter() - t
            res["load_seconds"] = report.seconds
            if name == "store_load_score":
                result = _store_score(target, quarter, threads, memory_limit, "duckdb")
                _keep_output(result, name, out)
                res["score"] = time.perf_counter() - t - res["load"]
                res["engine_seconds"] = result.run.get("seconds")
            res["wall"] = time.perf_counter() - t
    elif name in ("store_score", "store_score_spark"):
        engine = "duckdb" if name == "store_score" else "spark"
        if engine == "spark":
            from pingjian.dental.engine import spark_session

            t = time.perf_counter()
            spark_session(os.environ.get("BENCH_SPARK_MEMORY", "8GiB"))
            res["startup"] = time.perf_counter() - t
        t = time.perf_counter()
        result = _store_score(out / "store-full", quarter, threads, memory_limit, engine)
        _keep_output(result, name, out)
        res["wall"] = time.perf_counter() - t
        res["engine_seconds"] = result.run.get("seconds")
    else:
        raise SystemExit(f"unknown measurement {name}")
    return res


def child(name: str, data: Path, quarter: str, threads: int, memory_limit: str | None, out: Path) -> dict:
    claims = data / "claims.parquet"
    res: dict[str, Any] = {"name": name}
    if name in STORE_MEASUREMENTS:
        return store_child(name, quarter, threads, memory_limit, out)
    if name == "points_floor":
        con = _duckdb(threads, memory_limit)
        t = time.perf_counter()
        rows = con.sql(f"SELECT clinic_id, sum(points) FROM read_parquet('{claims}') GROUP BY ALL").fetchall()
        res["wall"] = time.perf_counter() - t
        res["groups"] = len(rows)
    elif name in ("scan_floor", "scan_floor_values", "scan_floor_decode"):
        # one pass reading every column the pipeline uses, one aggregation. A count() may be
        # answered from definition levels without producing a string; `_values` produces every
        # string (strlen reads its length); `_decode` also compares every string (max)
        con = _duckdb(threads, memory_limit)
        per_string = {
            "scan_floor": "count({})",
            "scan_floor_values": "sum(strlen({}))",
            "scan_floor_decode": "max({})",
        }[name]
        t = time.perf_counter()
        strings = ", ".join(
            per_string.format(c) for c in ("claim_id", "doctor_id", "patient_id", "order_code", "tooth")
        )
        rows = con.sql(
            f"SELECT clinic_id, count(*), sum(points), sum(surfaces), min(birth_date), max(visit_date), "
            f"{strings} FROM read_parquet('{claims}') GROUP BY ALL"
        ).fetchall()
        res["wall"] = time.perf_counter() - t
        res["groups"] = len(rows)
    elif name == "sort_floor":
        # the tooth-history LAG alone, over every OD line of the look-back
        con = _duckdb(threads, memory_limit)
        t = time.perf_counter()
        rows = con.sql(
            f"SELECT count(*) FILTER (WHERE visit_date - prev <= 730) FROM ("
            f"SELECT visit_date, "
            f"lag(visit_date) OVER (PARTITION BY patient_id, tooth ORDER BY visit_date) prev "
            f"FROM read_parquet('{claims}') WHERE regexp_matches(order_code, '^89\\d{{3}}C$'))"
        ).fetchall()
        res["wall"] = time.perf_counter() - t
        res["refills"] = rows[0][0]
    elif name in ("score_duckdb", "score_spark"):
        from bench.compare import engine_rows
        from pingjian.dental import pipeline

        stages: list[tuple[str, float]] = []
        engine = "duckdb" if name == "score_duckdb" else "spark"
        if engine == "spark":
            from pingjian.dental.engine import spark_session

            t = time.perf_counter()
            spark_session(os.environ.get("BENCH_SPARK_MEMORY", "8GiB"))
            res["startup"] = time.perf_counter() - t
        t = time.perf_counter()

        def progress(msg: str) -> None:
            stages.append((msg, time.perf_counter() - t))

        result = pipeline.score(
            data,
            quarter,
            engine=engine,
            progress=progress,
            memory_limit=memory_limit if engine == "duckdb" else None,
            threads=threads if engine == "duckdb" else None,
            use_cache=False,
        )
        pipeline.write_csv_atomic(
            out / f"{name}.csv", pipeline.score_columns(result.program), pipeline.score_rows(result)
        )
        res["wall"] = time.perf_counter() - t
        res["stages"] = stages
        res["engine_seconds"] = result.run.get("seconds")
        with open(out / f"{name}.pkl", "wb") as fh:
            pickle.dump(engine_rows(result), fh)
    elif name == "rescore_cached":
        # what `explain` and what-if runs cost once a quarter's claims stage is in the cache
        # (`pingjian/dental/cache.py`): a priming score (not timed), then the same score again
        # (its output is compared like the others) and a what-if with other point parameters
        import tempfile

        from bench.compare import engine_rows
        from pingjian.dental import pipeline

        os.environ["PINGJIAN_CACHE_DIR"] = tempfile.mkdtemp(prefix="pingjian-bench-cache-")
        kw = {"memory_limit": memory_limit, "threads": threads, "use_cache": True}
        t = time.perf_counter()
        pipeline.score(data, quarter, **kw)
        res["priming"] = time.perf_counter() - t
        t = time.perf_counter()
        result = pipeline.score(data, quarter, **kw)
        pipeline.write_csv_atomic(
            out / f"{name}.csv", pipeline.score_columns(result.program), pipeline.score_rows(result)
        )
        res["wall"] = time.perf_counter() - t
        assert result.run["claims_stage"]["from_cache"], "the re-score missed the cache"
        t = time.perf_counter()
        what_if = pipeline.score(data, quarter, params={"pr_general_band": "80,94"}, **kw)
        res["what_if"] = time.perf_counter() - t
        res["what_if_from_cache"] = what_if.run["claims_stage"]["from_cache"]
        with open(out / f"{name}.pkl", "wb") as fh:
            pickle.dump(engine_rows(result), fh)
    elif name == "pandas_reference":
        from bench.compare import reference_rows
        from bench.pandas_reference import score, write_csv

        t = time.perf_counter()
        ref = score(data, quarter)
        write_csv(ref, out / f"{name}.csv")
        res["wall"] = time.perf_counter() - t
        res["stages"] = sorted(ref.timings.items(), key=lambda kv: kv[1])
        with open(out / f"{name}.pkl", "wb") as fh:
            pickle.dump(reference_rows(ref), fh)
    else:
        raise SystemExit(f"unknown measurement {name}")
    return res


# ------------------------------------------------------------------ the parent
def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += p.memory_info().rss
    return total


def run_once(name: str, args: argparse.Namespace) -> dict:
    out = Path(args.out)
    cmd = [
        PY,
        str(Path(__file__).resolve()),
        "--child",
        name,
        "--data",
        str(args.data),
        "--quarter",
        args.quarter,
        "--threads",
        str(args.threads),
        "--out",
        str(out),
    ]
    if args.memory_limit:
        cmd += ["--memory-limit", args.memory_limit]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(ps))
        time.sleep(0.05)
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed:\n{stderr.decode()[-3000:]}")
    res = json.loads(stdout.decode().strip().splitlines()[-1])
    res["peak_rss"] = peak
    res["process_wall"] = time.perf_counter() - t
    return res


def measure(name: str, args: argparse.Namespace) -> dict:
    reps = args.repeat
    runs = []
    for i in range(reps + (1 if args.warmup else 0)):
        r = run_once(name, args)
        label = "warm-up" if args.warmup and i == 0 else f"run {i + (0 if args.warmup else 1)}"
        print(
            f"  {name} {label}: {r['wall']:.2f} s, peak {r['peak_rss'] / 2**30:.2f} GiB"
            + (f", Spark start {r['startup']:.1f} s" if "startup" in r else ""),
            file=sys.stderr,
        )
        if not (args.warmup and i == 0):
            runs.append(r)
    walls = [r["wall"] for r in runs]
    med = statistics.median(walls)
    best = min(runs, key=lambda r: abs(r["wall"] - med))
    return {
        "name": name,
        "median_wall": med,
        "walls": walls,
        "peak_rss": max(r["peak_rss"] for r in runs),
        "startup": statistics.median([r["startup"] for r in runs]) if "startup" in runs[0] else None,
        "detail": best,
    }


def rows_in(data: Path, out: Path) -> int:
    """The folder's claim lines; without a folder (a store built by `replicate_store` alone), the
    lines of the store in `out/store-full`."""
    import pyarrow.parquet as pq

    if not (data / "claims.parquet").exists() and (out / "store-full" / "manifest.json").exists():
        manifest = json.loads((out / "store-full" / "manifest.json").read_text(encoding="utf-8"))
        return sum(int(q["lines"]) for q in manifest["quarters"].values())
    return pq.ParquetFile(data / "claims.parquet").metadata.num_rows


def check_equal(out: Path) -> list[str]:
    from bench.compare import differences

    problems = []
    base = out / "score_duckdb.pkl"
    if not base.exists():
        return problems
    with open(base, "rb") as fh:
        eng = pickle.load(fh)
    for p in sorted(out.glob("*.pkl")):  # this run's outputs and those of earlier runs into the same --out
        n = p.stem
        if n == "score_duckdb":
            continue
        with open(p, "rb") as fh:
            other = pickle.load(fh)
        diffs = differences(eng, other)
        print(f"  {n} vs score_duckdb: {len(diffs)} differences", file=sys.stderr)
        problems += [f"{n}: {d}" for d in diffs]
    return problems


def machine() -> dict:
    import platform

    import duckdb
    import pandas
    import pyarrow

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info = {
        "nproc": os.cpu_count(),
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "pyarrow": pyarrow.__version__,
    }
    try:
        import pyspark

        info["pyspark"] = pyspark.__version__
    except ImportError:
        pass
    with contextlib.suppress(OSError, IndexError):
        java = subprocess.run(["java", "-version"], capture_output=True, text=True)
        info["java"] = java.stderr.splitlines()[0]
    return info


def main() -> None:
    ap = argparse.ArgumentParser(description="dental-south-113 benchmarks")
    ap.add_argument("--data", type=Path, default=ROOT / "bench/data/x1")
    ap.add_argument("--quarter", default="2024Q4")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-limit", default=None, help="DuckDB memory_limit for the DuckDB measurements")
    ap.add_argument("--only", default=",".join(MEASUREMENTS), help="comma-separated measurements")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-warmup", dest="warmup", action="store_false")
    ap.add_argument("--tag", default="x1")
    ap.add_argument("--out", default=None)
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        out = Path(args.out)
        res = child(args.child, args.data, args.quarter, args.threads, args.memory_limit, out)
        print(json.dumps(res, default=str))
        return
    args.out = args.out or str(ROOT / "bench/data" / f"out-{args.tag}")
    Path(args.out).mkdir(parents=True, exist_ok=True)
    names = [n for n in args.only.split(",") if n]
    n_rows = rows_in(args.data, Path(args.out))
    info = machine()
    load = os.getloadavg()
    print(f"{info}\n{n_rows:,} claim lines in {args.data}", file=sys.stderr)
    results = {}
    scoring_only = set(names) <= {"store_score", "store_score_spark"}
    if scoring_only and (Path(args.out) / "store-full" / "manifest.json").exists():
        pass  # a store prepared beforehand (e.g. by bench.replicate.replicate_store) is scored as it is
    elif any(n in STORE_MEASUREMENTS for n in names):
        info["store"] = prepare_store(args.data, args.quarter, Path(args.out), args.memory_limit)
    for n in names:
        results[n] = measure(n, args)
    problems = check_equal(Path(args.out))
    info["load_average_at_start"] = load
    record = {
        "tag": args.tag,
        "data": str(args.data),
        "rows": n_rows,
        "machine": info,
        "threads": args.threads,
        "memory_limit": args.memory_limit,
        "repeat": args.repeat,
        "warmup": args.warmup,
        "results": results,
        "differences": problems[:200],
        "n_differences": len(problems),
        "command": " ".join(sys.argv),
    }
    info["load_average_at_end"] = os.getloadavg()
    result_file = ROOT / "bench/data" / f"results-{args.tag}.json"
    result_file.parent.mkdir(parents=True, exist_ok=True)
    result_file.write_text(json.dumps(record, indent=2, default=str))
    print(markdown(record))
    if problems:
        print("\n".join(problems[:50]), file=sys.stderr)
        sys.exit(1)


def markdown(record: dict) -> str:
    res = record["results"]
    rows = record["rows"]
    m = record["machine"]
    lines = [
        f"{rows:,} claim lines, {record['threads']} threads, memory_limit {record['memory_limit']}, "
        f"warm-up {'yes' if record['warmup'] else 'no'}, median of {record['repeat']}; load average "
        f"{m['load_average_at_start'][0]:.2f} at start, {m['load_average_at_end'][0]:.2f} at end",
        "",
        "| measurement | median wall (s) | runs (s) | peak RSS (GiB) | rows/s | note |",
        "|---|---:|---|---:|---:|---|",
    ]
    for n, r in res.items():
        note = f"Spark start-up {r['startup']:.1f} s (not in wall)" if r.get("startup") is not None else ""
        if "what_if" in r["detail"]:
            d = r["detail"]
            note = (
                f"cache hit; what-if (other point parameters) {d['what_if']:.2f} s, "
                f"priming score {d['priming']:.2f} s (not in wall)"
            )
        lines.append(
            f"| {n} | {r['median_wall']:.2f} | {', '.join(f'{w:.2f}' for w in r['walls'])} | "
            f"{r['peak_rss'] / 2**30:.2f} | {rows / r['median_wall'] / 1e6:.1f} M | {note} |"
        )
    if "store_load_score" in res:
        d = res["store_load_score"]["detail"]
        lines += [
            "",
            f"store_load_score: load {d['load']:.2f} s + score {d['score']:.2f} s (run nearest the median)",
        ]
    ratios = []
    for a, b, label in (
        ("store_load_score", "pandas_reference", "(store load + score) / pandas"),
        ("store_load", "quarter_floor_decode", "store load / the quarter's decoding floor"),
        ("score_duckdb", "scan_floor_decode", "raw score / decoding floor"),
        ("store_score", "score_duckdb", "store score / raw score"),
    ):
        if a in res and b in res:
            ratios.append(f"{label} = {res[a]['median_wall'] / res[b]['median_wall']:.3f}")
    if ratios:
        lines += ["", "Store ratios: " + "; ".join(ratios)]
    if "score_duckdb" in res:
        s = res["score_duckdb"]["median_wall"]
        ratios = []
        for n, label in (
            ("scan_floor", "score / scan floor"),
            ("scan_floor_values", "score / values scan floor"),
            ("scan_floor_decode", "score / decoding scan floor"),
            ("points_floor", "score / points floor"),
            ("sort_floor", "score / sort floor"),
        ):
            if n in res:
                ratios.append(f"{label} = {s / res[n]['median_wall']:.2f}")
        for n, label in (("pandas_reference", "pandas / score"), ("score_spark", "Spark / score")):
            if n in res:
                ratios.append(f"{label} = {res[n]['median_wall'] / s:.2f}")
        lines += ["", "Ratios: " + "; ".join(ratios)]
    lines += ["", f"Output differences against score_duckdb: {record['n_differences']}"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
