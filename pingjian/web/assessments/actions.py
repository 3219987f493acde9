"""Every write of on-site scoring, each one transaction with its audit event.

An entry arrives with the sending device's id and sequence number (the tablet's offline queue):
a submission already stored under that pair is answered as it was the first time and changes
nothing. The entry is checked again by the rules core; it carries the version its sender last
saw, and a different stored version is a conflict (nothing stored, the current entry returned),
so two surveyors editing one consensus entry never overwrite each other silently. After the team
submits, a change needs a reason and is audited as such.

A surveyor who has not accepted confidentiality (保密同意) for the program year of the visit's cycle
(seed 002 §四(二): 評鑑委員對評鑑工作所獲悉之各項資訊，應負保密義務) records no entry, note or
opinion and submits nothing: refused here, where every page, the API and the tablet pass. The
office's operators are not surveyors and are not asked.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pingjian.rules.errors import AssessmentError
from pingjian.rules.scoring import decimal_text
from pingjian.web.accounts.permissions import is_surveyor
from pingjian.web.applications.actions import do_record_score
from pingjian.web.audit.actions import record_event
from pingjian.web.audit.events import EventType
from pingjian.web.core.bounds import MAX_KEY
from pingjian.web.core.text import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH, STATEMENT_MAX_LENGTH, bounded_text
from pingjian.web.visits.selectors import has_pledged, program_year_of

from .error_codes import AssessmentErrorCode, EntryStatus
from .models import (
    DEVICE_ID_MAX_LENGTH,
    KEY_MAX_LENGTH,
    OVERALL,
    Assessment,
    Kind,
    Opinion,
    OpinionEntry,
    ScoreEntry,
    Submission,
    SurveyorNote,
)
from .permissions import is_team_member
from .scoring import Computed, check_value, compute, program_of


def missing_pledge_year(user: Any, visit: Any) -> int | None:
    """The ROC year whose confidentiality pledge USER, a surveyor, still has to accept before
    working on VISIT's scoring (seed 002 §四(二)); None when accepted or USER is no surveyor."""
    if not is_surveyor(user) or has_pledged(user, visit):
        return None
    return program_year_of(visit.application.cycle)


def pledge_message(year: int) -> str:
    return f"請先於「我的評鑑」頁簽署 {year} 年度保密同意，才能評分、撰寫筆記或評鑑意見。"


def _require_pledge(user: Any, visit: Any) -> None:
    """A ValidationError (CONFIDENTIALITY_REQUIRED) naming the year when USER has not pledged."""
    year = missing_pledge_year(user, visit)
    if year is not None:
        raise ValidationError(pledge_message(year), code=AssessmentErrorCode.CONFIDENTIALITY_REQUIRED)


def entry_json(entry: ScoreEntry) -> dict[str, Any]:
    return {
        "key": entry.key,
        "kind": entry.kind,
        "surveyor": entry.surveyor_id,
        "value": entry.value,
        "comment": entry.comment,
        "version": entry.version,
        "updated_by": entry.updated_by.get_full_name() or entry.updated_by.get_username(),
        "updated_at": entry.updated_at.isoformat(),
    }


def values_of(assessment: Assessment | None, *, kind: str = Kind.CONSENSUS, surveyor: Any = None) -> dict:
    if assessment is None:
        return {}
    entries = assessment.entries.filter(kind=kind)
    if kind == Kind.MEMBER:
        entries = entries.filter(surveyor=surveyor)
    return {e.key: e.value for e in entries}


def computed_for(assessment: Assessment | None, visit: Any, **which: Any) -> Computed:
    return compute(program_of(visit), visit, values_of(assessment, **which))


