"""Assigning surveyors, their conflict-of-interest declarations, the roster and the visit schedule."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from pingjian.rules.roc import roc_date_long
from pingjian.scheduling import Placement, Problem, Schedule, SchedulingError, Slot, replan_closure, solve
from pingjian.web.accounts.permissions import institution_ids_of, is_office_operator, is_surveyor
from pingjian.web.applications.actions import do_move_visit_date
from pingjian.web.audit.actions import changed_fields, record_event
from pingjian.web.audit.events import EventType
from pingjian.web.closures.calendar import closures_calendar, county_name
from pingjian.web.core.clock import local_today
from pingjian.web.core.text import REASON_MAX_LENGTH, bounded_text
from pingjian.web.institutions.models import Institution
from pingjian.web.notifications.messages import Message, message
from pingjian.web.notifications.notify import bureau_officers, institution_members, notify, office_staff

from .conflicts import conflicts, refuse_conflicted
from .models import (
    REASON_SEVERITY,
    CalendarFeed,
    ConfidentialityAgreement,
    ConflictOfInterest,
    ConflictReason,
    ConflictSide,
    ConflictWaiver,
    ConsensusAttendance,
    Expertise,
    Half,
    HistoryKind,
    SurveyorAssignment,
    SurveyorHistory,
    SurveyorProfile,
    SurveyorUnavailability,
    Visit,
    VisitChangeReason,
    VisitMember,
)
from .permissions import forget_surveyor_cache
from .planning import cycle_problem, halves_of, plan_of
from .selectors import consensus_attendees, may_be_planned, program_family


@transaction.atomic
def do_assign_surveyor(
    surveyor: Any, institution: Any, *, actor: Any, cycle_label: str = "", reason: str = ""
) -> SurveyorAssignment:
    """Assign a surveyor to an institution; refused when the surveyor declared a conflict with it."""
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="事由")
    if not is_surveyor(surveyor):
        raise ValidationError(f"{surveyor} 不是評鑑委員 (not a surveyor)")
    refuse_conflicted(
        surveyor,
        getattr(institution, "pk", None),
        lambda: f"{surveyor} 與 {institution} 有利益迴避情形，不得指派 (conflict of interest)",
    )
    active = SurveyorAssignment.objects.select_for_update().filter(
        surveyor=surveyor, institution=institution, cycle_label=cycle_label, ended_at__isnull=True
    )
    if active.exists():
        raise ValidationError(
            f"{surveyor} 已指派至 {institution}{cycle_label and '（' + cycle_label + '）'} (already assigned)"
        )
    assignment = SurveyorAssignment.objects.create(
        surveyor=surveyor, institution=institution, cycle_label=cycle_label, assigned_by=actor
    )
    forget_surveyor_cache(surveyor)
    record_event(
        actor=actor,
        event_type=EventType.SURVEYOR_ASSIGNED,
        subject=assignment,
        after={"surveyor": surveyor.username, "institution": institution.code, "cycle_label": cycle_label},
        reason=reason,
    )
    return assignment


@transaction.atomic
def do_end_assignment(assignment: SurveyorAssignment, *, actor: Any, reason: str) -> SurveyorAssignment:
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="事由")
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    forget_surveyor_cache(assignment.surveyor)
    record_event(
        actor=actor,
        event_type=EventType.SURVEYOR_ASSIGNMENT_ENDED,
        subject=assignment,
        before={"ended_at": None},
        after={"ended_at": assignment.ended_at},
        reason=reason,
    )
    return assignment


def _declare(
    surveyor: Any, institution: Any, *, side: str, reason_code: str, reason: str, actor: Any, event: str
) -> ConflictOfInterest:
    if not is_surveyor(surveyor):
        raise ValidationError(f"{surveyor} 不是評鑑委員 (not a surveyor)")
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="迴避事由")
    if not reason:
        raise ValidationError("請說明迴避事由 (a reason is required)")
    if reason_code not in ConflictReason.values:
        raise ValidationError(f"迴避事由類別須自清單選擇（{reason_code}）")
    conflict, created = ConflictOfInterest.objects.get_or_create(
        surveyor=surveyor,
        institution=institution,
        side=side,
        defaults={
            "reason": reason.strip(),
            "reason_code": reason_code,
            "severity": REASON_SEVERITY[ConflictReason(reason_code)],
            "declared_by": actor,
        },
    )
    forget_surveyor_cache(surveyor)
    if created:
        record_event(
            actor=actor,
            event_type=event,
            subject=conflict,
            after={
                "surveyor": surveyor.username,
                "institution": institution.code,
                "reason_code": reason_code,
                "severity": conflict.severity,
            },
            reason=reason.strip(),
        )
        _drop_from_visits(surveyor, institution)
    return conflict


def _drop_from_visits(surveyor: Any, institution: Any) -> None:
    """A conflict found after planning takes the surveyor off that institution's visits (the
    office plans the team again; the visit itself stays pinned or planned)."""
    VisitMember.objects.filter(surveyor=surveyor, visit__application__institution=institution).delete()


@transaction.atomic
def do_declare_conflict(
    surveyor: Any,
    institution: Any,
    *,
    actor: Any,
    reason: str,
    reason_code: str = ConflictReason.OTHER,
) -> ConflictOfInterest:
    """The surveyor (or the office on their behalf) declares a conflict; from now on the surveyor
    cannot see the institution, even while an assignment to it is still open."""
    if actor != surveyor and not is_office_operator(actor):
        raise PermissionDenied("visits.add_conflictofinterest")
    return _declare(
        surveyor,
        institution,
        side=ConflictSide.SURVEYOR,
        reason_code=reason_code,
        reason=reason,
        actor=actor,
        event=EventType.SURVEYOR_CONFLICT_DECLARED,
    )


@transaction.atomic
def do_declare_conflict_by_institution(
    institution: Any, surveyor: Any, *, actor: Any, reason: str, reason_code: str = ConflictReason.OTHER
) -> ConflictOfInterest:
    """A member of the institution declares a conflict with a surveyor (機構申報委員迴避)."""
    if not (institution.pk in institution_ids_of(actor) or is_office_operator(actor)):
        raise PermissionDenied("visits.declare_conflict_as_institution")
    return _declare(
        surveyor,
        institution,
        side=ConflictSide.INSTITUTION,
        reason_code=reason_code,
        reason=reason,
        actor=actor,
        event=EventType.CONFLICT_DECLARED_BY_INSTITUTION,
    )


@transaction.atomic
def do_waive_conflict(
    surveyor: Any, institution: Any, *, basis: str, actor: Any, reason: str
) -> ConflictWaiver:
    """The office waives one soft conflict with a written reason (audited); a hard one never."""
    if not is_office_operator(actor):
        raise PermissionDenied("visits.waive_conflict")
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="免除理由")
    if not reason:
        raise ValidationError("免除利益迴避須以書面說明理由。")
    found = [
        c
        for c in conflicts(surveyor_ids=[surveyor.pk], institution_ids=[institution.pk])
        if c.basis == basis and c.institution_id == institution.pk
    ]
    if not found:
        raise ValidationError(f"查無此利益迴避情形（{basis}）。")
    conflict = found[0]
    if conflict.hard:
        raise ValidationError("絕對迴避之情形不得免除。")
    if conflict.waived:
        raise ValidationError("此利益迴避情形已免除。")
    waiver = ConflictWaiver.objects.create(
        surveyor=surveyor, institution=institution, basis=basis, reason=reason.strip(), waived_by=actor
    )
    forget_surveyor_cache(surveyor)
    record_event(
        actor=actor,
        event_type=EventType.CONFLICT_WAIVED,
        subject=waiver,
        after={
            "surveyor": surveyor.username,
            "institution": institution.code,
            "basis": basis,
            "conflict": conflict.description,
        },
        reason=reason.strip(),
    )
    return waiver


@transaction.atomic
def do_add_surveyor_history(
    surveyor: Any,
    institution: Any,
    *,
    kind: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    title: str = "",
    actor: Any,
) -> SurveyorHistory:
    """A surveyor's employment at or ownership of an institution (their own entry or the
    office's); the conflicts it implies take effect at once (visits.conflicts)."""
    if actor != surveyor and not is_office_operator(actor):
        raise PermissionDenied("visits.add_surveyorhistory")
    if kind not in HistoryKind.values:
        raise ValidationError(f"關係須為任職或負責人（{kind}）")
    if ended_on is not None and ended_on < started_on:
        raise ValidationError("結束日期不得早於起始日期。")
    row = SurveyorHistory.objects.create(
        surveyor=surveyor,
        institution=institution,
        kind=kind,
        title=(title or "").strip(),
        started_on=started_on,
        ended_on=ended_on,
    )
    forget_surveyor_cache(surveyor)
    record_event(
        actor=actor,
        event_type=EventType.SURVEYOR_HISTORY_ADDED,
        subject=row,
        after={
            "surveyor": surveyor.username,
            "institution": institution.code,
            "kind": kind,
            "started_on": started_on,
            "ended_on": ended_on,
        },
    )
    for conflict in conflicts(surveyor_ids=[surveyor.pk]):
        if conflict.basis.startswith(f"history:{row.pk}:") and not conflict.waived:
            _drop_from_visits(surveyor, Institution.objects.get(pk=conflict.institution_id))
    return row


