"""Backup and restore (issue 16, item 8): the database and the uploaded files in one archive.

The archive is a gzipped tar:

- ``manifest.json``: the format, when and from which database it was made, the migrations the
  database had, the row count per model, and every other member's size and SHA-256;
- ``data.jsonl``: every row of every model, Django's JSON-lines serialisation with plain primary
  keys (no natural keys): portable between SQLite and PostgreSQL;
- ``media/…``: the uploaded files (``MEDIA_ROOT``);
- ``audit/checkpoints.jsonl``: the signed audit checkpoints, when the site has any (their key is
  not in the archive: it stays in ``PINGJIAN_AUDIT_KEY``/``_FILE``).

The database is read in one REPEATABLE READ snapshot on PostgreSQL (one consistent state while the
site runs), the files after it, so every row that names a file finds it in the archive.

`restore` checks every member against the manifest before it touches anything, refuses a database
that holds data (unless forced), and loads the rows inside one transaction: a failure leaves the
database as it was. Audit events are only ever INSERTed (the append-only triggers refuse UPDATE and
DELETE; a forced restore empties tables with Django's flush, TRUNCATE on PostgreSQL), with their
hashes as they were, so `pingjian audit verify` passes on the restored chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "pingjian-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA_PREFIX = "media/"
CHECKPOINTS = "audit/checkpoints.jsonl"
# Rows a freshly migrated database already holds, or a worker's start writes: not "data".
NOT_DATA = {"contenttypes.contenttype", "auth.permission", "django_tasks_database.dbtaskresult"}
CHUNK = 1 << 20


class BackupError(RuntimeError):
    """The archive cannot be made or restored; the message says why and where."""


@dataclass(frozen=True)
class RestoreResult:
    rows: int
    files: int
    checkpoints: str  # what happened to the audit checkpoint file, in words


# --------------------------------------------------------------------------- backup


def backup(out: Path) -> dict[str, Any]:
    """Write the archive to OUT (through OUT.partial, renamed when complete); return the manifest."""
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} exists: choose another file name")
    with tempfile.TemporaryDirectory(prefix="pingjian-backup-") as work:
        data_path = Path(work) / DATA
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            migrations = sorted(
                f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
            )
            _dump(data_path)
        members: list[tuple[str, Path]] = [(DATA, data_path)]
        members.extend((MEDIA_PREFIX + name, path) for name, path in _media_files())
        checkpoint_file = Path(settings.AUDIT_CHECKPOINT_DIR) / "checkpoints.jsonl"
        if checkpoint_file.exists():
            copy = Path(work) / "checkpoints.jsonl"
            shutil.copyfile(checkpoint_file, copy)
            members.append((CHECKPOINTS, copy))
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "migrations": migrations,
            "rows": _row_counts(data_path),
            "members": {
                name: {"size": path.stat().st_size, "sha256": _sha256(path)} for name, path in members
            },
        }
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            body = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(body), int(dt.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(body))
            for name, path in members:
                archive.add(path, arcname=name, recursive=False)
        os.replace(partial, out)
    return manifest


class _PreciseEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; the audit chain hashes microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat().replace("+00:00", "Z")
        return super().default(o)


def _dump(data_path: Path) -> None:
    """Every row of every concrete model, as `dumpdata --format jsonl` writes them (many-to-many
    links inside their model's row) but with datetimes to the microsecond."""
    with data_path.open("w", encoding="utf-8") as handle:
        for model in apps.get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            rows = model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)
            serializers.serialize("jsonl", rows, stream=handle, cls=_PreciseEncoder)


