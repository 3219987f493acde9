"""The codes of the ValidationErrors the closure actions raise (`exc.code`); the values never change."""

from __future__ import annotations

from enum import StrEnum


class ClosureErrorCode(StrEnum):
    SOURCE_REQUIRED = "source_required"  # a closure names its announcement (公告來源)
    REASON_REQUIRED = "reason_required"  # withdrawing one says why
