import pytest

from tests.web.support import client_for

ALLOWED = {"office", "program_admin"}


@pytest.mark.parametrize(
    "role", ["office", "program_admin", "institution", "surveyor", "bureau", "nhi", "outsider"]
)
def test_audit_trail_page_and_api_are_for_the_office_only(role, role_users):
    client = client_for(role_users[role])
    assert client.get("/audit/").status_code == (200 if role in ALLOWED else 403)
    response = client.get("/api/audit/events")
    assert response.status_code == (200 if role in ALLOWED else 403)
    if role in ALLOWED:
        assert response.json()["count"] > 0


def test_anonymous_cannot_read_the_audit_trail(db):
    client = client_for(None)
    assert client.get("/audit/").status_code == 302
    assert client.get("/api/audit/events").status_code == 401
