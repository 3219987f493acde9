"""The surveyor's own page (conflicts, confidentiality) and the office's surveyor pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from pingjian.web.audit.models import AuditEvent
from pingjian.web.visits.models import ConfidentialityAgreement, ConflictOfInterest, SurveyorAssignment
from tests.web.support import client_for

ROLES = ["office", "program_admin", "institution", "surveyor", "bureau", "nhi", "outsider"]
OFFICE = {"office", "program_admin"}


@pytest.mark.parametrize("role", ROLES)
def test_the_surveyor_page_is_for_surveyors(role, role_users):
    client = client_for(role_users[role])
    expected = 200 if role == "surveyor" else 403
    assert client.get("/visits/").status_code == expected
    assert client.post("/visits/conflicts/declare/", {}).status_code == (422 if role == "surveyor" else 403)
    assert client.post("/visits/confidentiality/accept/", {}).status_code == (
        302 if role == "surveyor" else 403
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_surveyor_pages_of_the_office(role, role_users, ours):
    client = client_for(role_users[role])
    surveyor = role_users["surveyor"]
    allowed = role in OFFICE
    assert client.get("/visits/surveyors/").status_code == (200 if allowed else 403)
    assert client.get(f"/visits/surveyors/{surveyor.pk}/").status_code == (200 if allowed else 404)
    assert client.post(f"/visits/surveyors/{surveyor.pk}/assign/", {}).status_code == (
        422 if allowed else 404
    )
    assignment = SurveyorAssignment.objects.get(surveyor=surveyor)
    response = client.post(f"/visits/assignments/{assignment.pk}/end/", {"reason": "x"})
    # the surveyor sees their own assignment but may not end it (403); others do not see it (404)
    assert response.status_code == (302 if allowed else 403 if role == "surveyor" else 404)


def test_a_non_surveyor_has_no_surveyor_page(office, bureau):
    assert client_for(office).get(f"/visits/surveyors/{bureau.pk}/").status_code == 404


def test_a_surveyor_declares_a_conflict_and_the_institution_disappears(surveyor, ours):
    client = client_for(surveyor)
    assert ours.name in client.get("/visits/").content.decode().split("申報利益迴避")[0]
    response = client.post("/visits/conflicts/declare/", {"institution": ours.pk, "reason": "曾任顧問"})
    assert response.status_code == 302
    assert ConflictOfInterest.objects.filter(surveyor=surveyor, institution=ours, reason="曾任顧問").exists()
    body = client.get("/visits/").content.decode()
    assignments = body.split('id="assignments"')[1].split('id="declare"')[0]
    assert ours.name not in assignments and "目前沒有指派" in assignments
    assert "曾任顧問" in body
    assert client.get(f"/institutions/{ours.code}/").status_code == 404
    assert AuditEvent.objects.filter(event_type="surveyor.conflict_declared", actor=surveyor).exists()


def test_a_surveyor_may_declare_a_conflict_by_code_before_any_assignment(surveyor, theirs):
    response = client_for(surveyor).post(
        "/visits/conflicts/declare/", {"institution_code": theirs.code, "reason": "配偶任職"}
    )
    assert response.status_code == 302
    assert ConflictOfInterest.objects.filter(surveyor=surveyor, institution=theirs).exists()


def test_a_conflict_needs_an_institution_and_a_reason(surveyor):
    client = client_for(surveyor)
    assert "請選擇機構" in client.post("/visits/conflicts/declare/", {"reason": "x"}).content.decode()
    response = client.post("/visits/conflicts/declare/", {"institution_code": "0199999999", "reason": "x"})
    assert response.status_code == 422 and "查無醫事機構代碼" in response.content.decode()


def test_a_surveyor_cannot_pick_an_institution_they_are_not_assigned_to(surveyor, theirs):
    response = client_for(surveyor).post(
        "/visits/conflicts/declare/", {"institution": theirs.pk, "reason": "x"}
    )
    assert response.status_code == 422 and not ConflictOfInterest.objects.exists()


def test_confidentiality_is_accepted_once_per_program_year(surveyor):
    client = client_for(surveyor)
    with time_machine.travel(dt.datetime(2023, 6, 8, 10, tzinfo=dt.UTC)):
        assert "112 年度保密同意" in client.get("/visits/").content.decode()
        assert client.post("/visits/confidentiality/accept/", {}).status_code == 302  # unticked
        assert not ConfidentialityAgreement.objects.exists()
        client.post("/visits/confidentiality/accept/", {"accept": "on"})
        client.post("/visits/confidentiality/accept/", {"accept": "on"})
        body = client.get("/visits/").content.decode()
    assert list(ConfidentialityAgreement.objects.values_list("program_year", flat=True)) == [112]
    assert "已於 112/06/08" in body
    assert AuditEvent.objects.filter(event_type="surveyor.confidentiality_accepted").count() == 1
    with time_machine.travel(dt.datetime(2024, 1, 2, 10, tzinfo=dt.UTC)):
        assert "簽署保密同意" in client_for(surveyor).get("/visits/").content.decode()  # a new year


def test_office_assigns_a_surveyor(office, surveyor, theirs):
    response = client_for(office).post(
        f"/visits/surveyors/{surveyor.pk}/assign/",
        {"institution_code": theirs.code, "cycle_label": "113年度"},
    )
    assert response.status_code == 302
    assert SurveyorAssignment.objects.active().filter(surveyor=surveyor, institution=theirs).exists()
    assert theirs.name in client_for(surveyor).get("/visits/").content.decode()


def test_office_assignment_of_a_conflicted_surveyor_is_refused_with_a_clear_message(
    office, conflicted_surveyor, theirs
):
    response = client_for(office).post(
        f"/visits/surveyors/{conflicted_surveyor.pk}/assign/",
        {"institution_code": theirs.code, "cycle_label": "113年度"},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "不得指派" in body and "利益迴避" in body and "曾任顧問" in body and 'role="alert"' in body


def test_office_sees_each_surveyors_declarations_and_confidentiality(office, conflicted_surveyor, theirs):
    body = client_for(office).get(f"/visits/surveyors/{conflicted_surveyor.pk}/").content.decode()
    assert theirs.name in body and "曾任顧問" in body and "未簽署" in body
    listing = client_for(office).get("/visits/surveyors/").content.decode()
    assert f"/visits/surveyors/{conflicted_surveyor.pk}/" in listing


def test_office_ends_an_assignment_with_a_reason(office, surveyor, ours):
    assignment = SurveyorAssignment.objects.get(surveyor=surveyor)
    client_for(office).post(f"/visits/assignments/{assignment.pk}/end/", {"reason": "梯次結束"})
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    assert client_for(surveyor).get(f"/institutions/{ours.code}/").status_code == 404
