"""評鑑意見書 (issue 13 item 7): the team writes strengths and recommendations per criterion and
overall, submits them, the office approves them or sends them back with a reason; every step
audited; the institution reads them only once approved."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingjian.web.assessments.actions import (
    do_approve_opinion,
    do_return_opinion,
    do_save_opinion_entry,
    do_submit_opinion,
)
from pingjian.web.assessments.models import Opinion, OpinionEntry
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from tests.web.support import client_for


def test_the_team_writes_submits_and_the_office_approves(visit, nurse, safety, office):
    do_save_opinion_entry(visit, actor=nurse, key="A1.1", strengths="嬰兒室動線清楚", recommendations="")
    do_save_opinion_entry(visit, actor=safety, key="", recommendations="宜加強夜間消防演練")
    opinion = do_submit_opinion(visit, actor=safety)
    assert opinion.state == Opinion.State.SUBMITTED
    with pytest.raises(ValidationError):
        do_save_opinion_entry(visit, actor=nurse, key="A1.1", strengths="改")
    opinion = do_approve_opinion(opinion, actor=office)
    assert opinion.state == Opinion.State.APPROVED and opinion.approved_by == office
    events = AuditEvent.objects.filter(event_type__startswith="opinion.")
    kinds = list(events.values_list("event_type", flat=True))
    assert kinds.count(EventType.OPINION_SAVED) == 2
    assert EventType.OPINION_SUBMITTED in kinds and EventType.OPINION_APPROVED in kinds


def test_the_office_sends_back_only_with_a_reason_and_the_team_may_write_again(visit, nurse, office):
    do_save_opinion_entry(visit, actor=nurse, key="", strengths="整體環境整潔")
    opinion = do_submit_opinion(visit, actor=nurse)
    with pytest.raises(ValidationError):
        do_return_opinion(opinion, actor=office, reason="  ")
    assert Opinion.objects.get().state == Opinion.State.SUBMITTED
    opinion = do_return_opinion(opinion, actor=office, reason="請補充各項基準之建議事項")
    assert opinion.state == Opinion.State.DRAFT and opinion.returned_reason == "請補充各項基準之建議事項"
    assert AuditEvent.objects.get(event_type=EventType.OPINION_RETURNED).reason == "請補充各項基準之建議事項"
    do_save_opinion_entry(visit, actor=nurse, key="B1.1", recommendations="補充說明")
    html = client_for(nurse).get(f"/assessments/visits/{visit.pk}/opinions/").content.decode()
    assert "請補充各項基準之建議事項" in html


def test_submitting_without_an_overall_opinion_is_refused(visit, nurse):
    do_save_opinion_entry(visit, actor=nurse, key="A1.1", strengths="好")
    with pytest.raises(ValidationError, match="總評"):
        do_submit_opinion(visit, actor=nurse)
    assert Opinion.objects.get().state == Opinion.State.DRAFT


def test_an_unknown_criterion_is_refused_by_name_and_stores_nothing(visit, nurse):
    with pytest.raises(ValidationError, match="Z9"):
        do_save_opinion_entry(visit, actor=nurse, key="Z9", strengths="x")
    assert not OpinionEntry.objects.exists()


def test_only_the_team_writes_and_only_the_office_reviews(visit, nurse, office, surveyor):
    with pytest.raises(PermissionDenied):
        do_save_opinion_entry(visit, actor=surveyor, key="", strengths="x")
    with pytest.raises(PermissionDenied):
        do_save_opinion_entry(visit, actor=office, key="", strengths="x")
    do_save_opinion_entry(visit, actor=nurse, key="", strengths="整體良好")
    opinion = do_submit_opinion(visit, actor=nurse)
    with pytest.raises(PermissionDenied):
        do_approve_opinion(opinion, actor=nurse)


def test_the_page_saves_submits_and_the_office_approves(visit, nurse, office):
    url = f"/assessments/visits/{visit.pk}/opinions/"
    client = client_for(nurse)
    client.post(url, {"step": "save", "strengths-": "服務熱忱", "recommendations-A1.2": "宜定期檢討"})
    assert {e.key: e.recommendations for e in OpinionEntry.objects.all()} == {"": "", "A1.2": "宜定期檢討"}
    client.post(url, {"step": "submit", "strengths-": "服務熱忱", "recommendations-A1.2": "宜定期檢討"})
    assert Opinion.objects.get().state == Opinion.State.SUBMITTED
    html = client_for(office).get(url).content.decode()
    assert 'value="approve"' in html
    client_for(office).post(url, {"step": "approve"})
    assert Opinion.objects.get().state == Opinion.State.APPROVED
    assert client_for(office).post(url, {"step": "save", "strengths-": "x"}).status_code == 403


def test_someone_outside_the_team_gets_404_on_the_opinions_page(visit, surveyor):
    assert client_for(surveyor).get(f"/assessments/visits/{visit.pk}/opinions/").status_code == 404


def test_two_members_writing_one_criterion_from_the_same_version_the_later_gets_409(visit, nurse, safety):
    """Issue 16 item 6 (no lost update): both pages showed version 0 of A1.1; the second save is
    refused with 409, names who wrote first, and stores none of its texts (all or nothing)."""
    url = f"/assessments/visits/{visit.pk}/opinions/"
    first = client_for(nurse).post(url, {"step": "save", "strengths-A1.1": "動線清楚", "version-A1.1": "0"})
    assert first.status_code == 302
    late = client_for(safety).post(
        url,
        {"step": "save", "strengths-A1.1": "消防設備齊全", "version-A1.1": "0",
         "strengths-": "整體良好", "version-": "0"},
    )  # fmt: skip
    assert late.status_code == 409 and "已由 nurse 更新" in late.content.decode()
    entries = {e.key: e for e in OpinionEntry.objects.all()}
    assert set(entries) == {"A1.1"} and entries["A1.1"].strengths == "動線清楚"
    assert entries["A1.1"].version == 1
    again = client_for(safety).post(
        url, {"step": "save", "strengths-A1.1": "動線清楚；消防設備齊全", "version-A1.1": "1"}
    )
    assert again.status_code == 302 and OpinionEntry.objects.get(key="A1.1").version == 2
