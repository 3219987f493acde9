"""`pingjian serve` without --demo is the production server (issue 16, item 1): gunicorn on
PostgreSQL, the health endpoint checking the database, static files from WhiteNoise's manifest."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .postgres import fresh_postgres_database

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"pingjian serve exited with {process.returncode}"
        try:
            get(url)
            return
        except OSError:
            time.sleep(1)
    raise AssertionError(f"{url} did not answer in {seconds} s")


@pytest.mark.slow
def test_production_serve_answers_health_and_static_files_on_postgresql(tmp_path):
    with fresh_postgres_database("pingjian_serve") as url:
        if url is None:
            pytest.skip("no PostgreSQL server reachable")
        port = free_port()
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "PINGJIAN_VAR_DIR": str(tmp_path),
            "DATABASE_URL": url,
            "PINGJIAN_SECRET_KEY": secrets.token_urlsafe(50),
            "PINGJIAN_ALLOWED_HOSTS": "127.0.0.1",
            "PINGJIAN_AUDIT_KEY": secrets.token_hex(32),
            "PINGJIAN_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "PINGJIAN_ACCESS_LOG": "",
        }
        for name in ("PINGJIAN_DEBUG", "PINGJIAN_DEMO"):
            env.pop(name, None)
        command = [sys.executable, "-m", "pingjian.cli", "serve", "--port", str(port), "--workers", "1"]
        log = (tmp_path / "serve.log").open("wb")
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/healthz", process, seconds=300)
            status, body = get(f"{base}/healthz")
            assert status == 200 and body == b'{"status": "ok", "database": "ok"}'
            status, page = get(f"{base}/")
            assert status == 200
            hashed = re.search(rb"/static/core/pingjian\.[0-9a-f]{12}\.js", page)
            assert hashed, "the page names the manifest's hashed static file"
            status, script = get(base + hashed.group().decode())
            assert status == 200 and len(script) > 100
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
            log.close()
        output = (tmp_path / "serve.log").read_text()
        assert "Using worker: gthread" in output and "background worker: pid" in output
        assert "runserver" not in output and "development server" not in output.lower()
