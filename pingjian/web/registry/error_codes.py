"""The codes of the ValidationErrors the registry actions raise (`exc.code`): a contract with the
pages, the API and the tests, so they never change."""

from __future__ import annotations

from enum import StrEnum


class RegistryErrorCode(StrEnum):
    NOT_VALID = "not_valid"  # the entry is revoked, abolished, suspended … already
    WRONG_PROGRAM = "wrong_program"  # 中止/終止 are the JCT's; 撤銷/廢止 the ministry's
    EFFECTIVE_DATE = "effective_date"  # before the validity began or after it ended
    REASON_REQUIRED = "reason_required"
    LEGAL_BASIS_REQUIRED = "legal_basis_required"
    NOT_PUBLISHED = "not_published"
    OUTSIDE_COUNTY = "outside_county"  # a bureau reports only institutions of its county
    OUTSIDE_VALIDITY = "outside_validity"  # a follow-up's day outside the entry's validity
    FOLLOW_UP_OUTCOME = "follow_up_outcome"  # "planned" is not an outcome
    FINDINGS_REQUIRED = "findings_required"  # 限期改善 and 不符合 say what was found
    IMPROVE_BY_REQUIRED = "improve_by_required"  # 限期改善 names its deadline
    IMPROVE_BY_DATE = "improve_by_date"  # the deadline after the follow-up, within the validity
    ALREADY_RECORDED = "already_recorded"  # a follow-up's outcome is recorded once
    NOT_YET = "not_yet"  # an outcome before the follow-up's day
