"""Issue 16 item 2 (token authentication) and item 6 (idempotent submissions, no lost update):
API tokens per user, scoped, revocable, hashed at rest; `Authorization: Bearer` on every router
with the session user's permission checks; `Idempotency-Key` on API POSTs."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from pingjian.web.accounts.actions import do_create_api_token, do_revoke_api_token
from pingjian.web.accounts.models import ApiToken, IdempotentRequest
from pingjian.web.applications.models import Application
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from tests.web.support import client_for, make_user


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def submit(client: Client, application: Application, version: int = 1, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/applications/{application.pk}/transitions/submit",
        {"version": version},
        content_type="application/json",
        **headers,
    )


@pytest.fixture
def member(ours, institution_user):
    return institution_user


def test_a_token_is_created_on_its_page_shown_once_and_stored_only_as_its_hash(member):
    client = client_for(member)
    page = client.post("/accounts/tokens/", {"name": "院內系統", "scope": "read"}).content.decode()
    secret = re.search(r'<code id="new-token">([^<]+)</code>', page).group(1)
    token = ApiToken.objects.get(user=member)
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values_list()))  # the secret itself is nowhere
    assert secret not in client.get("/accounts/tokens/").content.decode()  # shown that once only
    assert token.prefix in page and AuditEvent.objects.filter(event_type=EventType.API_TOKEN_CREATED).exists()


def test_a_token_authenticates_every_router_as_its_user_and_records_its_last_use(member, application):
    _token, secret = do_create_api_token(member, name="sync", scope="read", actor=member)
    anonymous = Client()
    assert anonymous.get("/api/accounts/me").status_code == 401
    me = anonymous.get("/api/accounts/me", **bearer(secret))
    assert me.status_code == 200 and me.json()["username"] == member.username
    listed = anonymous.get("/api/applications/", **bearer(secret)).json()
    assert [a["id"] for a in listed["items"]] == [application.pk]
    assert ApiToken.objects.get().last_used_at is not None
    assert anonymous.get("/api/accounts/me", **bearer(secret + "x")).status_code == 401


def test_the_token_has_the_same_permission_checks_as_the_session(member, application, their_application):
    _token, secret = do_create_api_token(member, name="sync", scope="write", actor=member)
    client = Client()
    assert client.get(f"/api/applications/{their_application.pk}", **bearer(secret)).status_code == 404
    assert submit(client, their_application, **bearer(secret)).status_code == 404


def test_a_read_token_is_refused_on_writes_and_a_write_token_needs_no_csrf(member, application):
    _read, read_secret = do_create_api_token(member, name="read", scope="read", actor=member)
    _write, write_secret = do_create_api_token(member, name="write", scope="write", actor=member)
    client = Client(enforce_csrf_checks=True)
    assert submit(client, application, **bearer(read_secret)).status_code == 403
    application.refresh_from_db()
    assert application.version == 1
    assert submit(client, application, **bearer(write_secret)).status_code == 200


def test_a_token_limited_to_some_apis_reaches_only_those(member, application):
    _token, secret = do_create_api_token(member, name="me", scope="read", apps=["accounts"], actor=member)
    assert Client().get("/api/accounts/me", **bearer(secret)).status_code == 200
    assert Client().get("/api/applications/", **bearer(secret)).status_code == 403


def test_a_revoked_token_is_refused(member):
    token, secret = do_create_api_token(member, name="sync", scope="read", actor=member)
    client = client_for(member)
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get().revoked_at is not None
    assert Client().get("/api/accounts/me", **bearer(secret)).status_code == 401


def test_nobody_revokes_anothers_token_from_their_page(member, outsider):
    token, secret = do_create_api_token(member, name="sync", scope="read", actor=member)
    assert client_for(outsider).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    with pytest.raises(PermissionDenied):
        do_revoke_api_token(token, actor=outsider)
    assert Client().get("/api/accounts/me", **bearer(secret)).status_code == 200


def test_an_office_token_works_without_the_browsers_second_factor(office):
    _token, secret = do_create_api_token(office, name="report", scope="read", actor=office)
    assert Client().get("/api/accounts/me", **bearer(secret)).json()["roles"] == ["office"]


def test_the_openapi_document_declares_the_bearer_scheme(db):
    schema = Client().get("/api/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["TokenAuth"].items()
    me = schema["paths"]["/api/accounts/me"]["get"]
    assert {"TokenAuth": []} in me["security"]


# --- item 6: idempotent submissions, no lost update ------------------------------------------------


def test_a_repeated_submission_with_the_same_idempotency_key_is_answered_as_the_first(member, application):
    client = client_for(member)
    first = submit(client, application, HTTP_IDEMPOTENCY_KEY="send-1")
    again = submit(client, application, HTTP_IDEMPOTENCY_KEY="send-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    application.refresh_from_db()
    assert application.version == 2  # done once
    assert AuditEvent.objects.filter(event_type="application.submit").count() == 1
    # without the key the repeat is a stale write: 409, nothing changes
    assert submit(client, application).status_code == 409


def test_the_same_key_for_a_different_request_is_refused_and_keys_are_per_user(member, application, ours):
    client = client_for(member)
    submit(client, application, HTTP_IDEMPOTENCY_KEY="k")
    other = submit(client, application, version=2, HTTP_IDEMPOTENCY_KEY="k")
    assert other.status_code == 422
    colleague = make_user("colleague", "institution", institution=ours)
    # a colleague's identical key is a request of its own: stale now, so 409
    assert submit(client_for(colleague), application, HTTP_IDEMPOTENCY_KEY="k").status_code == 409
    assert IdempotentRequest.objects.count() == 2


def test_two_clients_from_the_same_version_one_wins_and_the_other_gets_409(member, application, ours, office):
    colleague = make_user("colleague", "institution", institution=ours)
    first, second = client_for(member), client_for(colleague)
    assert submit(first, application, version=1).status_code == 200
    lost = submit(second, application, version=1)
    assert lost.status_code == 409
    application.refresh_from_db()
    assert application.version == 2 and application.state == "submitted"
    a, b = client_for(office), client_for(make_user("office2", "office"))
    start = {"version": 2}
    url = f"/api/applications/{application.pk}/transitions/start_review"
    assert a.post(url, start, content_type="application/json").status_code == 200
    assert b.post(url, start, content_type="application/json").status_code == 409


def test_a_deactivated_users_tokens_stop_working(member, office):
    from pingjian.web.accounts.actions import do_deactivate_user

    _token, secret = do_create_api_token(member, name="sync", scope="read", actor=member)
    do_deactivate_user(member, actor=office, reason="離職")
    assert Client().get("/api/accounts/me", **bearer(secret)).status_code == 401


def test_a_token_client_may_resend_with_its_idempotency_key(member, application):
    _token, secret = do_create_api_token(member, name="sync", scope="write", actor=member)
    first = submit(Client(), application, **bearer(secret), HTTP_IDEMPOTENCY_KEY="batch-7")
    again = submit(Client(), application, **bearer(secret), HTTP_IDEMPOTENCY_KEY="batch-7")
    assert first.status_code == again.status_code == 200 and again.json() == first.json()
    assert IdempotentRequest.objects.get().user == member


def test_a_refused_request_does_not_use_up_its_idempotency_key(member, application):
    _read, read_secret = do_create_api_token(member, name="read", scope="read", actor=member)
    _write, write_secret = do_create_api_token(member, name="write", scope="write", actor=member)
    refused = submit(Client(), application, **bearer(read_secret), HTTP_IDEMPOTENCY_KEY="k1")
    assert refused.status_code == 403 and not IdempotentRequest.objects.exists()
    done = submit(Client(), application, **bearer(write_secret), HTTP_IDEMPOTENCY_KEY="k1")
    assert done.status_code == 200 and "Idempotent-Replayed" not in done
