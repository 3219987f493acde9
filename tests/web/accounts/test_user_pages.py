"""Users and memberships pages: the program office's (others 403 on the list, 404 on a user),
every change audited with its reason."""

from __future__ import annotations

import pytest

from pingjian.web.accounts.models import Membership, User
from pingjian.web.audit.models import AuditEvent
from tests.web.support import client_for

ROLES = ["office", "program_admin", "institution", "surveyor", "bureau", "nhi", "outsider"]
OFFICE = {"office", "program_admin"}


@pytest.mark.parametrize("role", ROLES)
def test_user_pages_are_the_offices(role, role_users):
    client = client_for(role_users[role])
    target = role_users["surveyor"]
    allowed = role in OFFICE
    assert client.get("/accounts/users/").status_code == (200 if allowed else 403)
    assert client.get("/accounts/users/new/").status_code == (200 if allowed else 403)
    assert client.get(f"/accounts/users/{target.pk}/").status_code == (200 if allowed else 404)
    for action in ("grant", "deactivate", "reactivate"):
        response = client.post(f"/accounts/users/{target.pk}/{action}/", {})
        assert response.status_code in ((302, 422) if allowed else (404,)), action
    membership = target.memberships.get()
    response = client.post(f"/accounts/memberships/{membership.pk}/revoke/", {"reason": "x"})
    assert response.status_code == (302 if allowed else 404)


def test_anonymous_is_sent_to_login(db):
    response = client_for(None).get("/accounts/users/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_shows_users_with_their_roles_and_filters(role_users, ours):
    client = client_for(role_users["office"])
    body = client.get("/accounts/users/").content.decode()
    assert "inst" in body and ours.name in body and "評鑑委員" in body
    body = client.get("/accounts/users/?role=bureau").content.decode()
    assert f"/accounts/users/{role_users['bureau'].pk}/" in body
    assert f"/accounts/users/{role_users['nhi'].pk}/" not in body


def test_office_creates_a_user_and_grants_an_institution_role(office, ours):
    client = client_for(office)
    response = client.post(
        "/accounts/users/new/",
        {"username": "newstaff", "display_name": "新同仁", "email": "n@example.org",
         "password": "a-long-enough passphrase", "reason": "到職"},
    )  # fmt: skip
    user = User.objects.get(username="newstaff")
    assert response.status_code == 302 and response["Location"] == f"/accounts/users/{user.pk}/"
    assert user.check_password("a-long-enough passphrase")
    response = client.post(
        f"/accounts/users/{user.pk}/grant/",
        {"role": "institution", "institution_code": ours.code, "reason": "機構申請"},
    )
    assert response.status_code == 302
    membership = user.memberships.get()
    assert membership.institution == ours and membership.granted_by == office
    assert AuditEvent.objects.filter(event_type="membership.granted", reason="機構申請").exists()


def test_a_taken_username_and_a_weak_password_are_refused(office):
    response = client_for(office).post("/accounts/users/new/", {"username": "OFFICE", "display_name": "x"})
    assert response.status_code == 422 and "已有人使用" in response.content.decode()
    response = client_for(office).post(
        "/accounts/users/new/", {"username": "weak", "display_name": "x", "password": "123"}
    )
    assert response.status_code == 422 and not User.objects.filter(username="weak").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "institution", "reason": "x"}, "須指定機構"),
        ({"role": "institution", "institution_code": "0199999999", "reason": "x"}, "查無醫事機構代碼"),
        ({"role": "bureau", "reason": "x"}, "須指定縣市"),
        ({"role": "surveyor"}, "這個欄位是必須的"),
    ],
)
def test_a_grant_without_its_scope_or_reason_is_refused(office, outsider, data, message):
    response = client_for(office).post(f"/accounts/users/{outsider.pk}/grant/", data)
    assert response.status_code == 422 and message in response.content.decode()
    assert not outsider.memberships.exists()


def test_a_duplicate_grant_is_refused(office, bureau):
    response = client_for(office).post(
        f"/accounts/users/{bureau.pk}/grant/", {"role": "bureau", "county": "TPE", "reason": "x"}
    )
    assert response.status_code == 422 and "已有相同的角色" in response.content.decode()


def test_revoking_a_membership_ends_access_and_is_audited(office, institution_user, ours):
    membership = institution_user.memberships.get()
    client_for(office).post(f"/accounts/memberships/{membership.pk}/revoke/", {"reason": "離職"})
    membership.refresh_from_db()
    assert membership.revoked_at is not None
    assert client_for(institution_user).get(f"/institutions/{ours.code}/").status_code == 404
    event = AuditEvent.objects.get(event_type="membership.revoked")
    assert event.reason == "離職" and event.actor == office


def test_a_revoke_without_a_reason_changes_nothing(office, institution_user):
    membership = institution_user.memberships.get()
    client_for(office).post(f"/accounts/memberships/{membership.pk}/revoke/", {"reason": " "})
    assert Membership.objects.active().filter(pk=membership.pk).exists()


def test_deactivating_a_user_stops_them_and_is_audited_and_reversible(office, institution_user, ours):
    client = client_for(office)
    client.post(f"/accounts/users/{institution_user.pk}/deactivate/", {"reason": "帳號外洩"})
    institution_user.refresh_from_db()
    assert not institution_user.is_active
    assert AuditEvent.objects.filter(event_type="user.deactivated", reason="帳號外洩").exists()
    assert client_for(institution_user).get(f"/institutions/{ours.code}/").status_code == 302
    client.post(f"/accounts/users/{institution_user.pk}/reactivate/", {"reason": "已重設密碼"})
    institution_user.refresh_from_db()
    assert institution_user.is_active


def test_nobody_deactivates_themselves(office):
    client_for(office).post(f"/accounts/users/{office.pk}/deactivate/", {"reason": "x"})
    office.refresh_from_db()
    assert office.is_active


@pytest.mark.parametrize("role", ROLES)
def test_user_and_membership_predicates_and_scopes_agree(role, role_users):
    user = role_users[role]
    target = role_users["surveyor"]
    allowed = role in OFFICE
    assert user.has_perm("accounts.view_user", target) is allowed
    assert User.objects.visible_to(user).filter(pk=target.pk).exists() is allowed
    membership = target.memberships.get()
    assert user.has_perm("accounts.view_membership", membership) is allowed
    assert Membership.objects.visible_to(user).filter(pk=membership.pk).exists() is allowed
