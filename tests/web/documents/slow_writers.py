"""PDF writers for the hard-time-limit tests. The render's child process imports this module, so it
imports nothing of Django or the tests' fixtures."""

from __future__ import annotations

import os
import time
from multiprocessing.context import ForkServerProcess
from typing import ClassVar


def write_never(html: str) -> bytes:
    time.sleep(60)  # hangs for longer than any test waits
    return b""


def write_and_die(html: str) -> bytes:
    os._exit(3)  # a crash: no answer at all


class RecordedProcess(ForkServerProcess):
    """The fork server's process, remembered in `started` so that a test can see how it ended."""

    started: ClassVar[list[ForkServerProcess]] = []

    def start(self) -> None:
        RecordedProcess.started.append(self)
        super().start()
