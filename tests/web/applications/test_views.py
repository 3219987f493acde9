"""Application pages and API per role: in scope 200, outside 404 (never the data); transitions
posted through the page and the API call the same actions."""

from __future__ import annotations

import pytest

from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from tests.web.support import client_for

# role → sees ours (Taipei postpartum home), sees theirs (Kaohsiung postpartum home)
SEES = {
    "office": (True, True),
    "program_admin": (True, True),
    "institution": (True, False),
    "surveyor": (True, False),
    "bureau": (True, False),
    "nhi": (False, False),
    "outsider": (False, False),
}


@pytest.mark.parametrize("role", SEES)
def test_detail_page_and_api_answer_404_outside_the_scope(role, role_users, application, their_application):
    client = client_for(role_users[role])
    for app, seen in zip((application, their_application), SEES[role], strict=True):
        page = client.get(f"/applications/{app.pk}/")
        api = client.get(f"/api/applications/{app.pk}")
        assert (page.status_code, api.status_code) == ((200, 200) if seen else (404, 404)), (role, app.pk)
        if not seen:
            assert app.institution.name not in page.content.decode() + api.content.decode()
    listed = {a["id"] for a in client.get("/api/applications/").json()["items"]}
    assert listed == {
        a.pk for a, seen in zip((application, their_application), SEES[role], strict=True) if seen
    }
    page = client.get("/applications/").content.decode()
    assert (their_application.institution.name in page) == SEES[role][1]


def test_an_institution_cannot_fire_a_transition_on_another_institutions_application(
    role_users, their_application
):
    client = client_for(role_users["institution"])
    assert (
        client.post(
            f"/applications/{their_application.pk}/transition/submit/", {"submit-version": 1}
        ).status_code
        == 404
    )
    response = client.post(
        f"/api/applications/{their_application.pk}/transitions/submit",
        {"version": 1},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Application.objects.get(pk=their_application.pk).state == State.DRAFT


def test_page_transitions_submit_then_the_office_requests_a_supplement(application, role_users, office):
    member = client_for(role_users["institution"])
    response = member.post(f"/applications/{application.pk}/transition/submit/", {"submit-version": 1})
    assert response.status_code == 302
    staff = client_for(office)
    staff.post(f"/applications/{application.pk}/transition/start_review/", {"start_review-version": 2})
    missing = staff.post(
        f"/applications/{application.pk}/transition/request_supplement/",
        {"request_supplement-version": 3, "request_supplement-message": ""},
    )
    assert missing.status_code == 422
    done = staff.post(
        f"/applications/{application.pk}/transition/request_supplement/",
        {"request_supplement-version": 3, "request_supplement-message": "請補件"},
    )
    assert done.status_code == 302
    assert Application.objects.get(pk=application.pk).state == State.SUPPLEMENT_REQUESTED
    stale = staff.post(
        f"/applications/{application.pk}/transition/reject/",
        {"reject-version": 3, "reject-message": "x", "reject-confirm": "on"},
    )
    assert stale.status_code == 409
    page = member.get(f"/applications/{application.pk}/").content.decode()
    assert "請補件" in page and "待補件" in page and "完成補件" in page


def test_the_institution_is_refused_office_transitions_with_403(application, role_users):
    client = client_for(role_users["institution"])
    response = client.post(f"/applications/{application.pk}/transition/accept/", {"accept-version": 1})
    assert response.status_code == 403
    api = client.post(
        f"/api/applications/{application.pk}/transitions/accept",
        {"version": 1},
        content_type="application/json",
    )
    assert api.status_code == 403


def test_api_transitions_call_the_same_actions(application, role_users, office):
    member = client_for(role_users["institution"])
    response = member.post(
        f"/api/applications/{application.pk}/transitions/submit",
        {"version": 1},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    again = member.post(
        f"/api/applications/{application.pk}/transitions/submit",
        {"version": 1},
        content_type="application/json",
    )
    assert again.status_code == 409
    staff = client_for(office)
    staff.post(
        f"/api/applications/{application.pk}/transitions/start_review",
        {"version": 2},
        content_type="application/json",
    )
    no_message = staff.post(
        f"/api/applications/{application.pk}/transitions/request_supplement",
        {"version": 3},
        content_type="application/json",
    )
    assert no_message.status_code == 422
    detail = staff.get(f"/api/applications/{application.pk}").json()
    assert [t["name"] for t in detail["transitions"]] == ["submit", "start_review"]
    assert "request_supplement" in detail["available"] and "submit" not in detail["available"]


def test_cycle_pages_and_api(postpartum_cycle, role_users):
    for role in ("office", "institution", "bureau", "outsider"):
        client = client_for(role_users[role])
        assert client.get(f"/cycles/{postpartum_cycle.pk}/").status_code == 200
        assert client.get(f"/api/cycles/{postpartum_cycle.pk}").json()["program_id"] == "postpartum-111"
    assert client_for(role_users["institution"]).get("/cycles/new/").status_code == 403
    assert client_for(role_users["office"]).get("/cycles/new/").status_code == 200


def test_the_audit_trail_on_the_page_shows_event_types_in_words(office, application):
    body = client_for(office).get(f"/applications/{application.pk}/").content.decode()
    assert "建立申請案" in body and "application.opened" not in body
