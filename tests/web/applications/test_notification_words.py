"""Notifications people can act on (issue 18): who, which program and cycle, what happened, what to
do by when, each said once; demo accounts have addresses, so the demo's mail and letters are seen."""

from __future__ import annotations

import pytest
from django.core import mail

from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.dashboard.demo import seed_demo
from pingjian.web.notifications.models import Notification
from tests.web.support import run_jobs


def test_an_acceptance_is_said_once_with_the_cycle_program_and_what_comes_next(
    application, role_users, office
):
    member = role_users["institution"]
    actions.fire(application, "submit", actor=member)
    actions.fire(application, "start_review", actor=office)
    Application.objects.filter(pk=application.pk).update(fee_amount=None)
    actions.fire(Application.objects.get(pk=application.pk), "accept", actor=office)
    note = Notification.objects.filter(recipient=member).latest("pk")
    assert note.subject == f"{application.institution.name}：資格審查通過（{application.cycle.title}）"
    assert "資格審查通過（資格審查通過）" not in note.subject + note.body
    assert application.program_version.title in note.body
    assert "下一步：資格審查已通過，目前無須動作。" in note.body


def test_a_supplement_request_tells_the_institution_what_to_supply_and_by_when(
    application, role_users, office
):
    member = role_users["institution"]
    actions.fire(application, "submit", actor=member)
    actions.fire(application, "start_review", actor=office)
    actions.fire(application, "request_supplement", actor=office, message="請補消防安全設備檢查紀錄表。")
    note = Notification.objects.filter(recipient=member).latest("pk")
    app = Application.objects.get(pk=application.pk)
    assert "評鑑辦公室說明：請補消防安全設備檢查紀錄表。" in note.body
    assert "補件期限：" in note.body and f"{app.supplement_due.year - 1911}年" in note.body
    office_note = Notification.objects.filter(recipient=office).latest("pk")
    assert office_note.body.startswith(f"{application.institution.name}已「送出申請」")
    assert "下一步：請開始資格審查。" in office_note.body


@pytest.mark.slow
def test_demo_accounts_have_addresses_and_the_demo_supplement_mail_carries_its_letter(
    db, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_capture_on_commit_callbacks(execute=True):
        data = seed_demo()
    assert all(user.email.endswith("@demo.pingjian.example") for user in data.users.values())
    run_jobs()
    to_member = [m for m in mail.outbox if m.to == [data.users["institution"].email]]
    assert any("通知補件" in m.subject and m.attachments for m in to_member)
