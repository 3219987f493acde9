"""Helpers of the web tests (plain functions and constants; the fixtures are in conftest.py).

Cycles are dated around today so the pages, which use the real date, accept them; tests of
specific dates pass `today=` to the actions."""

from __future__ import annotations

import datetime as dt
import io
import re
from unittest import mock

from django.contrib.auth import authenticate as auth_authenticate
from django.contrib.auth.hashers import make_password
from django.test import Client, RequestFactory
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader, PdfWriter

from pingjian.rules.roc import to_roc_year
from pingjian.web.accounts.actions import do_grant_membership
from pingjian.web.accounts.models import User
from pingjian.web.cycles.actions import do_create_cycle
from pingjian.web.visits.actions import do_accept_confidentiality

PASSWORD = "correct horse battery staple"
TODAY = dt.date.today()
REQUESTED_ON = dt.date(2023, 6, 21)  # 112年6月21日: the 端午節 holidays (6/22–6/23) fall inside the period


def make_user(username: str, role: str | None = None, **grant) -> User:
    user = User.objects.create(username=username, display_name=username, password=make_password(PASSWORD))
    if role:
        do_grant_membership(user, role=role, actor=None, **grant)
    return user


def client_for(user: User | None) -> Client:
    """A client signed in as USER, its session already past the second factor (two-factor itself is
    tested in tests/web/accounts/test_two_factor.py)."""
    client = Client()
    if user is not None:
        client.force_login(user)
        verify_two_factor(client, user)
    return client


def verify_two_factor(client: Client, user: User) -> TOTPDevice:
    """Mark CLIENT's session as verified with a (confirmed) TOTP device of USER, as the code check
    would (django_otp.login stores the device's id in the session)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def totp_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows for DEVICE (django_otp's own TOTP): now's, or the next
    30-second step's when now's was used already (a code is accepted once; the device tolerates
    one step of clock difference)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t is not None and device.last_t >= totp.t():
        totp.time = device.t0 + (device.last_t + 1) * device.step
    return f"{totp.token():0{device.digits}d}"


def authenticate(username: str, password: str) -> User | None:
    """django.contrib.auth.authenticate with a request, as django-axes requires (Client.login has none)."""
    request = RequestFactory().post("/accounts/login/")
    return auth_authenticate(request, username=username, password=password)


def pledge(surveyor: User, cycle) -> None:  # type: ignore[no-untyped-def]
    """SURVEYOR accepts confidentiality for CYCLE's program year (the ROC year its visit period
    opens): seed 002 §四(二), without it a surveyor's scores, notes and opinions are refused."""
    do_accept_confidentiality(surveyor, program_year=to_roc_year(cycle.visit_opens.year), actor=surveyor)


def make_cycle(version, office, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "title": f"{version.title}（測試梯次）",
        "application_opens": TODAY - dt.timedelta(days=10),
        "application_closes": TODAY + dt.timedelta(days=30),
        "visit_opens": TODAY + dt.timedelta(days=45),
        "visit_closes": TODAY + dt.timedelta(days=200),
    }
    values.update(overrides)
    return do_create_cycle(version, actor=office, **values)


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def run_jobs(max_rounds: int = 5) -> list[DBTaskResult]:
    """Run every ready job (and jobs those jobs enqueue); return the finished job rows.

    The jobs run through the real path (db_worker's own `Worker` loop in batch mode). Inside a
    test's transaction (pytest-django's `db`) the worker's `close_old_connections` would drop the
    connection that holds the test transaction, so it is skipped here; tests marked
    `transactional_db` can call `call_command("db_worker", "--batch")` unchanged."""
    started = set(DBTaskResult.objects.finished().values_list("pk", flat=True))
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        for _ in range(max_rounds):
            if not DBTaskResult.objects.ready().exists():
                break
            db_worker.Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="test-worker",
                excluded_queue_names=[],
            ).run()
    return list(DBTaskResult.objects.finished().exclude(pk__in=started).order_by("finished_at"))


def untranslated(paths: list) -> tuple[set[str], list[str]]:  # type: ignore[type-arg]
    """(the msgids found, those without English) of `{% translate "…" %}` in templates and
    `_("…")` in Python among PATHS."""
    found: set[str] = set()
    for path in paths:
        pattern = r'\{% translate "([^"]+)"' if path.suffix == ".html" else r'\b_\(\s*"([^"]+)"\s*\)'
        found |= set(re.findall(pattern, path.read_text(encoding="utf-8")))
    with translation.override("en"):
        return found, sorted(m for m in found if translation.gettext(m) == m)
