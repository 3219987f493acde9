"""The server's cost per request, independent of how busy the machine is (docs/benchmarks.md,
"Cost per request"):

    PYTHONPATH=$PWD .venv/bin/python bench/load/cost.py [--repeat 200] [--threads 1]

creates a throw-away PostgreSQL database filled by setup_data.py (as run.py does), starts
`pingjian serve` in production mode with ONE gunicorn worker (no background worker), signs in one
user of each kind of the locustfile, and sends each of the locustfile's requests REPEAT times one
after the other. Around each batch it reads the CPU time (user + system, /proc via psutil) of the
gunicorn worker and of the database's backends serving it: CPU-ms per request, server and database
separately, whatever else the machine runs. Then it counts the SQL queries of one request of each
kind in-process (django.test.Client on the same database, CaptureQueriesContext)."""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import psutil
import psycopg
import requests

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
from run import SERVER, free_port, wait_for  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUERIES = ["產後", "護理之家", "負載測試", "0900000001", ""]


def one_page_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def totp(key: str) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(bytes.fromhex(key)).token():06d}"


# --- the requests: one per request type of the locustfile, built on a signed-in client --------------


class Kinds:
    """The locustfile's request types as callables `(send) -> None`, where `send(method, path,
    **kwargs)` returns (status, json or text); the same definitions drive the HTTP client and the
    in-process query count."""

    def __init__(self, targets: dict, pick: int) -> None:  # type: ignore[type-arg]
        # pick: which accounts (a TOTP code counts once per device; a fresh surveyor scores from version 0)
        self.targets = targets
        self.institution = targets["institutions"][pick]
        self.surveyor = sorted(targets["surveyors"])[pick]
        self.visits = targets["surveyors"][self.surveyor]
        self.office = targets["offices"][pick]
        self.sequence = 0
        self.device = f"bench-cost-{uuid.uuid4().hex[:8]}"
        self.versions: dict[tuple[int, str], int] = {}
        self.query = 0
        self.pdf = one_page_pdf()

    def registry(self, send):  # type: ignore[no-untyped-def]
        self.query += 1
        return send("GET", "/registry/", params={"q": QUERIES[self.query % len(QUERIES)]})

    def score(self, send):  # type: ignore[no-untyped-def]
        visit = random.choice(self.visits)
        key, value = random.choice(self.targets["items"])
        self.sequence += 1
        body = {
            "key": key,
            "value": value,
            "kind": "member",
            "device_id": self.device,
            "sequence": self.sequence,
            "base_version": self.versions.get((visit, key), 0),
        }
        status, answer = send("POST", f"/api/assessments/visits/{visit}/entries", json=body, api=True)
        if status == 200:
            self.versions[(visit, key)] = (answer.get("entry") or {}).get("version", 0)
        return status, answer

    def score_state(self, send):  # type: ignore[no-untyped-def]
        return send("GET", f"/api/assessments/visits/{random.choice(self.visits)}", api=True)

    def upload(self, send):  # type: ignore[no-untyped-def]
        slot = random.choice(self.targets["slots"])
        return send(
            "POST",
            f"/evidence/{self.institution['application']}/upload/",
            files={"file": (f"{slot} 佐證.pdf", self.pdf, "application/pdf")},
            data={"slot": slot},
        )

    def application_institution(self, send):  # type: ignore[no-untyped-def]
        return send("GET", f"/applications/{self.institution['application']}/")

    def application_office(self, send):  # type: ignore[no-untyped-def]
        target = random.choice(self.targets["institutions"])
        return send("GET", f"/applications/{target['application']}/")

    def applications(self, send):  # type: ignore[no-untyped-def]
        return send("GET", "/applications/")

    def dashboard(self, send):  # type: ignore[no-untyped-def]
        return send("GET", "/dashboard/")

    def healthz(self, send):  # type: ignore[no-untyped-def]
        return send("GET", "/healthz")

    # (name, role, method, locust name, expected statuses); the institution's page before the
    # uploads, which add REPEAT files to it (its cost grows with the files listed)
    TABLE: ClassVar[list[tuple[str, str, str, str, set[int]]]] = [
        ("healthz", "public", "healthz", "GET /healthz (framework floor)", {200}),
        ("registry", "public", "registry", "GET /registry/?q=", {200}),
        ("score", "surveyor", "score", "POST /api/assessments/visits/[id]/entries", {200}),
        ("score_state", "surveyor", "score_state", "GET /api/assessments/visits/[id]", {200}),
        (
            "app_inst",
            "institution",
            "application_institution",
            "GET /applications/[id]/ (institution)",
            {200},
        ),
        ("upload", "institution", "upload", "POST /evidence/[id]/upload/", {302}),
        ("app_office", "office", "application_office", "GET /applications/[id]/ (office)", {200}),
        ("applications", "office", "applications", "GET /applications/", {200}),
        ("dashboard", "surveyor", "dashboard", "GET /dashboard/ (surveyor)", {200}),
    ]


