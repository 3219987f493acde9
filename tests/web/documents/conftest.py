"""The documents tests' cases: a supplement request with its letter, and one whose e-mails are queued."""

from __future__ import annotations

import io

import pytest
from django.core import mail

from pingjian.web.applications.actions import do_open_application, fire
from pingjian.web.applications.models import Application
from pingjian.web.evidence.actions import do_comment_evidence, do_upload_evidence
from pingjian.web.evidence.slots import slots_for
from pingjian.web.programs.actions import do_save_program_office
from pingjian.web.programs.models import ProgramOffice

from ..support import REQUESTED_ON, pdf_bytes


@pytest.fixture
def supplement_case(jct_cycle, clinic, clinic_user, office):
    """A JCT clinic application the office sent back for supplements on 112年6月21日, with a
    review comment on one slot and an uploaded declaration on another."""
    office.email = "office@jct.example"
    office.display_name = "徐榕君"
    office.save()
    application = do_open_application(jct_cycle, clinic, actor=office)
    slots = slots_for(application.program_version.program())
    do_upload_evidence(
        application,
        slot_key=slots[0].key,
        upload=io.BytesIO(pdf_bytes()),
        name="人員資格.pdf",
        actor=clinic_user,
    )
    fire(application, "submit", actor=clinic_user)
    fire(application, "start_review", actor=office)
    do_comment_evidence(application, slot_key=slots[1].key, text="請補附最近一次儀器保養紀錄。", actor=office)
    fire(
        application,
        "request_supplement",
        actor=office,
        message="1. 負責醫師專科醫師證書影本\n2. 緊急後送合約書",
        today=REQUESTED_ON,
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def requested(jct_cycle, clinic, clinic_user, office, django_capture_on_commit_callbacks):
    """A clinic application sent back for supplements, its member and the office with e-mail."""
    clinic_user.email = "clinic@example.org"
    clinic_user.save()
    office.email = "office@example.org"
    office.save()
    do_save_program_office(
        ProgramOffice(
            owner="財團法人醫院評鑑暨醫療品質策進會 (JCT)",
            unit="診所認證辦公室",
            address="220新北市板橋區文化路一段188號5樓",
            phone="(02)2960-1188",
        ),
        actor=office,
    )
    with django_capture_on_commit_callbacks(execute=True):
        app = do_open_application(jct_cycle, clinic, actor=office)
        fire(app, "submit", actor=clinic_user)
        fire(app, "start_review", actor=office)
        mail.outbox.clear()
        fire(app, "request_supplement", actor=office, message="請補附醫師證書影本", today=REQUESTED_ON)
    return Application.objects.get(pk=app.pk)
