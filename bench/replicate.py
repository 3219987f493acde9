"""The 10× benchmark data: a generated data set copied TIMES over with suffixed ids (DuckDB COPY).

    .venv/bin/python -c "from bench.replicate import replicate; \\
        replicate('bench/data/x1', 'bench/data/x10', 10, threads=2, memory_limit='4GB')"
"""

from __future__ import annotations

from pathlib import Path

import duckdb


def replicate(
    src: str | Path,
    dst: str | Path,
    times: int,
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> None:
    """Build a `times`× data set from `src` by copying every id with a suffix `_k` (DuckDB COPY)."""
    src, dst = Path(src), Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads={int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit='{memory_limit}'")
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET temp_directory='{dst / '.tmp'}'")
    con.execute(f"CREATE TEMP TABLE k AS SELECT range AS k FROM range({int(times)})")

    def sfx(col: str) -> str:
        return f"CASE WHEN k = 0 THEN {col} ELSE {col} || '_' || k::VARCHAR END AS {col}"

    def copy(name: str, select: str) -> None:
        target = dst / f"{name}.parquet"
        con.execute(f"COPY ({select}) TO '{target}' (FORMAT parquet, ROW_GROUP_SIZE 1048576)")

    s = f"'{src}"
    copy(
        "claims",
        f"SELECT {sfx('claim_id')}, {sfx('clinic_id')}, {sfx('doctor_id')}, {sfx('patient_id')}, "
        f"birth_date, visit_date, order_code, tooth, surfaces, quantity, points "
        f"FROM k, read_parquet({s}/claims.parquet')",
    )
    copy(
        "clinics",
        f"SELECT {sfx('clinic_id')}, name, region, kind, opened_on "
        f"FROM k, read_parquet({s}/clinics.parquet')",
    )
    copy(
        "doctors",
        f"SELECT {sfx('doctor_id')}, home_region, specialist FROM k, read_parquet({s}/doctors.parquet')",
    )
    copy(
        "clinic_quarter",
        f"SELECT {sfx('clinic_id')}, quarter, sessions_per_month, outreach_sessions_year, "
        f"unimproved_after_agreement FROM k, read_parquet({s}/clinic_quarter.parquet')",
    )
    con.close()


def replicate_store(src: str | Path, dst: str | Path, times: int, *, threads: int | None = None) -> None:
    """A `times`× claims store from a 1× store, as `replicate` builds the `times`× folder: every
    clinic, doctor and patient copied with the suffix `_k` (their keys offset by k × the
    dictionary's size), codes and teeth as they are, claims numbered apart (claim × times + k).
    Loading the `times`× folder gives the same store up to the numbering of keys (which no output
    shows); building it this way costs a copy instead of a load of 375 M lines."""
    import json

    src, dst = Path(src), Path(dst)
    manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    for sub in ("claims", "dict", "ref", "summary"):
        (dst / sub).mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads={int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"CREATE TEMP TABLE k AS SELECT range AS k FROM range({int(times)})")
    size = {name: int(d["size"]) for name, d in manifest["dictionaries"].items()}

    def sfx(col: str) -> str:
        return f"CASE WHEN k = 0 THEN {col} ELSE {col} || '_' || k::VARCHAR END AS {col}"

    def files(rel: list[str]) -> str:
        return "[" + ", ".join(f"'{src / f}'" for f in rel) + "]"

    out = json.loads(json.dumps(manifest))
    for name, d in manifest["dictionaries"].items():
        if not d["files"]:
            continue
        rel = f"dict/{name}.g1.parquet"
        value = "value" if name == "code" else sfx("value")
        offset = "0" if name == "code" else f"k * {size[name]}"
        where = "WHERE k = 0" if name == "code" else ""
        con.execute(
            f"COPY (SELECT CAST(key + {offset} AS INTEGER) AS key, {value} FROM k, "
            f"read_parquet({files(d['files'])}) {where}) TO '{dst / rel}' (FORMAT parquet)"
        )
        out["dictionaries"][name] = {"files": [rel], "size": size[name] * (1 if name == "code" else times)}
    refs = {
        "clinics": f"SELECT {sfx('clinic_id')}, name, region, kind, opened_on",
        "doctors": f"SELECT {sfx('doctor_id')}, home_region, specialist",
        "clinic_quarter": f"SELECT {sfx('clinic_id')}, quarter, sessions_per_month, outreach_sessions_year, "
        "unimproved_after_agreement",
    }
    for table, select in refs.items():
        rel = f"ref/{table}.g1.parquet"
        con.execute(
            f"COPY ({select} FROM k, read_parquet('{src / manifest['tables'][table]}')) "
            f"TO '{dst / rel}' (FORMAT parquet)"
        )
        out["tables"][table] = rel
    for q, info in manifest["quarters"].items():
        rel = f"claims/{q}.g1.parquet"
        con.execute(
            f"COPY (SELECT claim_id * {int(times)} + k AS claim_id, "
            f"CAST(clinic_id + k * {size['clinic']} AS INTEGER) AS clinic_id, "
            f"CAST(doctor_id + k * {size['doctor']} AS INTEGER) AS doctor_id, "
            f"CAST(patient_id + k * {size['patient']} AS INTEGER) AS patient_id, "
            f"birth_date, visit_date, order_code, tooth, surfaces, points "
            f"FROM k, read_parquet('{src / info['file']}')) TO '{dst / rel}' (FORMAT parquet)"
        )
        out["quarters"][q] = {**info, "file": rel, "lines": int(info["lines"]) * times}
        if "summary" in info:  # the look-back summary, its keys offset like the lines'
            rel = f"summary/{q}.g1.parquet"
            con.execute(
                f"COPY (SELECT set_id, CAST(patient_id + k * {size['patient']} AS INTEGER) AS patient_id, "
                f"tooth, day, CAST(clinic_id + k * {size['clinic']} AS INTEGER) AS clinic_id "
                f"FROM k, read_parquet('{src / info['summary']['file']}')) TO '{dst / rel}' (FORMAT parquet)"
            )
            out["quarters"][q]["summary"] = {**info["summary"], "file": rel}
    out["generation"] = 1
    out["loads"] = [{"generation": 1, "source": f"{src} × {times} (bench.replicate.replicate_store)"}]
    (dst / "manifest.json").write_text(json.dumps(out, indent=1, sort_keys=True), encoding="utf-8")
    con.close()
