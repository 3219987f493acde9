"""Conflicts of interest (issue 13 item 2; seed 002 §四(二): 評鑑委員應依相關法規規定，遵守利益迴避
原則): declared by the surveyor, by the institution, or found in the records; hard ones never
waived, soft ones waived by the office with a written reason; a conflicted surveyor answers 404
everywhere on that institution and is never assigned."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from pingjian.web.evidence.actions import do_upload_evidence
from pingjian.web.evidence.models import EvidenceFile
from pingjian.web.institutions.actions import do_create_institution
from pingjian.web.institutions.models import County, InstitutionType
from pingjian.web.visits.actions import (
    do_add_surveyor_history,
    do_declare_conflict,
    do_declare_conflict_by_institution,
    do_waive_conflict,
)
from pingjian.web.visits.conflicts import conflicted_institution_ids, conflicts, cutoff
from pingjian.web.visits.models import ConflictReason, Visit, VisitMember
from tests.web.support import client_for, make_user

from ..evidence.test_evidence import pdf_bytes

TODAY = dt.date.today()


@pytest.fixture
def sister(db):
    """Another home of 王美玲, the owner of `ours` (conftest)."""
    return do_create_institution(
        actor=None, code="0190000009", name="美玲產後護理之家", type=InstitutionType.POSTPARTUM_HOME,
        county=County.TAIPEI, address="臺北市信義區松仁路9號", opened_on=dt.date(2010, 1, 1),
        owner_name="王美玲", owner_since=dt.date(2010, 1, 1),
    )  # fmt: skip


@pytest.fixture
def case(application, institution_user, surveyor):
    """The surveyor's view of `ours`: its application with an evidence file and a planned visit."""
    do_upload_evidence(
        application,
        slot_key="A1.1-1",
        upload=io.BytesIO(pdf_bytes()),
        name="紀錄.pdf",
        actor=institution_user,
    )
    visit = Visit.objects.create(application=application, day=TODAY + dt.timedelta(days=30), half="am")
    VisitMember.objects.create(visit=visit, surveyor=surveyor, role="醫護")
    return application, EvidenceFile.objects.get(application=application), visit


def urls(application, file, visit):
    return [
        f"/applications/{application.pk}/",
        f"/evidence/{application.pk}/files/{file.pk}/",
        f"/documents/applications/{application.pk}/summary.pdf",
        f"/documents/applications/{application.pk}/supplement-letter.pdf",
        f"/api/applications/{application.pk}",
        f"/api/evidence/{application.pk}",
        f"/api/institutions/{application.institution.code}",
        f"/api/visits/schedule/{visit.pk}",
    ]


def _conflict(kind, surveyor, ours, sister, institution_user, office):
    if kind == "surveyor":
        do_declare_conflict(
            surveyor, ours, actor=surveyor, reason="配偶任職", reason_code=ConflictReason.FAMILY
        )
    elif kind == "institution":
        do_declare_conflict_by_institution(
            ours, surveyor, actor=institution_user, reason="委員為鄰近競爭機構之負責人", reason_code="dispute"
        )
    elif kind == "history":
        do_add_surveyor_history(
            surveyor, ours, kind="employment", started_on=TODAY - dt.timedelta(days=2000),
            ended_on=TODAY - dt.timedelta(days=300), title="護理長", actor=office,
        )  # fmt: skip
    else:  # employment at the owner's other home
        do_add_surveyor_history(
            surveyor, sister, kind="employment", started_on=TODAY - dt.timedelta(days=2000),
            ended_on=None, title="督導", actor=office,
        )  # fmt: skip


@pytest.mark.parametrize("kind", ["surveyor", "institution", "history", "owner_other_institution"])
def test_a_conflicted_surveyor_gets_404_on_the_page_file_pdfs_api_and_schedule(
    kind, case, surveyor, ours, sister, institution_user, office
):
    """Seed 002 §四(二): whatever the conflict's source, nothing of the institution is reachable."""
    application, file, visit = case
    client = client_for(surveyor)
    before = {url: client.get(url).status_code for url in urls(application, file, visit)}
    # the walk can fail: before the conflict the surveyor reaches the page, the file and the API
    assert before[f"/applications/{application.pk}/"] == 200
    assert before[f"/evidence/{application.pk}/files/{file.pk}/"] == 200
    assert before[f"/api/applications/{application.pk}"] == 200
    assert before[f"/api/visits/schedule/{visit.pk}"] == 200
    # surveyors are not given the PDFs (403: found, not allowed); conflicted, not even found
    assert before[f"/documents/applications/{application.pk}/summary.pdf"] == 403
    _conflict(kind, surveyor, ours, sister, institution_user, office)
    client = client_for(surveyor)
    after = {url: client.get(url).status_code for url in urls(application, file, visit)}
    assert after == {url: 404 for url in after}
    assert client.get("/api/visits/schedule").json()["items"] == []
    assert ours.code not in client.get("/visits/").content.decode()
    assert not VisitMember.objects.filter(surveyor=surveyor).exists()  # taken off the team


