"""Role × object × action: the rules predicates and the queryset scopes must agree, and say what
PRODUCT.md says each role may see."""

from __future__ import annotations

import pytest

from pingjian.web.institutions.models import Institution

# role -> (may view ours, may view theirs, may change/import)
EXPECTED = {
    "office": (True, True, True),
    "program_admin": (True, True, True),
    "institution": (True, False, False),  # only its own institution
    "surveyor": (True, False, False),  # only its assignment
    "bureau": (True, False, False),  # only its county (Taipei)
    "nhi": (False, True, False),  # only dental clinics
    "outsider": (False, False, False),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_predicate_and_scope_agree_for_every_role_and_institution(role, role_users, ours, theirs):
    user = role_users[role]
    expected_ours, expected_theirs, expected_change = EXPECTED[role]
    visible = set(Institution.objects.visible_to(user).values_list("code", flat=True))
    for institution, expected in ((ours, expected_ours), (theirs, expected_theirs)):
        assert user.has_perm("institutions.view_institution", institution) is expected, (role, institution)
        assert (institution.code in visible) is expected, (role, institution)
        assert user.has_perm("institutions.change_institution", institution) is expected_change
    assert user.has_perm("institutions.import_institutions") is expected_change


def test_anonymous_sees_no_institution(ours, theirs):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not Institution.objects.visible_to(anonymous).exists()
    assert not anonymous.has_perm("institutions.view_institution", ours)


def test_conflicted_surveyor_loses_the_institution_despite_the_assignment(conflicted_surveyor, ours, theirs):
    visible = set(Institution.objects.visible_to(conflicted_surveyor))
    assert visible == {ours}
    assert conflicted_surveyor.has_perm("institutions.view_institution", ours)
    assert not conflicted_surveyor.has_perm("institutions.view_institution", theirs)


def test_revoked_membership_removes_access(institution_user, ours):
    from pingjian.web.accounts.actions import do_revoke_membership

    membership = institution_user.memberships.get()
    do_revoke_membership(membership, actor=None, reason="離職")
    assert not Institution.objects.visible_to(institution_user).exists()
    assert not institution_user.has_perm("institutions.view_institution", ours)


def test_inactive_user_sees_nothing(office, ours):
    office.is_active = False
    office.save()
    assert not Institution.objects.visible_to(office).exists()
