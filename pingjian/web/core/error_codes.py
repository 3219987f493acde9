"""The codes of the ValidationErrors the core form fields raise (`exc.code`); the values never change."""

from __future__ import annotations

from enum import StrEnum


class CoreErrorCode(StrEnum):
    INVALID = "invalid"  # a date that is not an ROC date (Django's code for a malformed value)
