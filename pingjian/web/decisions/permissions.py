"""Who sees and does what in decisions (predicate and queryset scope side by side).

- Office staff see every meeting, item and appeal; office operators (評鑑辦公室人員) create meetings,
  list items, record attendance, decisions, re-review teams and appeal outcomes, and finalise.
- Program administrators (計畫管理者) approve decisions for the owner of the program: the ministry
  for its programs, the JCT board for the JCT certifications (approval.py names the body).
- A meeting member (a surveyor seated on it) sees the meeting and its items except those of an
  institution they are conflicted with (visits' conflict rule): such an item is not in their
  queryset (404), so they neither see nor vote on it.
- The institution sees the decision and appeal of its own applications, never the meeting.
- A re-reviewer sees the appeal assigned to them, unless conflicted.
"""

from __future__ import annotations

from typing import Any

import rules

from pingjian.web.accounts.permissions import (
    institution_ids_of,
    is_office_operator,
    is_office_staff,
    is_program_admin,
    is_surveyor,
)
from pingjian.web.visits.conflicts import conflicted_institution_ids

VIEW_MEETING = "decisions.view_meeting"
MANAGE = "decisions.manage_meeting"
VIEW_ITEM = "decisions.view_item"
VOTE = "decisions.vote_item"
RECORD = "decisions.record_decision"
APPROVE = "decisions.approve_decision"
VIEW_APPEAL = "decisions.view_appeal"
REVIEW = "decisions.review_appeal"
FILE_APPEAL = "decisions.file_appeal"


def visible_meetings(queryset: Any, user: Any) -> Any:
    if is_office_staff(user):
        return queryset
    if is_surveyor(user):
        return queryset.filter(members__user=user).distinct()
    return queryset.none()


def visible_items(queryset: Any, user: Any) -> Any:
    if is_office_staff(user):
        return queryset
    if is_surveyor(user):
        return queryset.filter(meeting__members__user=user).exclude(
            application__institution_id__in=conflicted_institution_ids(user)
        )
    return queryset.none()


def visible_appeals(queryset: Any, user: Any) -> Any:
    if is_office_staff(user):
        return queryset
    mine = institution_ids_of(user)
    scope = queryset.filter(decision__application__institution_id__in=mine)
    if is_surveyor(user):
        scope = scope | queryset.filter(reviewers__surveyor=user).exclude(
            decision__application__institution_id__in=conflicted_institution_ids(user)
        )
    return scope.distinct()


@rules.predicate
def sits_on(user: Any, obj: Any) -> bool:
    meeting = getattr(obj, "meeting", obj)
    return meeting is not None and meeting.members.filter(user=user).exists()


@rules.predicate
def unconflicted(user: Any, item: Any) -> bool:
    return item is not None and item.application.institution_id not in conflicted_institution_ids(user)


@rules.predicate
def is_applicant_of_appeal(user: Any, appeal: Any) -> bool:
    return appeal is not None and appeal.decision.application.institution_id in institution_ids_of(user)


@rules.predicate
def reviews(user: Any, appeal: Any) -> bool:
    return (
        appeal is not None
        and appeal.reviewers.filter(surveyor=user).exists()
        and appeal.decision.application.institution_id not in conflicted_institution_ids(user)
    )


@rules.predicate
def is_member_of_applicant(user: Any, application: Any) -> bool:
    return application is not None and application.institution_id in institution_ids_of(user)


rules.add_perm(VIEW_MEETING, is_office_staff | (is_surveyor & sits_on))
rules.add_perm(MANAGE, is_office_operator)
rules.add_perm(VIEW_ITEM, is_office_staff | (is_surveyor & sits_on & unconflicted))
rules.add_perm(VOTE, is_surveyor & sits_on & unconflicted)
rules.add_perm(RECORD, is_office_operator)
rules.add_perm(APPROVE, is_program_admin)
rules.add_perm(VIEW_APPEAL, is_office_staff | is_applicant_of_appeal | (is_surveyor & reviews))
rules.add_perm(REVIEW, is_office_operator)
rules.add_perm(FILE_APPEAL, is_member_of_applicant)
