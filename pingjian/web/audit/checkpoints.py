"""Signed checkpoints (簽章檢查點): the chain head anchored outside the database.

Whoever can write to the database can edit an event, recompute every later hash and the head, and
the chain alone then looks intact. A checkpoint is the head (seq and hash) at a moment, signed with
HMAC-SHA256 under a key the database never holds (`PINGJIAN_AUDIT_KEY` or the key file
`PINGJIAN_AUDIT_KEY_FILE`), and appended as one JSON line to `checkpoints.jsonl` in
`PINGJIAN_AUDIT_CHECKPOINT_DIR`. `check_against_checkpoints()` then requires the event at each
checkpoint's seq to carry the signed hash: a rewritten chain differs there, a cut-off chain is
shorter than it. Edits after the latest checkpoint are caught by the next one.

Checkpoints are written by the self-rescheduling job (`tasks.write_checkpoint_job`) and on demand
(`pingjian audit checkpoint`); a checkpoint is never signed over a chain that fails verification.
Lines signed with another key (before a key rotation) are skipped and counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from .chain import timestamp, verify_chain
from .models import GENESIS_HASH, AuditChainHead, AuditEvent

FILE_NAME = "checkpoints.jsonl"
MIN_KEY_BYTES = 32


class AuditKeyError(RuntimeError):
    """No usable checkpoint key: the message says which setting to give."""


class AuditChainBrokenError(RuntimeError):
    """The chain fails verification, so no checkpoint is signed over it."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str  # UTC, as chain.timestamp writes it
    key_id: str
    signature: str

    def as_line(self) -> str:
        return json.dumps(
            {"seq": self.seq, "hash": self.hash, "at": self.at, "key_id": self.key_id, "sig": self.signature},
            sort_keys=True,
            separators=(",", ":"),
        )


@dataclass(frozen=True)
class CheckpointFinding:
    """Something wrong between the chain and its checkpoints. SEQ names the event (or line)."""

    seq: int | None
    message: str


@dataclass(frozen=True)
class CheckpointReport:
    findings: tuple[CheckpointFinding, ...]
    checked: int  # checkpoints signed with the current key and compared with the chain
    other_keys: int  # lines signed with another key (before a rotation): not compared
    latest: Checkpoint | None
    note: str = ""  # why nothing was checked (no key, no checkpoint yet)

    @property
    def ok(self) -> bool:
        return not self.findings


# --------------------------------------------------------------------------- the key


def load_key() -> bytes:
    """The signing key: PINGJIAN_AUDIT_KEY, else the key file (generated outside production)."""
    if settings.AUDIT_KEY:
        key = settings.AUDIT_KEY.encode("utf-8")
        where = "PINGJIAN_AUDIT_KEY"
    else:
        path = Path(settings.AUDIT_KEY_FILE)
        if not path.exists() and settings.AUDIT_KEY_GENERATE:
            _generate_key_file(path)
        try:
            key = path.read_bytes().strip()
        except OSError as error:
            raise AuditKeyError(
                f"no audit checkpoint key: cannot read {path} ({error.strerror}); "
                "set PINGJIAN_AUDIT_KEY_FILE to a key file or PINGJIAN_AUDIT_KEY"
            ) from None
        where = str(path)
    if len(key) < MIN_KEY_BYTES:
        raise AuditKeyError(f"the audit checkpoint key in {where} is shorter than {MIN_KEY_BYTES} bytes")
    return key


def _generate_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")


def key_id(key: bytes) -> str:
    """Names the key in each line (so a rotation is visible) without revealing it."""
    return hashlib.sha256(b"pingjian audit key id\0" + key).hexdigest()[:16]


def _signature(key: bytes, *, seq: int, hash: str, at: str, key_id: str) -> str:
    message = json.dumps(
        {"seq": seq, "hash": hash, "at": at, "key_id": key_id}, sort_keys=True, separators=(",", ":")
    )
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def sign(key: bytes, *, seq: int, hash: str, at: dt.datetime) -> Checkpoint:
    kid = key_id(key)
    when = timestamp(at)
    return Checkpoint(seq, hash, when, kid, _signature(key, seq=seq, hash=hash, at=when, key_id=kid))


# --------------------------------------------------------------------------- the file


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR) / FILE_NAME


def _read_lines(path: Path) -> list[tuple[int, Any]]:
    """(line number, parsed JSON or None when the line is not JSON) for each non-empty line."""
    if not path.exists():
        return []
    lines = []
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                lines.append((number, json.loads(text)))
            except ValueError:
                lines.append((number, None))
    return lines


