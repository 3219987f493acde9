"""A cache of the claims stage: the engine's per-clinic integer measures for one quarter.

The claims stage (validation + the heavy stage) is the expensive part of every `score`,
`indicators` and `explain` run (seconds to minutes), while its result is a few hundred kilobytes
that depend only on the input files, the quarter, the program's claims-stage definitions and the
engine's code. Explaining several clinics, re-scoring with other point parameters (what-if), or
scoring the four quarters of a year after their quarters reuse it.

An entry is keyed by everything the result depends on:

- each input file's name, size, modification time and a hash of its first and last 64 KiB (a
  Parquet footer carries the file's row-group statistics, so a rewrite changes it);
- the quarter;
- `claims_stage_signature(program)`: measures, code sets as resolved, and the parameters the
  claims stage reads (a test records every parameter the stage reads and checks they are here);
- a hash of the source of the modules that compute the result, so a change of code is a miss.

Engines are not in the key: DuckDB and Spark give identical measures (tested). Entries are JSON,
written atomically; an unreadable entry is a miss. `PINGJIAN_CACHE_DIR` sets the directory
(default `$XDG_CACHE_HOME/pingjian` or `~/.cache/pingjian`); `PINGJIAN_DENTAL_CACHE=off` turns
the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pingjian.rules.dental_program import DentalProgram

FORMAT = 2
KEEP_ENTRIES = 64
_EDGE = 64 * 1024
# the modules whose code decides the claims stage's result
_CODE = ("engine.py", "codes.py", "io.py", "pipeline.py", "cache.py", "store.py")
# parameters the claims stage reads by name, besides the measures' windows and code-set lists
CLAIMS_STAGE_PARAMETERS = ("region", "child_age_max", "od_892_deduction")
# (plus each specialty's age parameter, 十三; the specialty code sets are among the code sets)


@dataclass
class ClaimsStage:
    """What the claims stage produced for one quarter."""

    measures: dict[str, dict[str, int]]
    cross_region: list[tuple[str, str, int, int]]
    warnings: list[str]
    engine: str
    seconds: float
    timings: dict[str, Any] = field(default_factory=dict)  # this run's stage timings, not stored
    # 十三: (doctor_id, month, cases, cases per specialty in the program's order)
    doctor_months: list[tuple[Any, ...]] = field(default_factory=list)


def enabled() -> bool:
    return os.environ.get("PINGJIAN_DENTAL_CACHE", "on").lower() not in ("0", "off", "no", "false")


def directory() -> Path:
    base = os.environ.get("PINGJIAN_CACHE_DIR")
    if base:
        return Path(base) / "dental"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "pingjian" / "dental"


def claims_stage_signature(program: DentalProgram) -> dict[str, Any]:
    """Every part of the program the claims stage's result depends on."""
    params = set(CLAIMS_STAGE_PARAMETERS)
    params.update(m.window for m in program.measures.values() if m.window)
    params.update(sp.age_max_param for sp in program.specialties if sp.age_max_param)
    params.update(cs.patterns_param for cs in program.code_sets.values() if cs.patterns_param)
    return {
        "program": program.id,
        "specialties": [sp.model_dump() for sp in program.specialties],
        "measures": {name: m.model_dump() for name, m in sorted(program.measures.items())},
        "code_sets": {name: program.code_set_codes(name) for name in sorted(program.code_sets)},
        "parameters": {name: program.param(name) for name in sorted(params)},
    }


@cache
def _code_hash() -> str:
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in _CODE:
        h.update(name.encode())
        h.update((here / name).read_bytes())
    return h.hexdigest()


def _file_fingerprint(path: Path) -> dict[str, Any]:
    st = path.stat()
    h = hashlib.sha256()
    with path.open("rb") as f:
        h.update(f.read(_EDGE))
        if st.st_size > 2 * _EDGE:
            f.seek(-_EDGE, os.SEEK_END)
            h.update(f.read(_EDGE))
    return {"name": path.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns, "edges": h.hexdigest()}


def key(paths: dict[str, Path], quarter: str, program: DentalProgram) -> str:
    material = {
        "format": FORMAT,
        "code": _code_hash(),
        "files": {table: _file_fingerprint(p) for table, p in sorted(paths.items())},
        "quarter": quarter,
        "program": claims_stage_signature(program),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


def load(entry_key: str) -> ClaimsStage | None:
    path = directory() / f"{entry_key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        result = ClaimsStage(
            measures={c: {k: int(v) for k, v in m.items()} for c, m in data["measures"].items()},
            cross_region=[(str(c), str(d), int(mo), int(t)) for c, d, mo, t in data["cross_region"]],
            warnings=[str(w) for w in data["warnings"]],
            engine=str(data["engine"]),
            seconds=float(data["seconds"]),
            doctor_months=[(str(r[0]), *(int(x) for x in r[1:])) for r in data["doctor_months"]],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    os.utime(path)  # most recently used: kept longest
    return result


def store(entry_key: str, result: ClaimsStage) -> None:
    """Write the entry atomically; a cache that cannot be written is not an error."""
    folder = directory()
    data = {
        "format": FORMAT,
        "measures": result.measures,
        "cross_region": result.cross_region,
        "doctor_months": result.doctor_months,
        "warnings": result.warnings,
        "engine": result.engine,
        "seconds": result.seconds,
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, separators=(",", ":"))
        os.replace(tmp, folder / f"{entry_key}.json")
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        old.unlink(missing_ok=True)