@transaction.atomic
def do_accept_confidentiality(surveyor: Any, *, program_year: int, actor: Any) -> ConfidentialityAgreement:
    """The surveyor accepts confidentiality (保密) for an ROC program year; once per year."""
    if not is_surveyor(surveyor):
        raise ValidationError(f"{surveyor} 不是評鑑委員 (not a surveyor)")
    agreement, created = ConfidentialityAgreement.objects.get_or_create(
        surveyor=surveyor, program_year=program_year
    )
    if created:
        record_event(
            actor=actor,
            event_type=EventType.SURVEYOR_CONFIDENTIALITY_ACCEPTED,
            subject=agreement,
            after={"surveyor": surveyor.username, "program_year": program_year},
        )
    return agreement


# --------------------------------------------------------------------------- roster and schedule


@transaction.atomic
def do_set_surveyor_profile(
    surveyor: Any, *, expertise: list[str], programs: list[str], actor: Any
) -> SurveyorProfile:
    """Put a surveyor on the roster (評鑑委員名冊) with their fields of expertise and programs."""
    if not is_office_operator(actor):
        raise PermissionDenied("visits.manage_surveyors")
    if not is_surveyor(surveyor):
        raise ValidationError(f"{surveyor} 不是評鑑委員 (not a surveyor)")
    unknown = sorted(set(expertise) - set(Expertise.values))
    if unknown or not expertise:
        raise ValidationError(f"專長須自清單選擇（{', '.join(unknown) or '未選擇'}）")
    profile, _created = SurveyorProfile.objects.get_or_create(surveyor=surveyor)
    before = {"expertise": profile.expertise, "programs": profile.programs}
    profile.expertise, profile.programs = sorted(set(expertise)), sorted(set(programs))
    profile.save()
    old, new = changed_fields(before, {"expertise": profile.expertise, "programs": profile.programs})
    record_event(
        actor=actor, event_type=EventType.SURVEYOR_PROFILE_SET, subject=profile, before=old, after=new
    )
    return profile


