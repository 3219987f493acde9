"""`pingjian backup --out FILE` and `pingjian restore FILE [--force]` (pingjian/web/backup.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pingjian.cli.web import _setup_django


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="archive")
def backup(out: Path) -> None:
    """備份 The database and the uploaded files into one checksummed archive (.tar.gz)."""
    _setup_django()
    from pingjian.web.backup import BackupError
    from pingjian.web.backup import backup as make_backup

    try:
        manifest = make_backup(out)
    except BackupError as error:
        click.echo(f"錯誤 error: {error}", err=True)
        sys.exit(1)
    rows = sum(manifest["rows"].values())
    files = sum(1 for name in manifest["members"] if name.startswith("media/"))
    click.echo(f"已備份 backed up {rows} rows and {files} uploaded files ({manifest['database']}) → {out}")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="replace everything in a database that is not empty")
def restore(archive: Path, force: bool) -> None:
    """還原 Check every member's checksum, then load the archive into an empty database (migrating
    it first) and put the uploaded files back. Refuses a database holding data unless --force."""
    _setup_django()
    from pingjian.web.backup import BackupError
    from pingjian.web.backup import restore as load_backup

    try:
        result = load_backup(archive, force=force)
    except BackupError as error:
        click.echo(f"錯誤 error: {error}", err=True)
        sys.exit(1)
    click.echo(
        f"已還原 restored {result.rows} rows and {result.files} uploaded files from {archive}; "
        f"audit checkpoints: {result.checkpoints}. Run `pingjian audit verify` next."
    )
