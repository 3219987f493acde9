"""No lost update on decisions (issue 16 item 6): the item's and the decision's version are read by
the page (hidden field) or the API client (body `version`, `?version=` to approve); two offices
recording from the same base get one success and one conflict (409 from the API, a message on the
page), and nothing of the second is written."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from pingjian.web.decisions import actions
from pingjian.web.decisions.error_codes import DecisionErrorCode
from pingjian.web.decisions.models import Decision
from tests.web.support import client_for, make_user


def _post(client, url, body=None):
    return client.post(url, data=body or {}, content_type="application/json")


def _page_version(client, url: str) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def test_two_offices_recording_one_item_from_the_same_base_through_the_api(item, office):
    first, second = client_for(office), client_for(make_user("office2", "office"))
    base = first.get(f"/api/decisions/items/{item.pk}").json()["version"]
    assert second.get(f"/api/decisions/items/{item.pk}").json()["version"] == base
    url = f"/api/decisions/items/{item.pk}/decision"
    won = _post(first, url, {"result": "pass", "version": base})
    lost = _post(second, url, {"result": "fail", "reason": "不同意見", "version": base})
    assert won.status_code == 200 and won.json()["version"] == base + 1
    assert lost.status_code == 409 and "已由他人異動" in lost.json()["detail"]
    decision = Decision.objects.get(item=item)
    assert decision.result == "pass" and decision.recorded_by == office and decision.reason == ""


def test_two_offices_recording_one_item_from_the_same_page(item, office):
    first, second = client_for(office), client_for(make_user("office2", "office"))
    url = f"/decisions/items/{item.pk}/"
    base = _page_version(first, url)
    assert _page_version(second, url) == base
    assert first.post(url, {"step": "record", "result": "pass", "version": base}).status_code == 302
    response = second.post(
        url, {"step": "record", "result": "fail", "reason": "另案", "version": base}, follow=True
    )
    assert "已由他人異動" in response.content.decode()
    assert Decision.objects.get(item=item).result == "pass"


def test_approving_and_the_appeal_outcome_check_the_decisions_version(item, office, approver, scored):
    decision = actions.do_record_decision(item, actor=office, result="pass")
    stale = decision.version
    url = f"/api/decisions/items/{item.pk}/approve?version={stale + 1}"
    refused = _post(client_for(approver), url)
    assert refused.status_code == 409 and Decision.objects.get(pk=decision.pk).approved_at is None
    approved = _post(client_for(approver), f"/api/decisions/items/{item.pk}/approve?version={stale}")
    assert approved.status_code == 200 and approved.json()["decision"]["version"] == stale + 1
    # the appeal's outcome: two offices from the same base, one wins
    application, inst, _nurse = scored
    appeal = actions.do_file_appeal(application, actor=inst, statement="不服")
    actions.do_assign_reviewer(appeal, make_user("fresh", "surveyor"), actor=office)
    base = Decision.objects.get(pk=decision.pk).version
    actions.do_record_appeal_outcome(
        appeal, actor=office, outcome="upheld", reason="維持", expected_version=base
    )
    body = {"outcome": "changed", "new_result": "fail", "reason": "變更", "version": base}
    lost = _post(
        client_for(make_user("office2", "office")), f"/api/decisions/appeals/{appeal.pk}/outcome", body
    )
    assert lost.status_code == 409
    appeal.refresh_from_db()
    assert appeal.outcome == "upheld" and appeal.new_result == ""


def test_a_stale_version_is_a_conflict_with_its_code_and_none_is_not_checked(item, office):
    with pytest.raises(actions.StaleDecisionError) as exc:
        actions.do_record_decision(item, actor=office, result="pass", expected_version=item.version + 1)
    assert exc.value.code == DecisionErrorCode.CONFLICT and not Decision.objects.filter(item=item).exists()
    actions.do_record_decision(item, actor=office, result="pass")  # the system / older callers
    with pytest.raises(ValidationError) as again:
        actions.do_record_decision(item, actor=office, result="pass")
    assert again.value.code == DecisionErrorCode.ALREADY_DECIDED
