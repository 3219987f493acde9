"""`pingjian serve`, `pingjian worker`, `pingjian audit verify|checkpoint`, `pingjian manage …`: the web
application's commands. Django is imported only here, and only when one of these runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import click


def _setup_django(*, demo: bool = False, production: bool = False) -> None:
    if demo:
        os.environ["PINGJIAN_DEMO"] = "1"
    if production:
        os.environ["PINGJIAN_PRODUCTION"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingjian.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:  # production's refusal (core/production.py): say it, no traceback
        click.echo(f"錯誤 error: {error}", err=True)
        sys.exit(2)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--demo", is_flag=True, help="示範模式: SQLite, demo accounts and data")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-seed", is_flag=True, help="do not seed demo data (with --demo)")
@click.option("--no-migrate", is_flag=True, help="do not apply migrations first")
@click.option(
    "--workers",
    type=int,
    default=lambda: int(os.environ.get("PINGJIAN_WEB_WORKERS") or 2 * (os.cpu_count() or 1) + 1),
    help="gunicorn worker processes [PINGJIAN_WEB_WORKERS, default 2×cores+1]",
)
@click.option(
    "--threads",
    type=int,
    default=lambda: int(os.environ.get("PINGJIAN_WEB_THREADS") or 4),
    help="threads per worker [PINGJIAN_WEB_THREADS, default 4]",
)
@click.option("--no-worker", is_flag=True, help="production: do not start the background worker here")
def serve(
    demo: bool,
    host: str,
    port: int,
    no_seed: bool,
    no_migrate: bool,
    workers: int,
    threads: int,
    no_worker: bool,
) -> None:
    """網站 Serve on http://HOST:PORT/. Without --demo: production (PINGJIAN_PRODUCTION): refuses
    insecure settings, migrates, collects static files, runs gunicorn and one background worker
    (`pingjian worker`). With --demo: SQLite, demo data, Django's development server."""
    _setup_django(demo=demo, production=not demo)
    from django.conf import settings
    from django.core.management import call_command

    if not no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    if not demo:
        _serve_production(host, port, workers=workers, threads=threads, worker=not no_worker)
        return
    if not no_seed:
        call_command("seed_demo")
    database = settings.DATABASES["default"]
    click.echo(f"pingjian 示範模式 demo http://{host}:{port}/  (database: {database['NAME']})")
    click.echo(
        "示範帳號 accounts: office admin institution surveyor bureau nhi — 密碼 password: pingjian-demo"
    )
    worker = _start_worker(demo=True)
    try:
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True, skip_checks=False)
    finally:
        _stop(worker)