@transaction.atomic
def do_record_consensus_attendance(surveyor: Any, cycle: Any, *, attended_on: dt.date, actor: Any) -> Any:
    """Record that the surveyor attended the cycle's consensus meeting (seed 002 §四(一))."""
    if not is_office_operator(actor):
        raise PermissionDenied("visits.manage_surveyors")
    row, created = ConsensusAttendance.objects.get_or_create(
        surveyor=surveyor, cycle=cycle, defaults={"attended_on": attended_on}
    )
    if created:
        record_event(
            actor=actor,
            event_type=EventType.SURVEYOR_CONSENSUS_ATTENDED,
            subject=row,
            after={"surveyor": surveyor.username, "cycle": cycle.title, "attended_on": attended_on},
        )
    return row


def _may_change_unavailability(surveyor: Any, actor: Any) -> None:
    if not (actor == surveyor and is_surveyor(actor)) and not is_office_operator(actor):
        raise PermissionDenied("visits.change_surveyorunavailability")


@transaction.atomic
def do_set_unavailable(
    surveyor: Any, *, slots: list[tuple[dt.date, str]], actor: Any, reason: str = ""
) -> int:
    """The half-days the surveyor cannot visit (their own entry, or the office's for them; seed
    002 §四, issue 13 item 1). Refused for a half-day on which the surveyor is already on a visit's
    team: the office moves the visit or changes the team first. Returns how many were new."""
    _may_change_unavailability(surveyor, actor)
    if not is_surveyor(surveyor):
        raise ValidationError(f"{surveyor} 不是評鑑委員 (not a surveyor)")
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="事由").strip()
    wanted = sorted({(day, Half(half).value) for day, half in slots})
    if not wanted:
        raise ValidationError("請選擇不克訪查之日期與時段。")
    visits = (
        Visit.objects.filter(members__surveyor=surveyor, day__in={day for day, _half in wanted})
        .select_related("application__institution", "application__program_version")
        .distinct()
    )
    for visit in visits:
        taken = halves_of(visit.application.program_version.program(), visit.half)
        for day, half in wanted:
            if day == visit.day and half in taken:
                raise ValidationError(
                    f"{surveyor} 於 {_when(day, half)}已排定 {visit.application.institution.name} 之實地訪查"
                    f"（{_when(visit.day, visit.half)}），不得登錄為不克訪查時段；"
                    "請洽計畫辦公室調整訪查日期或訪查小組。"
                )
    existing = set(
        SurveyorUnavailability.objects.filter(
            surveyor=surveyor, day__in={day for day, _half in wanted}
        ).values_list("day", "half")
    )
    new = [(day, half) for day, half in wanted if (day, half) not in existing]
    if not new:
        return 0
    SurveyorUnavailability.objects.bulk_create(
        [SurveyorUnavailability(surveyor=surveyor, day=day, half=half, reason=reason) for day, half in new],
        ignore_conflicts=True,
    )
    record_event(
        actor=actor,
        event_type=EventType.SURVEYOR_UNAVAILABILITY_SET,
        subject=surveyor,
        after={"surveyor": surveyor.username, "slots": [f"{day.isoformat()} {half}" for day, half in new]},
        reason=reason,
    )
    return len(new)


