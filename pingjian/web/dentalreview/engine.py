"""The one door from the reviewer pages to the dental engine (`pingjian.dental`).

Everything the app shows was computed here by the engine's own functions, the ones
`pingjian dental score|explain` use on a folder of claims files: `pipeline.score` and
`explain.explanation` (the trace `dental explain --json` prints), over the quarterly claims store
(`pingjian.dental.store`): `load_into_store` adds a folder's quarters to the store (replacing a
quarter already there), `score_quarter` scores a quarter from the store (as `dental score|explain
--store`). The app keeps one store (settings.PINGJIAN_DENTAL_STORE). Nothing here touches the
database.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pingjian.dental import pipeline, store
from pingjian.dental.explain import explanation
from pingjian.dental.io import SCHEMAS, parse_quarter
from pingjian.dental.points import _bands
from pingjian.rules.errors import DataFileError, ProgramFileError

Progress = Callable[[str], None]

FILE_NAMES = tuple(SCHEMAS)  # claims, clinics, doctors, clinic_quarter
SUFFIXES = (".csv", ".parquet")
PARQUET_MAGIC = b"PAR1"
MAX_MEMBERS = 16
MAX_INDICATOR_BYTES = 20 * 1024 * 1024  # an indicator table upload (one row per clinic: small)
INDICATOR_COLUMNS = ("clinic_id", "quarter", "region", "opened_on")  # the first line must name these
_SAFE_NAME = re.compile(r"[\w\-. ]{1,100}")


class EngineInputError(ValueError):
    """Input the engine refuses (a file, a row, a column, a parameter): the message names it."""


@dataclass
class ClinicOutcome:
    """One clinic's result as the engine gave it, ready to store (all JSON-safe)."""

    clinic_id: str
    name: str
    excluded: bool
    exclusion_reason: str
    points: str | None  # the engine's own decimal text (pipeline score table, 2 places)
    level: int | None
    flags: list[str]
    rule_points: dict[str, int | None]
    rules_fired: list[str]
    indicators: list[dict[str, Any]]
    trace: dict[str, Any]  # explain.explanation(...): the same as `dental explain --json`


@dataclass
class QuarterOutcome:
    label: str
    clinics: list[ClinicOutcome]
    warnings: list[str]
    run: dict[str, Any]
    store: dict[str, Any]  # store_state(...) of the manifest the score read


def normalise_quarter(text: str) -> str:
    """'2024Q4' or '113Q4' → '2024Q4'; EngineInputError when it is no quarter."""
    try:
        return str(parse_quarter(text.strip()))
    except DataFileError as exc:
        raise EngineInputError(str(exc)) from None


def parse_params(text: str) -> dict[str, str]:
    """NAME=VALUE per line (lists comma-separated), as `--param`; checked against the program."""
    out: dict[str, str] = {}
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if "=" not in line:
            raise EngineInputError(f"第 {n} 行「{line[:60]}」：應為 名稱=值")
        name, value = line.split("=", 1)
        out[name.strip()] = value.strip()
    try:
        pipeline.prepare_program(out)
    except (DataFileError, ProgramFileError, ValueError, KeyError) as exc:
        raise EngineInputError(f"參數不正確：{exc}") from None
    return out


# --- the input files: checked by content, never by name alone --------------------------------------


def _check_content(name: str, data: bytes, columns: Iterable[str]) -> None:
    """NAME's DATA is what its suffix says: Parquet (magic at both ends), or UTF-8 CSV text (not a
    Parquet or zip file renamed) whose first line names COLUMNS."""
    if name.lower().endswith(".parquet"):
        if not (data[:4] == PARQUET_MAGIC and data[-4:] == PARQUET_MAGIC):
            raise EngineInputError(f"{name}：不是 Parquet 檔（內容不符）")
        return
    try:
        lines = data[:65536].decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        lines = []
    if not lines or data[:4] in (PARQUET_MAGIC, b"PK\x03\x04"):
        raise EngineInputError(f"{name}：不是 UTF-8 文字之 CSV 檔（內容不符）")
    header = next(csv.reader(io.StringIO(lines[0])), [])
    missing = [c for c in columns if c not in header]
    if missing:
        raise EngineInputError(f"{name}：第 1 行欄位缺少 {', '.join(missing)}")


def _accept(name: str, data: bytes, found: dict[str, bytes]) -> None:
    base = Path(name.replace("\\", "/")).name
    stem, _dot, suffix = base.partition(".")
    if stem not in FILE_NAMES or f".{suffix}" not in SUFFIXES:
        raise EngineInputError(f"{base}：檔名應為 {'、'.join(FILE_NAMES)} 之一，副檔名 .csv 或 .parquet")
    if stem in {k.partition(".")[0] for k in found}:
        raise EngineInputError(f"{base}：{stem} 重複上傳")
    _check_content(base, data, [c for c, (_type, required) in SCHEMAS[stem].items() if required])
    found[base] = data


