"""The 評鑑結果通知函 (issue 14 item 2): Traditional Chinese, the program office's letterhead, ROC
dates, result and validity, opinions per criterion, and the appeal instructions — the rule
「自收受通知之次日起14日內」 before the receipt, the last day after it (seed 002 §十二(一))."""

from __future__ import annotations

import pytest

from pingjian.rules.roc import roc_date_long
from pingjian.web.applications.actions import do_record_notice_receipt
from pingjian.web.decisions import actions
from pingjian.web.notifications.models import Notification
from pingjian.web.programs.models import ProgramOffice
from tests.web.support import client_for, run_jobs, text_of


@pytest.fixture
def decided(item, office, approver):
    ProgramOffice.objects.create(
        owner="衛生福利部", address="115臺北市南港區忠孝東路六段488號", phone="02-8590-6666"
    )
    decision = actions.do_record_decision(item, actor=office, result="pass")
    return actions.do_approve_decision(decision, actor=approver)


@pytest.mark.slow
def test_the_letter_states_result_validity_and_the_appeal_rule_then_the_last_day(decided, scored, office):
    application, inst, _nurse = scored
    url = f"/documents/applications/{application.pk}/result-letter.pdf"
    response = client_for(inst).get(url)
    assert response.status_code == 200
    text = "".join(text_of(response.content).split())
    assert application.institution.name in text and "合格" in text
    assert "自112年1月1日至115年12月31日止" in text  # seed 002 §十三 validity, ROC dates
    assert "115臺北市南港區忠孝東路六段488號" in text  # the letterhead
    assert "自收受通知之次日起14日內" in text
    application.refresh_from_db()
    do_record_notice_receipt(application, actor=office, received_on=application.decided_on)
    application.refresh_from_db()
    text = "".join(text_of(client_for(inst).get(url).content).split())
    assert roc_date_long(application.appeal_due) in text and "逾期不受理" in text


def test_the_decisions_e_mail_carries_the_result_letter(decided, scored):
    application, inst, _nurse = scored
    row = Notification.objects.get(recipient=inst, attachment="result_letter")
    assert row.attachment_ref == application.transitions.get(name="decide").pk


def test_no_letter_before_a_decision_and_none_for_outsiders(scored, surveyor, theirs):
    from tests.web.support import make_user

    application, inst, _nurse = scored
    url = f"/documents/applications/{application.pk}/result-letter.pdf"
    assert client_for(inst).get(url).status_code == 404
    stranger = make_user("stranger", "institution", institution=theirs)
    assert client_for(stranger).get(url).status_code == 404


@pytest.mark.slow
def test_the_letter_is_e_mailed_with_the_decision_then_its_sending_and_receipt_are_shown(
    item, office, approver, scored, django_capture_on_commit_callbacks, mailoutbox
):
    """The supplement letter's mechanism: the decision's e-mail carries the letter (sent, then the
    day it went out shown), the receipt recorded by the same action sets the appeal's last day."""
    application, inst, _nurse = scored
    inst.email = "home@example.org"
    inst.save()
    decision = actions.do_record_decision(item, actor=office, result="pass")
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_approve_decision(decision, actor=approver)
    page = f"/applications/{application.pk}/"
    assert "待寄送" in client_for(inst).get(page).content.decode()
    run_jobs()
    sent = [m for m in mailoutbox if "home@example.org" in m.to]
    assert sent and sent[0].attachments[0][0].startswith("評鑑結果通知函-")
    application.refresh_from_db()
    do_record_notice_receipt(application, actor=inst)
    html = client_for(inst).get(page).content.decode()
    application.refresh_from_db()
    assert "待寄送" not in html and roc_date_long(application.notice_received_on) in html
    assert roc_date_long(application.appeal_due) in html