@transaction.atomic
def do_remove_unavailable(row: SurveyorUnavailability, *, actor: Any) -> None:
    """The surveyor (or the office for them) can visit on that half-day after all."""
    surveyor = row.surveyor
    _may_change_unavailability(surveyor, actor)
    before = {
        "surveyor": surveyor.username,
        "slot": f"{row.day.isoformat()} {row.half}",
        "reason": row.reason,
    }
    row.delete()
    record_event(
        actor=actor, event_type=EventType.SURVEYOR_UNAVAILABILITY_REMOVED, subject=surveyor, before=before
    )


@transaction.atomic
def do_plan_cycle_visits(cycle: Any, *, actor: Any, today: dt.date | None = None) -> Schedule:
    """Place every visit of the cycle with the scheduler (pingjian.scheduling): pinned visits and
    dates already told to an institution stay; the rest are placed afresh."""
    if actor is not None and not is_office_operator(actor):
        raise PermissionDenied("visits.plan_visits")
    calendar = closures_calendar()  # every county's closures, read once for the problem and the solver
    plan = cycle_problem(cycle, calendar, today or local_today())
    if not plan.problem.visits:
        raise ValidationError("本梯次沒有待排定實地訪查之申請案（資格審查通過者）。")
    try:
        schedule = solve(plan.problem, calendar)
    except SchedulingError as exc:
        raise ValidationError(str(exc)) from None
    for key, placed in schedule.placements.items():
        application = plan.applications[key]
        visit, created = Visit.objects.get_or_create(
            application=application, defaults={"day": placed.slot.day, "half": placed.slot.half}
        )
        was = None if created else (visit.day, visit.half)
        visit.day, visit.half = placed.slot.day, placed.slot.half
        _save_moved(visit, was, actor=actor, reason="實地訪查排程")
        visit.members.all().delete()
        VisitMember.objects.bulk_create(
            VisitMember(visit=visit, surveyor=plan.surveyors[surveyor_id], role=role)
            for role, surveyor_id in placed.team.items()
        )
    record_event(
        actor=actor,
        event_type=EventType.VISITS_PLANNED,
        subject=cycle,
        after={"visits": len(schedule.placements), "optimal": schedule.optimal},
    )
    return schedule


def busy_members(visit: Visit, day: dt.date, half: str) -> list[str]:
    """The names of VISIT's team members who already have another visit on DAY overlapping the
    half-days VISIT would take starting at HALF (a visit of two half-days overlaps both)."""
    wanted = halves_of(visit.application.program_version.program(), half)
    others = (
        VisitMember.objects.filter(visit__day=day, surveyor__in=visit.members.values("surveyor"))
        .exclude(visit=visit)
        .select_related("surveyor", "visit__application__program_version")
    )
    return sorted(
        {
            str(m.surveyor)
            for m in others
            if wanted & halves_of(m.visit.application.program_version.program(), m.visit.half)
        }
    )