@transaction.atomic
def do_save_entry(
    visit: Any,
    *,
    actor: Any,
    key: str,
    value: Any,
    kind: str = Kind.CONSENSUS,
    base_version: int = 0,
    device_id: str = "",
    sequence: int | None = None,
    comment: str = "",
    reason: str = "",
) -> dict[str, Any]:
    """Store one entry of VISIT's scoring (a member's own, or the team's consensus) and answer
    {status, entry, …}; `status` is stored, conflict or invalid (then nothing changed)."""
    try:
        comment, reason = _bounded_entry(key, value, device_id, sequence, comment, reason)
    except ValidationError as exc:
        return _invalid(
            key[:KEY_MAX_LENGTH], " ".join(exc.messages), code=exc.code or AssessmentErrorCode.INVALID_ENTRY
        )
    if device_id and sequence is not None:
        earlier = Submission.objects.filter(device_id=device_id, sequence=sequence).first()
        if earlier is not None:
            if earlier.sent_by_id != actor.pk:
                raise PermissionDenied("assessments.score_visit")
            return {**earlier.response, "replayed": True}
    if not actor.has_perm("assessments.score_visit", visit):
        raise PermissionDenied("assessments.score_visit")
    if kind not in Kind.values:
        return _invalid(key, f"kind: {kind!r} is not one of {', '.join(Kind.values)}")
    if kind == Kind.MEMBER and not is_team_member(actor, visit):
        raise PermissionDenied("assessments.score_visit")
    year = missing_pledge_year(actor, visit)
    if year is not None:
        return _invalid(key, pledge_message(year), code=AssessmentErrorCode.CONFIDENTIALITY_REQUIRED)
    try:
        check_value(program_of(visit), key, value)
    except AssessmentError as exc:
        return _invalid(key, str(exc))
    assessment, _ = Assessment.objects.get_or_create(visit=visit)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.visit = visit  # the same row, its application already read: the audit label needs them
    if assessment.submitted and not reason:
        return _invalid(key, "評分已送出，變更須說明理由。", code=AssessmentErrorCode.REASON_REQUIRED)

    surveyor = actor if kind == Kind.MEMBER else None
    entry = (
        ScoreEntry.objects.select_for_update()
        .filter(assessment=assessment, kind=kind, surveyor=surveyor, key=key)
        .first()
    )
    if (entry.version if entry else 0) != (base_version or 0):
        return {
            "status": EntryStatus.CONFLICT.value,
            "key": key,
            "error": "此項目已由他人更新，請確認後再修改。",
            "entry": None if entry is None else entry_json(entry),
        }
    before = None if entry is None else {"value": entry.value, "version": entry.version}
    if entry is None:
        try:
            with transaction.atomic():
                entry = ScoreEntry.objects.create(
                    assessment=assessment, kind=kind, surveyor=surveyor, key=key, value=value,
                    comment=comment, updated_by=actor,
                )  # fmt: skip
        except IntegrityError:  # created meanwhile by someone else
            current = ScoreEntry.objects.get(assessment=assessment, kind=kind, surveyor=surveyor, key=key)
            return {"status": EntryStatus.CONFLICT.value, "key": key, "entry": entry_json(current)}
    else:
        entry.value, entry.comment, entry.updated_by = value, comment, actor
        entry.version += 1
        entry.save()
    changed = EventType.ASSESSMENT_ENTRY_CHANGED
    record_event(
        actor=actor,
        event_type=changed if assessment.submitted else EventType.ASSESSMENT_ENTRY_SAVED,
        subject=entry,
        before=before,
        after={"kind": kind, "key": key, "value": value, "version": entry.version, "device": device_id,
               "sequence": sequence},
        reason=reason,
    )  # fmt: skip
    if assessment.submitted:
        _snapshot(assessment, computed_for(assessment, visit))
        assessment.save()
    response = {"status": EntryStatus.STORED.value, "key": key, "entry": entry_json(entry)}
    if device_id and sequence is not None:
        Submission.objects.create(
            device_id=device_id, sequence=sequence, assessment=assessment, sent_by=actor,
            status=EntryStatus.STORED, response=response,
        )  # fmt: skip
    return response


def _invalid(key: str, error: str, *, code: str = AssessmentErrorCode.INVALID_ENTRY) -> dict[str, Any]:
    return {"status": EntryStatus.INVALID.value, "key": key, "error": error, "code": str(code)}


def _bounded_entry(
    key: str, value: Any, device_id: str, sequence: int | None, comment: str, reason: str
) -> tuple[str, str]:
    """The entry's comment and reason, bounded, or a ValidationError naming the field beyond its
    bound (issue 17): what the API schema states, again for every other caller, and before any
    query (a sequence beyond a 64-bit integer was a 500 in the replay lookup)."""
    for field, text, most in (("key", key, KEY_MAX_LENGTH), ("device_id", device_id, DEVICE_ID_MAX_LENGTH)):
        if len(text) > most:
            raise ValidationError(f"{field}: 最多 {most} 字", code=AssessmentErrorCode.INVALID_ENTRY)
    if sequence is not None and not 0 <= sequence <= MAX_KEY:
        raise ValidationError(f"sequence: 須在 0 至 {MAX_KEY} 之間", code=AssessmentErrorCode.INVALID_ENTRY)
    if isinstance(value, dict):  # an exemption's reason (免評理由) travels in the value
        for name in ("reason", "note"):
            if isinstance(value.get(name), str):
                bounded_text(value[name], max_length=REASON_MAX_LENGTH, label=f"value.{name}")
    return (
        bounded_text(comment, max_length=MESSAGE_MAX_LENGTH, label="說明"),
        bounded_text(reason, max_length=REASON_MAX_LENGTH, label="事由"),
    )


def _snapshot(assessment: Assessment, computed: Computed) -> None:
    result = computed.result
    if result is None:
        return
    assessment.total, assessment.max_total = result.total, result.max_total
    assessment.result, assessment.trace = result.result, list(result.trace)


