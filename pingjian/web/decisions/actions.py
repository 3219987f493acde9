"""Every write of decisions, audited here: meetings, seats and attendance, items with the rules
core's proposal, votes, decisions and their approval (which fires the application's `decide`),
appeals (filed through the application's `appeal`, so a late one is refused with the last day),
re-review teams, outcomes, and the finalisation (the application's `finalize`, then the registry's
`do_publish_result` for a pass, and for a fail where the program publishes fails).

`actor=None` is the system (demo seeding): it skips the role checks, nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pingjian.web.accounts.permissions import is_office_operator, is_program_admin, is_surveyor
from pingjian.web.applications.actions import (
    do_appeal_application,
    do_decide_application,
    do_finalize_application,
)
from pingjian.web.applications.models import Application, Result
from pingjian.web.applications.workflow import State
from pingjian.web.assessments.selectors import submitted_assessment_of
from pingjian.web.audit.actions import record_event
from pingjian.web.audit.events import EventType
from pingjian.web.core.clock import local_today
from pingjian.web.core.text import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH, bounded_text
from pingjian.web.notifications.notify import institution_members, notify
from pingjian.web.registry.actions import do_publish_result
from pingjian.web.visits.actions import do_declare_conflict
from pingjian.web.visits.conflicts import refuse_conflicted
from pingjian.web.visits.selectors import team_ids_of

from .approval import published_words, publishes_failures, validity_of
from .error_codes import DecisionErrorCode as Code
from .models import Appeal, Decision, Item, Meeting, Member, Outcome, Reviewer, Vote


def _require(ok: bool, perm: str) -> None:
    if not ok:
        raise PermissionDenied(perm)


def _operator(actor: Any, perm: str) -> None:
    _require(actor is None or is_office_operator(actor), perm)


class StaleDecisionError(ValidationError):
    """Someone else recorded on the item or decision since it was read (its version moved on):
    the API answers 409, the page a message; nothing is written."""


def _check_version(current: int, expected: int | None, what: str) -> None:
    """Optimistic locking: EXPECTED is the version the page or the API client read (None: not
    checked, the system and older callers); a different CURRENT means a concurrent change."""
    if expected is not None and current != expected:
        raise StaleDecisionError(
            f"{what}已由他人異動（您看到的是第{expected}版，現為第{current}版）；請重新整理後再辦理。",
            code=Code.CONFLICT,
        )


def _bump(row: Any) -> None:
    row.version += 1
    row.save(update_fields=["version"])


def _result(value: Any, label: str = "評定結果") -> str:
    if value not in Result.values:
        raise ValidationError(f"請選擇{label}（合格／不合格）。")
    return str(value)


# --------------------------------------------------------------------------- meetings


@transaction.atomic
def do_create_meeting(cycle: Any, *, title: str, held_on: dt.date, actor: Any) -> Meeting:
    """Open a determination meeting (評定會議) of CYCLE."""
    _operator(actor, "decisions.manage_meeting")
    title = bounded_text(title, max_length=200, label="會議名稱")
    if not title:
        raise ValidationError("請填寫會議名稱。")
    if not isinstance(held_on, dt.date):
        raise ValidationError("請填寫會議日期。")
    meeting = Meeting.objects.create(cycle=cycle, title=title, held_on=held_on, created_by=actor)
    record_event(
        actor=actor,
        event_type=EventType.DECISION_MEETING_CREATED,
        subject=meeting,
        after={"cycle": cycle.pk, "title": title, "held_on": held_on},
    )
    return meeting


@transaction.atomic
def do_seat_member(meeting: Meeting, user: Any, *, actor: Any) -> Member:
    """Seat USER (a surveyor: 評定委員) on MEETING."""
    _operator(actor, "decisions.manage_meeting")
    if not is_surveyor(user):
        raise ValidationError(f"{user} 不是評鑑委員，不能列為評定委員。")
    member, created = Member.objects.get_or_create(meeting=meeting, user=user)
    if created:
        record_event(
            actor=actor,
            event_type=EventType.DECISION_MEMBER_SEATED,
            subject=meeting,
            after={"member": user.pk},
        )
    return member


@transaction.atomic
def do_record_attendance(member: Member, *, attended: bool, actor: Any) -> Member:
    """Record whether MEMBER attended (出席／未出席)."""
    _operator(actor, "decisions.manage_meeting")
    before = member.attended
    member.attended = bool(attended)
    member.save(update_fields=["attended"])
    record_event(
        actor=actor,
        event_type=EventType.DECISION_ATTENDANCE_RECORDED,
        subject=member.meeting,
        before={"member": member.user_id, "attended": before},
        after={"member": member.user_id, "attended": member.attended},
    )
    return member


@transaction.atomic
def do_add_item(meeting: Meeting, application: Application, *, actor: Any) -> Item:
    """List a scored application of the meeting's cycle, with the rules core's proposal (result,
    total and trace of the team's submitted assessment, on the application's pinned version)."""
    _operator(actor, "decisions.manage_meeting")
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.cycle_id != meeting.cycle_id:
        raise ValidationError(f"{application.institution.name} 不屬於本會議之梯次。")
    if application.state != State.SCORED:
        raise ValidationError(
            f"{application.institution.name} 尚未登錄成績（目前狀態：{State(application.state).label}）。",
            code=Code.NOT_SCORED,
        )
    assessment = submitted_assessment_of(application)
    if assessment is None:
        raise ValidationError(
            f"{application.institution.name} 無訪查小組送出之評分，規則核心無建議結果。", code=Code.NOT_SCORED
        )
    if Item.objects.filter(application=application, decision__isnull=True).exists():
        raise ValidationError(f"{application.institution.name} 已列入評定會議。", code=Code.ALREADY_LISTED)
    item = Item.objects.create(
        meeting=meeting,
        application=application,
        proposed_result=assessment.result,
        proposed_total=assessment.total,
        max_total=assessment.max_total,
        trace=list(assessment.trace),
    )
    record_event(
        actor=actor,
        event_type=EventType.DECISION_ITEM_ADDED,
        subject=meeting,
        after={
            "application": application.pk,
            "proposed": item.proposed_result,
            "total": str(item.proposed_total),
        },
    )
    return item


@transaction.atomic
def do_record_recusal(item: Item, user: Any, *, actor: Any, reason: str) -> Any:
    """A conflict a member states at the meeting (當場聲明迴避), recorded by the office as a conflict
    of interest of visits (the one rule): from then on the member neither sees nor votes on the
    item, nor on anything else of that institution. Their vote on it, if any, is struck."""
    _operator(actor, "decisions.manage_meeting")
    member = Member.objects.filter(meeting=item.meeting, user=user).first()
    if member is None:
        raise ValidationError(f"{user} 不是本會議之評定委員。")
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="迴避事由")
    if not reason:
        raise ValidationError("請填寫迴避事由。", code=Code.REASON_REQUIRED)
    conflict = do_declare_conflict(user, item.application.institution, actor=actor, reason=reason)
    Vote.objects.filter(item=item, member=member).delete()
    return conflict


def _check_unconflicted(user: Any, application: Application) -> None:
    refuse_conflicted(
        user,
        application.institution_id,
        lambda: f"{user} 與{application.institution.name}有利益衝突，應迴避。",
        code=Code.CONFLICTED,
    )


@transaction.atomic
def do_vote(item: Item, *, actor: Any, result: str) -> Vote:
    """A seated, attending, unconflicted member gives their opinion (委員意見) on ITEM."""
    member = Member.objects.filter(meeting=item.meeting, user=actor).first()
    if member is None:
        raise PermissionDenied("decisions.vote_item")
    _check_unconflicted(actor, item.application)
    if member.attended is not True:
        raise ValidationError("未登錄出席之委員不能表示意見。", code=Code.NOT_ATTENDING)
    if hasattr(item, "decision"):
        raise ValidationError("本案已評定。", code=Code.ALREADY_DECIDED)
    vote, _created = Vote.objects.update_or_create(
        item=item, member=member, defaults={"result": _result(result, "意見")}
    )
    record_event(
        actor=actor, event_type=EventType.DECISION_VOTE_RECORDED, subject=item.meeting,
        after={"item": item.pk, "result": vote.result},
    )  # fmt: skip
    return vote


# --------------------------------------------------------------------------- decisions


@transaction.atomic
def do_record_decision(
    item: Item, *, actor: Any, result: str, reason: str = "", expected_version: int | None = None
) -> Decision:
    """The office records the meeting's decision of ITEM; a result other than the rules core's
    proposal needs a reason (audited with both). EXPECTED_VERSION is the item's version the
    recorder read: two offices recording from the same base get one success and one conflict."""
    _operator(actor, "decisions.record_decision")
    item = Item.objects.select_for_update().select_related("application").get(pk=item.pk)
    _check_version(item.version, expected_version, "本評定案")
    result = _result(result)
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="理由")
    if result != item.proposed_result and not reason:
        raise ValidationError(
            f"評定結果與規則核心之建議結果（{Result(item.proposed_result).label}）不同，須說明理由。",
            code=Code.REASON_REQUIRED,
        )
    if Decision.objects.filter(application=item.application).exists():
        raise ValidationError("本案已登錄評定結果。", code=Code.ALREADY_DECIDED)
    decision = Decision.objects.create(
        item=item, application=item.application, result=result, reason=reason, recorded_by=actor
    )
    _bump(item)
    record_event(
        actor=actor,
        event_type=EventType.DECISION_RECORDED,
        subject=decision,
        before={"proposed": item.proposed_result},
        after={"result": result, "changed": result != item.proposed_result},
        reason=reason,
    )
    return decision


@transaction.atomic
def do_approve_decision(
    decision: Decision, *, actor: Any, today: dt.date | None = None, expected_version: int | None = None
) -> Decision:
    """The role that owns the decision approves it (approval.approving_body); only then the
    application's `decide` fires with the decision's result, and the validity is the rules core's.
    Whoever recorded the decision does not approve it. EXPECTED_VERSION: the decision's version
    the approver read (optimistic locking)."""
    _require(actor is None or is_program_admin(actor), "decisions.approve_decision")
    decision = Decision.objects.select_for_update().select_related("application").get(pk=decision.pk)
    _check_version(decision.version, expected_version, "本評定結果")
    if decision.approved_at is not None:
        raise ValidationError("本評定結果已核定。", code=Code.ALREADY_DECIDED)
    if actor is not None and actor.pk == decision.recorded_by_id:
        raise ValidationError("登錄評定結果者不能自行核定。", code=Code.SAME_PERSON)
    today = today or local_today()
    application = decision.application
    application.refresh_from_db()
    # `decide` is the office's transition: fired as the office member who recorded the decision,
    # its message naming the approval; the result comes from the decision, never typed.
    approver = "系統" if actor is None else str(actor)
    do_decide_application(
        application,
        actor=decision.recorded_by,
        result=decision.result,
        message=f"評定會議決議，經{approver}核定。",
        today=today,
    )
    decision.valid_from, decision.valid_until = validity_of(application, decision.result, today)
    decision.approved_by, decision.approved_at, decision.decided_on = actor, timezone.now(), today
    decision.version += 1
    decision.save(
        update_fields=["approved_by", "approved_at", "decided_on", "valid_from", "valid_until", "version"]
    )
    record_event(
        actor=actor,
        event_type=EventType.DECISION_APPROVED,
        subject=decision,
        after={
            "result": decision.result,
            "decided_on": today,
            "valid_from": decision.valid_from,
            "valid_until": decision.valid_until,
        },
    )
    return decision


# --------------------------------------------------------------------------- appeals


@transaction.atomic
def do_file_appeal(
    application: Application, *, actor: Any, statement: str, today: dt.date | None = None
) -> Appeal:
    """The institution files an appeal (申復) against an approved decision, through the
    application's `appeal` (a late one is refused there with the last day in ROC dates)."""
    decision = Decision.objects.select_for_update().filter(application=application).first()
    if decision is None or decision.approved_at is None:
        raise ValidationError("本案尚無核定之評定結果，不能提出申復。", code=Code.NOT_APPROVED)
    statement = bounded_text(statement, max_length=MESSAGE_MAX_LENGTH, label="申復理由")
    if not statement:
        raise ValidationError("請填寫申復理由。", code=Code.REASON_REQUIRED)
    today = today or local_today()
    application.refresh_from_db()
    do_appeal_application(application, actor=actor, message=statement, today=today)
    appeal = Appeal.objects.create(decision=decision, statement=statement, filed_on=today, filed_by=actor)
    record_event(
        actor=actor, event_type=EventType.DECISION_APPEAL_FILED, subject=appeal,
        after={"application": application.pk, "filed_on": today}, reason=statement,
    )  # fmt: skip
    return appeal


