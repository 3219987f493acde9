"""The codes of the ValidationErrors the application actions raise (`exc.code`): the values are a
contract with the pages, the API and the tests, so they never change."""

from __future__ import annotations

from enum import StrEnum


class ApplicationErrorCode(StrEnum):
    CONFLICT = "conflict"  # someone else changed the application since it was read
    INVALID_STATE = "invalid_state"  # the state does not allow it
    MESSAGE_REQUIRED = "message_required"  # the transition carries a message (通知補件, 不受理 …)
    LOCKED = "locked"  # decided and locked; the part must be unlocked first
    REASON_REQUIRED = "reason_required"  # an unlock, a corrected receipt, a waiver recorded by the office
    APPEAL_PERIOD_OPEN = "appeal_period_open"  # closing a decided case inside its appeal period
    NOT_RENEWABLE = "not_renewable"  # not a finalised passing JCT result inside its last 12 months
