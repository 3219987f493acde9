"""Appeals (申復) and finalisation (issue 14 item 3): seed 002 §十二(一) 「應自收受通知之次日起14日內
向本部提出申復，逾期不受理」; the re-review by surveyors other than the original team and without
conflicts; the result final after the period or the outcome, and only then published (seed 002
§十三, the registry)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pingjian.rules.roc import roc_date_long
from pingjian.web.applications.actions import do_record_notice_receipt
from pingjian.web.applications.models import Application
from pingjian.web.audit.bindings import check_bindings
from pingjian.web.decisions import actions
from pingjian.web.decisions.error_codes import DecisionErrorCode
from pingjian.web.decisions.models import Decision
from pingjian.web.notifications.models import Notification
from pingjian.web.registry.models import RegistryEntry
from tests.web.support import client_for, make_user


@pytest.fixture
def decided(item, office, approver):
    decision = actions.do_record_decision(item, actor=office, result="pass")
    return actions.do_approve_decision(decision, actor=approver)


def test_an_appeal_on_time_is_filed_through_the_applications_appeal(decided, scored):
    application, inst, _nurse = scored
    appeal = actions.do_file_appeal(application, actor=inst, statement="C1 評分有誤")
    assert Application.objects.get(pk=application.pk).state == "appeal"
    assert appeal.filed_by == inst


def test_a_late_appeal_is_refused_with_the_last_day_in_roc_dates(decided, scored, office):
    """seed 002 §十二(一): 逾期不受理; the last day named as 民國 year."""
    application, inst, _nurse = scored
    received = dt.date.today()
    application.refresh_from_db()
    do_record_notice_receipt(application, actor=office, received_on=received)
    application.refresh_from_db()
    late = application.appeal_due + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        actions.do_file_appeal(application, actor=inst, statement="不服", today=late)
    assert (
        roc_date_long(application.appeal_due) in exc.value.messages[0]
        and "逾期不受理" in exc.value.messages[0]
    )
    assert Application.objects.get(pk=application.pk).state == "decided"
    assert not hasattr(Application.objects.get(pk=application.pk).decision, "appeal")


def test_the_re_review_leaves_out_the_original_team_and_the_conflicted(decided, scored, office, recused):
    application, inst, nurse = scored
    appeal = actions.do_file_appeal(application, actor=inst, statement="不服")
    with pytest.raises(ValidationError) as exc:
        actions.do_assign_reviewer(appeal, nurse, actor=office)
    assert exc.value.code == DecisionErrorCode.TEAM_MEMBER
    with pytest.raises(ValidationError) as exc:
        actions.do_assign_reviewer(appeal, recused, actor=office)
    assert exc.value.code == DecisionErrorCode.CONFLICTED
    fresh = make_user("fresh", "surveyor")
    actions.do_assign_reviewer(appeal, fresh, actor=office)
    assert client_for(fresh).get(f"/decisions/appeals/{appeal.pk}/").status_code == 200
    assert client_for(recused).get(f"/decisions/appeals/{appeal.pk}/").status_code == 404


def test_an_outcome_needs_reasons_and_finalising_waits_for_it_then_publishes(decided, scored, office):
    application, inst, _nurse = scored
    appeal = actions.do_file_appeal(application, actor=inst, statement="不服")
    actions.do_assign_reviewer(appeal, make_user("fresh2", "surveyor"), actor=office)
    with pytest.raises(ValidationError) as exc:
        actions.do_finalize_decision(application, actor=office)
    assert exc.value.code == DecisionErrorCode.APPEAL_OPEN
    with pytest.raises(ValidationError):
        actions.do_record_appeal_outcome(appeal, actor=office, outcome="upheld", reason="")
    actions.do_record_appeal_outcome(appeal, actor=office, outcome="upheld", reason="複審維持原評定")
    told = Notification.objects.get(recipient=inst, subject__contains="申復結果")
    assert "維持原評定結果" in told.subject and "複審維持原評定" in told.body
    decision = actions.do_finalize_decision(application, actor=office)
    assert Application.objects.get(pk=application.pk).state == "final"
    entry = RegistryEntry.objects.get(institution=application.institution)
    assert entry.result == "合格" and entry.valid_from == decision.valid_from == dt.date(2023, 1, 1)
    assert decision.published


def test_a_result_changed_on_appeal_is_the_final_one_and_a_fail_is_not_published(
    item, scored, office, approver
):
    application, inst, _nurse = scored
    decision = actions.do_record_decision(item, actor=office, result="fail", reason="缺失")
    actions.do_approve_decision(decision, actor=approver)
    appeal = actions.do_file_appeal(application, actor=inst, statement="不服")
    actions.do_assign_reviewer(appeal, make_user("fresh3", "surveyor"), actor=office)
    actions.do_record_appeal_outcome(
        appeal, actor=office, outcome="changed", new_result="pass", reason="複審認定符合"
    )
    decision = actions.do_finalize_decision(application, actor=office)
    assert Application.objects.get(pk=application.pk).result == "pass"
    assert RegistryEntry.objects.filter(institution=application.institution).count() == 1
    # every stored value of legal weight (decision, appeal) is the one its audit events set
    assert [m for m in check_bindings() if m.subject_type.startswith("decisions.")] == []
    Decision.objects.filter(pk=decision.pk).update(valid_until=dt.date(2099, 12, 31))  # edited by hand
    assert [m.field for m in check_bindings() if m.subject_type.startswith("decisions.")] == ["valid_until"]


def test_without_an_appeal_finalising_waits_for_the_period(decided, scored, office):
    application = scored[0]
    with pytest.raises(ValidationError):
        actions.do_finalize_decision(application, actor=office)
    assert not RegistryEntry.objects.filter(institution=application.institution).exists()


def test_the_pages_seat_and_assign_the_user_the_form_names_or_say_none_was_chosen(
    decided, scored, office, meeting
):
    """The meeting page's seat step and the appeal page's reviewer step (one helper in the views)."""
    application, inst, _nurse = scored
    client = client_for(office)
    seated = make_user("seated", "surveyor")
    page = f"/decisions/meetings/{meeting.pk}/"
    assert "請選擇評定委員" in client.post(page, {"step": "seat"}, follow=True).content.decode()
    client.post(page, {"step": "seat", "user": seated.pk})
    assert meeting.members.filter(user=seated).exists()
    appeal = actions.do_file_appeal(application, actor=inst, statement="不服")
    page = f"/decisions/appeals/{appeal.pk}/"
    assert (
        "請選擇複審委員" in client.post(page, {"step": "reviewer", "user": 0}, follow=True).content.decode()
    )
    assert not appeal.reviewers.exists()
    client.post(page, {"step": "reviewer", "user": make_user("fresh3", "surveyor").pk})
    assert appeal.reviewers.get().surveyor.username == "fresh3"