@transaction.atomic
def do_pin_visit(visit: Visit, *, day: dt.date, half: str, actor: Any, reason: str) -> Visit:
    """Staff fix a visit's half-day by hand (with the reason, audited); planning keeps it."""
    if not is_office_operator(actor):
        raise PermissionDenied("visits.plan_visits")
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="事由")
    if not reason:
        raise ValidationError("固定訪查時段須說明理由。")
    cycle = visit.application.cycle
    if not cycle.visit_opens <= day <= cycle.visit_closes:
        raise ValidationError("訪查日須在本梯次實地訪查期間內。")
    county = county_name(visit.application.institution.county)
    if not closures_calendar().is_workday(day, county):
        raise ValidationError(f"{day.isoformat()} 非{county}之上班日。")
    program = visit.application.program_version.program()
    if plan_of(program).half_days == 2 and half != Half.AM:
        raise ValidationError("本計畫之實地訪查為兩個半天（全日），須自上午開始。")
    busy = busy_members(visit, day, half)
    if busy:
        raise ValidationError(
            f"{'、'.join(busy)} 於 {roc_date_long(day)}{Half(half).label}已有其他實地訪查。"
        )
    before = {"day": visit.day, "half": visit.half, "pinned": visit.pinned}
    visit.day, visit.half, visit.pinned = day, Half(half), True
    visit.moved_from_day, visit.moved_from_half = None, ""  # staff chose this half-day
    _save_moved(visit, (before["day"], before["half"]), actor=actor, reason=reason)
    old, new = changed_fields(before, {"day": visit.day, "half": visit.half, "pinned": True})
    record_event(
        actor=actor,
        event_type=EventType.VISIT_PINNED,
        subject=visit,
        before=old,
        after=new,
        reason=reason.strip(),
    )
    return visit


@transaction.atomic
def do_change_team_member(visit: Visit, *, role: str, surveyor: Any, actor: Any, reason: str) -> Visit:
    """Staff put SURVEYOR on VISIT's team in ROLE by hand (a member fell ill, a conflict came to
    light), with the reason, audited. SURVEYOR must be one the planner could have chosen: on the
    roster for the program with the role's expertise, at the cycle's consensus meeting (seed 002
    §四(一)), without a conflict with the institution (§四(二)), free that half-day. The visit is
    then pinned, so that planning again keeps its half-day and this team."""
    if not is_office_operator(actor):
        raise PermissionDenied("visits.plan_visits")
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="事由")
    if not reason:
        raise ValidationError("更換訪查委員須說明理由。")
    visit = Visit.objects.select_for_update().select_related("application__cycle").get(pk=visit.pk)
    member = visit.members.select_related("surveyor").filter(role=role).first()
    if member is None:
        raise ValidationError(f"本場訪查之小組沒有「{role}」。")
    if visit.day < local_today():
        raise ValidationError("訪查日已過，不能更換訪查委員。")
    if visit.members.filter(surveyor=surveyor).exists():
        raise ValidationError(f"{surveyor} 已在本場訪查小組。")
    cycle = visit.application.cycle
    program = visit.application.program_version.program()
    profile = SurveyorProfile.objects.filter(surveyor=surveyor).first()
    if not may_be_planned(profile, program_family(program.id), surveyor.pk, consensus_attendees(cycle)):
        raise ValidationError(f"{surveyor} 不在本計畫之委員名冊，或未出席本梯次共識會議。")
    expertise = next((set(r.expertise) for r in plan_of(program).team if r.label == role), set())
    if expertise and not expertise & set(profile.expertise):
        raise ValidationError(f"{surveyor} 不具「{role}」所需之專長。")
    refuse_conflicted(
        surveyor,
        visit.application.institution_id,
        lambda: f"{surveyor} 與{visit.application.institution.name}有利益迴避情形。",
    )
    halves = halves_of(program, visit.half)
    if SurveyorUnavailability.objects.filter(surveyor=surveyor, day=visit.day, half__in=halves).exists():
        raise ValidationError(f"{surveyor} 已登錄{_when(visit.day, visit.half)}不克出席。")
    for other in VisitMember.objects.filter(surveyor=surveyor, visit__day=visit.day).select_related(
        "visit__application__program_version"
    ):
        if halves & halves_of(other.visit.application.program_version.program(), other.visit.half):
            raise ValidationError(f"{surveyor} 於{_when(visit.day, visit.half)}已有其他實地訪查。")
    leaving = member.surveyor
    member.surveyor = surveyor
    member.save(update_fields=["surveyor"])
    visit.pinned = True
    visit.save(update_fields=["pinned"])
    record_event(
        actor=actor,
        event_type=EventType.VISIT_TEAM_CHANGED,
        subject=visit,
        before={"role": role, "surveyor": str(leaving)},
        after={"role": role, "surveyor": str(surveyor)},
        reason=reason,
    )
    institution = visit.application.institution.name
    when = _when(visit.day, visit.half)
    notify(
        [surveyor],
        subject=message(N_("實地訪查指派：{institution}，{when}"), institution=institution, when=when),
        body=f"您已加入{institution}之實地訪查小組（{when}），擔任{role}。事由：{reason}",
        url="/visits/",
    )
    notify(
        [leaving],
        subject=message(N_("實地訪查異動：{institution}，{when}"), institution=institution, when=when),
        body=f"您已不在{institution}之實地訪查小組（{when}）。事由：{reason}",
        url="/visits/",
    )
    return visit


