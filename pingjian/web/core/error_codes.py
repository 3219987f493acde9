"""The codes of the ValidationErrors the core form fields and validators raise (`exc.code`);
the values never change."""

from __future__ import annotations

from enum import StrEnum


class CoreErrorCode(StrEnum):
    INVALID = "invalid"  # a date that is not an ROC date (Django's code for a malformed value)
    INVALID_INSTITUTION_CODE = "invalid_institution_code"  # not a valid 醫事機構代碼
    TEXT_TOO_LONG = "text_too_long"  # free text over its field's maximum length (core.text)
    CONTROL_CHARACTER = "control_character"  # a NUL in free text (PostgreSQL cannot store it)
