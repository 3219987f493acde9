"""The health bureau's writes; each one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from pingjian.web.accounts.permissions import bureau_counties_of, institution_ids_of
from pingjian.web.applications.actions import application_url, require_editable
from pingjian.web.applications.workflow import Part
from pingjian.web.audit.actions import changed_fields, record_event
from pingjian.web.audit.events import EventType
from pingjian.web.core.text import MESSAGE_MAX_LENGTH, STATEMENT_MAX_LENGTH, bounded_text
from pingjian.web.notifications.messages import message
from pingjian.web.notifications.notify import bureau_officers, institution_members, notify, office_staff

from .models import (
    CheckOutcome,
    PreliminaryCheck,
    SafetyCertificate,
    SafetyStatus,
    SurveyReply,
    SurveyReplyStatus,
)
from .review import review_rows


def _require_bureau(actor: Any, application: Any) -> None:
    if actor is not None and application.institution.county not in bureau_counties_of(actor):
        raise PermissionDenied("bureau.review_application")


@transaction.atomic
def do_record_preliminary_review(
    application: Any,
    *,
    actor: Any,
    rows: dict[int, str],
    remediation_due: dict[int, dt.date | None] | None = None,
    notes: dict[int, str] | None = None,
) -> dict[int, str]:
    """Record rows of the preliminary review (seed 002 §八(三)). Rows deciding a precondition take
    compliant / non_compliant / remediation_pending (and its deadline); the others met / not_met."""
    _require_bureau(actor, application)
    if application.is_locked:
        require_editable(application, Part.RESULT)
    program = application.program_version.program()
    by_number = {r.number: r for r in getattr(program, "preliminary_review", [])}
    if not by_number:
        raise ValidationError("此計畫無地方政府初審項目。")
    remediation_due = remediation_due or {}
    notes = {
        number: bounded_text(note, max_length=MESSAGE_MAX_LENGTH, label=f"序號 {number} 備註")
        for number, note in (notes or {}).items()
    }
    before = review_rows(application)
    for number, value in rows.items():
        row = by_number.get(number)
        if row is None:
            raise ValidationError(f"初審無序號 {number}。")
        if row.precondition:
            if value not in SafetyStatus.values:
                raise ValidationError(f"序號 {number}：結果須為符合、不符合或須限期改善。")
            due = remediation_due.get(number)
            if value == SafetyStatus.REMEDIATION_PENDING and due is None:
                due = next(p.remediation_deadline for p in program.preconditions if p.id == row.precondition)
            SafetyCertificate.objects.update_or_create(
                application=application,
                kind=row.precondition,
                defaults={
                    "status": value,
                    "remediation_due": due if value == SafetyStatus.REMEDIATION_PENDING else None,
                    "note": notes.get(number, ""),
                    "recorded_by": actor,
                },
            )
        else:
            if value not in CheckOutcome.values:
                raise ValidationError(f"序號 {number}：結果須為符合或不符合。")
            PreliminaryCheck.objects.update_or_create(
                application=application,
                number=number,
                defaults={"outcome": value, "note": notes.get(number, ""), "recorded_by": actor},
            )
    after = review_rows(application)
    old, new = changed_fields(before, after)
    record_event(
        actor=actor,
        event_type=EventType.BUREAU_PRELIMINARY_REVIEW_RECORDED,
        subject=application,
        before=old,
        after=new,
    )
    if after.keys() >= by_number.keys():
        _tell(
            office_staff(),
            application,
            N_("{institution}：衛生局完成初審（{cycle}）"),
            f"衛生局已完成本申請案各項之初步審查（{application.cycle.title}）。"
            "請於申請案頁面查閱初審結果，並續行資格審查。",
        )
    return after


def _tell(recipients: list[Any], application: Any, key: str, body: str) -> None:
    """A notification naming the institution and the cycle (KEY's fields), with what to do (BODY)."""
    subject = message(key, institution=application.institution.name, cycle=application.cycle.title)
    notify(recipients, subject=subject, body=body, url=application_url(application))


@transaction.atomic
def do_send_survey_reply(application: Any, *, actor: Any, statement: str = "") -> SurveyReply:
    """The clinic sends its 衛生局調查回復單 to its county's health bureau."""
    statement = bounded_text(statement, max_length=STATEMENT_MAX_LENGTH, label="機構填報內容")
    if actor is not None and application.institution_id not in institution_ids_of(actor):
        raise PermissionDenied("bureau.send_survey_reply")
    reply, created = SurveyReply.objects.select_for_update().get_or_create(
        application=application,
        defaults={
            "status": SurveyReplyStatus.SENT,
            "sent_at": timezone.now(),
            "sent_by": actor,
            "institution_statement": statement,
        },
    )
    if not created:
        if reply.status == SurveyReplyStatus.SENT:
            raise ValidationError("調查回復單已寄送，待衛生局查證。")
        reply.status, reply.sent_at, reply.sent_by = SurveyReplyStatus.SENT, timezone.now(), actor
        reply.institution_statement, reply.verified, reply.findings, reply.returned_at = (
            statement,
            None,
            "",
            None,
        )
        reply.save()
    record_event(
        actor=actor,
        event_type=EventType.BUREAU_SURVEY_REPLY_SENT,
        subject=application,
        after={"status": reply.status, "statement": statement},
    )
    _tell(
        bureau_officers(application.institution.county),
        application,
        N_("{institution}：衛生局調查回復單待查證（{cycle}）"),
        f"{application.institution.name}已寄送衛生局調查回復單（{application.cycle.title}）。"
        "請依貴局管理資料查證後，於申請案頁面填寫查證結果並寄回。",
    )
    return reply


@transaction.atomic
def do_return_survey_reply(application: Any, *, actor: Any, verified: bool, findings: str) -> SurveyReply:
    """The bureau verifies the form against its records and returns it to the clinic."""
    _require_bureau(actor, application)
    reply = SurveyReply.objects.select_for_update().filter(application=application).first()
    if reply is None or reply.status != SurveyReplyStatus.SENT:
        raise ValidationError("沒有待查證的調查回復單。")
    findings = bounded_text(findings, max_length=STATEMENT_MAX_LENGTH, label="查證結果")
    if not findings.strip():
        raise ValidationError("請填寫查證結果。")
    reply.status, reply.verified, reply.findings = SurveyReplyStatus.RETURNED, verified, findings.strip()
    reply.returned_at, reply.returned_by = timezone.now(), actor
    reply.save()
    record_event(
        actor=actor,
        event_type=EventType.BUREAU_SURVEY_REPLY_RETURNED,
        subject=application,
        after={"verified": verified, "findings": reply.findings},
    )
    _tell(
        [*institution_members(application.institution), *office_staff()],
        application,
        N_("{institution}：衛生局已寄回調查回復單（{cycle}）"),
        f"查證結果：{reply.findings}\n請於申請案頁面查閱衛生局調查回復單。",
    )
    return reply
