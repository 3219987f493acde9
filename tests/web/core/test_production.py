"""Production refuses to start with an insecure setting, naming it (issue 16, item 1)."""

from __future__ import annotations

import pytest

from pingjian.web.core.production import insecure_settings

DEV_KEY = "development-key"
SECURE = {
    "DEBUG": False,
    "DEMO": False,
    "SECRET_KEY": "k3Jd8s-Qw0pZx_LmN4vB7cR2tY9uI1oP6aS5dF3gH8jK0lZxCvBnM2q",
    "ALLOWED_HOSTS": ["pingjian.example.tw"],
    "DATABASES": {"default": {"ENGINE": "django.db.backends.postgresql"}},
    "AUDIT_KEY": "a" * 64,
    "AUDIT_KEY_FILE": "/nonexistent",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def problems_with(**changes):
    return insecure_settings({**SECURE, **changes}, development_key=DEV_KEY)


def test_a_secure_configuration_passes():
    assert problems_with() == []


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"DEBUG": True}, "PINGJIAN_DEBUG"),
        ({"DEMO": True}, "PINGJIAN_DEMO"),
        ({"SECRET_KEY": DEV_KEY}, "PINGJIAN_SECRET_KEY is not set"),
        ({"SECRET_KEY": ""}, "PINGJIAN_SECRET_KEY is not set"),
        ({"SECRET_KEY": "short-but-random-Q9x"}, "PINGJIAN_SECRET_KEY is too short"),
        ({"SECRET_KEY": "ab" * 40}, "PINGJIAN_SECRET_KEY is too short or too plain"),
        ({"SECRET_KEY": "django-insecure-" + "x1y2z3w4" * 8}, "PINGJIAN_SECRET_KEY is Django's"),
        ({"ALLOWED_HOSTS": []}, "PINGJIAN_ALLOWED_HOSTS is empty"),
        ({"ALLOWED_HOSTS": ["*"]}, "PINGJIAN_ALLOWED_HOSTS contains '*'"),
        ({"DATABASES": {"default": {"ENGINE": "django.db.backends.sqlite3"}}}, "DATABASE_URL"),
        ({"AUDIT_KEY": ""}, "PINGJIAN_AUDIT_KEY or PINGJIAN_AUDIT_KEY_FILE"),
        ({"AUDIT_KEY": "too-short"}, "PINGJIAN_AUDIT_KEY is shorter than 32 bytes"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "PINGJIAN_EMAIL_BACKEND"),
        ({"PUBLIC_URL": "http://pingjian.example.tw"}, "PINGJIAN_PUBLIC_URL"),
    ],
)
def test_each_insecure_setting_is_refused_by_name(changes, named):
    problems = problems_with(**changes)
    assert len(problems) == 1 and named in problems[0]


def test_the_audit_key_file_must_exist_and_be_long_enough(tmp_path):
    short = tmp_path / "short.key"
    short.write_text("abc\n")
    long = tmp_path / "long.key"
    long.write_text("f" * 64 + "\n")
    assert "shorter than 32 bytes" in problems_with(AUDIT_KEY="", AUDIT_KEY_FILE=str(short))[0]
    assert problems_with(AUDIT_KEY="", AUDIT_KEY_FILE=str(long)) == []


def test_every_problem_is_listed_at_once():
    insecure = {"DEBUG": True, "SECRET_KEY": DEV_KEY, "ALLOWED_HOSTS": [], "AUDIT_KEY": ""}
    assert (
        len(problems_with(**insecure, DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3"}})) == 5
    )


def test_settings_refuse_to_load_in_production_with_the_development_key(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "PINGJIAN_PRODUCTION": "1",
        "PINGJIAN_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "PINGJIAN_SECRET_KEY": "",
    }
    env.pop("PINGJIAN_SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "-m", "pingjian.cli", "audit", "verify"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "PINGJIAN_SECRET_KEY is not set" in result.stderr and "Traceback" not in result.stderr
