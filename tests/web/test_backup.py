"""Backup and restore (issue 16, item 8): one checksummed archive of the database and the uploaded
files; restore into an empty database, refused over data unless forced, refused from a damaged
archive; `pingjian audit verify` passes on what was restored (chain, triggers, signed checkpoints)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from pingjian.web.accounts.models import User
from pingjian.web.audit.actions import record_event
from pingjian.web.audit.checkpoints import write_checkpoint
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from pingjian.web.audit.verify import verify_all
from pingjian.web.backup import BackupError, backup, restore, rows_present

from .postgres import fresh_postgres_database

AUDIT_KEY = "r" * 16 + "restore-test-key-0123456789abcdef"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(settings, tmp_path):
    """This test's own uploads and checkpoint directory, and a key (never var/)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_KEY = AUDIT_KEY
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit"
    (settings.MEDIA_ROOT / "evidence" / "2023").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "2023" / "評鑑資料.pdf").write_bytes(b"%PDF-1.4 uploaded evidence\n")
    return settings


@pytest.fixture
def archive(transactional_db, site, application, tmp_path):
    """Data with audit events (the application fixture's actions), a signed checkpoint, one upload."""
    write_checkpoint()
    path = tmp_path / "site.tar.gz"
    backup(path)
    return path


def snapshot():
    return rows_present(), list(AuditEvent.objects.values_list("seq", "hash"))


def test_the_archive_lists_every_member_with_its_sha256(archive):
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = __import__("json").load(tar.extractfile("manifest.json"))
    assert names == {"manifest.json", *manifest["members"]}
    assert {"data.jsonl", "media/evidence/2023/評鑑資料.pdf", "audit/checkpoints.jsonl"} <= names
    assert all(len(member["sha256"]) == 64 for member in manifest["members"].values())
    assert manifest["rows"]["audit.auditevent"] == AuditEvent.objects.count() > 0


def test_restore_over_a_database_holding_data_is_refused_and_changes_nothing(archive):
    before = snapshot()
    with pytest.raises(BackupError, match=r"is not empty .*--force"):
        restore(archive)
    assert snapshot() == before


def _rewrite(archive: Path, out: Path, member: str, change) -> Path:  # type: ignore[no-untyped-def]
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for info in source:
            body = source.extractfile(info).read()
            if info.name == member:
                body = change(body)
                info.size = len(body)
            target.addfile(info, io.BytesIO(body))
    return out


def test_a_damaged_archive_is_refused_before_anything_is_touched(archive, tmp_path):
    call_command("flush", interactive=False, verbosity=0)
    altered = _rewrite(archive, tmp_path / "altered.tar.gz", "data.jsonl", lambda b: b.replace(b'"', b"'", 1))
    with pytest.raises(BackupError, match=r"data\.jsonl does not match its checksum"):
        restore(altered)
    upload = "media/evidence/2023/評鑑資料.pdf"
    swapped = _rewrite(archive, tmp_path / "swapped.tar.gz", upload, lambda b: b + b"<script>")
    with pytest.raises(BackupError, match="does not match its checksum"):
        restore(swapped)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(BackupError, match=r"damaged|incomplete"):
        restore(truncated)
    assert rows_present() == {}  # nothing was loaded


def test_restore_into_an_empty_database_passes_audit_verify(archive, site):
    counts = rows_present()
    chain = list(AuditEvent.objects.values_list("seq", "hash"))
    call_command("flush", interactive=False, verbosity=0)  # an empty database …
    (Path(site.AUDIT_CHECKPOINT_DIR) / "checkpoints.jsonl").unlink()  # … on a new machine
    upload = Path(site.MEDIA_ROOT) / "evidence" / "2023" / "評鑑資料.pdf"
    upload.unlink()

    result = restore(archive)

    assert rows_present() == counts and list(AuditEvent.objects.values_list("seq", "hash")) == chain
    assert upload.read_bytes() == b"%PDF-1.4 uploaded evidence\n" and result.files == 1
    report = verify_all()
    assert report.ok, report.problems()
    assert report.checkpoints.checked == 1  # the restored chain matches the signed checkpoint
    with transaction.atomic():  # the chain goes on from the restored head
        record_event(actor=None, event_type=next(iter(EventType)), subject=User.objects.first())
    assert verify_all().ok


def test_a_forced_restore_replaces_the_data_and_verify_passes(archive):
    record_event_after_backup = AuditEvent.objects.count()
    with transaction.atomic():
        record_event(actor=None, event_type=next(iter(EventType)), subject=User.objects.first())
    assert AuditEvent.objects.count() == record_event_after_backup + 1
    restore(archive, force=True)
    assert AuditEvent.objects.count() == record_event_after_backup
    assert verify_all().ok, verify_all().problems()


# --------------------------------------------------------------------------- the commands, fresh databases


@pytest.mark.slow
@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_pingjian_restore_into_a_fresh_database_then_audit_verify(vendor, archive, tmp_path):
    with contextlib.ExitStack() as stack:
        url = "" if vendor == "sqlite" else stack.enter_context(fresh_postgres_database("pingjian_restore"))
        if url is None:
            pytest.skip("no PostgreSQL server reachable")
        _restore_and_verify(archive, tmp_path / f"fresh-{vendor}", url or "")


def _restore_and_verify(archive: Path, var: Path, url: str) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "PINGJIAN_VAR_DIR": str(var),
        "DATABASE_URL": url,
        "PINGJIAN_AUDIT_KEY": AUDIT_KEY,
    }

    def pingjian(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "pingjian.cli", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)

    restored = pingjian("restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    verified = pingjian("audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert "matches 1 checkpoint" in verified.stdout
    assert (var / "media" / "evidence" / "2023" / "評鑑資料.pdf").exists()
    again = pingjian("restore", str(archive))
    assert again.returncode == 1 and "is not empty" in again.stderr
    forced = pingjian("restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr
    assert pingjian("audit", "verify").returncode == 0