# --- HTTP side: the production server and its CPU time ------------------------------------------------


class Http:
    def __init__(self, host: str) -> None:
        self.host = host
        self.session = requests.Session()

    def sign_in(self, username: str, password: str, key: str | None = None) -> None:
        page = self.session.get(self.host + "/accounts/login/")
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        response = self.session.post(
            self.host + "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            allow_redirects=False,
        )
        assert response.status_code == 302, (username, response.status_code)
        if key:
            page = self.session.get(self.host + "/accounts/two-factor/verify/")
            token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
            response = self.session.post(
                self.host + "/accounts/two-factor/verify/",
                {"token": totp(key), "csrfmiddlewaretoken": token},
                headers={"Referer": self.host + "/accounts/two-factor/verify/"},
                allow_redirects=False,
            )
            assert response.status_code == 302, (username, "two-factor", response.status_code)
        self.session.get(self.host + "/dashboard/")  # the csrftoken cookie

    def send(self, method: str, path: str, *, api: bool = False, **kwargs):  # type: ignore[no-untyped-def]
        csrf = self.session.cookies.get("csrftoken", "")
        headers = {"X-CSRFToken": csrf, "Referer": self.host + "/"}
        if "data" in kwargs:
            kwargs["data"] = {**kwargs["data"], "csrfmiddlewaretoken": csrf}
        response = self.session.request(
            method, self.host + path, headers=headers, allow_redirects=False, **kwargs
        )
        is_json = response.headers.get("Content-Type", "").startswith("application/json")
        answer = response.json() if api and is_json else response.text
        return response.status_code, answer


def cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def backends(database: str) -> list[int]:
    """The PostgreSQL backends connected to the bench database (their command line names it)."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        line = " ".join(process.info["cmdline"] or [])
        if line.startswith("postgres:") and f" {database} " in line:
            found.append(process.pid)
    return found


def measure(args: argparse.Namespace, url: str, database: str, targets: dict, env: dict) -> dict:  # type: ignore[type-arg]
    port = free_port()
    production = {
        **env,
        "PINGJIAN_SECRET_KEY": secrets.token_urlsafe(50),
        "PINGJIAN_ALLOWED_HOSTS": "127.0.0.1",
        "PINGJIAN_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "PINGJIAN_ACCESS_LOG": "",
        "PINGJIAN_DB_CONN_MAX_AGE": "600",
    }
    command = [sys.executable, "-m", "pingjian.cli", "serve", "--port", str(port), "--no-migrate"]
    command += ["--no-worker", "--workers", "1", "--threads", str(args.threads)]
    log = open(Path(env["PINGJIAN_VAR_DIR"]).parent / "serve.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(command, env=production, stdout=log, stderr=subprocess.STDOUT)
    host = f"http://127.0.0.1:{port}"
    results = {}
    try:
        wait_for(f"{host}/healthz", server)
        workers = [child.pid for child in psutil.Process(server.pid).children()]
        assert len(workers) == 1, workers
        kinds = Kinds(targets, pick=0)
        clients = {"public": Http(host)}
        for role, who in [
            ("surveyor", (kinds.surveyor, None)),
            ("institution", (kinds.institution["user"], None)),
            ("office", (kinds.office["user"], kinds.office["key"])),
        ]:
            clients[role] = Http(host)
            clients[role].sign_in(who[0], targets["password"], who[1])
        for name, role, method, label, expected in Kinds.TABLE:
            run = getattr(kinds, method)
            send = clients[role].send
            for _ in range(args.warmup):
                run(send)
            pg = backends(database)
            walls = []
            server_before, db_before = cpu(workers), cpu(pg)
            statuses = set()
            for _ in range(args.repeat):
                started = time.perf_counter()
                status, _answer = run(send)
                walls.append(time.perf_counter() - started)
                statuses.add(status)
            server_after, db_after = cpu(workers), cpu(backends(database))
            shown = _answer if isinstance(_answer, dict) else _answer[:300]
            assert statuses <= expected, (name, statuses, shown)
            results[name] = {
                "label": label,
                "server_ms": 1000 * (server_after - server_before) / args.repeat,
                "db_ms": 1000 * (db_after - db_before) / args.repeat,
                "wall_ms_median": 1000 * statistics.median(walls),
                "backends": len(pg),
            }
            row = results[name]
            print(
                f"{label:48} server {row['server_ms']:6.1f} ms  db {row['db_ms']:5.1f} ms  "
                f"wall p50 {row['wall_ms_median']:6.1f} ms",
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    return results


# --- in-process: the SQL queries of one request of each kind -----------------------------------------


def count_queries(targets_path: str) -> None:
    """Runs in a child process with the bench database's environment (production settings)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingjian.web.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    targets = json.loads(Path(targets_path).read_text(encoding="utf-8"))
    kinds = Kinds(targets, pick=int(os.environ.get("BENCH_PICK", "1")))  # other accounts than the HTTP run's
    clients: dict[str, Client] = {}
    for role, username, key in [
        ("public", None, None),
        ("surveyor", kinds.surveyor, None),
        ("institution", kinds.institution["user"], None),
        ("office", kinds.office["user"], kinds.office["key"]),
    ]:
        client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="127.0.0.1")
        if username:
            assert (
                client.post(
                    "/accounts/login/", {"username": username, "password": targets["password"]}
                ).status_code
                == 302
            )
            if key:
                assert client.post("/accounts/two-factor/verify/", {"token": totp(key)}).status_code == 302
        clients[role] = client

    def sender(client: Client) -> Callable:  # type: ignore[type-arg]
        def send(method: str, path: str, *, api: bool = False, params=None, json=None, files=None, data=None):  # type: ignore[no-untyped-def]
            if method == "GET":
                response = client.get(path, params or {})
            elif json is not None:
                response = client.post(path, json, content_type="application/json")
            else:
                from django.core.files.uploadedfile import SimpleUploadedFile

                name, content, kind = files["file"]
                response = client.post(path, {**data, "file": SimpleUploadedFile(name, content, kind)})
            is_json = response["Content-Type"].startswith("application/json")
            answer = response.json() if api and is_json else b""
            return response.status_code, answer

        return send

    counts = {}
    for name, role, method, _label, expected in Kinds.TABLE:
        run = getattr(kinds, method)
        send = sender(clients[role])
        run(send)  # warm: first-request caches
        numbers = []
        for _ in range(5 if name == "registry" else 3):
            with CaptureQueriesContext(connection) as captured:
                status, _ = run(send)
            assert status in expected, (name, status)
            numbers.append(len(captured.captured_queries))
        counts[name] = numbers
        if os.environ.get("BENCH_PROFILE") == name:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
            for _ in range(30):
                run(send)
            profile.disable()
            pstats.Stats(profile).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(60)
        if os.environ.get("BENCH_SHOW_QUERIES") == name:
            for query in captured.captured_queries:
                print(query["sql"][:300])
    print("QUERIES " + json.dumps(counts))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--institutions", type=int, default=60)
    parser.add_argument("--surveyors", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the bench database (its name is printed)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--count-queries", metavar="TARGETS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count_queries:
        count_queries(args.count_queries)
        return

    name = f"bench_cost_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    work = Path(tempfile.mkdtemp(prefix="pingjian-cost-"))
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": f"{SERVER}/{name}",
        "PINGJIAN_VAR_DIR": str(work / "var"),
        "PINGJIAN_AUDIT_KEY": secrets.token_hex(32),
    }
    for variable in ("PINGJIAN_DEMO", "PINGJIAN_DEBUG", "PINGJIAN_PRODUCTION"):
        env.pop(variable, None)
    try:
        targets_path = work / "targets.json"
        subprocess.run(
            [
                sys.executable,
                str(HERE / "setup_data.py"),
                str(args.institutions),
                str(args.surveyors),
                str(targets_path),
            ],
            env=env,
            check=True,
        )
        targets = json.loads(targets_path.read_text(encoding="utf-8"))
        results = measure(args, f"{SERVER}/{name}", name, targets, env)
        counted = subprocess.run(
            [sys.executable, __file__, "--count-queries", str(targets_path)],
            env={
                **env,
                "PINGJIAN_PRODUCTION": "1",
                "PINGJIAN_SECRET_KEY": secrets.token_urlsafe(50),
                "PINGJIAN_ALLOWED_HOSTS": "127.0.0.1",
                "PINGJIAN_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            },
            capture_output=True,
            text=True,
        )
        if counted.returncode:
            sys.exit(f"query count failed:\n{counted.stdout}\n{counted.stderr}")
        line = next(x for x in counted.stdout.splitlines() if x.startswith("QUERIES "))
        queries = json.loads(line.removeprefix("QUERIES "))
        print(f"\n{'request':48} {'server CPU ms':>13} {'db CPU ms':>9} {'total':>6} {'queries':>8}")
        for key, row in results.items():
            row["queries"] = queries[key]
            total = row["server_ms"] + row["db_ms"]
            shown = "/".join(str(n) for n in sorted(set(queries[key])))
            print(f"{row['label']:48} {row['server_ms']:13.1f} {row['db_ms']:9.1f} {total:6.1f} {shown:>8}")
        if args.out:
            args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"(server log in {work})")
    finally:
        if args.keep:
            print(f"kept database {SERVER}/{name}, PINGJIAN_VAR_DIR={work / 'var'}")
        else:
            with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
