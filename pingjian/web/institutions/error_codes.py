"""The codes of the ValidationErrors the institutions app raises (`exc.code`); the values never change."""

from __future__ import annotations

from enum import StrEnum


class InstitutionErrorCode(StrEnum):
    INVALID_INSTITUTION_CODE = "invalid_institution_code"  # not a valid 醫事機構代碼