@transaction.atomic
def do_assign_reviewer(appeal: Appeal, surveyor: Any, *, actor: Any) -> Reviewer:
    """Seat SURVEYOR on the appeal's re-review (申復複審): a surveyor, not of the original visit
    team, not conflicted with the institution."""
    _operator(actor, "decisions.review_appeal")
    application = appeal.decision.application
    if not is_surveyor(surveyor):
        raise ValidationError(f"{surveyor} 不是評鑑委員。")
    if surveyor.pk in team_ids_of(application):
        raise ValidationError(
            f"{surveyor} 為原實地訪查小組成員，申復須由原小組以外之委員複審。", code=Code.TEAM_MEMBER
        )
    _check_unconflicted(surveyor, application)
    reviewer, created = Reviewer.objects.get_or_create(appeal=appeal, surveyor=surveyor)
    if created:
        record_event(
            actor=actor, event_type=EventType.DECISION_REVIEWER_ASSIGNED, subject=appeal,
            after={"surveyor": surveyor.pk},
        )  # fmt: skip
    return reviewer


@transaction.atomic
def do_record_appeal_outcome(
    appeal: Appeal,
    *,
    actor: Any,
    outcome: str,
    reason: str,
    new_result: str = "",
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> Appeal:
    """The re-review's outcome with its reasons: upheld, or changed with the new result.
    EXPECTED_VERSION: the appealed decision's version the recorder read (optimistic locking)."""
    _operator(actor, "decisions.review_appeal")
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    decision = Decision.objects.select_for_update().get(pk=appeal.decision_id)
    _check_version(decision.version, expected_version, "本申復")
    if appeal.outcome:
        raise ValidationError("申復結果已登錄。", code=Code.ALREADY_DECIDED)
    if not appeal.reviewers.exists():
        raise ValidationError("尚未指派申復複審委員。")
    if outcome not in Outcome.values:
        raise ValidationError("請選擇申復結果（維持／變更）。")
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="理由")
    if not reason:
        raise ValidationError("申復結果須說明理由。", code=Code.REASON_REQUIRED)
    if outcome == Outcome.CHANGED:
        new_result = _result(new_result, "變更後結果")
        if new_result == appeal.decision.result:
            raise ValidationError("變更後結果與原評定結果相同；請選擇「維持原評定結果」。")
    else:
        new_result = ""
    appeal.outcome, appeal.new_result, appeal.outcome_reason = outcome, new_result, reason
    appeal.outcome_by, appeal.outcome_on = actor, today or local_today()
    appeal.save(update_fields=["outcome", "new_result", "outcome_reason", "outcome_by", "outcome_on"])
    _bump(decision)
    record_event(
        actor=actor,
        event_type=EventType.DECISION_APPEAL_OUTCOME,
        subject=appeal,
        before={"result": appeal.decision.result},
        after={"outcome": outcome, "new_result": new_result},
        reason=reason,
    )
    application = appeal.decision.application
    notify(
        institution_members(application.institution),
        subject=f"{application.institution.name}：申復結果「{Outcome(outcome).label}」（{application.cycle.title}）",
        body=f"評定結果：{Result(appeal.final_result).label}。理由：{reason}",
        url=reverse("applications:detail", args=[application.pk]),
    )
    return appeal


