"""The load test, end to end (issue 16, item 7; docs/benchmarks.md):

    .venv/bin/python bench/load/run.py [--users 200] [--seconds 60] [--workers 5] [--threads 8]

creates a throw-away PostgreSQL database (BENCH_POSTGRES, default the local server), fills it
(setup_data.py), starts `pingjian serve` in production mode on a free loopback port, runs locust
headless with USERS users for SECONDS, stops the server, and reports the 95th percentile, the
errors and the lost writes (acknowledged by the server − stored in the database)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--institutions", type=int, default=60)
    parser.add_argument("--surveyors", type=int, default=30)
    parser.add_argument("--conn-max-age", type=int, default=60)
    args = parser.parse_args()

    name = f"bench_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    work = Path(tempfile.mkdtemp(prefix="pingjian-load-"))
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": f"{SERVER}/{name}",
        "PINGJIAN_VAR_DIR": str(work / "var"),
        "PINGJIAN_AUDIT_KEY": secrets.token_hex(32),
    }
    for variable in ("PINGJIAN_DEMO", "PINGJIAN_DEBUG", "PINGJIAN_PRODUCTION"):
        env.pop(variable, None)
    server = None
    try:
        targets = work / "targets.json"
        subprocess.run(
            [
                sys.executable,
                str(HERE / "setup_data.py"),
                str(args.institutions),
                str(args.surveyors),
                str(targets),
            ],
            env=env,
            check=True,
        )
        port = free_port()
        production = {
            **env,
            "PINGJIAN_SECRET_KEY": secrets.token_urlsafe(50),
            "PINGJIAN_ALLOWED_HOSTS": "127.0.0.1",
            "PINGJIAN_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "PINGJIAN_ACCESS_LOG": "",
            "PINGJIAN_DB_CONN_MAX_AGE": str(args.conn_max_age),
        }
        command = [sys.executable, "-m", "pingjian.cli", "serve", "--port", str(port), "--no-migrate"]
        command += ["--workers", str(args.workers), "--threads", str(args.threads)]
        server_log = (work / "serve.log").open("wb")
        server = subprocess.Popen(command, env=production, stdout=server_log, stderr=subprocess.STDOUT)
        host = f"http://127.0.0.1:{port}"
        wait_for(f"{host}/healthz", server)
        writes = work / "writes.json"
        locust = [
            sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless", "--host", host,
            "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s",
            "--csv", str(work / "locust"), "--only-summary", "--stop-timeout", "10",
            # the figures are of the steady state: sign-ins (password hashing, the second factor)
            # happen while users spawn and are counted before the reset
            "--reset-stats",
        ]  # fmt: skip
        runner = subprocess.Popen(
            locust, env={**env, "BENCH_TARGETS": str(targets), "BENCH_WRITES": str(writes)}
        )
        cpu = watch_cpu(runner, server.pid, name, ramp=args.users / args.spawn_rate + 1)
        time.sleep(2)
        report(work, json.loads(writes.read_text()), f"{SERVER}/{name}", args, cpu)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit(f"pingjian serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"{url} never answered")


def watch_cpu(runner: subprocess.Popen[bytes], server: int, database: str, ramp: float) -> dict[str, float]:
    """CPU seconds (user + system) spent during the steady state (after the ramp, when locust
    resets its statistics, to its end) by the server's processes, the bench database's PostgreSQL
    backends and locust itself: what the requests counted cost the machine. "server" is the process
    tree of `pingjian serve`: the gunicorn workers and the background worker."""
    import psutil

    def tree(pid: int) -> list[psutil.Process]:
        try:
            root = psutil.Process(pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def backends() -> list[psutil.Process]:
        return [
            p
            for p in psutil.process_iter(["cmdline"])
            if " ".join(p.info["cmdline"] or []).startswith("postgres:")
            and f" {database} " in " ".join(p.info["cmdline"] or [])
        ]

    def seconds(processes: list[psutil.Process], seen: dict[int, float]) -> None:
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            seen[process.pid] = times.user + times.system  # the latest reading of each process

    start: dict[str, dict[int, float]] = {"server": {}, "database": {}, "locust": {}}
    end: dict[str, dict[int, float]] = {"server": {}, "database": {}, "locust": {}}
    began = time.monotonic()
    started = False
    while runner.poll() is None:
        if not started and time.monotonic() - began >= ramp:
            seconds([p for p in tree(server) if p.pid != runner.pid], start["server"])
            seconds(backends(), start["database"])
            seconds(tree(runner.pid), start["locust"])
            started = True
        if started:
            seconds([p for p in tree(server) if p.pid != runner.pid], end["server"])
            seconds(backends(), end["database"])
            seconds(tree(runner.pid), end["locust"])
        time.sleep(0.5)
    return {
        kind: sum(end[kind].values()) - sum(v for pid, v in start[kind].items() if pid in end[kind])
        for kind in end
    } | {"seconds": time.monotonic() - began - ramp}


def report(
    work: Path, acknowledged: dict[str, int], url: str, args: argparse.Namespace, cpu: dict[str, float]
) -> None:
    with psycopg.connect(url) as connection:
        stored = {
            "submissions": connection.execute(
                "SELECT count(*) FROM assessments_submission WHERE device_id LIKE 'bench-%'"
            ).fetchone()[0],
            "evidence": connection.execute("SELECT count(*) FROM evidence_evidencefile").fetchone()[0],
        }
    rows = list(csv.DictReader((work / "locust_stats.csv").open(encoding="utf-8")))
    print(f"\n{args.users} users, {args.seconds} s, gunicorn {args.workers}×{args.threads} gthread")
    print(f"{'request':52} {'count':>7} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}")
    for row in rows:
        print(
            f"{(row['Type'] + ' ' + row['Name'])[:52]:52} "
            f"{row['Request Count']:>7} {row['Failure Count']:>5} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6} {float(row['Max Response Time']):>7.0f}"
        )
    for kind in sorted(set(acknowledged) | set(stored)):
        if kind not in stored:
            print(f"{kind}: {acknowledged[kind]}")
            continue
        lost = acknowledged.get(kind, 0) - stored.get(kind, 0)
        told, kept = acknowledged.get(kind, 0), stored.get(kind, 0)
        print(f"writes {kind}: acknowledged {told}, stored {kept}, lost {lost}")
    total = next((row for row in rows if row["Name"] == "Aggregated"), None)
    served = int(total["Request Count"]) if total else 0
    print(
        f"CPU during the steady state ({cpu['seconds']:.0f} s, {served} requests): "
        f"server {cpu['server']:.1f} s, PostgreSQL {cpu['database']:.1f} s, locust {cpu['locust']:.1f} s"
        + (
            f" = {1000 * cpu['server'] / served:.1f} + {1000 * cpu['database'] / served:.1f} + "
            f"{1000 * cpu['locust'] / served:.1f} ms per request"
            if served
            else ""
        )
    )
    print(f"(locust CSV and server log in {work})")


if __name__ == "__main__":
    main()
