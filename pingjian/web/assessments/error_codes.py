"""The codes of the ValidationErrors the assessment actions raise (`exc.code`), and the statuses an
entry is answered with: a contract with the pages, the API, the offline queue and the tests."""

from __future__ import annotations

from enum import StrEnum


class AssessmentErrorCode(StrEnum):
    INCOMPLETE = "incomplete"  # a criterion or precondition has no consensus entry yet
    INVALID_ENTRY = "invalid_entry"  # the rules core does not accept the entry
    REASON_REQUIRED = "reason_required"  # a change after the team submitted
    NOT_SUBMITTED = "not_submitted"  # the office records a score the team has not submitted
    ALREADY_SUBMITTED = "already_submitted"
    OPINION_NOT_DRAFT = "opinion_not_draft"  # the opinions are with the office or approved
    OPINION_NOT_SUBMITTED = "opinion_not_submitted"  # the office reviews opinions not sent to it
    OPINION_CONFLICT = "opinion_conflict"  # changed by someone else since the writer's version
    # a surveyor without the confidentiality pledge (保密同意) of the visit's program year, seed 002 §四(二)
    CONFIDENTIALITY_REQUIRED = "confidentiality_required"


class EntryStatus(StrEnum):
    STORED = "stored"
    CONFLICT = "conflict"  # changed by someone else since the sender's version: nothing stored
    INVALID = "invalid"  # refused, nothing stored
