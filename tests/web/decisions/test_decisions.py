"""Determination meetings, decisions and their approval (issue 14 item 1).

Seed 002 §十一 (評鑑結果由本部評定，合格／不合格), seed 000 (認證結果經醫策會董事會通過), seed 002
§十三 (validity from 1 January after the result year, 4 years at most)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingjian.web.applications.actions import do_open_application
from pingjian.web.applications.models import Application
from pingjian.web.audit.events import EventType
from pingjian.web.audit.models import AuditEvent
from pingjian.web.decisions import actions
from pingjian.web.decisions.approval import JCT_BOARD, approving_body
from pingjian.web.decisions.error_codes import DecisionErrorCode
from tests.web.support import client_for, make_cycle


def test_an_item_carries_the_rules_cores_proposal_and_trace(item):
    """seed 002 §十一: the proposal is the rules core's result on the pinned version."""
    assert item.proposed_result == "pass" and str(item.proposed_total) == "100.00"
    assert any("評鑑結果：合格" in line for line in item.trace)


def test_only_a_scored_application_of_the_meetings_cycle_is_listed_once(meeting, item, application, office):
    other = do_open_application(meeting.cycle, application.institution, actor=office)  # a draft, same cycle
    with pytest.raises(ValidationError) as exc:
        actions.do_add_item(meeting, other, actor=office)
    assert exc.value.code == DecisionErrorCode.NOT_SCORED
    with pytest.raises(ValidationError) as exc:
        actions.do_add_item(meeting, application, actor=office)  # another cycle
    assert "梯次" in exc.value.messages[0]
    second = actions.do_create_meeting(meeting.cycle, title="第2次", held_on=meeting.held_on, actor=office)
    with pytest.raises(ValidationError) as exc:
        actions.do_add_item(second, item.application, actor=office)
    assert exc.value.code == DecisionErrorCode.ALREADY_LISTED


def test_a_conflict_stated_at_the_meeting_is_recorded_in_visits_and_hides_the_item(item, member, office):
    actions.do_vote(item, actor=member, result="pass")
    client = client_for(office)
    client.post(
        f"/decisions/meetings/{item.meeting_id}/",
        {"step": "recuse", "user": member.pk, "item": item.pk, "reason": "現任該機構董事"},
    )
    assert item.votes.count() == 0
    assert client_for(member).get(f"/decisions/items/{item.pk}/").status_code == 404
    assert AuditEvent.objects.filter(
        event_type=EventType.SURVEYOR_CONFLICT_DECLARED, reason="現任該機構董事"
    ).exists()


def test_a_conflicted_member_neither_sees_nor_votes_on_the_item(item, recused, member):
    """A member conflicted with the institution (visits' conflict rule) gets 404 on the item and
    does not find it on the meeting page."""
    assert client_for(recused).get(f"/decisions/items/{item.pk}/").status_code == 404
    page = client_for(recused).get(f"/decisions/meetings/{item.meeting.pk}/").content.decode()
    assert f"/decisions/items/{item.pk}/" not in page and "迴避 1 案" in page
    assert (
        client_for(recused)
        .post(f"/decisions/items/{item.pk}/", {"step": "vote", "result": "fail"})
        .status_code
        == 404
    )
    with pytest.raises(ValidationError) as exc:
        actions.do_vote(item, actor=recused, result="fail")
    assert exc.value.code == DecisionErrorCode.CONFLICTED
    assert client_for(member).get(f"/decisions/items/{item.pk}/").status_code == 200
    actions.do_vote(item, actor=member, result="pass")
    assert item.votes.count() == 1


def test_the_institution_and_outsiders_do_not_see_the_meeting(item, scored, surveyor):
    inst = scored[1]
    assert client_for(inst).get(f"/decisions/meetings/{item.meeting.pk}/").status_code == 404
    assert client_for(inst).get(f"/decisions/items/{item.pk}/").status_code == 404
    assert client_for(surveyor).get(f"/decisions/meetings/{item.meeting.pk}/").status_code == 404