# --------------------------------------------------------------------------- changes after planning


def _team_and_institution(visit: Visit) -> list[Any]:
    members = [m.surveyor for m in visit.members.select_related("surveyor")]
    return members + institution_members(visit.application.institution)


def _tell(visit: Visit, subject: Message, body: str) -> None:
    notify(
        _team_and_institution(visit), subject=subject, body=body, url=f"/applications/{visit.application_id}/"
    )


def _when(day: dt.date, half: str) -> str:
    return f"{roc_date_long(day)}{Half(half).label}"


def _save_moved(visit: Visit, was: tuple[dt.date, str] | None, *, actor: Any, reason: str) -> None:
    """Store VISIT's (new) half-day, tell the county's bureau, and move the application's visit
    date and the deadlines that hang on it (WAS: the half-day before, None for a new visit)."""
    visit.save()
    tell_bureau(visit, was)
    do_move_visit_date(visit.application, visit_date=visit.day, actor=actor, reason=reason)


def tell_bureau(visit: Visit, was: tuple[dt.date, str] | None) -> None:
    """The health bureau of the institution's county is told the visit's date when it is first
    scheduled and whenever it moves (WAS: the half-day before, None for a new visit): the date is
    told to the institution and its bureau (seed 002 §九(一): 個別機構受評日期…向各該機構及地方政府
    （衛生局）通知), whose officer attends the visit (§十(一): 應派員會同)."""
    if was is not None and was == (visit.day, visit.half):
        return
    institution = visit.application.institution
    when = _when(visit.day, visit.half)
    if was is None:
        subject = message(N_("實地訪查日期：{institution}，{when}"), institution=institution.name, when=when)
        body = f"{institution.name}之實地訪查訂於{when}辦理，請派員會同（評鑑計畫第十點第一款）。"
    else:
        subject = message(
            N_("實地訪查日期變更：{institution}，{when}"), institution=institution.name, when=when
        )
        body = (
            f"{institution.name}之實地訪查由{_when(*was)}改於{when}辦理，請派員會同（評鑑計畫第十點第一款）。"
        )
    notify(
        bureau_officers(institution.county),
        subject=subject,
        body=body,
        url=f"/applications/{visit.application_id}/",
    )


