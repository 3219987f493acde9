"""`pingjian serve`, `pingjian audit verify`, `pingjian manage …`: the web application's commands.
Django is imported only here, and only when one of these runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import click


def _setup_django(*, demo: bool = False) -> None:
    if demo:
        os.environ["PINGJIAN_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingjian.web.settings")
    import django

    django.setup()


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--demo", is_flag=True, help="示範模式: demo accounts and data (password pingjian-demo)")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-seed", is_flag=True, help="do not seed demo data (with --demo)")
@click.option("--no-migrate", is_flag=True, help="do not apply migrations first")
def serve(demo: bool, host: str, port: int, no_seed: bool, no_migrate: bool) -> None:
    """網站 Migrate, seed the demo (with --demo) and serve on http://HOST:PORT/."""
    _setup_django(demo=demo)
    from django.conf import settings
    from django.core.management import call_command

    if not no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    if demo and not no_seed:
        call_command("seed_demo")
    database = settings.DATABASES["default"]
    click.echo(
        f"pingjian {'示範模式 demo ' if demo else ''}http://{host}:{port}/  (database: {database['NAME']})"
    )
    if demo:
        click.echo(
            "示範帳號 accounts: office admin institution surveyor bureau nhi — 密碼 password: pingjian-demo"
        )
    worker = _start_demo_worker() if demo else None
    if worker is not None:  # stop the worker with the server on SIGTERM too, not only on Ctrl-C
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True, skip_checks=False)
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()


def _start_demo_worker() -> subprocess.Popen[bytes]:
    """In demo mode the background jobs (e-mails, the daily reminders) run in one `db_worker`
    process started here and stopped with the server: one worker, as SQLite requires. Outside the
    demo, run `pingjian manage db_worker` as its own service."""
    from pingjian.web.reminders.tasks import ensure_reminder_schedule, send_reminders_job

    ensure_reminder_schedule()  # every morning at 08:00 (Taipei) …
    send_reminders_job.enqueue()  # … and once now, so the demo's deadlines are reminded at start
    command = [
        sys.executable,
        "-m",
        "django",
        "db_worker",
        "--no-reload",
        "--interval",
        "2",
        "--verbosity",
        "0",
    ]
    process = subprocess.Popen(command, env={**os.environ, "DJANGO_SETTINGS_MODULE": "pingjian.web.settings"})
    click.echo(f"背景工作 background worker: pid {process.pid}")
    return process


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def audit() -> None:
    """稽核 the audit trail."""


@audit.command()
def verify() -> None:
    """Walk the hash chain; exit 1 naming the first edited or deleted row."""
    _setup_django()
    from pingjian.web.audit.chain import verify_chain

    result = verify_chain()
    if result.ok:
        click.echo(f"稽核鏈完整 {result.message}")
        return
    click.echo(f"稽核鏈遭竄改 audit chain broken at event #{result.broken_seq}: {result.message}", err=True)
    sys.exit(1)


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Django management commands (pingjian manage migrate, … seed_demo, import_institutions)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingjian.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pingjian manage", *args])
