"""Every change of an application goes through here: one transaction, role + object + state
checked against workflow.TRANSITIONS, a conditional UPDATE on the version column (two people
cannot fire conflicting transitions), the transition row with its message, the audit event, and
the notifications (in-app now, e-mail after commit).

`actor=None` is the system (command line, demo seeding): it skips the role check, nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop as N_

from pingjian.rules import deadlines
from pingjian.rules.roc import roc_date, roc_date_long
from pingjian.rules.scoring import total_range
from pingjian.rules.workcal import WorkingDayCalendar
from pingjian.web.accounts.permissions import bureau_counties_of, institution_ids_of, is_office_operator
from pingjian.web.audit.actions import changed_fields, record_event
from pingjian.web.audit.events import EventType
from pingjian.web.closures.calendar import county_calendar, county_name
from pingjian.web.core.clock import local_today
from pingjian.web.core.discovery import hooks
from pingjian.web.core.text import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH, bounded_text
from pingjian.web.cycles.actions import institution_types_of
from pingjian.web.cycles.models import Cycle, CycleMode, CycleTarget
from pingjian.web.notifications.attachments import AttachmentKind
from pingjian.web.notifications.messages import message as notice
from pingjian.web.notifications.notify import institution_members, notify, office_staff
from pingjian.web.registry.models import is_jct_program
from pingjian.web.registry.selectors import passing_entry_of

from .appeals import appeal_deadline, closing_refusal
from .error_codes import ApplicationErrorCode
from .guidance import DUE_LABELS, GUIDES
from .models import Application, ApplicationTransition, PartUnlock, Result
from .workflow import INSTITUTION, OFFICE, TRANSITIONS, Part, State, Transition


class TransitionNotAllowedError(ValidationError):
    """The application's state does not allow this transition."""


class ConcurrentChangeError(TransitionNotAllowedError):
    """Someone else changed the application since it was read (version mismatch)."""


class LockedError(ValidationError):
    """The application is decided (locked) and the part is not unlocked."""


def roles_for(actor: Any, application: Application) -> set[str]:
    roles = set()
    if application.institution_id in institution_ids_of(actor):
        roles.add(INSTITUTION)
    if is_office_operator(actor):
        roles.add(OFFICE)
    return roles


def can_fire(actor: Any, application: Application, transition: Transition) -> bool:
    if transition.name == "appeal" and application.appeal_waived_on is not None:
        return False  # the institution waived its appeal (放棄申復)
    return application.state in transition.sources and bool(roles_for(actor, application) & transition.roles)


def available_transitions(actor: Any, application: Application) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if can_fire(actor, application, t)]


def withheld_transitions(request: Any, application: Application) -> set[str]:
    """The transitions another app does itself, so the page and the API no longer offer nor take
    them, found by discovery: an app's `sections.py` may define
    `application_withheld_transitions(request, application) -> set[str]` (assessments:
    `record_score` once the visit is scored, its total being the rules core's)."""
    return {
        name
        for hook in hooks("sections", "application_withheld_transitions")
        for name in hook(request, application)
    }


def next_step_from_apps(request: Any, application: Application) -> dict[str, Any] | None:
    """What another app says the next step is when it does that step itself (see
    `withheld_transitions`), found by discovery: a `sections.py` may define
    `application_next_step(request, application) -> dict | None` with `now` and a link
    (`url`, `label`) in place of the withheld transition (assessments: the scoring page, then the
    button that records the rules core's score)."""
    for hook in hooks("sections", "application_next_step"):
        step = hook(request, application)
        if step:
            return dict(step)
    return None


def application_url(application: Application) -> str:
    return reverse("applications:detail", args=[application.pk])


# --------------------------------------------------------------------------- opening


def _create(cycle: Any, institution: Any, *, actor: Any, reason: str) -> Application:
    if Application.objects.filter(cycle=cycle, institution=institution).exists():
        raise ValidationError("此機構於本梯次已有申請案。")
    application = Application.objects.create(
        cycle=cycle,
        institution=institution,
        program_version=cycle.program_version,
        fee_amount=cycle.fee_amount,
        created_by=actor,
        state_changed_at=timezone.now(),
    )
    record_event(
        actor=actor,
        event_type=EventType.APPLICATION_OPENED,
        subject=application,
        after={**application.snapshot(), "program_version": str(cycle.program_version)},
        reason=reason,
    )
    return application


@transaction.atomic
def do_open_application(
    cycle: Any, institution: Any, *, actor: Any, today: dt.date | None = None
) -> Application:
    """Start an application (draft). Institutions apply to voluntary cycles inside the application
    window; the office may open one for any institution of the program's types."""
    today = today or local_today()
    office = actor is None or is_office_operator(actor)
    if not office:
        if institution.pk not in institution_ids_of(actor):
            raise PermissionDenied("applications.add_application")
        if cycle.mode != CycleMode.VOLUNTARY:
            raise ValidationError("本評鑑之受評機構由評鑑辦公室依評鑑對象規則列出，並經衛生局確認。")
        _check_window(cycle, today)
    if institution.type not in institution_types_of(cycle.program_version.program()):
        raise ValidationError(f"{institution.get_type_display()}不適用{cycle.title}。")
    return _create(cycle, institution, actor=actor, reason="提出申請" if not office else "")


