"""/api/decisions/ (issue 14 item 4): the same actions and checks as the pages."""

from __future__ import annotations

import datetime as dt

from tests.web.support import client_for


def _post(client, url, body=None):
    return client.post(url, data=body or {}, content_type="application/json")


def test_the_api_takes_a_meeting_item_to_an_approved_decision(item, office, approver, member, recused):
    assert client_for(member).get(f"/api/decisions/items/{item.pk}").json()["proposed_result"] == "pass"
    assert client_for(recused).get(f"/api/decisions/items/{item.pk}").status_code == 404
    listed = client_for(recused).get(f"/api/decisions/meetings/{item.meeting_id}/items").json()
    assert listed["count"] == 0
    assert (
        _post(client_for(recused), f"/api/decisions/items/{item.pk}/vote", {"result": "fail"}).status_code
        == 404
    )
    assert (
        _post(client_for(member), f"/api/decisions/items/{item.pk}/vote", {"result": "pass"}).status_code
        == 200
    )
    assert (
        _post(client_for(member), f"/api/decisions/items/{item.pk}/decision", {"result": "pass"}).status_code
        == 403
    )
    refused = _post(client_for(office), f"/api/decisions/items/{item.pk}/decision", {"result": "fail"})
    assert refused.status_code == 422 and "理由" in refused.json()["detail"][0]
    assert (
        _post(client_for(office), f"/api/decisions/items/{item.pk}/decision", {"result": "pass"}).status_code
        == 200
    )
    assert _post(client_for(office), f"/api/decisions/items/{item.pk}/approve").status_code == 403
    approved = _post(client_for(approver), f"/api/decisions/items/{item.pk}/approve").json()
    assert approved["decision"]["approved"] and approved["decision"]["valid_from"] == "2023-01-01"


def test_meetings_are_listed_paginated_and_created_by_the_office_only(scored, office, member):
    application = scored[0]
    body = {"cycle_id": application.cycle_id, "title": "API 評定會議", "held_on": dt.date.today().isoformat()}
    assert _post(client_for(member), "/api/decisions/meetings", body).status_code == 403
    assert _post(client_for(office), "/api/decisions/meetings", body).status_code == 201
    assert client_for(office).get("/api/decisions/meetings?limit=100000").status_code == 422
    assert client_for(office).get("/api/decisions/meetings").json()["count"] == 1
    assert client_for(member).get("/api/decisions/meetings").json()["count"] == 0
