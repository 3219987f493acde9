"""The settings production refuses to start with (issue 16, item 1).

`insecure_settings(values)` reads a mapping of setting names to values (the settings module's
globals, or a test's dict) and returns one message per problem, each naming the environment
variable to change. `pingjian/web/settings.py` raises with these messages when
``PINGJIAN_PRODUCTION`` is on, so neither `pingjian serve` nor gunicorn started by hand nor
`pingjian manage` runs a production site with them. No Django import here: settings load it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_UNIQUE = 5
MIN_AUDIT_KEY_BYTES = 32  # audit.checkpoints.MIN_KEY_BYTES
NO_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


def insecure_settings(values: Mapping[str, Any], *, development_key: str) -> list[str]:
    problems = []
    if values.get("DEBUG"):
        problems.append("PINGJIAN_DEBUG is on: debug pages show settings and code to anyone; unset it")
    if values.get("DEMO"):
        problems.append(
            "PINGJIAN_DEMO is on: demo accounts log in; unset it (or use `pingjian serve --demo`)"
        )
    problems.extend(_secret_key_problems(str(values.get("SECRET_KEY") or ""), development_key))
    hosts = list(values.get("ALLOWED_HOSTS") or [])
    if not hosts:
        problems.append("PINGJIAN_ALLOWED_HOSTS is empty: give the site's host names, comma-separated")
    elif "*" in hosts:
        problems.append("PINGJIAN_ALLOWED_HOSTS contains '*': name the hosts the site answers to")
    engine = (values.get("DATABASES") or {}).get("default", {}).get("ENGINE", "")
    if "postgresql" not in engine:
        problems.append(
            f"DATABASE_URL does not name a PostgreSQL database (engine {engine or 'none'}): "
            "production runs on postgres://user:password@host:5432/name"
        )
    public_url = str(values.get("PUBLIC_URL") or "")
    if public_url and not public_url.startswith("https://"):
        problems.append(
            f"PINGJIAN_PUBLIC_URL is {public_url}: certificates' QR codes would point to an address "
            "without TLS; give https://…"
        )
    problems.extend(_audit_key_problems(values))
    if values.get("EMAIL_BACKEND") in NO_MAIL_BACKENDS:
        problems.append(
            f"PINGJIAN_EMAIL_BACKEND is {values.get('EMAIL_BACKEND')}: mail would never leave the machine; "
            "use django.core.mail.backends.smtp.EmailBackend with PINGJIAN_EMAIL_HOST"
        )
    return problems


def _secret_key_problems(key: str, development_key: str) -> list[str]:
    if not key or key == development_key:
        return ["PINGJIAN_SECRET_KEY is not set: give a random key of at least 50 characters"]
    if key.startswith("django-insecure"):
        return ["PINGJIAN_SECRET_KEY is Django's generated insecure key: give a random key of 50+ characters"]
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < MIN_SECRET_KEY_UNIQUE:
        return [
            f"PINGJIAN_SECRET_KEY is too short or too plain ({len(key)} characters): "
            f"give a random key of at least {MIN_SECRET_KEY_LENGTH} characters"
        ]
    return []


def _audit_key_problems(values: Mapping[str, Any]) -> list[str]:
    if values.get("AUDIT_KEY"):
        if len(str(values["AUDIT_KEY"]).encode("utf-8")) < MIN_AUDIT_KEY_BYTES:
            return [f"PINGJIAN_AUDIT_KEY is shorter than {MIN_AUDIT_KEY_BYTES} bytes"]
        return []
    path = Path(values.get("AUDIT_KEY_FILE") or "")
    try:
        key = path.read_bytes().strip()
    except OSError:
        return [
            f"no audit checkpoint key: set PINGJIAN_AUDIT_KEY or PINGJIAN_AUDIT_KEY_FILE "
            f"(cannot read {path}); production never generates one"
        ]
    if len(key) < MIN_AUDIT_KEY_BYTES:
        return [
            f"the audit key in PINGJIAN_AUDIT_KEY_FILE ({path}) is shorter than {MIN_AUDIT_KEY_BYTES} bytes"
        ]
    return []