def open_application_for_target(cycle: Any, institution: Any, *, actor: Any) -> Application:
    """Called by do_confirm_targets inside its transaction."""
    existing = Application.objects.filter(cycle=cycle, institution=institution).first()
    return existing or _create(cycle, institution, actor=actor, reason="衛生局確認評鑑對象")


@transaction.atomic
def do_confirm_targets(cycle: Any, *, county: str, actor: Any) -> list[CycleTarget]:
    """A health bureau confirms its county's target list (seed 002 §八(一)); each confirmed target
    gets a draft application pinned to the cycle's program version."""
    if county not in bureau_counties_of(actor):
        raise PermissionDenied("cycles.confirm_targets")
    rows = list(
        cycle.targets.select_for_update()
        .filter(institution__county=county, confirmed_at__isnull=True)
        .select_related("institution")
    )
    now = timezone.now()
    for row in rows:
        row.confirmed_at, row.confirmed_by = now, actor
        row.save(update_fields=["confirmed_at", "confirmed_by"])
        open_application_for_target(cycle, row.institution, actor=actor)
    record_event(
        actor=actor,
        event_type=EventType.CYCLE_TARGETS_CONFIRMED,
        subject=cycle,
        after={"county": county, "institutions": [r.institution.code for r in rows]},
    )
    return rows


# --------------------------------------------------------------------------- renewal (續約)


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def renewal_window(application: Application) -> tuple[dt.date, dt.date] | None:
    """(first day, last day) a renewal of APPLICATION may be opened: the last 12 months of the
    validity of its published passing result (registry, fed by the decision), or None."""
    entry = passing_entry_of(application.institution, application.program_version.program_id)
    if entry is None or entry.valid_until is None:
        return None
    return _year_before(entry.valid_until) + dt.timedelta(days=1), entry.valid_until


def _open_renewal_cycle(application: Application, today: dt.date) -> Any:
    """The cycle of the same program family (aesthetic-clinic-112 → aesthetic-clinic-…) whose
    application period is open TODAY, the one closing last."""
    family = application.program_version.program_id.rsplit("-", 1)[0]
    return (
        Cycle.objects.filter(program_version__program_id__startswith=f"{family}-")
        .filter(Q(application_opens__isnull=True) | Q(application_opens__lte=today))
        .filter(application_closes__gte=today)
        .exclude(pk=application.cycle_id)
        .select_related("program_version")
        .order_by("-application_closes", "-pk")
        .first()
    )


def is_jct_pass(application: Application) -> bool:
    """A finalised pass of a JCT program (醫策會認證): the results that are renewed (續約)."""
    return (
        is_jct_program(application.program_version.program_id)
        and application.state == State.FINAL
        and application.result == Result.PASS
    )


def renewal_refusal(application: Application, today: dt.date) -> str | None:
    """Why APPLICATION may not be renewed (續約) today, in words, or None: only a finalised passing
    result of a JCT program (seed 000 認證效期「通過者3年」), inside the last 12 months of its
    validity, once."""
    program_id = application.program_version.program_id
    if not is_jct_program(program_id):
        return f"{application.program_version.title}非醫策會認證，無續約申請；請依評鑑梯次辦理。"
    if application.state != State.FINAL or application.result != Result.PASS:
        return "僅結果確定且通過認證之申請案得申請續約。"
    if application.renewals.exists():
        return "本申請案已開啟續約申請案。"
    window = renewal_window(application)
    if window is None:
        return "本認證無有效之效期（未公告、已中止、終止或撤銷），不能續約。"
    first, last = window
    if today < first:
        return (
            f"續約申請須於認證效期最後12個月內提出：自{roc_date_long(first)}起，"
            f"至效期末日{roc_date_long(last)}止。"
        )
    if today > last:
        return f"認證效期已於{roc_date_long(last)}屆滿，不能續約；請重新申請認證。"
    if _open_renewal_cycle(application, today) is None:
        return (
            f"目前無開放申請之{application.program_version.title}梯次，不能開啟續約申請案"
            f"（效期末日{roc_date_long(last)}）。"
        )
    return None


def may_open_renewal(actor: Any, application: Application) -> bool:
    """The office or the institution's own member (the button on the application page)."""
    return bool(roles_for(actor, application) & {OFFICE, INSTITUTION})


@transaction.atomic
def do_open_renewal(application: Application, *, actor: Any, today: dt.date | None = None) -> Application:
    """Open the JCT 3-year renewal (續約) of a finalised passing APPLICATION: a new application in
    the open cycle of the same program family, linked to the old one (`renews`), audited."""
    if actor is not None and not may_open_renewal(actor, application):
        raise PermissionDenied("applications.open_renewal")
    today = today or local_today()
    application = Application.objects.select_for_update().get(pk=application.pk)
    refusal = renewal_refusal(application, today)
    if refusal:
        raise ValidationError(refusal, code=ApplicationErrorCode.NOT_RENEWABLE)
    cycle = _open_renewal_cycle(application, today)
    renewal = _create(cycle, application.institution, actor=actor, reason=f"續約自申請案 #{application.pk}")
    renewal.renews = application
    renewal.save(update_fields=["renews"])
    record_event(
        actor=actor,
        event_type=EventType.APPLICATION_RENEWAL_OPENED,
        subject=application,
        after={"renewal": renewal.pk, "cycle": cycle.title, "valid_until": renewal_window(application)[1]},  # type: ignore[index]
    )
    notify(
        institution_members(application.institution) + office_staff(),
        subject=f"{application.institution.name}：已開啟續約申請案（{cycle.title}）",
        body=f"續約自{application.cycle.title}之申請案；請上傳資料後送出申請。",
        url=application_url(renewal),
    )
    return renewal


