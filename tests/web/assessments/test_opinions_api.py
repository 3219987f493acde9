"""評鑑意見書 over the API (issue 13 items 7, 8): the team writes and submits, the office reviews,
with the pages' permission checks (a conflicted member or an outsider gets 404, the institution
reads only an approved one), a bounded paginated list, and the opinion's state bound to its audit
events (`pingjian audit verify`)."""

from __future__ import annotations

import json

from pingjian.web.assessments.models import Opinion
from pingjian.web.audit.bindings import check_bindings
from pingjian.web.visits.actions import do_declare_conflict
from pingjian.web.visits.models import VisitMember
from tests.web.support import client_for, make_user


def _put(client, visit, **body):
    return client.put(
        f"/api/assessments/visits/{visit.pk}/opinion/entries",
        data=json.dumps(body),
        content_type="application/json",
    )


def test_the_team_writes_and_submits_the_office_approves_the_institution_then_reads(visit, nurse, office):
    team = client_for(nurse)
    empty = team.get(f"/api/assessments/visits/{visit.pk}/opinion").json()
    assert empty["state"] == "draft" and empty["entries"] == []
    assert _put(team, visit, key="", strengths="環境整潔", recommendations="加強演練").status_code == 200
    answer = _put(team, visit, key="C2", recommendations="夜間情境演練")
    assert [e["key"] for e in answer.json()["entries"]] == ["", "C2"]
    opinion_id = answer.json()["id"]
    inst = make_user("inst-op", "institution", institution=visit.application.institution)
    assert client_for(inst).get(f"/api/assessments/opinions/{opinion_id}").status_code == 404  # a draft

    assert team.post(f"/api/assessments/visits/{visit.pk}/opinion/submit").json()["state"] == "submitted"
    assert _put(team, visit, key="", strengths="改").status_code == 422  # no longer a draft
    assert team.post(f"/api/assessments/opinions/{opinion_id}/approve").status_code == 403  # the office's
    approved = client_for(office).post(f"/api/assessments/opinions/{opinion_id}/approve").json()
    assert approved["state"] == "approved"
    read = client_for(inst).get(f"/api/assessments/opinions/{opinion_id}").json()
    assert {e["key"]: e["recommendations"] for e in read["entries"]} == {"": "加強演練", "C2": "夜間情境演練"}
    assert check_bindings() == []


def test_the_office_sends_back_only_with_a_reason(visit, nurse, office):
    team = client_for(nurse)
    _put(team, visit, key="", strengths="環境整潔")
    opinion_id = team.post(f"/api/assessments/visits/{visit.pk}/opinion/submit").json()["id"]
    url = f"/api/assessments/opinions/{opinion_id}/return"
    office_client = client_for(office)
    blank = office_client.post(url, data=json.dumps({"reason": " "}), content_type="application/json")
    assert blank.status_code == 422 and Opinion.objects.get().state == "submitted"
    sent_back = office_client.post(
        url, data=json.dumps({"reason": "請補充建議"}), content_type="application/json"
    )
    assert sent_back.json()["state"] == "draft" and sent_back.json()["returned_reason"] == "請補充建議"
    assert check_bindings() == []


def test_an_unknown_criterion_names_the_key_and_stores_nothing(visit, nurse):
    answer = _put(client_for(nurse), visit, key="Z9", strengths="x")
    assert answer.status_code == 422 and "Z9" in answer.json()["detail"]
    assert not Opinion.objects.filter(entries__key="Z9").exists()


def test_outsiders_and_a_conflicted_member_get_404(visit, nurse, surveyor):
    _put(client_for(nurse), visit, key="", strengths="環境整潔")
    opinion = Opinion.objects.get()
    conflicted = make_user("conflicted-op", "surveyor")
    VisitMember.objects.create(visit=visit, surveyor=conflicted, role="委員")
    do_declare_conflict(conflicted, visit.application.institution, actor=conflicted, reason="曾任顧問")
    for user in (surveyor, conflicted):
        client = client_for(user)
        assert client.get(f"/api/assessments/opinions/{opinion.pk}").status_code == 404
        assert client.get(f"/api/assessments/visits/{visit.pk}/opinion").status_code == 404
        assert _put(client, visit, key="", strengths="改").status_code == 404
        assert client.get("/api/assessments/opinions").json()["count"] == 0


def test_the_list_is_paginated_with_bounds(visit, nurse, office):
    _put(client_for(nurse), visit, key="", strengths="環境整潔")
    client = client_for(office)
    page = client.get("/api/assessments/opinions?limit=1").json()
    assert page["count"] == 1 and page["items"][0]["institution"] == visit.application.institution.name
    assert "entries" not in page["items"][0]
    assert client.get("/api/assessments/opinions?limit=100000").status_code == 422


def test_a_state_edited_in_the_database_is_reported(visit, nurse):
    _put(client_for(nurse), visit, key="", strengths="環境整潔")
    assert check_bindings() == []
    Opinion.objects.update(state="approved")  # no event set it
    (mismatch,) = check_bindings()
    assert mismatch.field == "state" and mismatch.stored == "approved" and mismatch.expected == "draft"
