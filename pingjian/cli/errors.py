"""How every command reports bad input: one line on stderr, a non-zero exit, nothing written."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from pingjian.rules.errors import PingjianError

F = TypeVar("F", bound=Callable[..., Any])


def reports_input_errors(func: F) -> F:
    """Turn a PingjianError (or a bad file) into `錯誤 error: <message>` and exit status 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (PingjianError, OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            message = " ".join(str(exc).split())
            click.echo(f"錯誤 error: {message}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def emit_json(payload: Any) -> None:
    """Machine output: UTF-8 JSON on stdout, Chinese kept as characters."""
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