def test_a_conflicted_surveyor_cannot_be_assigned_through_the_page_or_the_api(surveyor, theirs, office):
    do_declare_conflict(surveyor, theirs, actor=surveyor, reason="曾任顧問", reason_code="consultant")
    client = client_for(office)
    page = client.post(f"/visits/surveyors/{surveyor.pk}/assign/", {"institution_code": theirs.code})
    assert page.status_code == 422
    api = client.post(
        "/api/visits/assignments",
        {"surveyor_id": surveyor.pk, "institution_code": theirs.code},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert "利益迴避" in api.json()["detail"][0]
    assert not surveyor.assignments.filter(institution=theirs).exists()


def test_the_api_assigns_a_surveyor_without_a_conflict(surveyor, theirs, office):
    response = client_for(office).post(
        "/api/visits/assignments",
        {"surveyor_id": surveyor.pk, "institution_code": theirs.code},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["institution_code"] == theirs.code


def test_a_hard_conflict_is_never_waived(surveyor, ours, office):
    conflict = do_declare_conflict(
        surveyor, ours, actor=surveyor, reason="曾任護理長", reason_code="employment"
    )
    with pytest.raises(ValidationError, match="絕對迴避"):
        do_waive_conflict(surveyor, ours, basis=conflict.basis, actor=office, reason="已離職多年")
    assert ours.pk in conflicted_institution_ids(surveyor)


def test_a_soft_conflict_is_waived_only_with_a_written_reason_by_the_office(surveyor, ours, office):
    conflict = do_declare_conflict(
        surveyor, ours, actor=surveyor, reason="曾受邀演講", reason_code="consultant"
    )
    with pytest.raises(ValidationError, match="書面"):
        do_waive_conflict(surveyor, ours, basis=conflict.basis, actor=office, reason=" ")
    with pytest.raises(PermissionDenied):
        do_waive_conflict(surveyor, ours, basis=conflict.basis, actor=surveyor, reason="我覺得沒問題")
    do_waive_conflict(surveyor, ours, basis=conflict.basis, actor=office, reason="僅一次演講，無利害關係")
    assert ours.pk not in conflicted_institution_ids(surveyor)
    event = AuditEvent.objects.get(event_type=EventType.CONFLICT_WAIVED)
    assert event.reason == "僅一次演講，無利害關係"


def test_work_at_the_owners_other_home_is_soft_and_named(surveyor, ours, sister, office):
    row = do_add_surveyor_history(
        surveyor, sister, kind="employment", started_on=dt.date(2018, 1, 1), actor=office
    )
    found = {c.institution_id: c for c in conflicts(surveyor_ids=[surveyor.pk])}
    assert found[sister.pk].hard
    assert not found[ours.pk].hard
    assert "王美玲" in found[ours.pk].description
    do_waive_conflict(surveyor, ours, basis=f"history:{row.pk}:{ours.pk}", actor=office, reason="僅任兼職")
    assert conflicted_institution_ids(surveyor) == {sister.pk}


def test_history_older_than_the_lookback_is_no_conflict(surveyor, ours, office, settings):
    settings.PINGJIAN_CONFLICT_LOOKBACK_YEARS = 3
    ended = cutoff(TODAY) - dt.timedelta(days=1)
    do_add_surveyor_history(
        surveyor, ours, kind="ownership", started_on=dt.date(2000, 1, 1), ended_on=ended, actor=office
    )
    assert conflicted_institution_ids(surveyor) == set()
    settings.PINGJIAN_CONFLICT_LOOKBACK_YEARS = 5
    assert conflicted_institution_ids(surveyor) == {ours.pk}


def test_only_the_institutions_members_declare_for_it(surveyor, ours, theirs, office):
    stranger = make_user("stranger", "institution", institution=theirs)
    with pytest.raises(PermissionDenied):
        do_declare_conflict_by_institution(ours, surveyor, actor=stranger, reason="x")
    assert not conflicts(surveyor_ids=[surveyor.pk])


# --- the pages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"), [("institution", 200), ("surveyor", 403), ("office", 403), ("bureau", 403)]
)
def test_only_an_institutions_members_use_its_declaration_page(role, status, role_users):
    assert client_for(role_users[role]).get("/visits/institution/conflicts/").status_code == status


def test_the_institution_declares_a_conflict_on_its_page(institution_user, surveyor, ours):
    client = client_for(institution_user)
    response = client.post(
        "/visits/institution/conflicts/",
        {
            "institution": ours.pk,
            "surveyor": surveyor.pk,
            "reason_code": "dispute",
            "reason": "委員與本機構有訴訟",
        },
        follow=True,
    )
    assert "委員與本機構有訴訟" in response.content.decode()
    assert ours.pk in conflicted_institution_ids(surveyor)


def test_an_institution_cannot_declare_for_another(institution_user, surveyor, theirs):
    response = client_for(institution_user).post(
        "/visits/institution/conflicts/",
        {"institution": theirs.pk, "surveyor": surveyor.pk, "reason_code": "dispute", "reason": "x"},
    )
    assert response.status_code == 422
    assert theirs.pk not in conflicted_institution_ids(surveyor) or not conflicts(surveyor_ids=[surveyor.pk])


@pytest.mark.parametrize(("role", "status"), [("office", 200), ("institution", 403), ("surveyor", 403)])
def test_only_the_office_sees_the_conflicts_page(role, status, role_users):
    assert client_for(role_users[role]).get("/visits/conflicts/").status_code == status


def test_the_office_enters_history_and_waives_a_soft_conflict_on_the_page(office, surveyor, ours, sister):
    client = client_for(office)
    client.post(
        "/visits/conflicts/history/",
        {
            "surveyor": surveyor.pk,
            "institution_code": sister.code,
            "kind": "employment",
            "started_on": "108/01/01",
        },
    )
    page = client.get("/visits/conflicts/").content.decode()
    assert "不得免除" in page and "王美玲" in page
    soft = next(c for c in conflicts(surveyor_ids=[surveyor.pk]) if c.institution_id == ours.pk)
    client.post(
        "/visits/conflicts/waive/",
        {"basis": soft.basis, "surveyor": surveyor.pk, "institution": ours.pk, "reason": "僅任兼職，已離職"},
    )
    assert conflicted_institution_ids(surveyor) == {sister.pk}
    assert "僅任兼職，已離職" in client.get("/visits/conflicts/").content.decode()


# --- the API's scopes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("office", 200), ("surveyor", 403), ("institution", 403)])
def test_only_the_office_reads_the_roster(role, status, role_users):
    assert client_for(role_users[role]).get("/api/visits/roster").status_code == status


def test_each_reads_only_their_own_conflicts_through_the_api(
    surveyor, conflicted_surveyor, ours, theirs, institution_user, office
):
    do_declare_conflict_by_institution(
        ours, surveyor, actor=institution_user, reason="訴訟中", reason_code="dispute"
    )
    mine = client_for(surveyor).get("/api/visits/conflicts").json()["items"]
    assert {(c["surveyor_id"], c["institution_code"]) for c in mine} == {(surveyor.pk, ours.code)}
    theirs_view = client_for(conflicted_surveyor).get("/api/visits/conflicts").json()["items"]
    assert {c["surveyor_id"] for c in theirs_view} == {conflicted_surveyor.pk}
    institution_view = client_for(institution_user).get("/api/visits/conflicts").json()["items"]
    assert [(c["surveyor_id"], c["side"]) for c in institution_view] == [(surveyor.pk, "institution")]
    assert len(client_for(office).get("/api/visits/conflicts").json()["items"]) == 2


def test_the_api_declares_and_the_office_waives_a_soft_conflict(surveyor, ours, office):
    client = client_for(surveyor)
    response = client.post(
        "/api/visits/conflicts",
        {"institution_code": ours.code, "reason_code": "consultant", "reason": "曾受邀輔導"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert client.get(f"/api/institutions/{ours.code}").status_code == 404
    basis = client.get("/api/visits/conflicts").json()["items"][0]["basis"]
    refused = client.post(
        "/api/visits/conflicts/waive",
        {"surveyor_id": surveyor.pk, "institution_code": ours.code, "basis": basis, "reason": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    waived = client_for(office).post(
        "/api/visits/conflicts/waive",
        {"surveyor_id": surveyor.pk, "institution_code": ours.code, "basis": basis, "reason": "輔導已逾五年"},
        content_type="application/json",
    )
    assert waived.status_code == 201
    assert client_for(surveyor).get(f"/api/institutions/{ours.code}").status_code == 200