def _media_files() -> Iterator[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


def _row_counts(data_path: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    with data_path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                model = json.loads(line)["model"]
                counts[model] = counts.get(model, 0) + 1
    return dict(sorted(counts.items()))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------- restore


def restore(archive_path: Path, *, force: bool = False) -> RestoreResult:
    archive_path = Path(archive_path)
    with tempfile.TemporaryDirectory(prefix="pingjian-restore-") as work:
        manifest = _extract_verified(archive_path, Path(work))
        existing = rows_present()
        if existing and not force:
            listed = ", ".join(f"{model} {count}" for model, count in list(existing.items())[:6])
            raise BackupError(
                f"the database {settings.DATABASES['default']['NAME']} is not empty ({listed}…): "
                "restore into an empty database, or give --force to replace everything in it"
            )
        _load(Path(work) / DATA, manifest)
        files = _place_media(Path(work))
        checkpoints = _place_checkpoints(Path(work), manifest, force=force)
    return RestoreResult(rows=sum(manifest["rows"].values()), files=files, checkpoints=checkpoints)


def rows_present() -> dict[str, int]:
    """Rows per model in the database, leaving out what a fresh `migrate` (or a worker) writes."""
    tables = set(connection.introspection.table_names())
    found = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in NOT_DATA or model._meta.db_table not in tables or not model._meta.managed:
            continue
        count = model._base_manager.count()
        if count:
            found[label] = count
    return found


def _extract_verified(archive_path: Path, work: Path) -> dict[str, Any]:
    """Unpack into WORK, checking every member against the manifest's size and SHA-256; refuse a
    corrupted, truncated or altered archive, unknown or missing members and unsafe names."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            try:
                manifest = json.load(archive.extractfile(MANIFEST) or io.BytesIO())
            except KeyError:
                raise BackupError(f"{archive_path} has no {MANIFEST}: not a pingjian backup") from None
            if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
                raise BackupError(f"{archive_path} is not a pingjian backup of format version {VERSION}")
            expected = dict(manifest["members"])
            for member in archive:
                if member.name == MANIFEST:
                    continue
                _check_member(archive_path, member, expected)
                digest, size = _copy_member(archive, member, work / member.name)
                want = expected.pop(member.name)
                if size != want["size"] or digest != want["sha256"]:
                    raise BackupError(
                        f"{archive_path}: {member.name} does not match its checksum in the manifest "
                        f"(sha256 {digest[:16]}…, expected {want['sha256'][:16]}…): the archive is damaged"
                    )
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError) as error:
        raise BackupError(f"{archive_path} cannot be read ({error}): the archive is damaged") from None
    if expected:
        raise BackupError(f"{archive_path} lacks {', '.join(sorted(expected))}: the archive is incomplete")
    return manifest


def _check_member(archive_path: Path, member: tarfile.TarInfo, expected: dict[str, Any]) -> None:
    path = PurePosixPath(member.name)
    if not member.isfile() or path.is_absolute() or ".." in path.parts:
        raise BackupError(f"{archive_path}: member {member.name!r} is not a plain relative file: refused")
    if member.name not in expected:
        raise BackupError(f"{archive_path}: member {member.name!r} is not in the manifest: refused")


def _copy_member(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> tuple[str, int]:
    target.parent.mkdir(parents=True, exist_ok=True)
    source = archive.extractfile(member)
    assert source is not None  # a regular file (checked)
    digest, size = hashlib.sha256(), 0
    with target.open("wb") as handle:
        while block := source.read(CHUNK):
            digest.update(block)
            size += len(block)
            handle.write(block)
    return digest.hexdigest(), size


def _load(data_path: Path, manifest: dict[str, Any]) -> None:
    """Bring the schema to the archive's migrations, replace every row with the archive's in one
    transaction, then migrate the rest of the way (an older archive meets today's schema)."""
    recorder = MigrationRecorder(connection)
    wanted = {tuple(name.split(".", 1)) for name in manifest["migrations"]}
    applied = set(recorder.applied_migrations()) if recorder.has_table() else set()
    executor = MigrationExecutor(connection)
    unknown = sorted(f"{app}.{name}" for app, name in wanted - set(executor.loader.disk_migrations))
    if unknown:
        raise BackupError(
            f"the archive was made by a newer pingjian (migrations {', '.join(unknown[:5])} are unknown here)"
        )
    if not applied:
        executor.migrate(_targets(executor, wanted))
    elif applied != wanted:
        raise BackupError(
            "this database's schema differs from the archive's (migrations): restore into a fresh, "
            "unmigrated database"
        )
    with transaction.atomic():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        call_command("loaddata", str(data_path), verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)


def _targets(executor: MigrationExecutor, wanted: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """The last of the archive's migrations per app (the one no other of that app depends on)."""
    graph = executor.loader.graph
    targets = []
    for app in sorted({app for app, _ in wanted}):
        names = {key for key in wanted if key[0] == app}
        parents = {parent for key in names for parent in graph.node_map[key].parents if parent in names}
        targets.extend(sorted(names - parents))
    return targets


def _place_media(work: Path) -> int:
    source = work / MEDIA_PREFIX.rstrip("/")
    if not source.is_dir():
        return 0
    root = Path(settings.MEDIA_ROOT)
    count = 0
    for path in source.rglob("*"):
        if path.is_file():
            target = root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            count += 1
    return count


def _place_checkpoints(work: Path, manifest: dict[str, Any], *, force: bool) -> str:
    """The archive's signed checkpoints go where the site keeps them when it has none. A site that
    has its own keeps them (they tell whether events after the backup were lost), unless the restore
    is forced: then they are set aside, renamed, never deleted."""
    source = work / CHECKPOINTS
    if not source.exists():
        return "none in the archive"
    target = Path(settings.AUDIT_CHECKPOINT_DIR) / "checkpoints.jsonl"
    if target.exists() and not force:
        return f"kept this site's {target}"
    note = ""
    if target.exists():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = target.with_name(f"checkpoints.jsonl.before-restore-{stamp}")
        os.replace(target, aside)
        note = f"; this site's set aside as {aside.name}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return f"restored to {target}{note}"