def _check_window(cycle: Any, today: dt.date) -> None:
    opens, closes = cycle.application_opens, cycle.application_closes
    if (opens and today < opens) or today > closes:
        span = f"{roc_date_long(opens)}至" if opens else ""
        raise ValidationError(f"不在申請期間（{span}{roc_date_long(closes)}止）。")


# --------------------------------------------------------------------------- transitions

Effects = tuple[dict[str, Any], deadlines.Deadline | None]


def _no_effects(
    app: Application, today: dt.date, data: dict[str, Any], calendar: WorkingDayCalendar, county: str
) -> Effects:
    """Only the state changes (start_review, resubmit, reject, withdraw)."""
    return {}, None


def _submit_effects(
    app: Application, today: dt.date, data: dict[str, Any], calendar: WorkingDayCalendar, county: str
) -> Effects:
    _check_window(app.cycle, today)
    return {"submitted_on": today}, None


def _request_supplement_effects(
    app: Application, today: dt.date, data: dict[str, Any], calendar: WorkingDayCalendar, county: str
) -> Effects:
    due = deadlines.supplement_due(today, calendar, county)
    return {"supplement_due": due.due}, due


def _accept_effects(
    app: Application, today: dt.date, data: dict[str, Any], calendar: WorkingDayCalendar, county: str
) -> Effects:
    if app.cycle.fee_amount and not app.fee_paid_on:
        raise ValidationError("尚未登錄認證費用之繳費，不能通過資格審查。")
    return {"supplement_due": None}, None


def _visit_and_evidence_due(
    app: Application, data: dict[str, Any], calendar: WorkingDayCalendar, county: str
) -> tuple[dt.date, deadlines.Deadline]:
    """The visit day asked for (else the one set before), inside the cycle's visit period, and the
    evidence due day it gives (seed 001 「繳交資料」: 實地訪視當日前1個月)."""
    cycle = app.cycle
    visit = data.get("visit_date") or app.visit_date
    if not isinstance(visit, dt.date):
        raise ValidationError("請填寫實地訪查日期。")
    if not cycle.visit_opens <= visit <= cycle.visit_closes:
        raise ValidationError(
            f"實地訪查日須在訪查期間內（{roc_date(cycle.visit_opens)}–{roc_date(cycle.visit_closes)}）。"
        )
    return visit, deadlines.evidence_due(visit, calendar, county)


def _request_evidence_effects(
    app: Application, today: dt.date, data: dict[str, Any], calendar: WorkingDayCalendar, county: str
) -> Effects:
    visit, due = _visit_and_evidence_due(app, data, calendar, county)
    if due.due < today:
        raise ValidationError(
            f"申報資料須於實地訪查日前1個月繳交；{due.explanation} 已早於今天，請另擇訪查日。"
        )
    return {"visit_date": visit, "evidence_due": due.due}, due


def _schedule_visit_effects(
    app: Application, today: dt.date, data: dict[str, Any], calendar: WorkingDayCalendar, county: str
) -> Effects:
    visit, due = _visit_and_evidence_due(app, data, calendar, county)
    return {"visit_date": visit, "evidence_due": due.due}, due


def _record_visit_effects(
    app: Application, today: dt.date, data: dict[str, Any], calendar: WorkingDayCalendar, county: str
) -> Effects:
    if app.visit_date and today < app.visit_date:
        raise ValidationError(f"實地訪查日（{roc_date_long(app.visit_date)}）尚未到。")
    return {}, None


def _record_score_effects(
    app: Application, today: dt.date, data: dict[str, Any], calendar: WorkingDayCalendar, county: str
) -> Effects:
    try:
        total = Decimal(str(data.get("total"))).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError("請填寫總分。") from None
    # exactly the range the rules core's totals take: 0–the points' sum (points), 0–100 (percent,
    # the psychiatric programs), 0–the number of items (all_met)
    lowest, highest = total_range(app.program_version.program())
    if total < lowest or total > highest:
        raise ValidationError(f"總分須介於 {lowest} 與 {highest} 之間。")
    return {"total": total}, None


def _decide_effects(
    app: Application, today: dt.date, data: dict[str, Any], calendar: WorkingDayCalendar, county: str
) -> Effects:
    if data.get("result") not in Result.values:
        raise ValidationError("請選擇評鑑結果（合格／不合格）。")
    # The appeal period runs from the day after the institution *receives* the notice (seed 002
    # §十二(一)); it is computed when the receipt is recorded (do_record_notice_receipt).
    return {
        "result": data["result"],
        "decided_on": today,
        "notice_received_on": None,
        "appeal_due": None,
        "appeal_waived_on": None,
    }, None


