"""The codes of the ValidationErrors the evidence actions raise (`exc.code`); the values never change."""

from __future__ import annotations

from enum import StrEnum


class EvidenceErrorCode(StrEnum):
    SLOT = "slot"  # not a slot the institution uploads to (unknown, or checked on site only)
    STATE = "state"  # the application's state does not take uploads
    REJECTED = "rejected"  # the file itself is refused (type, size …)
