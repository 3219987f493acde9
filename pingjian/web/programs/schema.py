"""Reading a program's YAML text with the rules core's own schemas (never a second schema).

Evaluation and certification programs go through `pingjian.rules.programs.parse_program`; the
dental guidance program through its own model in `pingjian.rules.dental_program`. Errors are the
core's `ProgramFileError`, whose message names the source and the path inside the file.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

import yaml
from pydantic import ValidationError

from pingjian.rules.errors import ProgramFileError
from pingjian.rules.programs import describe_validation_error, parse_program


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_source(text: str, source: str) -> Any:
    """Validate program YAML text; return the core's Program (or DentalProgram)."""
    return _parse_cached(text, source)


@lru_cache(maxsize=64)
def _parse_cached(text: str, source: str) -> Any:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProgramFileError(f"{source}: not valid YAML: {exc}") from None
    except RecursionError:
        raise ProgramFileError(f"{source}: not valid YAML: nested too deeply (巢狀層數過多)") from None
    if isinstance(data, dict) and data.get("kind") == "dental":
        from pingjian.rules.dental_program import DentalProgram

        try:
            return DentalProgram.model_validate(data)
        except ValidationError as exc:
            raise ProgramFileError(describe_validation_error(source, exc, data)) from None
    return parse_program(data, source)