def unpack_upload(files: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
    """Uploaded files (a zip, or the four files) → {file name: bytes}, each checked by content."""
    found: dict[str, bytes] = {}
    for name, data in files:
        if data[:4] == b"PK\x03\x04":
            try:
                archive = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile:
                raise EngineInputError(f"{name}：壓縮檔損毀，無法讀取") from None
            members = [i for i in archive.infolist() if not i.is_dir()]
            if len(members) > MAX_MEMBERS:
                raise EngineInputError(f"{name}：壓縮檔內檔案過多（{len(members)} 個）")
            for info in members:
                if Path(info.filename).name.startswith((".", "__MACOSX")):
                    continue
                _accept(info.filename, archive.read(info), found)
        elif name.lower().endswith(".zip"):
            raise EngineInputError(f"{name}：副檔名為 .zip 但內容不是壓縮檔")
        else:
            _accept(name, data, found)
    missing = [n for n in FILE_NAMES if not any(k.partition(".")[0] == n for k in found)]
    if missing:
        raise EngineInputError(f"缺少檔案：{'、'.join(missing)}（.csv 或 .parquet）")
    return found


def folder_under(root: Path | None, relative: str) -> Path:
    """A server folder named relative to ROOT; refuses absolute paths and anything outside ROOT."""
    if root is None or not str(root):
        raise EngineInputError("伺服器未設定牙醫資料根目錄（PINGJIAN_DENTAL_DATA_ROOT），請改用上傳。")
    text = (relative or "").strip()
    if not text or text.startswith(("/", "\\")) or ".." in Path(text).parts or "\x00" in text:
        raise EngineInputError(f"資料夾「{text[:80]}」：請填寫資料根目錄下之相對路徑")
    base = Path(root).resolve()
    target = (base / text).resolve()
    if target != base and base not in target.parents:
        raise EngineInputError(f"資料夾「{text[:80]}」：不在資料根目錄之下")
    if not target.is_dir():
        raise EngineInputError(f"資料夾「{text[:80]}」：不存在")
    return target


# --- scoring ----------------------------------------------------------------------------------------


def load_into_store(folder: Path, store_path: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Validate FOLDER's files (the checks and messages of `score`) and add every quarter of its
    claims (the quarter and its look-back) to the store, replacing those already there; on any
    error the store is unchanged. Returns the engine's load report (`LoadReport.as_dict()`)."""
    try:
        report = store.load_quarters(folder, store_path, progress=progress)
    except DataFileError as exc:
        raise EngineInputError(str(exc)) from None
    return report.as_dict()


def store_state(store_path: Path) -> dict[str, Any]:
    """What the store holds now: {"store", "generation", "quarters": {quarter: {file, lines, …}}}
    (generation 0 and no quarter when there is no store yet)."""
    manifest = store.read_manifest(store_path) or {}
    return {
        "store": str(store_path),
        "generation": int(manifest.get("generation", 0)),
        "quarters": dict(manifest.get("quarters", {})),
    }


def stored_quarters(store_path: Path) -> list[str]:
    """The quarters the store holds, oldest first ([] when there is no store yet)."""
    return store.stored_quarters(store_path)


def _score(
    store_path: Path, quarter: str, params: Mapping[str, str] | None, progress: Progress | None
) -> Any:
    try:
        return store.score_from_store(store_path, quarter, params=dict(params or {}), progress=progress)
    except DataFileError as exc:
        raise EngineInputError(str(exc)) from None


def _outcome(res: Any, store_manifest: dict[str, Any]) -> QuarterOutcome:
    table = {row["clinic_id"]: row for row in pipeline.score_rows(res)}
    names = {inp.facts.clinic_id: inp.facts.name for inp in res.inputs}
    clinics = []
    for s in res.scores:
        trace = explanation(res, s)
        clinics.append(
            ClinicOutcome(
                clinic_id=s.clinic_id,
                name=names.get(s.clinic_id, ""),
                excluded=s.excluded,
                exclusion_reason=s.exclusion_reason,
                points=table[s.clinic_id]["points"] or None,
                level=s.level,
                flags=list(s.flags),
                rule_points=dict(s.rule_points),
                rules_fired=sorted({f["rule"] for f in trace["fired"]}),
                indicators=trace["indicators"],
                trace=trace,
            )
        )
    return QuarterOutcome(res.label, clinics, list(res.warnings), res.run, store_manifest)


def score_quarter(
    store_path: Path,
    quarter: str,
    params: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    attempts: int = 3,
) -> QuarterOutcome:
    """Score QUARTER from the store (`store.score_from_store`, as `dental score --store`). The
    outcome's `store` is the manifest the score read: taken before and after scoring, the same
    generation both times (a load in between: scored again, at most ATTEMPTS times)."""
    for _attempt in range(attempts):
        before = store_state(store_path)
        res = _score(store_path, quarter, params, progress)
        after = store_state(store_path)
        if before["generation"] == after["generation"]:
            break
    else:
        raise EngineInputError(f"{store_path}：評分期間資料庫一再變動，請稍後再試")
    return _outcome(res, after)


# --- an indicator table instead of claims (contract dental-south-113, "indicator table") -------------


def indicator_file_name(name: str) -> str:
    """The uploaded file's own base name, kept so the engine's messages name it; a name that is no
    plain file name (path parts, odd characters) becomes indicators.csv|.parquet."""
    base = Path((name or "").replace("\\", "/")).name
    suffix = Path(base).suffix.lower()
    if suffix not in SUFFIXES:
        raise EngineInputError(f"{base[:80]}：指標表之副檔名應為 .csv 或 .parquet")
    if not _SAFE_NAME.fullmatch(base) or base.startswith("."):
        base = f"indicators{suffix}"
    return base[: -len(suffix)] + suffix


def check_indicator_upload(name: str, data: bytes) -> str:
    """An uploaded indicator table checked by content (size, Parquet magic or a UTF-8 CSV whose
    first line names the key columns); returns the name to keep it under."""
    base = indicator_file_name(name)
    if len(data) > MAX_INDICATOR_BYTES:
        raise EngineInputError(f"{base}：超過 {MAX_INDICATOR_BYTES // (1024 * 1024)} MB 上限")
    if not data:
        raise EngineInputError(f"{base}：檔案是空的")
    _check_content(base, data, INDICATOR_COLUMNS)
    return base


@contextmanager
def _table_errors(path: Path) -> Iterator[None]:
    """The engine's refusals of an indicator table as EngineInputError naming the file."""
    try:
        yield
    except DataFileError as exc:
        raise EngineInputError(str(exc)) from None
    except (duckdb.Error, ValueError) as exc:
        raise EngineInputError(f"{path.name}：無法讀取：{' '.join(str(exc).split())[:200]}") from None


def _read_table(path: Path, quarter: str, params: Mapping[str, str] | None) -> Any:
    with _table_errors(path):
        prog = pipeline.prepare_program(dict(params or {}))
        return pipeline.read_indicator_table(prog, path, parse_quarter(quarter))


def validate_indicator_table(name: str, data: bytes, quarter: str, params: Mapping[str, str] | None) -> str:
    """The engine's own checks of an indicator table (`pipeline.read_indicator_table`, as `dental
    score --indicators`) on the uploaded bytes, before anything is kept: the message names the file,
    row and column. Returns the name to keep it under."""
    base = check_indicator_upload(name, data)
    with tempfile.TemporaryDirectory(prefix="pingjian-indicators-") as tmp:
        path = Path(tmp) / base
        path.write_bytes(data)
        _read_table(path, quarter, params)
    return base


def score_indicator_table(
    path: Path, quarter: str, params: Mapping[str, str] | None = None, progress: Progress | None = None
) -> QuarterOutcome:
    """Score QUARTER from an indicator table (`pipeline.score(indicators_path=…)`, as `dental score
    --indicators FILE`): no claims stage, no claims store (the outcome's `store` is empty)."""
    with _table_errors(path):
        res = pipeline.score(
            None, quarter, params=dict(params or {}), indicators_path=path, progress=progress
        )
    return _outcome(res, {})


# --- the program, for labels and charts ------------------------------------------------------------


def program_outline(params: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Rules, indicators (with the PR bands of the rules that rank them) and levels of the program."""
    prog = pipeline.prepare_program(params)
    bands: dict[str, list[dict[str, Any]]] = {}
    for rule in prog.rules:
        if not rule.bands:
            continue
        for ind in rule.indicators:
            for lo, hi, pts in _bands(prog, rule):
                bands.setdefault(ind, []).append(
                    {"rule": rule.id, "low": lo, "high": hi, "points": pts, "reference": rule.reference}
                )
    return {
        "title": prog.title,
        "rules": [{"id": r.id, "title": r.title, "reference": r.reference} for r in prog.rules],
        "indicators": [
            {"id": i.id, "title": i.title, "group": i.group, "bands": bands.get(i.id, [])}
            for i in prog.indicators
        ],
        "levels": [
            {"level": lv.level, "min_points": lv.min_points, "action": lv.action, "reference": lv.reference}
            for lv in prog.levels
        ],
        "parameters": prog.parameter_values(),
    }
