"""Finding and validating the dental input files (claims, clinics, doctors, clinic_quarter).

Every check runs as SQL in DuckDB over the files (inputs are tens of millions of lines); a
failure raises `DataFileError` naming the file, the row (data rows numbered from 1, the header
not counted) and the column. Nothing is written by this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import duckdb

from pingjian.rules.errors import CalendarError, DataFileError
from pingjian.rules.roc import Quarter, parse_quarter_code

# column -> (type family, required non-null)
SCHEMAS: dict[str, dict[str, tuple[str, bool]]] = {
    "claims": {
        "claim_id": ("str", True),
        "clinic_id": ("str", True),
        "doctor_id": ("str", True),
        "patient_id": ("str", True),
        "birth_date": ("date", True),
        "visit_date": ("date", True),
        "order_code": ("str", True),
        "tooth": ("str", False),
        "surfaces": ("int", False),
        "quantity": ("int", True),
        "points": ("int", True),
    },
    "clinics": {
        "clinic_id": ("str", True),
        "name": ("str", False),
        "region": ("str", True),
        "kind": ("str", True),
        "opened_on": ("date", True),
    },
    "doctors": {
        "doctor_id": ("str", True),
        "home_region": ("str", True),
        "specialist": ("bool", False),  # 十三/十四's 認定 as input; empty: decided from the claims
    },
    "clinic_quarter": {
        "clinic_id": ("str", True),
        "quarter": ("str", True),
        "sessions_per_month": ("float", True),
        "outreach_sessions_year": ("int", True),
        "unimproved_after_agreement": ("bool", True),
    },
}

SQL_TYPES = {"str": "VARCHAR", "date": "DATE", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN"}
PARQUET_OK = {
    "str": ("VARCHAR",),
    "date": ("DATE", "VARCHAR", "TIMESTAMP"),
    "int": (
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "HUGEINT",
    ),
    "float": ("FLOAT", "DOUBLE", "DECIMAL", "TINYINT", "SMALLINT", "INTEGER", "BIGINT"),
    "bool": ("BOOLEAN",),
}
FDI_TEETH = [f"{q}{n}" for q in range(1, 5) for n in range(1, 9)] + [
    f"{q}{n}" for q in range(5, 9) for n in range(1, 6)
]


def parse_quarter(text: str) -> Quarter:
    """The quarter a dental run is asked for: ``2024Q4`` or the ROC ``113Q4`` (contract, Inputs)."""
    try:
        return Quarter(*parse_quarter_code(text))
    except CalendarError:
        raise DataFileError(f"quarter {text!r}: expected YYYYQn (e.g. 2024Q4) or ROC yyyQn (113Q4)") from None


def find_input(data_dir: Path, name: str) -> Path:
    """`DIR/NAME.parquet` or `DIR/NAME.csv` (exactly one of them)."""
    found = [p for p in (data_dir / f"{name}.parquet", data_dir / f"{name}.csv") if p.exists()]
    if not found:
        raise DataFileError(f"{data_dir}: missing {name}.parquet or {name}.csv")
    if len(found) > 1:
        raise DataFileError(f"{data_dir}: both {name}.parquet and {name}.csv; keep one")
    return found[0]


def input_paths(data_dir: str | Path) -> dict[str, Path]:
    directory = Path(data_dir)
    if not directory.is_dir():
        raise DataFileError(f"{directory}: not a directory")
    return {name: find_input(directory, name) for name in SCHEMAS}


def sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def raw_relation_sql(path: Path, with_row: bool = True) -> str:
    """SQL for the raw file: CSV read as text (types checked by us), Parquet as stored."""
    if path.suffix == ".csv":
        src = f"read_csv({sql_text(str(path))}, header=true, all_varchar=true, auto_detect=true)"
        return f"(SELECT row_number() OVER () AS _row, * FROM {src})" if with_row else src
    if not with_row:
        return f"read_parquet({sql_text(str(path))})"
    src = f"read_parquet({sql_text(str(path))}, file_row_number=true)"
    return f"(SELECT file_row_number + 1 AS _row, * EXCLUDE (file_row_number) FROM {src})"


def _columns(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    rel = raw_relation_sql(path, with_row=False)
    if path.suffix != ".csv":
        rel = f"read_parquet({sql_text(str(path))})"
    try:
        rows = con.sql(f"DESCRIBE SELECT * FROM {rel}").fetchall()
    except duckdb.Error as exc:
        raise DataFileError(f"{path.name}: cannot read: {' '.join(str(exc).split())[:200]}") from exc
    return {str(r[0]): str(r[1]) for r in rows}


def typed_select_sql(path: Path, table: str) -> str:
    """A typed view of the file: CSV text cast to the contract's types (checked beforehand)."""
    cols = []
    for col, (family, _req) in SCHEMAS[table].items():
        if path.suffix == ".csv":
            expr = f"NULLIF(TRIM({col}), '')"
            cols.append(f"CAST({expr} AS {SQL_TYPES[family]}) AS {col}")
        else:
            cols.append(f"CAST({col} AS {SQL_TYPES[family]}) AS {col}")
    return f"SELECT _row, {', '.join(cols)} FROM {raw_relation_sql(path)}"