@transaction.atomic
def do_replan_closed_visits(
    county: str, *, actor: Any, reason: str, today: dt.date | None = None
) -> list[Visit]:
    """Visits of county COUNTY that now fall on a day closed for work are cancelled and placed
    afresh with the scheduler's closure re-plan (pingjian.scheduling.replan_closure): every other
    visit of their cycle keeps its half-day and team. The institution and the team are told. When
    no schedule can take them, the visits stay where they were and the office is told to act."""
    today = today or local_today()
    calendar = closures_calendar()
    name = county_name(county)
    upcoming = Visit.objects.filter(application__institution__county=county, day__gte=today).select_related(
        "application__cycle", "application__institution"
    )
    closed = [v for v in upcoming if not calendar.is_workday(v.day, name)]
    moved: list[Visit] = []
    for cycle in {v.application.cycle for v in closed}:
        cancelled = {str(v.application_id): v for v in closed if v.application.cycle == cycle}
        stored = {
            str(v.application_id): v
            for v in Visit.objects.filter(application__cycle=cycle, day__gte=today).prefetch_related(
                "members"
            )
        }
        plan = cycle_problem(cycle, calendar, today)
        # only visits the scheduler places (their application in a planned state) are re-planned
        cancelled = {k: v for k, v in cancelled.items() if any(r.id == k for r in plan.problem.visits)}
        if not cancelled:
            continue
        requests = []
        for request in plan.problem.visits:
            visit = stored.get(request.id)
            if visit is None:
                continue  # not planned yet: the next planning places it
            first, last = request.window
            if request.id in cancelled:
                window = (max(first, today + dt.timedelta(days=1)), last)
            else:
                window = (min(first, visit.day), max(last, visit.day))
            requests.append(replace(request, window=window))
        current = Schedule(
            {
                key: Placement(
                    key, Slot(v.day, v.half), {m.role: str(m.surveyor_id) for m in v.members.all()}
                )
                for key, v in stored.items()
            },
            optimal=True,
            seconds=0.0,
        )
        problem = Problem(tuple(requests), plan.problem.surveyors, plan.problem.conflicts)
        try:
            schedule = replan_closure(problem, current, calendar)
        except SchedulingError as exc:
            notify(
                office_staff(),
                subject=message(N_("停止上班：{county}之實地訪查無法自動改排"), county=name),
                body=f"{reason}\n{exc}\n請人工安排：" + "、".join(str(v) for v in cancelled.values()),
            )
            continue
        for key, visit in cancelled.items():
            placed = schedule.placements[key]
            before = {"day": visit.day, "half": visit.half}
            if visit.moved_from_day is None:  # the first cancelled half-day is the one to go back to
                visit.moved_from_day, visit.moved_from_half = visit.day, visit.half
            visit.day, visit.half, visit.pinned = placed.slot.day, placed.slot.half, False
            _save_moved(visit, (before["day"], before["half"]), actor=actor, reason=reason)
            visit.members.all().delete()
            VisitMember.objects.bulk_create(
                VisitMember(visit=visit, surveyor=plan.surveyors[surveyor_id], role=role)
                for role, surveyor_id in placed.team.items()
            )
            record_event(
                actor=actor,
                event_type=EventType.VISITS_REPLANNED_FOR_CLOSURE,
                subject=visit,
                before=before,
                after={"day": visit.day, "half": visit.half, "team": sorted(placed.team.items())},
                reason=reason,
            )
            _tell(
                visit,
                message(N_("實地訪查改期：{institution}"), institution=visit.application.institution.name),
                f"因{reason}，原訂{_when(before['day'], before['half'])}之實地訪查中止，"
                f"改於{_when(visit.day, visit.half)}辦理（評鑑計畫第九點第三款）。",
            )
            moved.append(visit)
    return moved


@transaction.atomic
def do_restore_visits_after_withdrawal(
    county: str, *, actor: Any, reason: str, today: dt.date | None = None
) -> list[Visit]:
    """A closure for work was withdrawn (entered by mistake): every visit of county COUNTY that a
    closure moved goes back to the half-day it had, when that day is a working day again, not
    past, and its team is still free then; otherwise the office is told which visits it may move
    back by hand (the date proposed). The institution and the team are told of each move."""
    today = today or local_today()
    calendar = closures_calendar()
    name = county_name(county)
    restored: list[Visit] = []
    proposals: list[str] = []
    moved = Visit.objects.filter(
        application__institution__county=county, moved_from_day__isnull=False, moved_from_day__gt=today
    ).select_related("application__institution", "application__program_version")
    for visit in moved:
        day, half = visit.moved_from_day, visit.moved_from_half or Half.AM
        assert day is not None
        if not calendar.is_workday(day, name):
            continue  # still closed (another closure of that day)
        if busy_members(visit, day, half):
            proposals.append(
                f"{visit.application.institution.name}：可改回{_when(day, half)}"
                f"（目前{_when(visit.day, visit.half)}）"
            )
            continue
        before = {"day": visit.day, "half": visit.half}
        visit.day, visit.half = day, half
        visit.moved_from_day, visit.moved_from_half = None, ""
        _save_moved(visit, (before["day"], before["half"]), actor=actor, reason=reason)
        record_event(
            actor=actor,
            event_type=EventType.VISIT_RESTORED_AFTER_CLOSURE,
            subject=visit,
            before=before,
            after={"day": visit.day, "half": visit.half},
            reason=reason,
        )
        _tell(
            visit,
            message(
                N_("實地訪查改回原訂日期：{institution}"), institution=visit.application.institution.name
            ),
            f"因{reason}，實地訪查改回原訂{_when(day, half)}辦理"
            f"（原改排之{_when(before['day'], before['half'])}取消）。",
        )
        restored.append(visit)
    if proposals:
        notify(
            office_staff(),
            subject=message(N_("停止上班撤銷：{county}之實地訪查可改回原訂日期"), county=name),
            body=f"{reason}\n訪查小組於原訂時段已有其他訪查，請人工確認後改期：\n" + "\n".join(proposals),
        )
    return restored


