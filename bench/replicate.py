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