def _appeal_effects(
    app: Application, today: dt.date, data: dict[str, Any], calendar: WorkingDayCalendar, county: str
) -> Effects:
    if app.appeal_waived_on:
        raise ValidationError(
            f"本機構已於{roc_date_long(app.appeal_waived_on)}聲明放棄申復，不得再提出申復。"
        )
    if app.appeal_due and today > app.appeal_due:
        raise ValidationError(
            f"申復期限（{roc_date_long(app.appeal_due)}）已過，逾期不受理（111年度產後護理之家評鑑作業程序第十二點(一)）。"
        )
    return {}, None


def _finalize_effects(
    app: Application, today: dt.date, data: dict[str, Any], calendar: WorkingDayCalendar, county: str
) -> Effects:
    # A decided case is closed only after the appeal period, or once the institution waived it.
    refusal = closing_refusal(app, today) if app.state == State.DECIDED else None
    if refusal:
        raise ValidationError(refusal, code=ApplicationErrorCode.APPEAL_PERIOD_OPEN)
    if data.get("result") in Result.values and app.state == State.APPEAL:
        return {"result": data["result"]}, None
    return {}, None


# What each transition of workflow.TRANSITIONS changes besides the state, and the deadline it sets
# (a core Deadline), on the calendar of the institution's county (its closures for work included).
EFFECTS: dict[str, Callable[[Application, dt.date, dict[str, Any], WorkingDayCalendar, str], Effects]] = {
    "submit": _submit_effects,
    "start_review": _no_effects,
    "request_supplement": _request_supplement_effects,
    "resubmit": _no_effects,
    "accept": _accept_effects,
    "reject": _no_effects,
    "request_evidence": _request_evidence_effects,
    "schedule_visit": _schedule_visit_effects,
    "record_visit": _record_visit_effects,
    "record_score": _record_score_effects,
    "decide": _decide_effects,
    "appeal": _appeal_effects,
    "finalize": _finalize_effects,
    "withdraw": _no_effects,
}

# The audit event each transition writes (the stored values are application.<transition>).
TRANSITION_EVENTS: dict[str, EventType] = {
    "submit": EventType.APPLICATION_SUBMIT,
    "start_review": EventType.APPLICATION_START_REVIEW,
    "request_supplement": EventType.APPLICATION_REQUEST_SUPPLEMENT,
    "resubmit": EventType.APPLICATION_RESUBMIT,
    "accept": EventType.APPLICATION_ACCEPT,
    "reject": EventType.APPLICATION_REJECT,
    "request_evidence": EventType.APPLICATION_REQUEST_EVIDENCE,
    "schedule_visit": EventType.APPLICATION_SCHEDULE_VISIT,
    "record_visit": EventType.APPLICATION_RECORD_VISIT,
    "record_score": EventType.APPLICATION_RECORD_SCORE,
    "decide": EventType.APPLICATION_DECIDE,
    "appeal": EventType.APPLICATION_APPEAL,
    "finalize": EventType.APPLICATION_FINALIZE,
    "withdraw": EventType.APPLICATION_WITHDRAW,
}


@transaction.atomic
def fire(
    application: Application,
    name: str,
    *,
    actor: Any,
    message: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
    **data: Any,
) -> Application:
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValueError(f"unknown transition {name!r}")
    app = Application.objects.select_related("cycle", "institution", "program_version").get(pk=application.pk)
    expected = application.version if expected_version is None else expected_version
    if actor is not None and not roles_for(actor, app) & transition.roles:
        raise PermissionDenied(f"applications.{name}")
    if app.version != expected:
        raise ConcurrentChangeError(
            "此申請案已由他人更新，請重新整理後再操作。", code=ApplicationErrorCode.CONFLICT
        )
    if app.state not in transition.sources:
        raise TransitionNotAllowedError(
            f"目前狀態「{State(app.state).label}」不能「{transition.label}」。",
            code=ApplicationErrorCode.INVALID_STATE,
        )
    message = bounded_text(message, max_length=MESSAGE_MAX_LENGTH, label="訊息")
    if transition.message_required and not message:
        raise ValidationError(
            f"「{transition.label}」須附說明訊息。", code=ApplicationErrorCode.MESSAGE_REQUIRED
        )
    today = today or local_today()
    calendar = county_calendar(app.institution.county)
    changes, due = EFFECTS[name](app, today, data, calendar, county_name(app.institution.county))
    before = app.snapshot()
    updated = Application.objects.filter(pk=app.pk, version=expected, state=app.state).update(
        state=transition.target, version=F("version") + 1, state_changed_at=timezone.now(), **changes
    )
    if updated != 1:
        raise ConcurrentChangeError(
            "此申請案已由他人更新，請重新整理後再操作。", code=ApplicationErrorCode.CONFLICT
        )
    app.refresh_from_db()
    row = ApplicationTransition.objects.create(
        application=app,
        name=name,
        from_state=before["state"],
        to_state=app.state,
        actor=actor,
        effective_on=today,
        message=message,
        due=due.due if due else None,
        explanation=due.explanation if due else "",
    )
    after = app.snapshot()
    old, new = changed_fields(before, after)
    record_event(
        actor=actor,
        event_type=TRANSITION_EVENTS[name],
        subject=app,
        before=old,
        after=new,
        reason=message,
    )
    _notify(app, transition, actor, message, due, row)
    application.__dict__.update({k: getattr(app, k) for k in ("state", "version", *changes)})
    return app


