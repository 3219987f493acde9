"""Which institutions a surveyor may reach: assigned (active) and not conflicted."""

from __future__ import annotations

from typing import Any

import rules

from pingjian.web.accounts.permissions import (
    is_bureau_officer,
    is_institution_user,
    is_office_operator,
    is_office_staff,
    is_surveyor,
)
from pingjian.web.applications.models import Application

from .conflicts import conflicted_institution_ids, forget_conflicts
from .models import SurveyorAssignment

_CACHE_ATTR = "_pingjian_surveyor_institutions"


def surveyor_institution_ids(user: Any) -> frozenset[int]:
    """Institutions `user` is actively assigned to and has no unwaived conflict with (declared by
    either side or found in the records: visits.conflicts)."""
    if not is_surveyor(user):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    assigned = set(
        SurveyorAssignment.objects.active().filter(surveyor=user).values_list("institution_id", flat=True)
    )
    conflicted = conflicted_institution_ids(user)
    ids = frozenset(assigned - conflicted)
    setattr(user, _CACHE_ATTR, ids)
    return ids


def institution_reach(user: Any) -> frozenset[int]:
    """What this app opens to USER in institutions.permissions (found there by discovery)."""
    return surveyor_institution_ids(user)


def forget_surveyor_cache(user: Any) -> None:
    forget_conflicts(user)
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


@rules.predicate
def is_own_assignment(user: Any, assignment: Any) -> bool:
    return assignment is not None and assignment.surveyor_id == user.pk


def visible_assignments(queryset: Any, user: Any) -> Any:
    if is_office_staff(user):
        return queryset
    if is_surveyor(user):
        return queryset.filter(surveyor=user)
    return queryset.none()


rules.add_perm("visits.view_surveyorassignment", is_office_staff | (is_surveyor & is_own_assignment))
rules.add_perm("visits.add_surveyorassignment", is_office_staff)
rules.add_perm("visits.change_surveyorassignment", is_office_staff)
rules.add_perm("visits.add_conflictofinterest", is_surveyor | is_office_staff)
rules.add_perm("visits.view_conflictofinterest", is_office_staff)
rules.add_perm("visits.add_confidentialityagreement", is_surveyor)
# The surveyor's own page (assignments, declarations, confidentiality) and the office's surveyor pages.
rules.add_perm("visits.view_own_surveyor_page", is_surveyor)
rules.add_perm("visits.manage_surveyors", is_office_staff)


def visible_visits(queryset: Any, user: Any) -> Any:
    """Site visits: the office sees all; a surveyor the visits of their teams, never one of an
    institution they declared a conflict with; an institution's members and its county's health
    bureau the visits of that institution (through the application's scope)."""
    if is_office_staff(user):
        return queryset
    from_applications = queryset.filter(application__in=Application.objects.visible_to(user))
    if is_surveyor(user):
        conflicted = conflicted_institution_ids(user)
        mine = queryset.filter(members__surveyor=user)
        return (from_applications | mine).exclude(application__institution_id__in=conflicted).distinct()
    return from_applications


def visible_unavailability(queryset: Any, user: Any) -> Any:
    if is_office_staff(user):
        return queryset
    if is_surveyor(user):
        return queryset.filter(surveyor=user)
    return queryset.none()


@rules.predicate
def is_own_unavailability(user: Any, row: Any) -> bool:
    return row is not None and row.surveyor_id == user.pk


# A surveyor marks their own unavailable half-days (the own page); the office records anyone's.
rules.add_perm("visits.view_surveyorunavailability", is_office_staff | (is_surveyor & is_own_unavailability))
rules.add_perm("visits.change_own_unavailability", is_surveyor)
rules.add_perm("visits.change_surveyorunavailability", is_office_operator)

rules.add_perm("visits.view_visit", rules.is_authenticated)  # the scope above decides which
rules.add_perm("visits.plan_visits", is_office_operator)
rules.add_perm("visits.waive_conflict", is_office_operator)
rules.add_perm("visits.add_surveyorhistory", is_office_operator)
rules.add_perm("visits.record_bureau_attendance", is_office_operator)
rules.add_perm("visits.declare_conflict_as_institution", is_institution_user)
# The feed: a surveyor's teams, an institution's own visits, a health bureau's county's visits (it
# is told each date and attends: seed 002 §九(一), §十(一)); the scope is visible_visits above.
rules.add_perm("visits.subscribe_calendar", is_surveyor | is_institution_user | is_bureau_officer)
