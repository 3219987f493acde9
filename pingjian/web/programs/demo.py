"""Demo data: the six program files as published versions."""

from __future__ import annotations

from typing import Any

from .actions import do_load_program_files


def seed(data: Any) -> None:
    do_load_program_files(actor=None)
