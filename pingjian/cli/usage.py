"""Click classes whose usage errors (a missing argument, an unknown option or sub-command) are one
line on stderr and exit 2 — the contract's "one-line message on bad input, writing nothing"."""

from __future__ import annotations

import sys
from typing import Any

import click


def _fail(exc: click.UsageError) -> None:
    click.echo(f"錯誤 error: {' '.join(exc.format_message().split())}", err=True)
    sys.exit(2)


class OneLineCommand(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            _fail(exc)
            raise  # unreachable


class OneLineGroup(click.Group):
    command_class = OneLineCommand

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            _fail(exc)
            raise

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            _fail(exc)
            raise
