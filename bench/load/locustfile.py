"""The load test's users (issue 16, item 7): the public searching the registry, surveyors scoring
through the assessments API, institutions uploading evidence, the office reviewing applications.
Targets (ids, keys, the bench password) come from BENCH_TARGETS (bench/load/setup_data.py).

Every write the server acknowledges is counted per kind and written to BENCH_WRITES at the end;
run.sh compares those counts with the rows stored (lost writes = acknowledged − stored)."""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import re
import threading
import uuid
from collections import Counter
from pathlib import Path

from django_otp.oath import TOTP
from locust import HttpUser, between, events, task


def _one_page_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


TARGETS = json.loads(Path(os.environ["BENCH_TARGETS"]).read_text(encoding="utf-8"))
WRITES: Counter[str] = Counter()
_lock = threading.Lock()
_institutions = itertools.cycle(TARGETS["institutions"])
_surveyors = itertools.cycle(sorted(TARGETS["surveyors"]))
_offices = itertools.cycle(TARGETS["offices"])
PDF = _one_page_pdf()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def acknowledged(kind: str) -> None:
    with _lock:
        WRITES[kind] += 1


@events.quitting.add_listener
def _write_counts(environment, **_kwargs):  # type: ignore[no-untyped-def]
    Path(os.environ["BENCH_WRITES"]).write_text(json.dumps(dict(WRITES)), encoding="utf-8")


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    username = ""

    def sign_in(self, username: str) -> None:
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        response = self.client.post(
            "/accounts/login/",
            {"username": username, "password": TARGETS["password"], "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="/accounts/login/ [POST]",
            allow_redirects=False,
        )
        if response.status_code != 302:
            response.failure(f"sign-in of {username} answered {response.status_code}")

    def csrf_headers(self) -> dict[str, str]:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host + "/"}


class Public(HttpUser):
    weight = 4
    wait_time = between(0.5, 1.5)

    @task
    def search(self) -> None:
        query = random.choice(["產後", "護理之家", "負載測試", "0900000001", ""])
        self.client.get("/registry/", params={"q": query}, name="/registry/?q=")


class Surveyor(SignedIn):
    weight = 3

    def on_start(self) -> None:
        self.username = next(_surveyors)
        self.visits = TARGETS["surveyors"][self.username]
        self.device = f"bench-{uuid.uuid4().hex[:12]}"
        self.sequence = 0
        self.versions: dict[tuple[int, str], int] = {}  # the entry version each edit is based on
        self.sign_in(self.username)
        self.client.get("/dashboard/", name="/dashboard/")  # the csrftoken cookie

    @task(3)
    def score(self) -> None:
        visit = random.choice(self.visits)
        key, value = random.choice(TARGETS["items"])
        self.sequence += 1
        body = {
            "key": key,
            "value": value,
            "kind": "member",
            "device_id": self.device,
            "sequence": self.sequence,
            "base_version": self.versions.get((visit, key), 0),  # the version this edit is based on
        }
        with self.client.post(
            f"/api/assessments/visits/{visit}/entries",
            json=body,
            headers=self.csrf_headers(),
            name="/api/assessments/visits/[id]/entries",
            catch_response=True,
        ) as response:
            if response.status_code in (200, 409):  # 409: another user of this account edited it first
                self.versions[(visit, key)] = (response.json().get("entry") or {}).get("version", 0)
                acknowledged("submissions" if response.status_code == 200 else "conflicts (not stored)")
                response.success()
            else:
                response.failure(f"{response.status_code} {response.text[:200]}")

    @task(1)
    def read(self) -> None:
        self.client.get(
            f"/api/assessments/visits/{random.choice(self.visits)}", name="/api/assessments/visits/[id]"
        )


class Institution(SignedIn):
    weight = 2

    def on_start(self) -> None:
        target = next(_institutions)
        self.application = target["application"]
        self.sign_in(target["user"])
        self.client.get("/dashboard/", name="/dashboard/")

    @task(1)
    def upload(self) -> None:
        slot = random.choice(TARGETS["slots"])
        with self.client.post(
            f"/evidence/{self.application}/upload/",
            data={"slot": slot, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
            files={"file": (f"{slot} 佐證.pdf", PDF, "application/pdf")},
            headers=self.csrf_headers(),
            name="/evidence/[id]/upload/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            flash = response.status_code == 302 and response.headers.get("Location", "").startswith(
                "/applications/"
            )
            if flash and response.status_code != 303:
                acknowledged("evidence")
                response.success()
            else:
                response.failure(f"upload answered {response.status_code}")

    @task(2)
    def application_page(self) -> None:
        self.client.get(f"/applications/{self.application}/", name="/applications/[id]/ (institution)")


class Office(SignedIn):
    weight = 1

    def on_start(self) -> None:
        office = next(_offices)
        self.sign_in(office["user"])
        # the second factor (production requires it of the office): the code an authenticator shows
        page = self.client.get("/accounts/two-factor/verify/", name="/accounts/two-factor/verify/")
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        code = TOTP(bytes.fromhex(office["key"])).token()
        response = self.client.post(
            "/accounts/two-factor/verify/",
            {"token": f"{code:06d}", "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/two-factor/verify/"},
            name="/accounts/two-factor/verify/ [POST]",
            allow_redirects=False,
        )
        if response.status_code != 302:
            response.failure(f"two-factor of {office['user']} answered {response.status_code}")

    @task(2)
    def review(self) -> None:
        target = random.choice(TARGETS["institutions"])
        self.client.get(f"/applications/{target['application']}/", name="/applications/[id]/ (office)")

    @task(1)
    def list_applications(self) -> None:
        self.client.get("/applications/", name="/applications/")
