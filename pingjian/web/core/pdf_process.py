"""WeasyPrint in a child process, so that a render can be stopped: the hard time limit (issue 17,
item 2, docs/decisions.md "PDF rendering budgets").

WeasyPrint cannot be interrupted inside a thread, and `signal.alarm` reaches only the main thread,
which a gunicorn gthread worker's requests never run on. So each PDF is written by a child process
that is killed when it overruns: the thread serving the request waits on a pipe at most SECONDS,
then kills the child (`RenderTimeoutError`); nothing of the render is left running or holding a
rendering turn. Children come from multiprocessing's fork server, a single-threaded process started
on first use with WeasyPrint already imported: forking it is safe (forking the threaded web worker
is not) and costs tens of milliseconds, not the second a fresh interpreter would.

This module knows no Django: the child imports only it and WeasyPrint. Like every fork-server or
spawn child, it also re-imports the parent's main script unless that is a package's `__main__`:
ours are safe to import (`python -m pingjian.cli` is skipped, the `pingjian` script and gunicorn's
guard with `if __name__ == "__main__"`); a new entry point must be too.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["weasyprint", __name__])


class RenderTimeoutError(TimeoutError):
    """The render overran its time and its process was killed."""


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"PDFs fetch nothing: {url}")


def write_pdf(html: str) -> bytes:
    """The PDF of HTML (the url fetcher refuses every URL: nothing is read but the string)."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def _child(answer: Connection, writer: Callable[[str], bytes], html: str) -> None:
    try:
        answer.send(("pdf", writer(html)))
    except BaseException as exc:  # told to the parent, which raises it there
        answer.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        answer.close()


def write_pdf_within(html: str, seconds: float, writer: Callable[[str], bytes] | None = None) -> bytes:
    """The PDF of HTML written in a child process (WRITER, `write_pdf` by default), or
    `RenderTimeoutError` once SECONDS have passed without it (the child is killed)."""
    receiver, sender = _context.Pipe(duplex=False)
    child = _context.Process(target=_child, args=(sender, writer or write_pdf, html), daemon=True)
    child.start()
    sender.close()  # the child holds its own end: EOF here if it dies without answering
    try:
        if not receiver.poll(seconds):
            raise RenderTimeoutError(f"PDF rendering stopped after {seconds:g} s")
        try:
            kind, value = receiver.recv()
        except EOFError:
            child.join(1)
            raise RuntimeError(f"the PDF renderer ended without a PDF (exit code {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind == "error":
        raise RuntimeError(f"PDF rendering failed: {value}")
    return value