@transaction.atomic
def do_submit_assessment(visit: Any, *, actor: Any) -> Assessment:
    """The team submits its consensus (送出評分): every criterion and precondition agreed and
    accepted by the rules core; the total, result and trace are kept as computed."""
    if not actor.has_perm("assessments.submit_assessment", visit):
        raise PermissionDenied("assessments.submit_assessment")
    _require_pledge(actor, visit)
    assessment = Assessment.objects.select_for_update().filter(visit=visit).first()
    if assessment is not None and assessment.submitted:
        raise ValidationError("評分已送出。", code=AssessmentErrorCode.ALREADY_SUBMITTED)
    computed = computed_for(assessment, visit)
    if computed.error:
        raise ValidationError(computed.error, code=AssessmentErrorCode.INVALID_ENTRY)
    if computed.result is None or assessment is None:
        raise ValidationError(
            f"尚有 {len(computed.missing)} 項未達成小組共識：{'、'.join(computed.missing)}",
            code=AssessmentErrorCode.INCOMPLETE,
        )
    _snapshot(assessment, computed)
    assessment.state = Assessment.State.SUBMITTED
    assessment.submitted_at, assessment.submitted_by = timezone.now(), actor
    assessment.save()
    record_event(
        actor=actor,
        event_type=EventType.ASSESSMENT_SUBMITTED,
        subject=assessment,
        after={
            "state": assessment.state,
            "total": decimal_text(computed.result.total),
            "result": computed.result.result,
        },
    )
    return assessment


@transaction.atomic
def do_record_assessment_score(assessment: Assessment, *, actor: Any) -> Any:
    """The office records the application's score (登錄成績) as the rules core computed it from the
    team's submitted entries: the application's `record_score` with that total."""
    if not actor.has_perm("assessments.record_score", assessment):
        raise PermissionDenied("assessments.record_score")
    if not assessment.submitted:
        raise ValidationError("訪查小組尚未送出評分。", code=AssessmentErrorCode.NOT_SUBMITTED)
    computed = computed_for(assessment, assessment.visit)
    if computed.result is None:
        raise ValidationError(computed.error or "評分不完整。", code=AssessmentErrorCode.INCOMPLETE)
    application = assessment.visit.application
    application.refresh_from_db()  # the version `record_score` checks is the stored one
    application = do_record_score(application, actor=actor, total=computed.result.total)
    record_event(
        actor=actor,
        event_type=EventType.ASSESSMENT_SCORE_RECORDED,
        subject=assessment,
        after={"total": decimal_text(computed.result.total), "result": computed.result.result},
    )
    return application


@transaction.atomic
def do_save_note(visit: Any, *, actor: Any, key: str, text: str) -> SurveyorNote:
    """A team member's private note on the visit or one criterion (only its author reads it)."""
    if not actor.has_perm("assessments.write_note", visit):
        raise PermissionDenied("assessments.write_note")
    _require_pledge(actor, visit)
    key = (key or "").strip()
    if len(key) > KEY_MAX_LENGTH:
        raise ValidationError(
            "「基準」最多 %(max)s 字。",
            code=AssessmentErrorCode.INVALID_ENTRY,
            params={"max": KEY_MAX_LENGTH},
        )
    text = bounded_text(text, max_length=MESSAGE_MAX_LENGTH, label="筆記")
    note, _ = SurveyorNote.objects.get_or_create(visit=visit, surveyor=actor, key=key)
    note.text = text
    note.save()
    record_event(
        actor=actor, event_type=EventType.SURVEYOR_NOTE_SAVED, subject=note, after={"key": note.key}
    )  # the text stays private: not in the audit trail
    return note


# --------------------------------------------------------------------------- opinions (評鑑意見書)


def _opinion_for_update(visit: Any) -> Opinion:
    opinion, _ = Opinion.objects.get_or_create(visit=visit)
    return Opinion.objects.select_for_update().get(pk=opinion.pk)


