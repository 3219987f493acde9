"""The institution's e-mail of a supplement request carries that request's 補件通知函 as a PDF,
generated when the e-mail job runs (the notification names the request), with the program office's
letterhead; the e-mail still goes, saying where to download it, if the letter cannot be made."""

from __future__ import annotations

import subprocess

from django.core import mail

from pingjian.web.applications.actions import fire
from pingjian.web.notifications.models import Notification
from pingjian.web.notifications.notify import notify
from tests.web.support import REQUESTED_ON, run_jobs


def pdftotext(pdf: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "mail.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_the_supplement_email_carries_the_letter_as_a_pdf(requested, tmp_path):
    run_jobs()
    (message,) = [m for m in mail.outbox if "通知補件" in m.subject]
    assert message.to == ["clinic@example.org"]  # the institution's member; the office made the request
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert filename == f"補件通知函-0130000004-評鑑字第112{requested.pk:05d}01號.pdf"
    assert f"附件：{filename}" in message.body and f"/applications/{requested.pk}/" in message.body
    text = pdftotext(content, tmp_path)
    assert "晶漾美學診所" in text and "請補附醫師證書影本" in text
    assert "診所認證辦公室" in text and "(02)2960-1188" in text  # the letterhead from data


def test_each_requests_email_carries_its_own_letter(
    requested, clinic_user, office, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fire(requested, "resubmit", actor=clinic_user)
        fire(requested, "start_review", actor=office)
        fire(requested, "request_supplement", actor=office, message="請再補附保養紀錄", today=REQUESTED_ON)
    run_jobs()  # both e-mails go out only now: each still carries the letter of its own request
    letters = [m.attachments[0] for m in mail.outbox if "通知補件" in m.subject]
    assert [name[-7:] for name, _, _ in letters] == ["01號.pdf", "02號.pdf"]
    assert "請再補附保養紀錄" not in pdftotext(letters[0][1], tmp_path)
    assert "請再補附保養紀錄" in pdftotext(letters[1][1], tmp_path)
    office_mail = [m for m in mail.outbox if m.to == ["office@example.org"]]
    assert office_mail and all(not m.attachments for m in office_mail)  # 完成補件 tells the office, no letter


def test_only_the_supplement_request_carries_a_letter(requested):
    kinds = set(Notification.objects.values_list("subject", "attachment"))
    assert {attachment for subject, attachment in kinds if "通知補件" in subject} == {"supplement_letter"}
    assert {attachment for subject, attachment in kinds if "通知補件" not in subject} == {""}


def test_a_letter_that_cannot_be_made_does_not_hold_back_the_email(
    clinic_user, django_capture_on_commit_callbacks
):
    clinic_user.email = "clinic@example.org"
    clinic_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            [clinic_user],
            subject="通知補件",
            body="內容",
            url="/x/",
            attachment=("supplement_letter", 999999),
        )
    run_jobs()
    (message,) = mail.outbox
    assert message.attachments == [] and "附件未能產製" in message.body
