"""Who sees and enters on-site scores: the visit's team members (never one who declared a conflict
with the institution) and the office. The institution sees its assessment (total, result, trace)
only once the result is decided (評定); nobody but the author reads a private note."""

from __future__ import annotations

from typing import Any

import rules

from pingjian.web.accounts.permissions import (
    is_institution_user,
    is_office_operator,
    is_office_staff,
    is_surveyor,
)
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import LOCKED_STATES
from pingjian.web.visits.conflicts import conflicted_institution_ids
from pingjian.web.visits.models import VisitMember

_CACHE_ATTR = "_pingjian_team_visits"


def team_visit_ids(user: Any) -> frozenset[int]:
    """The visits USER is a team member of, leaving out every institution they are conflicted with."""
    if not is_surveyor(user):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    ids = frozenset(
        VisitMember.objects.filter(surveyor=user)
        .exclude(visit__application__institution_id__in=conflicted_institution_ids(user))
        .values_list("visit_id", flat=True)
    )
    setattr(user, _CACHE_ATTR, ids)
    return ids


def institution_reach(user: Any) -> frozenset[int]:
    """A team member reads the institution's application and evidence before the visit (issue 13
    item 4): found by discovery in institutions.permissions."""
    ids = team_visit_ids(user)
    if not ids:
        return frozenset()
    return frozenset(Application.objects.filter(visit__id__in=ids).values_list("institution_id", flat=True))


def _visit_of(obj: Any) -> Any:
    return getattr(obj, "visit", obj)


@rules.predicate
def is_team_member(user: Any, obj: Any) -> bool:
    return obj is not None and _visit_of(obj).pk in team_visit_ids(user)


@rules.predicate
def is_decided_for_institution(user: Any, assessment: Any) -> bool:
    return (
        assessment is not None
        and is_institution_user(user)
        and assessment.visit.application.state in LOCKED_STATES
        and Application.objects.visible_to(user).filter(pk=assessment.visit.application_id).exists()
    )


def visible_assessments(queryset: Any, user: Any) -> Any:
    """The scope matching `assessments.view_assessment`."""
    if is_office_staff(user):
        return queryset
    mine = queryset.filter(visit_id__in=team_visit_ids(user))
    if is_institution_user(user):
        decided = queryset.filter(
            visit__application__in=Application.objects.visible_to(user),
            visit__application__state__in=LOCKED_STATES,
        )
        return (mine | decided).distinct()
    return mine


rules.add_perm("assessments.view_assessment", is_office_staff | is_team_member | is_decided_for_institution)
# On a Visit (looked up through the visits' own scope): the scoring form, entries, notes.
rules.add_perm("assessments.score_visit", is_office_operator | is_team_member)
rules.add_perm("assessments.view_entries", is_office_staff | is_team_member)
rules.add_perm("assessments.submit_assessment", is_team_member)
rules.add_perm("assessments.record_score", is_office_operator)
rules.add_perm("assessments.write_note", is_team_member)


@rules.predicate
def is_approved_for_institution(user: Any, opinion: Any) -> bool:
    return (
        opinion is not None
        and is_institution_user(user)
        and opinion.state == "approved"
        and Application.objects.visible_to(user).filter(pk=opinion.visit.application_id).exists()
    )


def visible_opinions(queryset: Any, user: Any) -> Any:
    """The scope matching `assessments.view_opinion`: the office, the team (never a conflicted
    member), the institution once the office approved the opinions."""
    if is_office_staff(user):
        return queryset
    mine = queryset.filter(visit_id__in=team_visit_ids(user))
    if is_institution_user(user):
        approved = queryset.filter(
            visit__application__in=Application.objects.visible_to(user), state="approved"
        )
        return (mine | approved).distinct()
    return mine


# 評鑑意見書: written by the team on a Visit, reviewed by the office on an Opinion.
rules.add_perm("assessments.view_opinion", is_office_staff | is_team_member | is_approved_for_institution)
rules.add_perm("assessments.write_opinion", is_team_member)
rules.add_perm("assessments.review_opinion", is_office_operator)