@transaction.atomic
def do_save_opinion_entry(
    visit: Any,
    *,
    actor: Any,
    key: str = OVERALL,
    strengths: str = "",
    recommendations: str = "",
    base_version: int | None = None,
) -> OpinionEntry:
    """A team member writes the strengths and recommendations of one criterion (KEY, an item id)
    or of the visit as a whole (KEY empty), while the opinions are a draft. BASE_VERSION (0: none
    yet) is the version the writer saw: another is a conflict (ValidationError, nothing stored)."""
    if not actor.has_perm("assessments.write_opinion", visit):
        raise PermissionDenied("assessments.write_opinion")
    _require_pledge(actor, visit)
    key = (key or "").strip()
    if key != OVERALL:
        try:
            program_of(visit).item(key)
        except KeyError:
            raise ValidationError(
                f"key: {key!r} 不是本計畫之評鑑基準。", code=AssessmentErrorCode.INVALID_ENTRY
            ) from None
    strengths = bounded_text(strengths, max_length=STATEMENT_MAX_LENGTH, label="優點")
    recommendations = bounded_text(recommendations, max_length=STATEMENT_MAX_LENGTH, label="建議事項")
    opinion = _opinion_for_update(visit)
    if opinion.state != Opinion.State.DRAFT:
        raise ValidationError(
            "評鑑意見書已送審或核定，無法修改。", code=AssessmentErrorCode.OPINION_NOT_DRAFT
        )
    entry = OpinionEntry.objects.filter(opinion=opinion, key=key).first()
    if base_version is not None and (entry.version if entry else 0) != base_version:
        raise ValidationError(
            "「%(key)s」之意見已由 %(who)s 更新，請重新整理後再修改；您這次的文字未儲存。",
            code=AssessmentErrorCode.OPINION_CONFLICT,
            params={"key": key or "總評", "who": entry.updated_by if entry else "他人"},
        )
    before = (
        None if entry is None else {"strengths": entry.strengths, "recommendations": entry.recommendations}
    )
    if entry is None:
        entry = OpinionEntry(opinion=opinion, key=key, version=0)
    entry.version += 1
    entry.strengths, entry.recommendations, entry.updated_by = strengths, recommendations, actor
    entry.save()
    record_event(
        actor=actor,
        event_type=EventType.OPINION_SAVED,
        subject=opinion,
        before=before,
        after={
            "key": key,
            "strengths": strengths,
            "recommendations": recommendations,
            "version": entry.version,
        },
    )
    return entry


@transaction.atomic
def do_save_opinion_entries(visit: Any, *, actor: Any, entries: list[dict[str, Any]]) -> None:
    """The opinion page's save: every changed criterion, all or nothing (a conflict on one stores
    none of them)."""
    for entry in entries:
        do_save_opinion_entry(visit, actor=actor, **entry)


@transaction.atomic
def do_submit_opinion(visit: Any, *, actor: Any) -> Opinion:
    """The team sends its opinions to the office for review (送審): at least the overall opinion."""
    if not actor.has_perm("assessments.write_opinion", visit):
        raise PermissionDenied("assessments.write_opinion")
    _require_pledge(actor, visit)
    opinion = _opinion_for_update(visit)
    if opinion.state != Opinion.State.DRAFT:
        raise ValidationError("評鑑意見書已送審或核定。", code=AssessmentErrorCode.OPINION_NOT_DRAFT)
    overall = opinion.entries.filter(key=OVERALL).first()
    if overall is None or not (overall.strengths or overall.recommendations):
        raise ValidationError("請先撰寫總評（優點或建議事項）。", code=AssessmentErrorCode.INCOMPLETE)
    opinion.state = Opinion.State.SUBMITTED
    opinion.submitted_at, opinion.submitted_by = timezone.now(), actor
    opinion.save()
    record_event(
        actor=actor, event_type=EventType.OPINION_SUBMITTED, subject=opinion, after={"state": opinion.state}
    )
    return opinion


def _submitted_for_review(opinion: Opinion, actor: Any) -> Opinion:
    if not actor.has_perm("assessments.review_opinion", opinion):
        raise PermissionDenied("assessments.review_opinion")
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.state != Opinion.State.SUBMITTED:
        raise ValidationError("評鑑意見書尚未送審。", code=AssessmentErrorCode.OPINION_NOT_SUBMITTED)
    return opinion


@transaction.atomic
def do_approve_opinion(opinion: Opinion, *, actor: Any) -> Opinion:
    """The office approves the team's opinions (核定); the institution may then read them."""
    opinion = _submitted_for_review(opinion, actor)
    opinion.state = Opinion.State.APPROVED
    opinion.approved_at, opinion.approved_by = timezone.now(), actor
    opinion.returned_reason = ""
    opinion.save()
    record_event(
        actor=actor, event_type=EventType.OPINION_APPROVED, subject=opinion, after={"state": opinion.state}
    )
    return opinion


@transaction.atomic
def do_return_opinion(opinion: Opinion, *, actor: Any, reason: str) -> Opinion:
    """The office sends the opinions back to the team (退回) with a written reason: a draft again."""
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="退回理由")
    if not reason:
        raise ValidationError("退回須說明理由。", code=AssessmentErrorCode.REASON_REQUIRED)
    opinion = _submitted_for_review(opinion, actor)
    opinion.state = Opinion.State.DRAFT
    opinion.returned_reason = reason
    opinion.save()
    record_event(
        actor=actor,
        event_type=EventType.OPINION_RETURNED,
        subject=opinion,
        after={"state": opinion.state},
        reason=reason,
    )
    return opinion
