"""Acceptance checks for issue 2 (the rules core), driven only through the `pingjian` command.

Written from the contract (`/work/shared/docs/contracts/evaluation-programs.md`), the seeds
(`/work/shared/seeds/000…003`) and the team's agreed output readings — never from the
implementation. Every case goes through the command line:

* most cases run the real click command in-process (click's CliRunner, stdout and stderr kept
  apart) so the whole suite stays fast;
* `PINGJIAN_ACCEPTANCE_SUBPROCESS=1` runs *every* case through the installed `pingjian` script
  as a subprocess instead (slower, byte-for-byte what a user gets); a few tests in
  `test_subprocess.py` always do.

Helpers:

* `cli(*args, data=None)` → `Run(code, stdout, stderr)`; `data` is written to a tmp JSON file
  whose path replaces the literal argument `"@DATA"`.
* `ok_json(...)` asserts exit 0 and parses stdout as JSON.
* `bad_input(...)` asserts the contract's bad-input behaviour: non-zero exit, nothing on stdout,
  exactly one line on stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

PINGJIAN = Path(sys.executable).with_name("pingjian")
ALWAYS_SUBPROCESS = os.environ.get("PINGJIAN_ACCEPTANCE_SUBPROCESS") == "1"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    crashed: BaseException | None = None  # an uncaught exception (in-process runs only)

    def describe(self) -> str:
        return f"exit={self.code}\nstdout={self.stdout!r}\nstderr={self.stderr!r}\ncrash={self.crashed!r}"


def run_subprocess(args: list[str]) -> Run:
    proc = subprocess.run(
        [str(PINGJIAN), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def run_in_process(args: list[str]) -> Run:
    from click.testing import CliRunner

    from pingjian.cli import main

    runner = CliRunner()
    result = runner.invoke(main, args, catch_exceptions=True)
    crashed = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crashed = result.exception
    return Run(result.exit_code, result.stdout, result.stderr, crashed)


class Cli:
    def __init__(self, tmp_path: Path, subprocess_only: bool = False) -> None:
        self.tmp_path = tmp_path
        self.subprocess_only = subprocess_only or ALWAYS_SUBPROCESS
        self.n = 0

    def write(self, data: Any, raw: str | None = None) -> Path:
        self.n += 1
        path = self.tmp_path / f"input-{self.n}.json"
        path.write_text(raw if raw is not None else json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    def __call__(self, *args: str, data: Any = None, raw: str | None = None) -> Run:
        argv = list(args)
        if "@DATA" in argv:
            path = self.write(data, raw)
            argv[argv.index("@DATA")] = str(path)
        if self.subprocess_only:
            return run_subprocess(argv)
        return run_in_process(argv)

    def ok_json(self, *args: str, data: Any = None, raw: str | None = None) -> Any:
        run = self(*args, data=data, raw=raw)
        assert run.crashed is None, run.describe()
        assert run.code == 0, run.describe()
        try:
            return json.loads(run.stdout)
        except json.JSONDecodeError as exc:  # pragma: no cover - a failure message
            raise AssertionError(f"stdout is not JSON: {exc}\n{run.describe()}") from exc

    def bad_input(self, *args: str, data: Any = None, raw: str | None = None) -> Run:
        run = self(*args, data=data, raw=raw)
        assert run.crashed is None, "uncaught exception instead of a one-line error\n" + run.describe()
        assert run.code != 0, "bad input accepted\n" + run.describe()
        assert run.stdout == "", "bad input wrote to stdout\n" + run.describe()
        lines = run.stderr.strip("\n").split("\n")
        assert len(lines) == 1 and lines[0].strip(), "stderr is not one line\n" + run.describe()
        return run


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


@pytest.fixture
def cli_subprocess(tmp_path: Path) -> Cli:
    return Cli(tmp_path, subprocess_only=True)