def _notify(
    app: Application, transition: Transition, actor: Any, message: str, due: Any, row: ApplicationTransition
) -> None:
    """Who, which program and cycle, what happened, what the reader does now and by when, once."""
    by_institution = (
        actor is not None and INSTITUTION in roles_for(actor, app) and OFFICE not in roles_for(actor, app)
    )
    recipients = office_staff() if by_institution else institution_members(app.institution)
    with translation.override(settings.LANGUAGE_CODE):  # stored in the interface's first language
        subject = notice(
            N_("{institution}：{step}（{cycle}）"),
            institution=app.institution.name,
            step=transition.label,
            cycle=app.cycle.title,
        )
        body = "\n".join(
            part
            for part in (
                _what_happened(app, transition, by_institution),
                message and f"{'機構' if by_institution else '評鑑辦公室'}說明：{message}",
                _what_now(app, OFFICE if by_institution else INSTITUTION),
                due.explanation if due else "",
            )
            if part
        )
    # the institution's e-mail of a supplement request carries that request's 補件通知函 (PDF)
    # and the institution's e-mail of a decision its 評鑑結果通知函 (sent, then its receipt recorded:
    # do_record_notice_receipt)
    letters = {"request_supplement": AttachmentKind.SUPPLEMENT_LETTER, "decide": AttachmentKind.RESULT_LETTER}
    attachment = (letters[transition.name], row.pk) if transition.name in letters else None
    notify(
        [u for u in recipients if u != actor],
        subject=subject,
        body=body,
        url=application_url(app),
        attachment=None if by_institution else attachment,
    )


def _what_happened(app: Application, transition: Transition, by_institution: bool) -> str:
    who = app.institution.name if by_institution else "評鑑辦公室"
    state = State(app.state).label
    said = f"{who}已「{transition.label}」"
    if str(state) != str(transition.label):
        said += f"，申請案目前狀態為「{state}」"
    return f"{said}。（{app.cycle.title}，{app.program_version.title}）"


def _what_now(app: Application, side: str) -> str:
    guide = GUIDES.get((side, app.state))  # the page's guidance, in the same words
    if guide is None:
        return ""
    line = f"下一步：{guide.now}"
    due_on = getattr(app, guide.due_field, None) if guide.due_field else None
    if due_on is not None:
        line += f"（{DUE_LABELS[guide.due_field]}：{roc_date_long(due_on)}）"
    return line


def do_submit_application(application: Application, *, actor: Any, **options: Any) -> Application:
    """Submit the application (送出申請), inside the cycle's application window: seed 001
    認證申請流程「提出申請」. OPTIONS are fire's (message, expected_version, today)."""
    return fire(application, "submit", actor=actor, **options)


def do_start_review(application: Application, *, actor: Any, **options: Any) -> Application:
    """The office starts the qualification review (開始資格審查) of a submitted or resubmitted
    application: seed 001 認證申請流程「資格審查」 (機構書面資料審核)."""
    return fire(application, "start_review", actor=actor, **options)


def do_request_supplement(application: Application, *, actor: Any, **options: Any) -> Application:
    """Return the application to the institution for missing documents (通知補件), with a message:
    seed 001 認證申請流程「資格審查」「若不完整則須於5個工作天內完成補件」; the due day is counted on
    the county's calendar and the institution's e-mail carries the 補件通知函."""
    return fire(application, "request_supplement", actor=actor, **options)


def do_resubmit_application(application: Application, *, actor: Any, **options: Any) -> Application:
    """The institution sends the missing documents back (完成補件); the review starts again."""
    return fire(application, "resubmit", actor=actor, **options)


def do_accept_application(application: Application, *, actor: Any, **options: Any) -> Application:
    """The application passes the qualification review (資格審查通過), once the fee, if the cycle has
    one, is recorded as paid: seed 001 認證申請流程「提出申請 2.」(完成繳交認證費用)."""
    return fire(application, "accept", actor=actor, **options)


def do_reject_application(application: Application, *, actor: Any, **options: Any) -> Application:
    """The office does not accept the application (不受理), with a message saying why."""
    return fire(application, "reject", actor=actor, **options)


def do_request_evidence(
    application: Application, *, actor: Any, visit_date: dt.date | None = None, **options: Any
) -> Application:
    """Set the visit day and ask for the evidence (通知繳交申報資料): seed 001 認證申請流程「繳交資料」
    「實地訪視當日前1個月」. The day must lie in the cycle's visit period and leave a due day that is
    not already past."""
    return fire(application, "request_evidence", actor=actor, visit_date=visit_date, **options)


def do_schedule_visit(
    application: Application, *, actor: Any, visit_date: dt.date | None = None, **options: Any
) -> Application:
    """Fix the site visit (排定實地訪查) on VISIT_DATE (else the day already set), in the cycle's
    visit period; the evidence due day follows it."""
    return fire(application, "schedule_visit", actor=actor, visit_date=visit_date, **options)