def _append(path: Path, checkpoint: Checkpoint) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        os.write(descriptor, (checkpoint.as_line() + "\n").encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --------------------------------------------------------------------------- checking


def check_against_checkpoints() -> CheckpointReport:
    """Compare the chain with every checkpoint signed by the current key (each must verify and its
    seq's event must carry its hash); name the first checkpoint the chain no longer matches."""
    path = checkpoint_path()
    lines = _read_lines(path)
    try:
        key = load_key()
    except AuditKeyError as error:
        if lines:
            return CheckpointReport(
                (CheckpointFinding(None, f"{path} holds checkpoints but {error}"),), 0, 0, None
            )
        return CheckpointReport((), 0, 0, None, note=f"no checkpoint checked: {error}")
    kid = key_id(key)
    findings: list[CheckpointFinding] = []
    valid: list[Checkpoint] = []
    other_keys = 0
    for number, data in lines:
        checkpoint = _parse(data)
        if checkpoint is None:
            findings.append(CheckpointFinding(None, f"{path} line {number} is not a checkpoint"))
            continue
        if checkpoint.key_id != kid:
            other_keys += 1
            continue
        expected = _signature(
            key, seq=checkpoint.seq, hash=checkpoint.hash, at=checkpoint.at, key_id=checkpoint.key_id
        )
        if not hmac.compare_digest(expected, checkpoint.signature):
            findings.append(
                CheckpointFinding(
                    checkpoint.seq, f"{path} line {number}: the checkpoint of #{checkpoint.seq} is forged"
                )
            )
            continue
        valid.append(checkpoint)
    if not valid:
        note = (
            ""
            if findings
            else f"no signed checkpoint in {path} yet: the chain was checked against itself only"
        )
        return CheckpointReport(tuple(findings), 0, other_keys, None, note=note)

    hashes = dict(AuditEvent.objects.filter(seq__in={c.seq for c in valid}).values_list("seq", "hash"))
    hashes[0] = GENESIS_HASH
    last_matching: Checkpoint | None = None
    for checkpoint in sorted(valid, key=lambda c: (c.seq, c.at)):
        stored = hashes.get(checkpoint.seq)
        if stored is None:
            findings.append(
                CheckpointFinding(
                    checkpoint.seq,
                    f"audit event #{checkpoint.seq}, signed in the checkpoint of {checkpoint.at}, is gone: "
                    "the chain was cut off or emptied",
                )
            )
            break
        if stored != checkpoint.hash:
            since = f" after #{last_matching.seq}, which matches its checkpoint" if last_matching else ""
            findings.append(
                CheckpointFinding(
                    checkpoint.seq,
                    f"the chain was rewritten: audit event #{checkpoint.seq} no longer carries the hash "
                    f"signed in the checkpoint of {checkpoint.at} (an event at or before #{checkpoint.seq}"
                    f"{since} was changed and the later hashes recomputed)",
                )
            )
            break
        last_matching = checkpoint
    latest = max(valid, key=lambda c: (c.seq, c.at))
    return CheckpointReport(tuple(findings), len(valid), other_keys, latest)


def _parse(data: Any) -> Checkpoint | None:
    if not isinstance(data, dict):
        return None
    try:
        checkpoint = Checkpoint(
            int(data["seq"]), str(data["hash"]), str(data["at"]), str(data["key_id"]), str(data["sig"])
        )
    except (KeyError, TypeError, ValueError):
        return None
    return checkpoint if checkpoint.seq >= 0 else None


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Written:
    checkpoint: Checkpoint
    new: bool  # False when the head had not moved since the latest checkpoint
    path: Path


def write_checkpoint(now: dt.datetime | None = None) -> Written:
    """Sign the current head and append it, after verifying the chain (itself and against the
    earlier checkpoints): a broken chain raises AuditChainBrokenError and nothing is written."""
    key = load_key()
    head = AuditChainHead.objects.filter(pk=1).first()  # read first: the head signed is one verified
    seq, digest = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    chain = verify_chain()
    if not chain.ok:
        raise AuditChainBrokenError(f"no checkpoint written: {chain.message}")
    if seq and not AuditEvent.objects.filter(seq=seq, hash=digest).exists():
        raise AuditChainBrokenError(f"no checkpoint written: the head #{seq} is not an event of the chain")
    report = check_against_checkpoints()
    if not report.ok:
        raise AuditChainBrokenError(f"no checkpoint written: {report.findings[0].message}")
    path = checkpoint_path()
    latest = report.latest
    if latest is not None and latest.seq == seq and latest.hash == digest:
        return Written(latest, False, path)
    checkpoint = sign(key, seq=seq, hash=digest, at=now or timezone.now())
    _append(path, checkpoint)
    return Written(checkpoint, True, path)
