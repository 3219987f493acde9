"""The program registry: finds the program files under `pingjian/programs/`, reads and validates
them (評鑑/認證計畫 against `program_schema`, the dental program against `dental_program`), and
lists them. A bad file raises `ProgramFileError` naming the file and the path inside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from pingjian.rules.dental_program import load_dental_program
from pingjian.rules.errors import ProgramFileError
from pingjian.rules.program_schema import Program
from pingjian.rules.program_yaml import parse_yaml

PROGRAMS_DIR = Path(__file__).resolve().parent.parent / "programs"


class ProgramSummary(BaseModel):
    """What `pingjian programs list` shows of each program."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: str
    title: str
    title_en: str
    version: int
    status: str
    criteria: int  # the program's criteria_count
    path: Path


def _location(loc: tuple[int | str, ...], data: Any) -> str:
    """A readable path into the file: `items[A1.2].requirements[3].text`."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            label = str(key)
            if isinstance(node, list) and 0 <= key < len(node):
                entry = node[key]
                if isinstance(entry, dict) and "id" in entry:
                    label = str(entry["id"])
                elif isinstance(entry, dict) and "number" in entry:
                    label = str(entry["number"])
                node = entry
            else:
                node = None
            parts.append(f"[{label}]")
        else:
            node = node.get(key) if isinstance(node, dict) else None
            parts.append(f".{key}" if parts else key)
    return "".join(parts) or "(top level)"


def describe_validation_error(source: str, error: ValidationError, data: Any) -> str:
    """Each problem on its own clause: `file: path: message`; the first few, then a count."""
    problems = [f"{_location(e['loc'], data)}: {e['msg']}" for e in error.errors()]
    shown = "; ".join(problems[:5])
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return f"{source}: {shown}{more}"


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ProgramFileError(f"{path}: no such program file") from exc
    try:
        return parse_yaml(text)
    except yaml.YAMLError as exc:
        raise ProgramFileError(f"{path}: not valid YAML: {exc}") from exc
    except RecursionError:
        raise ProgramFileError(f"{path}: not valid YAML: nested too deeply") from None


def parse_program(data: Any, source: str) -> Program:
    """Validate an evaluation/certification program given as parsed YAML (also used for drafts
    edited in the web application). Raises ProgramFileError naming `source` and the path."""
    if not isinstance(data, dict):
        raise ProgramFileError(f"{source}: a program file must be a mapping at the top level")
    try:
        return Program.model_validate(data)
    except ValidationError as exc:
        raise ProgramFileError(describe_validation_error(source, exc, data)) from exc


def program_paths() -> Iterator[Path]:
    yield from sorted(PROGRAMS_DIR.glob("*.yaml"))


@cache
def load_program_file(path: Path) -> Any:
    """Load and validate one program file of any kind (evaluation, certification, dental)."""
    data = read_yaml(path)
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "dental":
        return load_dental_program(path)
    program = parse_program(data, str(path))
    if path.stem != program.id:
        raise ProgramFileError(f"{path}: file name must be the program id {program.id!r}")
    return program


def load_program(program_id: str) -> Any:
    """The program with this id, validated; ProgramFileError if there is none."""
    path = PROGRAMS_DIR / f"{program_id}.yaml"
    if not path.is_file():
        known = ", ".join(p.stem for p in program_paths())
        raise ProgramFileError(f"unknown program {program_id!r} (known: {known})")
    return load_program_file(path)


def list_programs() -> list[ProgramSummary]:
    summaries = []
    for path in program_paths():
        program = load_program_file(path)
        summaries.append(
            ProgramSummary(
                id=program.id,
                kind=program.kind,
                title=program.title,
                title_en=program.title_en,
                version=program.version,
                status=getattr(program, "status", "published"),
                criteria=program.criteria_count,
                path=path,
            )
        )
    return summaries