def do_record_visit(application: Application, *, actor: Any, **options: Any) -> Application:
    """Record the site visit as done (完成實地訪查), not before its day: seed 001 認證申請流程「實地訪視」."""
    return fire(application, "record_visit", actor=actor, **options)


def do_record_score(
    application: Application, *, actor: Any, total: Any = None, **options: Any
) -> Application:
    """Record the total score (登錄成績), between 0 and the program's maximum, to two decimals."""
    return fire(application, "record_score", actor=actor, total=total, **options)


def do_decide_application(
    application: Application, *, actor: Any, result: str | None = None, **options: Any
) -> Application:
    """Decide the result (評定結果, pass or fail): seed 001 認證申請流程「評定程序 1.」. The appeal
    period is set later, from the receipt of the notice (seed 002 §十二(一))."""
    return fire(application, "decide", actor=actor, result=result, **options)


def do_appeal_application(application: Application, *, actor: Any, **options: Any) -> Application:
    """The institution appeals the result (提出申復), with a message, within the appeal period and
    unless it waived its appeal: seed 002 §十二(一)."""
    return fire(application, "appeal", actor=actor, **options)


def do_finalize_application(
    application: Application, *, actor: Any, result: str | None = None, **options: Any
) -> Application:
    """Close the case (結果確定): a decided one after its appeal period or the institution's waiver,
    an appealed one with the result of the appeal (RESULT, else the decided one stays)."""
    return fire(application, "finalize", actor=actor, result=result, **options)


def do_withdraw_application(application: Application, *, actor: Any, **options: Any) -> Application:
    """Withdraw the application before the site visit (撤回申請), by the institution or the office,
    with a message."""
    return fire(application, "withdraw", actor=actor, **options)


# --------------------------------------------------------------------------- locked parts, fees


def require_editable(application: Application, part: str) -> None:
    if application.is_locked and part not in application.unlocked_parts():
        raise LockedError(
            f"本案已評定並鎖定；修改「{Part(part).label}」須先解鎖並說明理由。",
            code=ApplicationErrorCode.LOCKED,
        )


def _update(
    app: Application, expected: int, *, actor: Any, event_type: EventType, reason: str = "", **changes: Any
) -> Application:
    before = app.snapshot()
    updated = Application.objects.filter(pk=app.pk, version=expected).update(
        version=F("version") + 1, **changes
    )
    if updated != 1:
        raise ConcurrentChangeError(
            "此申請案已由他人更新，請重新整理後再操作。", code=ApplicationErrorCode.CONFLICT
        )
    app.refresh_from_db()
    after = app.snapshot()
    old, new = changed_fields(before, after)
    record_event(
        actor=actor,
        event_type=event_type,
        subject=app,
        before=old,
        after=new,
        reason=reason,
    )
    return app


@transaction.atomic
def do_record_fee(
    application: Application,
    *,
    actor: Any,
    amount: Decimal,
    paid_on: dt.date | None,
    receipt_no: str,
    expected_version: int | None = None,
) -> Application:
    """Record the fee (金額、繳費日、收據號碼), office staff only."""
    if actor is not None and not is_office_operator(actor):
        raise PermissionDenied("applications.record_fee")
    app = Application.objects.get(pk=application.pk)
    require_editable(app, Part.FEE)
    if amount is None or amount < 0:
        raise ValidationError("費用金額須為 0 或正數。")
    if paid_on and not receipt_no.strip():
        raise ValidationError("已繳費者須填寫收據號碼。")
    expected = application.version if expected_version is None else expected_version
    return _update(
        app,
        expected,
        actor=actor,
        event_type=EventType.APPLICATION_FEE_RECORDED,
        fee_amount=amount,
        fee_paid_on=paid_on,
        fee_receipt_no=receipt_no.strip(),
    )


@transaction.atomic
def do_unlock_part(application: Application, *, part: str, reason: str, actor: Any) -> PartUnlock:
    if actor is not None and not is_office_operator(actor):
        raise PermissionDenied("applications.unlock_application")
    app = Application.objects.select_for_update().get(pk=application.pk)
    if not app.is_locked:
        raise ValidationError("本案尚未評定，無須解鎖。")
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="理由")
    if not reason:
        raise ValidationError("解鎖須說明理由。", code=ApplicationErrorCode.REASON_REQUIRED)
    if part in app.unlocked_parts():
        raise ValidationError(f"「{Part(part).label}」已解鎖。")
    unlock = PartUnlock.objects.create(
        application=app, part=Part(part), reason=reason.strip(), unlocked_by=actor
    )
    record_event(
        actor=actor,
        event_type=EventType.APPLICATION_PART_UNLOCKED,
        subject=app,
        after={"part": part},
        reason=reason.strip(),
    )
    return unlock


