"""Role predicates (django-rules) and the facts every other app's scopes are built from.

The memberships of a user are read once per request and cached on the user object, so that
predicates and queryset scopes use the same facts (`roles_of`, `institution_ids_of`,
`bureau_counties_of`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules

from .roles import OFFICE_ROLES, Role


@dataclass(frozen=True)
class Grants:
    roles: frozenset[str]
    institution_ids: frozenset[int]
    counties: frozenset[str]


_NONE = Grants(frozenset(), frozenset(), frozenset())
_CACHE_ATTR = "_pingjian_grants"


def grants_of(user: Any) -> Grants:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _NONE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from .models import Membership

    rows = list(Membership.objects.active().filter(user=user).values_list("role", "institution_id", "county"))
    grants = Grants(
        roles=frozenset(role for role, _, _ in rows),
        institution_ids=frozenset(i for role, i, _ in rows if role == Role.INSTITUTION and i),
        counties=frozenset(c for role, _, c in rows if role == Role.BUREAU and c),
    )
    setattr(user, _CACHE_ATTR, grants)
    return grants


def forget_grants(user: Any) -> None:
    """Call after changing a user's memberships within the same request (the actions do)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: Any) -> frozenset[str]:
    return grants_of(user).roles


def institution_ids_of(user: Any) -> frozenset[int]:
    return grants_of(user).institution_ids


def bureau_counties_of(user: Any) -> frozenset[str]:
    return grants_of(user).counties


def sees_everything(user: Any) -> bool:
    """Superusers and the program office see every record of every tenant."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or roles_of(user) & OFFICE_ROLES)


@rules.predicate
def is_office_staff(user: Any) -> bool:
    """Sees every record of every tenant: the program office and program administrators."""
    return sees_everything(user)


@rules.predicate
def is_office_operator(user: Any) -> bool:
    """Runs the evaluations day to day (評鑑辦公室人員); superusers too. Narrower than
    `is_office_staff`: a program administrator defines programs but does not run cases."""
    return bool(getattr(user, "is_superuser", False) or Role.OFFICE in roles_of(user))


@rules.predicate
def is_program_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or Role.PROGRAM_ADMIN in roles_of(user))


@rules.predicate
def is_institution_user(user: Any) -> bool:
    return Role.INSTITUTION in roles_of(user)


@rules.predicate
def is_surveyor(user: Any) -> bool:
    return Role.SURVEYOR in roles_of(user)


@rules.predicate
def is_bureau_officer(user: Any) -> bool:
    return Role.BUREAU in roles_of(user)


@rules.predicate
def is_nhi_reviewer(user: Any) -> bool:
    return Role.NHI in roles_of(user)


def visible_users(queryset: Any, user: Any) -> Any:
    """The scope beside accounts.view_user: the program office sees every account, others none
    (an institution user sees who shares their institution on the institution's page instead)."""
    return queryset if sees_everything(user) else queryset.none()


# Managing users and roles is the program office's job.
rules.add_perm("accounts.view_user", is_office_staff)
rules.add_perm("accounts.view_membership", is_office_staff)
rules.add_perm("accounts.add_user", is_office_staff)
rules.add_perm("accounts.change_user", is_office_staff)
rules.add_perm("accounts.add_membership", is_office_staff)
rules.add_perm("accounts.change_membership", is_office_staff)
# Reading the audit trail is the program office's too (the audit app sits below this one).
rules.add_perm("audit.view_auditevent", is_office_staff)
