"""State changes of the public registry (do_<verb>_<noun>(..., actor=...)), audited here.

The registry is fed only by decisions and the events after them (issue 14): nothing here is typed
in by hand. `do_publish_result` is the one door a final result comes in by; a passing result gets
its certificate there. `do_change_status` ends a result early (撤銷, 廢止, 中止, 終止, 自願退出) with
reason, legal basis, effective date and letter number; the entry's status changes at once. Every
action writes one `RegistryChange`, the line the public change feed shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop as N_

from pingjian.rules.roc import roc_date_long, to_roc_year
from pingjian.web.accounts.permissions import bureau_counties_of, is_bureau_officer, is_office_operator
from pingjian.web.audit.actions import record_event
from pingjian.web.audit.events import EventType
from pingjian.web.core.text import MESSAGE_MAX_LENGTH, bounded_text
from pingjian.web.notifications.messages import message
from pingjian.web.notifications.notify import institution_members, notify

from .error_codes import RegistryErrorCode
from .models import (
    PASSING_RESULTS,
    AbolitionReport,
    Certificate,
    ChangeKind,
    EntryStatus,
    FollowUp,
    FollowUpKind,
    FollowUpOutcome,
    RegistryChange,
    RegistryEntry,
    StatusAction,
    certificate_prefix,
    is_jct_program,
)

# what each early end is, the event it is audited as, and the legal basis the form starts from
STATUS_EVENTS = {
    EntryStatus.REVOKED: EventType.REGISTRY_REVOKED,
    EntryStatus.ABOLISHED: EventType.REGISTRY_ABOLISHED,
    EntryStatus.SUSPENDED: EventType.REGISTRY_SUSPENDED,
    EntryStatus.TERMINATED: EventType.REGISTRY_TERMINATED,
    EntryStatus.WITHDRAWN: EventType.REGISTRY_WITHDRAWN,
}
MINISTRY_BASIS = {
    EntryStatus.REVOKED: "行政程序法第117條；評鑑作業程序 seed 002 §十四(二)（提供之文件或資料虛偽不實）",
    EntryStatus.ABOLISHED: "行政程序法第123條；評鑑作業程序 seed 002 §十四(一)（經衛生局認定違規情節重大）",
    EntryStatus.WITHDRAWN: "機構申請自願退出（行政程序法第123條第1款）",
}
JCT_BASIS = {
    EntryStatus.REVOKED: "認證作業程序：提供之文件或資料虛偽不實者，撤銷認證（seed 000）",
    EntryStatus.SUSPENDED: "認證作業程序：認證效期內經查有違反認證基準之情事，中止認證至改善完成（seed 000）",
    EntryStatus.TERMINATED: "認證作業程序：認證效期內有重大違規或未依限改善者，終止認證（seed 000）",
    EntryStatus.WITHDRAWN: "機構申請自願退出認證",
}
LETTER_WORDS = {
    EntryStatus.REVOKED: "撤",
    EntryStatus.ABOLISHED: "廢",
    EntryStatus.SUSPENDED: "中",
    EntryStatus.TERMINATED: "終",
    EntryStatus.WITHDRAWN: "退",
}


def allowed_statuses(program_id: str) -> list[str]:
    """The early ends a program has: the JCT suspends and terminates; the ministry abolishes."""
    if is_jct_program(program_id):
        return [EntryStatus.REVOKED, EntryStatus.SUSPENDED, EntryStatus.TERMINATED, EntryStatus.WITHDRAWN]
    return [EntryStatus.REVOKED, EntryStatus.ABOLISHED, EntryStatus.WITHDRAWN]


def default_legal_basis(program_id: str, status: str) -> str:
    return (JCT_BASIS if is_jct_program(program_id) else MINISTRY_BASIS).get(EntryStatus(status), "")


def _change(entry: RegistryEntry, kind: str, effective_on: dt.date) -> RegistryChange:
    return RegistryChange.objects.create(
        entry=entry, kind=kind, status=entry.status, effective_on=effective_on, at=timezone.now()
    )


def _issue_certificate(entry: RegistryEntry, *, actor: Any, source: str) -> Certificate:
    issued_on = timezone.localdate()
    year = to_roc_year(issued_on.year)
    # the number: sequential per program and year; the row lock keeps two publications apart
    RegistryEntry.objects.select_for_update().filter(pk=entry.pk).first()
    last = Certificate.objects.filter(program_id=entry.program_id, year=year).aggregate(n=Max("sequence"))[
        "n"
    ]
    sequence = (last or 0) + 1
    certificate = Certificate.objects.create(
        entry=entry,
        program_id=entry.program_id,
        year=year,
        sequence=sequence,
        number=f"{certificate_prefix(entry.program_id)}-{year}-{sequence:04d}",
        issued_on=issued_on,
    )
    record_event(
        actor=actor,
        event_type=EventType.REGISTRY_CERTIFICATE_ISSUED,
        subject=certificate,
        after={
            "number": certificate.number,
            "verification_code": certificate.verification_code,
            "issued_on": issued_on,
        },
        reason=source,
    )
    return certificate


@transaction.atomic
def do_publish_result(
    *,
    institution: Any,
    program_id: str,
    program_title: str,
    result: str,
    valid_from: dt.date,
    valid_until: dt.date | None,
    source: str,
    actor: Any,
) -> RegistryEntry:
    """Publish a final result of PROGRAM_ID for INSTITUTION. SOURCE names what it comes from (the
    application's reference number) and goes into the audit record. A passing result gets its
    certificate (number and verification code); every publication is a line of the change feed."""
    entry = RegistryEntry.objects.create(
        institution=institution,
        program_id=program_id,
        program_title=program_title,
        result=result,
        valid_from=valid_from,
        valid_until=valid_until,
        published_at=timezone.now(),
    )
    record_event(
        actor=actor,
        event_type=EventType.REGISTRY_PUBLISHED,
        subject=entry,
        after={  # in words: the audit page shows these (the program's id is on the entry itself)
            "program_title": program_title,
            "result": result,
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
        reason=source,
    )
    if result.strip() in PASSING_RESULTS:
        _issue_certificate(entry, actor=actor, source=source)
    _change(entry, ChangeKind.PUBLISHED, valid_from)
    return entry


def _letter_number(status: str, effective_on: dt.date) -> str:
    year = to_roc_year(timezone.localdate().year)
    prefix = f"評{LETTER_WORDS[EntryStatus(status)]}字第{year}"
    count = StatusAction.objects.filter(letter_number__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}號"


@transaction.atomic
def do_change_status(
    entry: RegistryEntry,
    *,
    status: str,
    reason: str,
    legal_basis: str,
    effective_on: dt.date,
    actor: Any,
    bureau_report: AbolitionReport | None = None,
) -> StatusAction:
    """End ENTRY's result early: the status changes at once, the action keeps reason, legal basis,
    effective date and the letter's number; audited, and a line of the change feed."""
    if actor is not None and not is_office_operator(actor):
        raise PermissionDenied("registry.change_registryentry")
    entry = RegistryEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.published_at is None:
        raise ValidationError("此評鑑結果尚未公告。", code=RegistryErrorCode.NOT_PUBLISHED)
    if entry.status != EntryStatus.VALID:
        raise ValidationError(
            f"此評鑑結果已{entry.get_status_display().removeprefix('已')}，不得再變更。",
            code=RegistryErrorCode.NOT_VALID,
        )
    if status not in allowed_statuses(entry.program_id):
        raise ValidationError(
            f"「{EntryStatus(status).label}」不適用於{entry.program_title}。",
            code=RegistryErrorCode.WRONG_PROGRAM,
        )
    reason = bounded_text(reason, max_length=MESSAGE_MAX_LENGTH, label="理由")
    legal_basis = bounded_text(legal_basis, max_length=300, label="法令依據")
    if not reason:
        raise ValidationError("請填寫理由。", code=RegistryErrorCode.REASON_REQUIRED)
    if not legal_basis:
        raise ValidationError("請填寫法令依據。", code=RegistryErrorCode.LEGAL_BASIS_REQUIRED)
    if effective_on < entry.valid_from or (entry.valid_until and effective_on > entry.valid_until):
        raise ValidationError("生效日須在合格效期內。", code=RegistryErrorCode.EFFECTIVE_DATE)
    before = {"status": entry.status, "status_changed_on": entry.status_changed_on}
    entry.status = status
    entry.status_changed_on = effective_on
    entry.save(update_fields=["status", "status_changed_on"])
    action = StatusAction.objects.create(
        entry=entry,
        status=status,
        reason=reason,
        legal_basis=legal_basis,
        effective_on=effective_on,
        letter_number=_letter_number(status, effective_on),
        bureau_report=bureau_report,
        recorded_by=actor,
    )
    record_event(
        actor=actor,
        event_type=STATUS_EVENTS[EntryStatus(status)],
        subject=entry,
        before=before,
        after={
            "status": status,
            "status_changed_on": effective_on,
            "legal_basis": legal_basis,
            "letter_number": action.letter_number,
        },
        reason=reason,
    )
    _change(entry, ChangeKind.STATUS_CHANGED, effective_on)
    return action


@transaction.atomic
def do_report_abolition_grounds(entry: RegistryEntry, *, grounds: str, actor: Any) -> AbolitionReport:
    """A health bureau reports serious violations of a passing institution of its county (seed 002
    §十四(一)); the office then decides whether to abolish (`do_change_status`)."""
    if not is_bureau_officer(actor) or entry.institution.county not in bureau_counties_of(actor):
        raise PermissionDenied("registry.report_abolition")
    if entry.status != EntryStatus.VALID or entry.published_at is None:
        raise ValidationError("此評鑑結果已非有效，無需通報。", code=RegistryErrorCode.NOT_VALID)
    grounds = bounded_text(grounds, max_length=MESSAGE_MAX_LENGTH, label="違規事實")
    if not grounds:
        raise ValidationError("請填寫違規事實。", code=RegistryErrorCode.REASON_REQUIRED)
    report = AbolitionReport.objects.create(entry=entry, grounds=grounds, reported_by=actor)
    record_event(
        actor=actor,
        event_type=EventType.REGISTRY_ABOLITION_REPORTED,
        subject=report,
        after={"entry": entry.pk, "grounds": grounds},
        reason=grounds,
    )
    return report


# --- follow-up within the validity (追蹤訪查) ------------------------------------------------------
# seed 000: the certifier follows up on site within the validity (合格效期內進行實地追蹤); seed 002
# §十四(一): a result found within the validity in serious breach, or not improved by the deadline
# set (經限期改善而屆期未改善), may be abolished. A follow-up records what was found; ending the
# result stays the office's own decision (`do_change_status`).


def validity_words(entry: RegistryEntry) -> str:
    """The validity in ROC dates: 112年1月1日至115年12月31日 (no end: 112年1月1日起)."""
    if entry.valid_until is None:
        return f"{roc_date_long(entry.valid_from)}起"
    return f"{roc_date_long(entry.valid_from)}至{roc_date_long(entry.valid_until)}"


def _within_validity(entry: RegistryEntry, day: dt.date) -> bool:
    return entry.valid_from <= day and (entry.valid_until is None or day <= entry.valid_until)


def _first_language(label: Any) -> str:
    """A choice's label in the interface's first language: the msgid a notification's parameter
    is translated from for each reader."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


def _entry_url(entry: RegistryEntry) -> str:
    return reverse("registry:detail", args=[entry.pk])


@transaction.atomic
def do_plan_follow_up(entry: RegistryEntry, *, day: dt.date, kind: str, actor: Any) -> FollowUp:
    """The office plans a follow-up of ENTRY on DAY, within its validity; the institution's members
    are told the date."""
    if not is_office_operator(actor):
        raise PermissionDenied("registry.plan_follow_up")
    entry = RegistryEntry.objects.select_for_update().select_related("institution").get(pk=entry.pk)
    if entry.published_at is None:
        raise ValidationError("此評鑑結果尚未公告。", code=RegistryErrorCode.NOT_PUBLISHED)
    if entry.status != EntryStatus.VALID or entry.result.strip() not in PASSING_RESULTS:
        raise ValidationError("此評鑑結果已非有效合格，無從追蹤。", code=RegistryErrorCode.NOT_VALID)
    if kind not in FollowUpKind.values:
        raise ValidationError("請選擇追蹤方式。", code=RegistryErrorCode.FOLLOW_UP_OUTCOME)
    if not _within_validity(entry, day):
        raise ValidationError(
            f"追蹤日期須在合格效期內（{validity_words(entry)}）。", code=RegistryErrorCode.OUTSIDE_VALIDITY
        )
    follow_up = FollowUp.objects.create(entry=entry, day=day, kind=kind, planned_by=actor)
    record_event(
        actor=actor,
        event_type=EventType.REGISTRY_FOLLOW_UP_PLANNED,
        subject=follow_up,
        after={"entry": entry.pk, "day": day, "kind": kind},
    )
    label = _first_language(FollowUpKind(kind).label)
    notify(
        institution_members(entry.institution),
        subject=message(
            N_("{institution}：{kind}排定於{day}（{program}）"),
            institution=entry.institution.name,
            kind=label,
            day=roc_date_long(day),
            program=entry.program_title,
        ),
        body=f"評鑑辦公室將於{roc_date_long(day)}辦理{label}（{entry.program_title}，"
        f"合格效期{validity_words(entry)}）。",
        url=_entry_url(entry),
    )
    return follow_up


@transaction.atomic
def do_record_follow_up_outcome(
    follow_up: FollowUp,
    *,
    outcome: str,
    findings: str = "",
    improve_by: dt.date | None = None,
    actor: Any,
    today: dt.date | None = None,
) -> FollowUp:
    """The office records what a follow-up found, once: 符合, 限期改善 (what, and by when: after the
    follow-up and within the validity) or 不符合 (what). The institution's members are told. A
    不符合 does not end the result: the office decides that with `do_change_status`."""
    if not is_office_operator(actor):
        raise PermissionDenied("registry.record_follow_up")
    follow_up = FollowUp.objects.select_for_update().select_related("entry__institution").get(pk=follow_up.pk)
    entry = follow_up.entry
    if follow_up.outcome != FollowUpOutcome.PLANNED:
        raise ValidationError(
            f"此追蹤訪查已於{roc_date_long(follow_up.recorded_on)}登錄結果「{follow_up.get_outcome_display()}」，"
            "不得再登錄。"
            if follow_up.recorded_on
            else "此追蹤訪查已登錄結果，不得再登錄。",
            code=RegistryErrorCode.ALREADY_RECORDED,
        )
    if outcome not in FollowUpOutcome.values or outcome == FollowUpOutcome.PLANNED:
        raise ValidationError("請選擇追蹤結果。", code=RegistryErrorCode.FOLLOW_UP_OUTCOME)
    today = today or timezone.localdate()
    if today < follow_up.day:
        raise ValidationError(
            f"追蹤日期（{roc_date_long(follow_up.day)}）未到，尚不得登錄結果。",
            code=RegistryErrorCode.NOT_YET,
        )
    findings = bounded_text(findings, max_length=MESSAGE_MAX_LENGTH, label="追蹤發現")
    if outcome in (FollowUpOutcome.IMPROVEMENT, FollowUpOutcome.NON_COMPLIANT) and not findings:
        raise ValidationError(
            f"「{FollowUpOutcome(outcome).label}」須填寫追蹤發現。", code=RegistryErrorCode.FINDINGS_REQUIRED
        )
    if outcome == FollowUpOutcome.IMPROVEMENT:
        if improve_by is None:
            raise ValidationError("限期改善須填寫改善期限。", code=RegistryErrorCode.IMPROVE_BY_REQUIRED)
        if improve_by <= follow_up.day or (entry.valid_until and improve_by > entry.valid_until):
            raise ValidationError(
                f"改善期限須在追蹤日期（{roc_date_long(follow_up.day)}）之後，且在合格效期內"
                f"（{validity_words(entry)}）。",
                code=RegistryErrorCode.IMPROVE_BY_DATE,
            )
    else:
        improve_by = None
    follow_up.outcome, follow_up.findings, follow_up.improve_by = outcome, findings, improve_by
    follow_up.recorded_by, follow_up.recorded_on = actor, today
    follow_up.save(update_fields=["outcome", "findings", "improve_by", "recorded_by", "recorded_on"])
    record_event(
        actor=actor,
        event_type=EventType.REGISTRY_FOLLOW_UP_RECORDED,
        subject=follow_up,
        before={"outcome": FollowUpOutcome.PLANNED},
        after={"outcome": outcome, "improve_by": improve_by, "recorded_on": today},
        reason=findings,
    )
    label = _first_language(FollowUpOutcome(outcome).label)
    body = f"{roc_date_long(follow_up.day)}{follow_up.get_kind_display()}之結果：{label}。"
    if findings:
        body += f"追蹤發現：{findings}"
    if improve_by:
        ending = "終止認證" if is_jct_program(entry.program_id) else "廢止評鑑合格"
        body += f"\n請於{roc_date_long(improve_by)}前完成改善；屆期未改善者，得{ending}。"
    notify(
        institution_members(entry.institution),
        subject=message(
            N_("{institution}：追蹤訪查結果「{outcome}」（{program}）"),
            institution=entry.institution.name,
            outcome=label,
            program=entry.program_title,
        ),
        body=body,
        url=_entry_url(entry),
    )
    return follow_up