@transaction.atomic
def do_relock_part(application: Application, *, part: str, actor: Any) -> None:
    if actor is not None and not is_office_operator(actor):
        raise PermissionDenied("applications.unlock_application")
    rows = PartUnlock.objects.select_for_update().filter(
        application=application, part=part, relocked_at__isnull=True
    )
    if rows.update(relocked_at=timezone.now()):
        record_event(
            actor=actor,
            event_type=EventType.APPLICATION_PART_RELOCKED,
            subject=application,
            after={"part": part},
        )


# --------------------------------------------------------------------------- notice receipt, closures


def _decided_for_applicant_or_office(
    application: Application, actor: Any, perm: str, what: str
) -> tuple[Application, bool]:
    """The decided application, locked for the record, and whether ACTOR records as office staff
    (else as a member of the institution). PermissionDenied for anyone else; a state other than
    decided is refused (WHAT: what is being recorded)."""
    app = Application.objects.select_related("institution").select_for_update().get(pk=application.pk)
    roles = roles_for(actor, app) if actor is not None else {OFFICE}
    if not roles:
        raise PermissionDenied(perm)
    if app.state != State.DECIDED:
        raise TransitionNotAllowedError(
            f"只有已評定、尚未申復或確定之案件可{what}。", code=ApplicationErrorCode.INVALID_STATE
        )
    return app, OFFICE in roles


def _check_day(app: Application, day: dt.date, today: dt.date, label: str) -> None:
    """A day recorded after the decision: not before it, not in the future."""
    if app.decided_on and day < app.decided_on:
        raise ValidationError(f"{label}不能早於評定通知日（{roc_date_long(app.decided_on)}）。")
    if day > today:
        raise ValidationError(f"{label}不能晚於今天。")


@transaction.atomic
def do_record_notice_receipt(
    application: Application,
    *,
    actor: Any,
    received_on: dt.date | None = None,
    reason: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Application:
    """Record when the institution received the result notice (收受評定通知) and set the appeal
    deadline from it: seed 002 §十二(一) 「應自收受通知之次日起14日內」, counted by the rules core's
    `appeal_due` on the county's calendar (the program's period: appeals.appeal_period).

    A member of the institution acknowledges receipt (the day is today: one cannot acknowledge a
    receipt for another day); office staff record the delivery date from the proof of service
    (送達證書), and may correct an earlier record with a reason.
    """
    today = today or local_today()
    app, by_office = _decided_for_applicant_or_office(
        application, actor, "applications.record_notice_receipt", "登錄收受評定通知"
    )
    if not by_office:
        if app.notice_received_on:
            raise ValidationError(f"已於{roc_date_long(app.notice_received_on)}確認收受評定通知。")
        if received_on is not None and received_on != today:
            raise ValidationError("機構僅能確認於今日收受評定通知；另有送達證明之日期，請由評鑑辦公室登錄。")
        received_on = today
    if received_on is None:
        raise ValidationError("請填寫收受（送達）日期。")
    _check_day(app, received_on, today, "收受日")
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="事由")
    if app.notice_received_on and not reason:
        raise ValidationError("已有收受紀錄，更正須說明理由。", code=ApplicationErrorCode.REASON_REQUIRED)
    due = appeal_deadline(app, received_on)
    expected = application.version if expected_version is None else expected_version
    app = _update(
        app,
        expected,
        actor=actor,
        event_type=EventType.APPLICATION_NOTICE_RECEIVED,
        reason=(reason or "").strip() or due.explanation,
        notice_received_on=received_on,
        appeal_due=due.due,
    )
    body = due.explanation
    if by_office:
        recipients = institution_members(app.institution)
        subject = notice(
            N_("{institution}：申復期限{date}"), institution=app.institution.name, date=roc_date_long(due.due)
        )
    else:
        recipients = office_staff()
        subject = notice(
            N_("{institution}：已確認收受評定通知（{date}）"),
            institution=app.institution.name,
            date=roc_date(received_on),
        )
    notify([u for u in recipients if u != actor], subject=subject, body=body, url=application_url(app))
    application.__dict__.update({k: getattr(app, k) for k in ("version", "notice_received_on", "appeal_due")})
    return app