@dataclass(frozen=True)
class CodeProfile:
    """The claims' distinct order codes (as stored), and for a Parquet file the number of lines
    per code without a tooth and without surfaces — one grouped scan that serves both the code
    sets (expanded over the codes present) and the OD checks of validation."""

    codes: list[str]
    no_tooth: dict[str, int] | None = None
    no_surfaces: dict[str, int] | None = None

    @property
    def present(self) -> list[str]:
        """Distinct codes, trimmed, without empty ones (what code sets are expanded over)."""
        return sorted({c.strip() for c in self.codes if c.strip()})


def claim_code_profile(con: duckdb.DuckDBPyConnection, path: Path) -> CodeProfile:
    raw = raw_relation_sql(path, with_row=False)
    if not _has_columns(con, path, ("order_code",)):
        return CodeProfile([])  # validation names the missing column
    try:
        if path.suffix == ".csv" or not _has_columns(con, path, ("tooth", "surfaces")):
            rows = con.sql(f"SELECT DISTINCT CAST(order_code AS VARCHAR) FROM {raw}").fetchall()
            return CodeProfile([str(r[0]) for r in rows if r[0] is not None])
        rows = con.sql(
            f"SELECT CAST(order_code AS VARCHAR), count(*) - count(tooth), count(*) - count(surfaces) "
            f"FROM {raw} GROUP BY ALL"
        ).fetchall()
    except duckdb.Error as exc:
        raise DataFileError(f"{path.name}: cannot read: {' '.join(str(exc).split())[:200]}") from exc
    rows = [r for r in rows if r[0] is not None]
    return CodeProfile(
        [str(r[0]) for r in rows],
        {str(r[0]): int(r[1]) for r in rows},
        {str(r[0]): int(r[2]) for r in rows},
    )


def _has_columns(con: duckdb.DuckDBPyConnection, path: Path, cols: tuple[str, ...]) -> bool:
    try:
        present = _columns(con, path)
    except DataFileError:
        return False
    return all(c in present for c in cols)


def _first_failure(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    source_sql: str,
    checks: list[tuple[str, str, str]],
    extra: list[str] | None = None,
) -> tuple[object, ...]:
    """checks: (column, SQL condition that is TRUE for a bad row, what is wrong). Raises on the
    first bad row; returns the values of the `extra` aggregates computed in the same scan."""
    extra = extra or []
    if not checks and not extra:
        return ()
    aggs = ", ".join([*(f"min(_row) FILTER (WHERE {cond})" for _col, cond, _msg in checks), *extra])
    try:
        row = con.sql(f"SELECT {aggs} FROM ({source_sql})").fetchall()[0]
    except duckdb.Error as exc:
        raise DataFileError(f"{path.name}: cannot read: {' '.join(str(exc).split())[:200]}") from exc
    failures = [(r, checks[i]) for i, r in enumerate(row[: len(checks)]) if r is not None]
    if failures:
        r, (col, _cond, msg) = min(failures, key=lambda f: f[0])
        raise DataFileError(f"{path.name}: row {r}, column {col}: {msg}")
    return tuple(row[len(checks) :])


