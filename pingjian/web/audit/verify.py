"""Everything `pingjian audit verify` checks, in one report: the chain links and hashes
(`chain.verify_chain`), the database's append-only trigger (`guard`), the chain against the signed
checkpoints kept outside the database (`checkpoints`), and the records with legal weight against
the events that set them (`bindings`)."""

from __future__ import annotations

from dataclasses import dataclass

from .bindings import BindingMismatch, check_bindings
from .chain import VerifyResult, verify_chain
from .checkpoints import CheckpointReport, check_against_checkpoints
from .guard import missing_guard


@dataclass(frozen=True)
class AuditReport:
    chain: VerifyResult
    guard: str | None
    checkpoints: CheckpointReport
    bindings: tuple[BindingMismatch, ...]

    @property
    def ok(self) -> bool:
        return not self.problems()

    def problems(self) -> list[str]:
        found = []
        if not self.chain.ok:
            found.append(f"audit chain broken at event #{self.chain.broken_seq}: {self.chain.message}")
        if self.guard:
            found.append(self.guard)
        found.extend(finding.message for finding in self.checkpoints.findings)
        found.extend(mismatch.message for mismatch in self.bindings)
        return found

    def notes(self) -> list[str]:
        """What passed, in words (for the command's output when nothing failed)."""
        lines = [self.chain.message] if self.chain.ok else []
        report = self.checkpoints
        if report.latest is not None and report.ok:
            latest = report.latest
            lines.append(f"matches {report.checked} checkpoint(s), the latest #{latest.seq} of {latest.at}")
        if report.other_keys:
            lines.append(f"{report.other_keys} checkpoint(s) signed with an earlier key not compared")
        if report.note:
            lines.append(report.note)
        if not self.bindings:
            lines.append("decided results and validity match the events that set them")
        return lines


def verify_all() -> AuditReport:
    return AuditReport(
        chain=verify_chain(),
        guard=missing_guard(),
        checkpoints=check_against_checkpoints(),
        bindings=tuple(check_bindings()),
    )