def _serve_production(host: str, port: int, *, workers: int, threads: int, worker: bool) -> None:
    """gunicorn's gthread workers in this process (the arbiter), the background worker beside it;
    the worker is stopped when gunicorn exits (SIGTERM, SIGINT)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()  # nothing open crosses gunicorn's fork
    options = {
        "bind": f"{host}:{port}",
        "worker_class": "gthread",
        "workers": workers,
        "threads": threads,
        "timeout": 60,
        "graceful_timeout": 30,
        "keepalive": 5,
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "accesslog": os.environ.get("PINGJIAN_ACCESS_LOG", "-") or None,
        "forwarded_allow_ips": os.environ.get("PINGJIAN_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        "proc_name": "pingjian",
        "control_socket_disable": True,  # several servers on one machine would share one socket path
    }

    class Gunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):  # type: ignore[no-untyped-def]
            from pingjian.web.wsgi import application

            return application

    database = settings.DATABASES["default"]
    click.echo(
        f"pingjian http://{host}:{port}/  gunicorn {workers}×{threads} threads  "
        f"(database: {database['NAME']} on {database.get('HOST') or 'local socket'})"
    )
    background = _start_worker(demo=False) if worker else None
    try:
        Gunicorn().run()
    finally:
        _stop(background)


def _start_worker(*, demo: bool) -> subprocess.Popen[bytes]:
    """The background jobs (e-mails, the daily reminders, the audit checkpoints) run in one
    `pingjian worker` process started here and stopped with the server. In the demo, one worker
    only, as SQLite requires; in production more may run (on other machines, `pingjian worker`)."""
    if demo:  # the demo's deadlines are reminded and its seeded chain signed at start
        from pingjian.web.audit.tasks import ensure_checkpoint_schedule, write_checkpoint_job
        from pingjian.web.reminders.tasks import ensure_reminder_schedule, send_reminders_job

        ensure_reminder_schedule()  # the next 08:00 run first, then one now
        send_reminders_job.enqueue()
        ensure_checkpoint_schedule()
        write_checkpoint_job.enqueue()
    command = [sys.executable, "-m", "pingjian.cli", "worker", "--verbosity", "0" if demo else "1"]
    process = subprocess.Popen(command, env={**os.environ, "DJANGO_SETTINGS_MODULE": "pingjian.web.settings"})
    click.echo(f"背景工作 background worker: pid {process.pid}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the worker on SIGTERM too, not only Ctrl-C
    return process


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--interval", default=2, show_default=True, type=int, help="seconds between polls when idle")
@click.option("--verbosity", default=1, show_default=True, type=int)
def worker(interval: int, verbosity: int) -> None:
    """背景工作 Run the background jobs (django-tasks' database worker): e-mails, the daily
    reminders, the hourly audit checkpoints and Idempotency-Key purge (scheduled here if not yet).
    Run one or more."""
    _setup_django()
    from django.core.management import call_command

    from pingjian.web.accounts.tasks import ensure_idempotency_purge_schedule
    from pingjian.web.audit.tasks import ensure_checkpoint_schedule
    from pingjian.web.reminders.tasks import ensure_reminder_schedule

    ensure_reminder_schedule()  # every morning at 08:00 (Taipei)
    ensure_checkpoint_schedule()  # the audit chain's head signed every hour, outside the database
    ensure_idempotency_purge_schedule()  # Idempotency-Key records past their retention, every hour
    call_command("db_worker", reload=False, interval=interval, verbosity=verbosity)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def audit() -> None:
    """稽核 the audit trail."""


@audit.command()
def verify() -> None:
    """Check the hash chain, the append-only trigger, the chain against the latest signed
    checkpoints and the decided results against their events; exit 1 naming what was changed."""
    _setup_django()
    from pingjian.web.audit.verify import verify_all

    report = verify_all()
    problems = report.problems()
    if not problems:
        click.echo("稽核鏈完整 " + "; ".join(report.notes()))
        return
    for problem in problems:
        click.echo(f"稽核鏈遭竄改 {problem}", err=True)
    sys.exit(1)


@audit.command()
@click.option(
    "--schedule", is_flag=True, help="enqueue the self-rescheduling checkpoint job (db_worker runs it)"
)
def checkpoint(schedule: bool) -> None:
    """Sign the chain head with the audit key and append it to the checkpoint file (never over a
    chain that fails verification: exit 1); exit 2 when no key is configured."""
    _setup_django()
    from pingjian.web.audit.checkpoints import AuditChainBrokenError, AuditKeyError, write_checkpoint

    if schedule:
        from pingjian.web.audit.tasks import ensure_checkpoint_schedule

        result = ensure_checkpoint_schedule()
        click.echo("已排定簽章檢查點 scheduled" if result else "簽章檢查點已在排程中 already scheduled")
        return
    try:
        written = write_checkpoint()
    except AuditKeyError as error:
        click.echo(f"錯誤 error: {error}", err=True)
        sys.exit(2)
    except AuditChainBrokenError as error:
        click.echo(f"稽核鏈遭竄改 {error}", err=True)
        sys.exit(1)
    checkpoint = written.checkpoint
    state = "已簽章 signed" if written.new else "未變動 unchanged since"
    click.echo(f"簽章檢查點 checkpoint {state} #{checkpoint.seq} {checkpoint.hash[:16]}… → {written.path}")


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