@transaction.atomic
def do_waive_appeal(
    application: Application,
    *,
    actor: Any,
    waived_on: dt.date | None = None,
    reason: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Application:
    """Record that the institution waives its appeal against the result (放棄申復), after which the
    office may close the case without waiting for the appeal period to end.

    A member of the institution declares it in the system (the day is today); office staff record
    a written declaration received on paper, with its date and a reason naming the document.
    Once recorded it is final for this decision: the institution can no longer appeal it.
    """
    today = today or local_today()
    app, by_office = _decided_for_applicant_or_office(
        application, actor, "applications.waive_appeal", "聲明放棄申復"
    )
    if app.appeal_waived_on:
        raise ValidationError(f"已於{roc_date_long(app.appeal_waived_on)}聲明放棄申復。")
    reason = bounded_text(reason, max_length=REASON_MAX_LENGTH, label="事由")
    if by_office:
        if waived_on is None:
            raise ValidationError("請填寫機構書面聲明放棄申復之日期。")
        if not reason:
            raise ValidationError(
                "代為登錄放棄申復，須說明所依據之書面聲明。", code=ApplicationErrorCode.REASON_REQUIRED
            )
    else:
        if waived_on is not None and waived_on != today:
            raise ValidationError("機構僅能於今日聲明放棄申復。")
        waived_on = today
        reason = reason or "機構於系統聲明放棄申復"
    _check_day(app, waived_on, today, "放棄申復日")
    expected = application.version if expected_version is None else expected_version
    app = _update(
        app,
        expected,
        actor=actor,
        event_type=EventType.APPLICATION_APPEAL_WAIVED,
        reason=reason,
        appeal_waived_on=waived_on,
    )
    subject = notice(
        N_("{institution}：已聲明放棄申復（{date}），評鑑辦公室得確定結果"),
        institution=app.institution.name,
        date=roc_date(waived_on),
    )
    recipients = institution_members(app.institution) if by_office else office_staff()
    notify([u for u in recipients if u != actor], subject=subject, body=reason, url=application_url(app))
    application.__dict__.update({k: getattr(app, k) for k in ("version", "appeal_waived_on")})
    return app


def _recomputed(app: Application, calendar: Any, county: str) -> tuple[dict[str, Any], list[Any]]:
    """The open deadlines of APP recomputed on CALENDAR: changed fields and their core Deadlines."""
    changes: dict[str, Any] = {}
    dues: list[Any] = []
    if app.state == State.SUPPLEMENT_REQUESTED and app.supplement_due:
        notified = (
            app.transitions.filter(name="request_supplement")
            .order_by("-at", "-pk")
            .values_list("effective_on", flat=True)
            .first()
        )
        if notified:
            due = deadlines.supplement_due(notified, calendar, county)
            if due.due != app.supplement_due:
                changes["supplement_due"] = due.due
            dues.append(due)
    if app.state == State.EVIDENCE_DUE and app.visit_date and app.evidence_due:
        due = deadlines.evidence_due(app.visit_date, calendar, county)
        if due.due != app.evidence_due:
            changes["evidence_due"] = due.due
            dues.append(due)
    if app.state == State.DECIDED and app.notice_received_on:
        due = appeal_deadline(app, app.notice_received_on, calendar)
        if due.due != app.appeal_due:
            changes["appeal_due"] = due.due
            dues.append(due)
    return changes, dues


# The states in which the visit date told to the institution (and the evidence due from it) follows
# the visit when staff or the scheduler move it: evidence requested, visit scheduled.
VISIT_DATE_STATES = (State.EVIDENCE_DUE, State.SCHEDULED)


@transaction.atomic
def do_move_visit_date(
    application: Application, *, visit_date: dt.date, actor: Any, reason: str
) -> Application:
    """The visit was moved (pinned by staff, changed at the institution's request, re-planned for a
    closure): the application's visit date follows, and the evidence due day is computed from it as
    `request_evidence` and `schedule_visit` compute it (seed 001 「繳交資料」: 實地訪視當日前1個月).
    Audited; the visits app, which checked who moved the visit, tells the institution and the
    team. Before the evidence is requested (no date told yet) and after the visit, nothing changes."""
    app = Application.objects.select_related("cycle", "institution").get(pk=application.pk)
    if app.state not in VISIT_DATE_STATES or app.visit_date == visit_date:
        return app
    calendar = county_calendar(app.institution.county)
    visit, due = _visit_and_evidence_due(
        app, {"visit_date": visit_date}, calendar, county_name(app.institution.county)
    )
    app = _update(
        app,
        app.version,
        actor=actor,
        event_type=EventType.APPLICATION_VISIT_DATE_MOVED,
        reason="\n".join(filter(None, [reason, due.explanation])),
        visit_date=visit,
        evidence_due=due.due,
    )
    application.__dict__.update({k: getattr(app, k) for k in ("version", "visit_date", "evidence_due")})
    return app


def do_recompute_county_deadlines(county_code: str, *, actor: Any, reason: str) -> list[Application]:
    """Recompute the open deadlines of every application of the county's institutions (called by
    closures.actions inside its transaction when a closure for work is entered or withdrawn).
    Each moved deadline is an audited change of the application and a notification to the
    institution (and to the office), with the core's new explanation."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("do_recompute_county_deadlines runs inside the closure's transaction")
    calendar = county_calendar(county_code)
    county = county_name(county_code)
    moved = []
    candidates = (
        Application.objects.select_related("institution", "cycle")
        .filter(institution__county=county_code)
        .filter(state__in=[State.SUPPLEMENT_REQUESTED, State.EVIDENCE_DUE, State.DECIDED])
    )
    for app in candidates:
        changes, dues = _recomputed(app, calendar, county)
        if not changes:
            continue
        app = _update(
            app,
            app.version,
            actor=actor,
            event_type=EventType.APPLICATION_DEADLINES_RECOMPUTED,
            reason=reason,
            **changes,
        )
        body = "\n".join([reason, *(d.explanation for d in dues)])
        labels = "、".join(
            f"{Application._meta.get_field(name).verbose_name}改為{roc_date_long(value)}"
            for name, value in changes.items()
        )
        notify(
            [*institution_members(app.institution), *office_staff()],
            subject=notice(
                N_("{institution}：期限變更（{changes}）"), institution=app.institution.name, changes=labels
            ),
            body=body,
            url=application_url(app),
        )
        moved.append(app)
    return moved
