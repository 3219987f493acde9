"""The codes of the ValidationErrors the decision actions raise (`exc.code`): a contract with the
pages, the API and the tests, so the values never change."""

from __future__ import annotations

from enum import StrEnum


class DecisionErrorCode(StrEnum):
    NOT_SCORED = "not_scored"  # the application has no submitted assessment (rules core's proposal)
    ALREADY_LISTED = "already_listed"  # the application is already an item of an open meeting
    REASON_REQUIRED = "reason_required"  # a decision that differs from the proposal, an appeal outcome
    ALREADY_DECIDED = "already_decided"
    SAME_PERSON = "same_person"  # the approver recorded the decision himself
    NOT_APPROVED = "not_approved"
    TEAM_MEMBER = "team_member"  # a re-reviewer who was on the original visit team
    CONFLICTED = "conflicted"  # a member or re-reviewer conflicted with the institution
    NOT_ATTENDING = "not_attending"  # a vote from a member not recorded as attending
    APPEAL_OPEN = "appeal_open"  # finalising while the appeal has no outcome
    NOT_DECIDED = "not_decided"  # finalising an application no meeting has decided
    CONFLICT = "conflict"  # someone else recorded on the item or decision since it was read (version)