def test_a_change_from_the_proposal_needs_a_reason_and_is_audited(item, office):
    with pytest.raises(ValidationError) as exc:
        actions.do_record_decision(item, actor=office, result="fail")
    assert exc.value.code == DecisionErrorCode.REASON_REQUIRED
    decision = actions.do_record_decision(item, actor=office, result="fail", reason="訪查後發現重大缺失")
    event = AuditEvent.objects.filter(event_type=EventType.DECISION_RECORDED).get()
    assert event.reason == "訪查後發現重大缺失" and decision.changed


def test_decide_fires_only_at_approval_by_the_owning_role_and_not_by_the_recorder(item, office, approver):
    """The result is not on the application until the decision is approved; the recorder cannot
    approve; office staff cannot approve (program owner's role)."""
    decision = actions.do_record_decision(item, actor=office, result="pass")
    assert Application.objects.get(pk=item.application_id).state == "scored"
    with pytest.raises(PermissionDenied):
        actions.do_approve_decision(decision, actor=office)
    decision = actions.do_approve_decision(decision, actor=approver)
    app = Application.objects.get(pk=item.application_id)
    assert app.state == "decided" and app.result == "pass"
    # seed 002 §十三: postpartum-111 (result year 2022) valid 112-01-01 … at most 4 years
    assert decision.valid_from == dt.date(2023, 1, 1) and decision.valid_until == dt.date(2026, 12, 31)
    assert AuditEvent.objects.filter(event_type=EventType.APPLICATION_DECIDE).count() == 1


def test_the_application_page_never_offers_a_typed_decide(item, office, scored):
    application = scored[0]
    client = client_for(office)
    html = client.get(f"/applications/{application.pk}/").content.decode()
    assert "/transition/decide/" not in html
    typed = client.post(
        f"/applications/{application.pk}/transition/decide/",
        {"decide-version": application.version, "decide-result": "fail"},
    )
    assert typed.status_code == 409
    assert Application.objects.get(pk=application.pk).result == ""


def test_the_approving_body_is_the_programs_owner(programs):
    """seed 002 §十一 (本部評定), seed 000 (醫策會董事會)."""
    assert approving_body(programs["postpartum-111"].program()) == "衛生福利部"
    assert approving_body(programs["psych-rehab-day-107"].program()) == "衛生福利部"
    assert approving_body(programs["aesthetic-clinic-112"].program()) == JCT_BOARD
    assert approving_body(programs["cell-therapy-clinic-112"].program()) == JCT_BOARD


def test_the_meeting_pages_record_attendance_items_and_the_decision(scored, office, member, approver):
    application = scored[0]
    client = client_for(office)
    response = client.post(
        "/decisions/",
        {"cycle": application.cycle_id, "title": "評定會議", "held_on": "115/1/5"},
    )
    assert response.status_code == 302
    url = response["Location"]
    client.post(url, {"step": "seat", "user": member.pk})
    seat = member and client.get(url)
    assert seat.status_code == 200
    client.post(url, {"step": "add", "application": application.pk})
    item = application.__class__.objects.get(pk=application.pk)
    from pingjian.web.decisions.models import Item

    item = Item.objects.get(application=application)
    client.post(f"/decisions/items/{item.pk}/", {"step": "record", "result": "pass"})
    assert client_for(member).post(f"/decisions/items/{item.pk}/", {"step": "approve"}).status_code == 403
    client_for(approver).post(f"/decisions/items/{item.pk}/", {"step": "approve"})
    assert Application.objects.get(pk=application.pk).state == "decided"


def test_the_validity_after_a_pass_shortens_with_the_failures_right_before_it(item, office, approver):
    """seed 002 §十三 (護理機構評鑑辦法第4條): a pass after 2 consecutive failures is valid 2 years."""
    application = item.application
    for year in (1, 2):
        earlier = do_open_application(
            make_cycle(application.program_version, office, title=f"前{year}次"),
            application.institution,
            actor=office,
        )
        Application.objects.filter(pk=earlier.pk).update(
            state="final", result="fail", decided_on=dt.date(2020 + year, 12, 1)
        )
    decision = actions.do_record_decision(item, actor=office, result="pass")
    decision = actions.do_approve_decision(decision, actor=approver)
    assert (decision.valid_from, decision.valid_until) == (dt.date(2023, 1, 1), dt.date(2024, 12, 31))