@transaction.atomic
def do_finalize_decision(application: Application, *, actor: Any, today: dt.date | None = None) -> Decision:
    """Close the case (結果確定): after the appeal period (or the institution's waiver) through the
    application's `finalize`, or after the appeal's outcome with its result; then publish a pass in
    the registry (registry.actions.do_publish_result) with the rules core's validity."""
    _operator(actor, "decisions.record_decision")
    decision = (
        Decision.objects.select_for_update()
        .select_related("application")
        .filter(application=application)
        .first()
    )
    if decision is None:
        raise ValidationError("本申請案尚無評定會議之評定結果，不能確定結果。", code=Code.NOT_DECIDED)
    today = today or local_today()
    appeal = Appeal.objects.filter(decision=decision).first()
    if appeal is not None and not appeal.outcome:
        raise ValidationError("申復尚未有結果，不能確定結果。", code=Code.APPEAL_OPEN)
    result = appeal.final_result if appeal is not None else decision.result
    application.refresh_from_db()
    application = do_finalize_application(application, actor=actor, result=result, today=today)
    if result != decision.result:  # changed on appeal: the validity of the new result
        decision.valid_from, decision.valid_until = validity_of(
            application, result, decision.decided_on or today
        )
    program = application.program_version
    passed = result == Result.PASS and decision.valid_from is not None
    if passed or (result == Result.FAIL and publishes_failures(program.program_id)):
        # a fail has no validity (seed 002 §十三(二)): published from its decision day, no end, no
        # certificate (registry: only PASSING_RESULTS get one, and never count as valid)
        decision.registry_entry = do_publish_result(
            institution=application.institution,
            program_id=program.program_id,
            program_title=program.title,
            result=published_words(program.program_id, result),
            valid_from=decision.valid_from if passed else (decision.decided_on or today),
            valid_until=decision.valid_until if passed else None,
            source=application_reference(application),
            actor=actor,
        )
        decision.published = True
    decision.version += 1
    decision.save(update_fields=["valid_from", "valid_until", "published", "registry_entry", "version"])
    record_event(
        actor=actor,
        event_type=EventType.DECISION_FINALIZED,
        subject=decision,
        after={
            "final_result": result,
            "valid_from": decision.valid_from,
            "valid_until": decision.valid_until,
            "published": decision.published,
        },
    )
    return decision


def application_reference(application: Application) -> str:
    """The application's reference in the registry's audit record: 申請案 #id (cycle)."""
    return f"申請案 #{application.pk}（{application.cycle.title}）"
