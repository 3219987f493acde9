"""`pingjian serve`, `pingjian audit verify|checkpoint`, `pingjian manage …`: the web application's commands.
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
    from pingjian.web.audit.tasks import ensure_checkpoint_schedule, write_checkpoint_job
    from pingjian.web.reminders.tasks import ensure_reminder_schedule, send_reminders_job

    ensure_reminder_schedule()  # every morning at 08:00 (Taipei) …
    send_reminders_job.enqueue()  # … and once now, so the demo's deadlines are reminded at start
    ensure_checkpoint_schedule()  # the audit chain's head signed every hour, outside the database …
    write_checkpoint_job.enqueue()  # … and once now, over the seeded chain
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
