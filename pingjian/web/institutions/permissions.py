"""Who may see and change institutions: the predicate and the queryset scope side by side.

- program office staff and administrators: every institution;
- institution users: the institution(s) they are members of;
- health bureau officers: institutions in their county;
- surveyors: institutions they are assigned to and not conflicted with (the visits app, above
  this one, says which: its permissions.py has `institution_reach(user)`, found by discovery);
- NHI dental reviewers: dental clinics only;
- everyone else (and the anonymous public): none, except through the public registry.

`visible_institutions` and `can_view_institution` are built from the same facts; the permission
matrix test (institutions/tests/test_permission_matrix.py) checks that they agree.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from pingjian.web.accounts.permissions import (
    bureau_counties_of,
    institution_ids_of,
    is_nhi_reviewer,
    is_office_staff,
    sees_everything,
)
from pingjian.web.core.discovery import domain_modules

from .models import InstitutionType

DENTAL_TYPES = frozenset({InstitutionType.DENTAL_CLINIC})


def reached_institution_ids(user: Any) -> frozenset[int]:
    """Institutions that apps above this one open to USER beyond the memberships and counties:
    every `institution_reach(user)` in an app's permissions.py (today: a surveyor's assigned,
    unconflicted institutions)."""
    ids: set[int] = set()
    for _app, module in domain_modules("permissions"):
        reach = getattr(module, "institution_reach", None)
        if reach is not None:
            ids |= reach(user)
    return frozenset(ids)


@rules.predicate
def is_member_of_institution(user: Any, institution: Any) -> bool:
    return institution is not None and institution.pk in institution_ids_of(user)


@rules.predicate
def is_bureau_of_county(user: Any, institution: Any) -> bool:
    return institution is not None and institution.county in bureau_counties_of(user)


@rules.predicate
def is_reached_through_another_app(user: Any, institution: Any) -> bool:
    return institution is not None and institution.pk in reached_institution_ids(user)


@rules.predicate
def is_dental_institution(user: Any, institution: Any) -> bool:
    return institution is not None and institution.type in DENTAL_TYPES


can_view_institution = (
    is_office_staff
    | is_member_of_institution
    | is_bureau_of_county
    | is_reached_through_another_app
    | (is_nhi_reviewer & is_dental_institution)
)

rules.add_perm("institutions.view_institution", can_view_institution)
rules.add_perm("institutions.add_institution", is_office_staff)
rules.add_perm("institutions.change_institution", is_office_staff)
rules.add_perm("institutions.import_institutions", is_office_staff)
rules.add_perm("institutions.list_institutions", rules.is_authenticated)


def visible_institutions(queryset: Any, user: Any) -> Any:
    """The queryset scope matching `can_view_institution`."""
    if sees_everything(user):
        return queryset
    if user is None or not getattr(user, "is_authenticated", False):
        return queryset.none()
    condition = Q(pk__in=institution_ids_of(user)) | Q(county__in=bureau_counties_of(user))
    condition |= Q(pk__in=reached_institution_ids(user))
    if is_nhi_reviewer(user):
        condition |= Q(type__in=DENTAL_TYPES)
    return queryset.filter(condition)