@transaction.atomic
def do_change_visit_date(
    visit: Visit, *, day: dt.date, half: str, reason_code: str, reason: str, actor: Any
) -> Visit:
    """Move a visit at the institution's request: accepted only for a natural or major disaster,
    force majeure or a government policy (seed 002 §九(二)), the reason kept with the change."""
    if not is_office_operator(actor):
        raise PermissionDenied("visits.plan_visits")
    if reason_code not in VisitChangeReason.values:
        raise ValidationError(
            "除天然、重大災害、不可抗力情況或政府政策外，不接受受評機構要求變更訪查日期（評鑑計畫第九點第二款）。"
        )
    if not (reason or "").strip():
        raise ValidationError("請說明變更事由。")
    before = {"day": visit.day, "half": visit.half}
    do_pin_visit(
        visit,
        day=day,
        half=half,
        actor=actor,
        reason=f"{VisitChangeReason(reason_code).label}：{reason.strip()}",
    )
    record_event(
        actor=actor,
        event_type=EventType.VISIT_DATE_CHANGED,
        subject=visit,
        before=before,
        after={"day": visit.day, "half": visit.half, "reason_code": reason_code},
        reason=reason.strip(),
    )
    _tell(
        visit,
        message(N_("實地訪查改期：{institution}"), institution=visit.application.institution.name),
        f"應受評機構申請（{VisitChangeReason(reason_code).label}：{reason.strip()}），"
        f"實地訪查由{_when(before['day'], before['half'])}改於{_when(visit.day, visit.half)}辦理。",
    )
    return visit


@transaction.atomic
def do_record_bureau_attendance(visit: Visit, *, attended: bool, attendee: str, actor: Any) -> Visit:
    """Whether the county health bureau attended the visit, and who (seed 002 §十(一):
    接受實地訪查機構所在地之地方政府（衛生局）應派員會同)."""
    if not is_office_operator(actor):
        raise PermissionDenied("visits.record_bureau_attendance")
    attendee = (attendee or "").strip()
    if attended and not attendee:
        raise ValidationError("請填寫衛生局會同人員。")
    before = {"bureau_attended": visit.bureau_attended, "bureau_attendee": visit.bureau_attendee}
    visit.bureau_attended, visit.bureau_attendee = attended, attendee if attended else ""
    visit.save(update_fields=["bureau_attended", "bureau_attendee"])
    old, new = changed_fields(
        before, {"bureau_attended": visit.bureau_attended, "bureau_attendee": visit.bureau_attendee}
    )
    record_event(
        actor=actor, event_type=EventType.VISIT_BUREAU_ATTENDANCE, subject=visit, before=old, after=new
    )
    return visit


@transaction.atomic
def do_issue_calendar_feed(user: Any, *, actor: Any) -> CalendarFeed:
    """A new secret feed URL for USER's visits (any earlier one stops working)."""
    if actor != user:
        raise PermissionDenied("visits.issue_calendar_feed")
    CalendarFeed.objects.filter(user=user).delete()
    feed = CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))
    record_event(actor=actor, event_type=EventType.CALENDAR_FEED_ISSUED, subject=feed)
    return feed


@transaction.atomic
def do_revoke_calendar_feed(user: Any, *, actor: Any) -> None:
    if actor != user:
        raise PermissionDenied("visits.issue_calendar_feed")
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None:
        record_event(actor=actor, event_type=EventType.CALENDAR_FEED_REVOKED, subject=feed)
        feed.delete()