def file_checks(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> list[tuple[str, str, str]]:
    """Columns present with usable types (checked now); per-row checks returned as SQL."""
    columns = _columns(con, path)
    csv_file = path.suffix == ".csv"
    for col, (family, _req) in SCHEMAS[table].items():
        if col not in columns:
            raise DataFileError(f"{path.name}: missing column {col}")
        if not csv_file:
            stored = columns[col].split("(")[0]
            if stored not in PARQUET_OK[family] and stored != "NULL":
                raise DataFileError(
                    f"{path.name}: column {col}: type {columns[col]}, expected {SQL_TYPES[family]}"
                )
    checks: list[tuple[str, str, str]] = []
    for col, (family, required) in SCHEMAS[table].items():
        stored_text = csv_file or columns[col].startswith("VARCHAR")
        text = (f"NULLIF(TRIM({col}), '')" if csv_file else f"NULLIF({col}, '')") if stored_text else col
        if required:
            checks.append((col, f"{text} IS NULL", "value missing"))
        if stored_text and family == "int":
            # TRY_CAST('1.5' AS BIGINT) rounds to 2: an integer column takes digits only
            checks.append(
                (
                    col,
                    f"{text} IS NOT NULL AND NOT regexp_full_match({text}, '[+-]?[0-9]{{1,18}}')",
                    f"not a {SQL_TYPES[family].lower()}",
                )
            )
        elif stored_text and family != "str":
            checks.append(
                (
                    col,
                    f"{text} IS NOT NULL AND TRY_CAST({text} AS {SQL_TYPES[family]}) IS NULL",
                    f"not a {SQL_TYPES[family].lower()}",
                )
            )
    return checks


def check_file(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> None:
    _first_failure(con, path, f"SELECT * FROM {raw_relation_sql(path)}", file_checks(con, path, table))


def validate_inputs(
    con: duckdb.DuckDBPyConnection,
    paths: dict[str, Path],
    quarter: Quarter | None,
    *,
    region: str | None,
    od_codes: list[str] | None = None,
    code_profile: CodeProfile | None = None,
) -> list[str]:
    """Every check of the contract's "Bad input" paragraph; returns warnings, raises on errors.
    `quarter` and `region` None (loading a store): the checks of the files alone, without the
    scored quarter's and region's.

    A Parquet claims file with the contract's types is checked in a few cheap passes (Parquet
    statistics for nulls and ranges, the distinct clinic/doctor/tooth values, the per-code null
    counts of `code_profile`, two date comparisons that row-group statistics mostly answer). When
    any of them finds a problem — and always for CSV — the row-by-row checks run and name the
    first bad row, file and column."""
    for table in ("clinics", "doctors", "clinic_quarter"):
        check_file(con, paths[table], table)
    typed = {t: typed_select_sql(p, t) for t, p in paths.items()}
    clinics, doctors, cq, claims = (paths[t] for t in ("clinics", "doctors", "clinic_quarter", "claims"))

    _first_failure(
        con,
        clinics,
        typed["clinics"],
        [("kind", "kind NOT IN ('clinic', 'hospital')", "kind must be clinic or hospital")],
    )
    _unique(con, clinics, typed["clinics"], "clinic_id")
    _unique(con, doctors, typed["doctors"], "doctor_id")
    _first_failure(
        con,
        cq,
        typed["clinic_quarter"],
        [
            (
                "quarter",
                r"NOT regexp_full_match(quarter, '\d{4}Q[1-4]')",
                "unknown quarter (expected YYYYQn)",
            ),
            ("sessions_per_month", "sessions_per_month < 0", "negative"),
            ("outreach_sessions_year", "outreach_sessions_year < 0", "negative"),
        ],
    )

    claim_checks = file_checks(con, claims, "claims")
    if od_codes is None:
        od = r"regexp_full_match(order_code, '89\d{3}C')"
    else:
        od = f"order_code IN ({', '.join(sql_text(c) for c in od_codes)})" if od_codes else "FALSE"
    known = {
        "clinic_id": {r[0] for r in con.sql(f"SELECT clinic_id FROM ({typed['clinics']})").fetchall()},
        "doctor_id": {r[0] for r in con.sql(f"SELECT doctor_id FROM ({typed['doctors']})").fetchall()},
        "tooth": set(FDI_TEETH),
    }
    stats = None
    if (
        claims.suffix != ".csv"
        and not any(c[2].startswith("not a") for c in claim_checks)
        and od_codes is not None
        and code_profile is not None
        and code_profile.no_tooth is not None
    ):
        stats = _claims_fast_checks(con, claims, quarter, od_codes, code_profile, known)
    if stats is None:  # CSV, or a check failed: the row-by-row checks name the first bad row
        stats = _claims_row_checks(con, claims, typed, quarter, claim_checks, od, known)
    first, in_quarter = stats
    if quarter is None or region is None:
        return []
    return quarter_checks(
        con, claims.name, typed["clinics"], clinics.name, quarter, region, first, in_quarter
    )


def quarter_checks(
    con: duckdb.DuckDBPyConnection,
    claims_name: str,
    clinics_sql: str,
    clinics_name: str,
    quarter: Quarter,
    region: str,
    first: object,
    in_quarter: object,
) -> list[str]:
    """The checks of the scored quarter and region, given the first visit date and the number of
    lines in the quarter (from the files, or from a store's manifest)."""
    if not in_quarter:
        raise DataFileError(f"{claims_name}: unknown quarter {quarter}: no claim line in it")
    warnings = []
    lookback = quarter.start - timedelta(days=1095)
    if first is not None and first > lookback:  # type: ignore[operator]
        warnings.append(
            f"{claims_name}: claims start on {first}, after the 3-year look-back start {lookback}; "
            "refill and re-scaling indicators may be understated"
        )
    (n_region,) = con.sql(
        f"SELECT count(*) FROM ({clinics_sql}) WHERE region = {sql_text(region)}"
    ).fetchall()[0]
    if not n_region:
        raise DataFileError(f"{clinics_name}: no clinic of region {region!r}")
    return warnings


def _claims_row_checks(
    con: duckdb.DuckDBPyConnection,
    claims: Path,
    typed: dict[str, str],
    quarter: Quarter | None,
    claim_checks: list[tuple[str, str, str]],
    od: str,
    known: dict[str, set[str]],
) -> tuple[object, ...]:
    """Every claim check row by row; raises on the first bad row (min row over all checks).
    Returns (first visit date, lines in the quarter)."""
    if claims.suffix == ".csv" or any(c[2].startswith("not a") for c in claim_checks):
        _first_failure(con, claims, f"SELECT * FROM {raw_relation_sql(claims)}", claim_checks)
        claim_checks = []
    # Low-cardinality columns: check their distinct values first (cheap on dictionary-encoded
    # columns), and look for the first bad row only when a bad value exists.
    claim_src = f"({typed['claims']})"
    lookup_checks: list[tuple[str, str, str]] = []
    for col, allowed in known.items():
        present = [r[0] for r in con.sql(f"SELECT DISTINCT {col} FROM {claim_src}").fetchall()]
        bad = [v for v in present if v is not None and v not in allowed]
        if bad:
            lookup_checks.append(
                (col, f"{col} IN ({', '.join(sql_text(str(v)) for v in bad[:1000])})", _LOOKUP_MESSAGES[col])
            )
    return _first_failure(
        con,
        claims,
        f"SELECT * FROM {claim_src}",
        [
            *claim_checks,
            *lookup_checks,
            ("points", "points < 0", "negative points"),
            ("quantity", "quantity < 1", "quantity must be at least 1"),
            ("surfaces", "surfaces IS NOT NULL AND (surfaces < 1 OR surfaces > 5)", "surfaces must be 1–5"),
            ("tooth", f"{od} AND tooth IS NULL", "OD line without tooth"),
            ("surfaces", f"{od} AND surfaces IS NULL", "OD line without surfaces"),
            ("birth_date", "birth_date > visit_date", "birth date after the visit"),
        ],
        extra=["min(visit_date)", _in_quarter_count(quarter)],
    )


def _in_quarter_count(quarter: Quarter | None) -> str:
    if quarter is None:
        return "NULL"
    return f"count(*) FILTER (WHERE visit_date BETWEEN DATE '{quarter.start}' AND DATE '{quarter.end}')"


_LOOKUP_MESSAGES = {
    "clinic_id": "clinic not in clinics",
    "doctor_id": "doctor not in doctors",
    "tooth": "not an FDI tooth (11–48, 51–85)",
}


def _claims_fast_checks(
    con: duckdb.DuckDBPyConnection,
    claims: Path,
    quarter: Quarter | None,
    od_codes: list[str],
    profile: CodeProfile,
    known: dict[str, set[str]],
) -> tuple[object, ...] | None:
    """The claim checks without a row-by-row pass, for a Parquet file with the contract's types:
    (first visit date, lines in the quarter) when every check passes, None when one may fail
    (the caller then runs the row checks, which find and name the first bad row)."""
    src = raw_relation_sql(claims, with_row=False)
    columns = _columns(con, claims)
    required = [c for c, (_f, req) in SCHEMAS["claims"].items() if req]
    texts = [c for c in required if columns[c].startswith("VARCHAR")]
    aggs = [
        "count(*)",
        *(f"count({c})" for c in required),
        *(f"min({c})" for c in texts),  # '' sorts first: min > '' ⟺ no empty text
        "min(points)",
        "min(quantity)",
        "min(surfaces)",
        "max(surfaces)",
        "CAST(min(visit_date) AS DATE)",
    ]
    try:
        # answered from the Parquet statistics (row counts, null counts, min/max)
        row = con.sql(f"SELECT {', '.join(aggs)} FROM {src}").fetchall()[0]
        total, rest = row[0], list(row[1:])
        counts, rest = rest[: len(required)], rest[len(required) :]
        mins, rest = rest[: len(texts)], rest[len(texts) :]
        min_points, min_quantity, min_surfaces, max_surfaces, first = rest
        if any(n != total for n in counts) or any(m is not None and str(m) == "" for m in mins):
            return None
        if (min_points is not None and min_points < 0) or (min_quantity is not None and min_quantity < 1):
            return None
        if (min_surfaces is not None and min_surfaces < 1) or (max_surfaces is not None and max_surfaces > 5):
            return None
        od = set(od_codes)
        no_tooth, no_surfaces = profile.no_tooth or {}, profile.no_surfaces or {}
        if any(no_tooth.get(c, 0) or no_surfaces.get(c, 0) for c in profile.codes if c in od):
            return None
        # the distinct clinic, doctor and tooth values in one grouped scan
        values = con.sql(
            f"SELECT CAST(clinic_id AS VARCHAR), CAST(doctor_id AS VARCHAR), CAST(tooth AS VARCHAR) "
            f"FROM {src} GROUP BY GROUPING SETS ((clinic_id), (doctor_id), (tooth))"
        ).fetchall()
        for clinic, doctor, tooth in values:
            if (
                (clinic is not None and clinic not in known["clinic_id"])
                or (doctor is not None and doctor not in known["doctor_id"])
                or (tooth is not None and tooth not in known["tooth"])
            ):
                return None
        # row-group statistics skip most of the file for these two
        (late_birth,) = con.sql(
            f"SELECT count(*) FROM {src} WHERE CAST(birth_date AS DATE) > CAST(visit_date AS DATE)"
        ).fetchall()[0]
        if late_birth:
            return None
        in_quarter = None
        if quarter is not None:
            (in_quarter,) = con.sql(
                f"SELECT count(*) FROM {src} "
                f"WHERE CAST(visit_date AS DATE) BETWEEN DATE '{quarter.start}' AND DATE '{quarter.end}'"
            ).fetchall()[0]
    except duckdb.Error:
        return None
    return first, in_quarter


def _unique(con: duckdb.DuckDBPyConnection, path: Path, source_sql: str, col: str) -> None:
    rows = con.sql(
        f"SELECT max(_row), {col} FROM ({source_sql}) GROUP BY {col} HAVING count(*) > 1 ORDER BY 1 LIMIT 1"
    ).fetchall()
    if rows:
        row = rows[0]
        raise DataFileError(f"{path.name}: row {row[0]}, column {col}: duplicate {row[1]!r}")


# --- optional inputs of 十四 and 十五 (given on the command line, not in the data folder) -------

APPLICATION_COLUMNS = ("clinic_id", "doctor_id", "month", "specialty", "declared_percent")
REFUSAL_COLUMNS = ("clinic_id", "quarter", "refused", "doctor_id", "note")


def _optional_rows(
    con: duckdb.DuckDBPyConnection, path: Path, required: tuple[str, ...], optional: tuple[str, ...]
) -> tuple[str, list[str]]:
    if not path.exists():
        raise DataFileError(f"{path}: no such file")
    if path.suffix not in (".csv", ".parquet"):
        raise DataFileError(f"{path.name}: expected .csv or .parquet")
    columns = _columns(con, path)
    for col in required:
        if col not in columns:
            raise DataFileError(f"{path.name}: missing column {col}")
    text = {c: f"NULLIF(TRIM(CAST({c} AS VARCHAR)), '')" for c in (*required, *optional) if c in columns}
    select = ", ".join(f"{expr} AS {c}" for c, expr in text.items())
    return f"SELECT _row, {select} FROM {raw_relation_sql(path)}", list(text)


def read_applications(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    quarter: Quarter,
    clinics: set[str],
    doctors: set[str],
    specialties: list[str],
) -> list[tuple[int, str, str, int, str, str | None]]:
    """十四: the clinics' applications for cross-region specialists, one row per clinic, doctor
    and month (`YYYY-MM`, in the quarter: other months are checked and ignored), with the
    specialty applied for and the declared percent (optional). Returns
    (row, clinic, doctor, yyyymm, specialty, declared) of the quarter's rows."""
    src, cols = _optional_rows(con, path, APPLICATION_COLUMNS[:4], ("declared_percent",))
    allowed = ", ".join(sql_text(s) for s in specialties)
    checks = [(c, f"{c} IS NULL", "value missing") for c in APPLICATION_COLUMNS[:4]]
    checks += [
        (
            "clinic_id",
            f"clinic_id NOT IN ({', '.join(sql_text(c) for c in clinics) or 'NULL'})",
            "clinic not in clinics",
        ),
        (
            "doctor_id",
            f"doctor_id NOT IN ({', '.join(sql_text(d) for d in doctors) or 'NULL'})",
            "doctor not in doctors",
        ),
        ("month", r"NOT regexp_full_match(month, '\d{4}-(0[1-9]|1[0-2])')", "expected a month YYYY-MM"),
        (
            "specialty",
            f"specialty NOT IN ({allowed})",
            f"unknown specialty (one of {', '.join(specialties)})",
        ),
    ]
    if "declared_percent" in cols:
        checks.append(
            (
                "declared_percent",
                "declared_percent IS NOT NULL AND (TRY_CAST(declared_percent AS DECIMAL(18, 6)) IS NULL "
                "OR TRY_CAST(declared_percent AS DECIMAL(18, 6)) NOT BETWEEN 0 AND 100)",
                "expected a percent 0–100",
            )
        )
    _first_failure(con, path, src, checks)
    declared = "declared_percent" if "declared_percent" in cols else "NULL"
    rows = con.sql(
        f"SELECT _row, clinic_id, doctor_id, month, specialty, {declared} FROM ({src}) ORDER BY _row"
    ).fetchall()
    months = {quarter.start.year * 100 + quarter.start.month + i for i in range(3)}
    out = []
    seen: dict[tuple[str, str, int], int] = {}
    for row, clinic, doctor, month, specialty, pct in rows:
        yyyymm = int(month.replace("-", ""))
        key = (clinic, doctor, yyyymm)
        if key in seen:
            raise DataFileError(
                f"{path.name}: row {row}, column month: a second application for clinic {clinic}, "
                f"doctor {doctor}, {month} (row {seen[key]})"
            )
        seen[key] = row
        if yyyymm in months:
            out.append((int(row), clinic, doctor, yyyymm, specialty, pct))
    return out


def read_refusals(
    con: duckdb.DuckDBPyConnection, path: Path, quarter: Quarter, clinics: set[str], kinds: list[str]
) -> list[tuple[int, str, str, str, str]]:
    """十五: recorded refusals (`refused`: interview, repayment or agreement) per clinic and
    quarter; `doctor_id` and `note` optional. Returns (row, clinic, kind, doctor, note) of the
    quarter's rows."""
    src, cols = _optional_rows(con, path, REFUSAL_COLUMNS[:3], REFUSAL_COLUMNS[3:])
    checks = [(c, f"{c} IS NULL", "value missing") for c in REFUSAL_COLUMNS[:3]]
    checks += [
        (
            "clinic_id",
            f"clinic_id NOT IN ({', '.join(sql_text(c) for c in clinics) or 'NULL'})",
            "clinic not in clinics",
        ),
        ("quarter", r"NOT regexp_full_match(quarter, '\d{4}Q[1-4]')", "unknown quarter (expected YYYYQn)"),
        (
            "refused",
            f"refused NOT IN ({', '.join(sql_text(k) for k in kinds)})",
            f"expected one of {', '.join(kinds)}",
        ),
    ]
    _first_failure(con, path, src, checks)
    doctor = "doctor_id" if "doctor_id" in cols else "NULL"
    note = "note" if "note" in cols else "NULL"
    rows = con.sql(
        f"SELECT _row, clinic_id, refused, {doctor}, {note} FROM ({src}) "
        f"WHERE quarter = '{quarter}' ORDER BY _row"
    ).fetchall()
    return [(int(r[0]), r[1], r[2], r[3] or "", r[4] or "") for r in rows]
