"""Background jobs (django-tasks on the database backend, run by db_worker) and deadline reminders
(send_reminders, once per deadline and stage, with ROC dates and the rule they come from)."""

from __future__ import annotations

import datetime as dt
import signal
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.notifications import tasks
from pingjian.web.notifications.models import Notification
from pingjian.web.notifications.notify import notify
from pingjian.web.reminders import tasks as reminder_tasks
from pingjian.web.reminders.models import DeadlineReminder
from pingjian.web.reminders.sending import send_reminders
from tests.web.support import run_jobs

NOTIFIED = dt.date(2023, 6, 20)  # supplement due Thu 2023-06-29 (5 working days, 端午節 skipped)


@pytest.fixture
def member(institution_user):
    institution_user.email = "inst@example.org"
    institution_user.save()
    return institution_user


@pytest.fixture
def supplement(application, office, member):
    office.email = "office@example.org"
    office.save()
    Application.objects.filter(pk=application.pk).update(state=State.QUALIFICATION_REVIEW)
    application.refresh_from_db()
    app = actions.do_request_supplement(application, actor=office, message="請補件", today=NOTIFIED)
    assert app.supplement_due == dt.date(2023, 6, 29)
    Notification.objects.all().delete()
    return app


def test_an_email_is_a_job_enqueued_after_commit_and_sent_once(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        (row,) = notify([member], subject="測試", body="內容", url="/x/")
        assert not DBTaskResult.objects.exists()  # nothing before the commit
    assert DBTaskResult.objects.ready().count() == 1
    assert mail.outbox == []  # the page does not wait for the mail server
    tasks.send_notification_email.enqueue(row.pk)  # a second job for the same e-mail
    done = run_jobs()
    assert [j.status for j in done] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert sorted(j.return_value for j in done) == ["already sent", "sent"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["inst@example.org"]
    assert mail.outbox[0].subject == "[評鑑] 測試" and "/x/" in mail.outbox[0].body
    row.refresh_from_db()
    assert row.emailed and row.emailed_at is not None


def test_a_rolled_back_change_enqueues_nothing(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify([member], subject="不會寄出")
        raise RuntimeError
    assert not DBTaskResult.objects.exists() and not Notification.objects.exists()


def test_a_failed_send_releases_the_claim_and_the_sweep_sends_it_later(member):
    (row,) = notify([member], subject="測試")
    tasks.send_notification_email.enqueue(row.pk)
    with mock.patch.object(tasks.EmailMessage, "send", side_effect=OSError("SMTP down")):
        (job,) = run_jobs()
    assert job.status == "FAILED" and "SMTP down" in job.traceback
    row.refresh_from_db()
    assert not row.emailed
    assert tasks.requeue_unsent_emails(now=row.created_at + dt.timedelta(minutes=11)) == 1
    run_jobs()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_db_worker_batch_sends_the_mail_of_a_committed_change(ours):
    from tests.web.support import make_user

    user = make_user("mailed", "institution", institution=ours)
    user.email = "mailed@example.org"
    user.save()
    with transaction.atomic():
        notify([user], subject="送達測試")
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    assert [m.to for m in mail.outbox] == [["mailed@example.org"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_reminders_go_once_per_deadline_and_stage_with_roc_dates_and_the_rule(
    supplement, member, office, django_capture_on_commit_callbacks
):
    assert send_reminders(dt.date(2023, 6, 21)) == []  # 6 working days left: too early
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_reminders(dt.date(2023, 6, 26))  # 6/27, 6/28, 6/29: 3 working days left
    assert [s.subject for s in sent] == ["【期限提醒】安心產後護理之家：補件期限112年6月29日，尚餘3個上班日"]
    note = Notification.objects.get(recipient=member)
    assert (
        "依據：臺中市政府衛生局112年函（診所美容醫學品質認證申請事宜） 認證申請流程「資格審查」" in note.body
    )
    assert "末日為112年6月29日（星期四）" in note.body
    assert not Notification.objects.filter(recipient=office).exists()  # not overdue: the institution only
    run_jobs()
    assert [m.to for m in mail.outbox] == [["inst@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(dt.date(2023, 6, 26)) == []  # again the same day: nothing
        assert send_reminders(dt.date(2023, 6, 28)) == []  # same stage, later: nothing
        overdue = send_reminders(dt.date(2023, 6, 30))
    assert [s.subject for s in overdue] == ["【期限已過】安心產後護理之家：補件期限112年6月29日，已逾期1日"]
    assert Notification.objects.filter(recipient=office, subject__startswith="【期限已過】").exists()
    run_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "inst@example.org",
        "inst@example.org",
        "office@example.org",
    ]
    assert DeadlineReminder.objects.count() == 2


def test_a_reminder_claimed_by_another_run_is_not_sent_again(supplement):
    DeadlineReminder.objects.create(
        application=supplement, kind="supplement", due=supplement.supplement_due, stage="upcoming",
        sent_at=dt.datetime(2023, 6, 26, tzinfo=dt.UTC),
    )  # fmt: skip
    assert send_reminders(dt.date(2023, 6, 27)) == []
    assert not Notification.objects.exists()


def test_a_moved_deadline_is_reminded_afresh(supplement, office):
    from pingjian.web.closures.actions import do_enter_closure

    assert len(send_reminders(dt.date(2023, 6, 26))) == 1
    do_enter_closure(
        day=dt.date(2023, 6, 28), county="TPE", closed_for_work=True, source="颱風", actor=office
    )
    (again,) = send_reminders(dt.date(2023, 6, 26))
    assert "112年6月30日" in again.subject and "尚餘3個上班日" in again.subject  # 6/27, 6/29, 6/30


def test_the_appeal_reminder_waits_for_the_receipt(application, office, member):
    Application.objects.filter(pk=application.pk).update(state=State.SCORED, total=65)
    application.refresh_from_db()
    app = actions.do_decide_application(application, actor=office, result="fail", today=dt.date(2023, 1, 2))
    assert [s for s in send_reminders(dt.date(2023, 1, 16)) if "申復" in s.subject] == []
    actions.do_record_notice_receipt(app, actor=member, today=dt.date(2023, 1, 3))
    (sent,) = [s for s in send_reminders(dt.date(2023, 1, 16)) if "申復" in s.subject]
    assert sent.subject == "【期限提醒】安心產後護理之家：申復期限113年1月17日，尚餘1個上班日".replace(
        "113", "112"
    )
    (lapsed,) = [s for s in send_reminders(dt.date(2023, 1, 18)) if "申復" in s.subject]
    assert "申復期間已屆滿" in lapsed.subject
    assert Notification.objects.filter(recipient=office, subject=lapsed.subject).exists()
    assert not Notification.objects.filter(recipient=member, subject=lapsed.subject).exists()


def test_the_command_reports_what_it_sent(supplement, capsys):
    call_command("send_reminders", "--today", "112/06/26")
    out = capsys.readouterr().out
    assert "補件期限112年6月29日" in out and "寄出1則提醒" in out
    call_command("send_reminders", "--today", "112/06/26")
    assert "寄出0則提醒" in capsys.readouterr().out


def test_the_reminder_job_reschedules_itself_once(supplement):
    now = dt.datetime(2023, 6, 26, 1, 0, tzinfo=dt.UTC)  # 09:00 in Taipei → tomorrow 08:00
    assert reminder_tasks.next_reminder_run(now) == dt.datetime(2023, 6, 27, 0, 0, tzinfo=dt.UTC)
    assert reminder_tasks.ensure_reminder_schedule() is not None
    assert reminder_tasks.ensure_reminder_schedule() is None  # one chain only
    waiting = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    with mock.patch("pingjian.web.reminders.tasks.local_today", return_value=dt.date(2023, 6, 26)):
        (done,) = run_jobs()
    assert done.status == "SUCCESSFUL" and done.return_value == {
        "reminders": 1,
        "validity_reminders": 0,
        "emails_requeued": 0,
    }
    (following,) = DBTaskResult.objects.filter(status="READY")
    assert following.run_after > dt.datetime.now(dt.UTC)


def test_a_long_overdue_deadline_stays_on_the_dashboard_unreminded(supplement):
    assert send_reminders(dt.date(2023, 8, 30)) == []  # 62 days late: not news to anyone
