"""The documents tests' case: a supplement request with its letter."""

from __future__ import annotations

import io

import pytest

from pingjian.web.applications.actions import do_open_application, fire
from pingjian.web.evidence.actions import do_comment_evidence, do_upload_evidence
from pingjian.web.evidence.slots import slots_for

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
