"""Deadline reminders (期限提醒): find every open deadline that is due within N working days or
overdue, and tell the people responsible for it, once per deadline and stage.

`open_deadlines(today)` lists the dated deadlines of open applications — the supplement (補件),
the evidence (申報資料), the appeal (申復), the application window of a draft, the health bureau's
preliminary review (初審) and a safety remediation (限期改善) — each with the rule it comes from
and the people responsible. `send_reminders(today, days)` picks the stage of each (upcoming: at
most DAYS working days left on the county's calendar, closures included; overdue: the day has
passed, within the last 30 days), inserts a `DeadlineReminder` row per (application, kind, due,
stage) and claims it with a conditional UPDATE before notifying, so running it twice, or twice at
once, reminds once.

Run by `pingjian manage send_reminders` (by hand or from a timer) and by the self-rescheduling
task `tasks.send_reminders_job`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from pingjian.rules import deadlines
from pingjian.rules.errors import CalendarError
from pingjian.rules.roc import roc_date_long, weekday_name
from pingjian.web.applications.appeals import appeal_deadline
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.closures.calendar import county_calendar, county_name
from pingjian.web.core.references import in_words
from pingjian.web.notifications.messages import Message
from pingjian.web.notifications.messages import message as message_of
from pingjian.web.notifications.notify import bureau_officers, institution_members, notify, office_staff

from .models import DeadlineReminder, ReminderStage

DEFAULT_DAYS = 3  # working days ahead
OVERDUE_WITHIN = dt.timedelta(days=30)  # older overdue deadlines stay on the dashboard, unreminded

INSTITUTION, OFFICE, BUREAU = "institution", "office", "bureau"


@dataclass(frozen=True)
class OpenDeadline:
    application: Application
    kind: str  # stable key: supplement, evidence, appeal, application, preliminary_review, remediation:<id>
    label: str  # 補件期限 …
    due: dt.date
    rule: str  # the seed or statute the deadline comes from
    explanation: str = ""  # how the rules core reached the date
    responsible: tuple[str, ...] = (INSTITUTION,)
    overdue_also: tuple[str, ...] = (OFFICE,)  # told as well once it has passed
    after_due: str = ""  # what an overdue reminder says instead of "逾期"
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def _notified_on(app: Application) -> dt.date | None:
    return (
        app.transitions.filter(name="request_supplement")
        .order_by("-at", "-pk")
        .values_list("effective_on", flat=True)
        .first()
    )


def open_deadlines(today: dt.date) -> Iterator[OpenDeadline]:
    apps = Application.objects.open().select_related("institution", "cycle", "program_version")
    calendars: dict[str, Any] = {}

    def calendar(app: Application) -> Any:
        code = app.institution.county
        if code not in calendars:
            calendars[code] = county_calendar(code)
        return calendars[code]

    for app in apps.filter(state=State.SUPPLEMENT_REQUESTED, supplement_due__isnull=False):
        notified = _notified_on(app)
        text = ""
        if notified:
            core = deadlines.supplement_due(notified, calendar(app), county_name(app.institution.county))
            text = core.explanation if core.due == app.supplement_due else ""
        yield OpenDeadline(
            app, "supplement", "補件期限", app.supplement_due, deadlines.SUPPLEMENT_REFERENCE, text
        )
    for app in apps.filter(state=State.EVIDENCE_DUE, evidence_due__isnull=False, visit_date__isnull=False):
        core = deadlines.evidence_due(app.visit_date, calendar(app), county_name(app.institution.county))
        text = core.explanation if core.due == app.evidence_due else ""
        yield OpenDeadline(
            app, "evidence", "申報資料繳交期限", app.evidence_due, deadlines.EVIDENCE_REFERENCE, text
        )
    appeals = apps.filter(
        state=State.DECIDED,
        appeal_due__isnull=False,
        notice_received_on__isnull=False,
        appeal_waived_on__isnull=True,  # a waived appeal has no deadline left to remind of
    )
    for app in appeals:
        core = appeal_deadline(app, app.notice_received_on, calendar(app))
        text = core.explanation if core.due == app.appeal_due else ""
        yield OpenDeadline(
            app,
            "appeal",
            "申復期限",
            app.appeal_due,
            core.reference,
            text,
            overdue_also=(),
            after_due="申復期間已屆滿，評鑑辦公室可確定結果",
            extra={"overdue_to": (OFFICE,)},
        )
    for app in apps.filter(state=State.DRAFT):
        program = app.program_version.program()
        window = program.application_window or getattr(program, "documents_upload_window", None)
        rule = window.reference if window else "評鑑梯次之申請期間"
        yield OpenDeadline(
            app, "application", "申請截止日", app.cycle.application_closes, rule, overdue_also=()
        )
    bureau_apps = apps.filter(cycle__preliminary_review_due__isnull=False).prefetch_related(
        "preliminary_checks", "safety_certificates"
    )
    for app in bureau_apps:
        program = app.program_version.program()
        rows = len(program.preliminary_review)
        done = len(app.preliminary_checks.all()) + len(app.safety_certificates.all())
        if rows and done < rows:
            window = program.preliminary_review_window
            yield OpenDeadline(
                app,
                "preliminary_review",
                "衛生局初審期限",
                app.cycle.preliminary_review_due,
                window.reference if window else "評鑑梯次之初審期限",
                responsible=(BUREAU,),
            )
        references = {p.id: p.reference for p in program.preconditions}
        for cert in app.safety_certificates.all():
            if cert.status == "remediation_pending" and cert.remediation_due:
                yield OpenDeadline(
                    app,
                    f"remediation:{cert.kind}",
                    "消防／建築限期改善期限",
                    cert.remediation_due,
                    references.get(cert.kind, "限期改善"),
                    responsible=(INSTITUTION, BUREAU),
                )


def stage_of(item: OpenDeadline, today: dt.date, days: int) -> tuple[str | None, int | None]:
    """(stage, working days left) for ITEM today; stage None when it is not yet time to remind."""
    if item.due < today:
        return (ReminderStage.OVERDUE if today - item.due <= OVERDUE_WITHIN else None), None
    try:
        county = item.application.institution.county
        left = county_calendar(county).workdays_between(today, item.due, county_name(county))
    except CalendarError:
        return None, None
    return (ReminderStage.UPCOMING, left) if left <= days else (None, left)


def _people(item: OpenDeadline, stage: str) -> list[Any]:
    parties = list(item.responsible)
    if stage == ReminderStage.OVERDUE:
        parties = list(item.extra.get("overdue_to", (*parties, *item.overdue_also)))
    people: list[Any] = []
    for party in parties:
        if party == INSTITUTION:
            people += institution_members(item.application.institution)
        elif party == OFFICE:
            people += office_staff()
        elif party == BUREAU:
            people += bureau_officers(item.application.institution.county)
    return people


def message(item: OpenDeadline, stage: str, today: dt.date, left: int | None) -> tuple[Message, str]:
    """Subject (a message key and its words, shown in the reader's language) and body in Traditional
    Chinese: who, which program and cycle, the deadline with ROC dates, what to do, and the rule the
    deadline comes from named as its document."""
    app = item.application
    when = f"{roc_date_long(item.due)}（{weekday_name(item.due)}）"
    words = {"institution": app.institution.name, "deadline": item.label, "date": roc_date_long(item.due)}
    if stage == ReminderStage.OVERDUE:
        late = (today - item.due).days
        status = item.after_due or f"已逾期{late}日"
        subject = (
            message_of(
                N_("【期限已過】{institution}：{deadline}{date}，{status}"), status=item.after_due, **words
            )
            if item.after_due
            else message_of(
                N_("【期限已過】{institution}：{deadline}{date}，已逾期{days}日"), days=late, **words
            )
        )
    elif left == 0:
        status = "今日到期"
        subject = message_of(N_("【期限提醒】{institution}：{deadline}為今日（{date}）"), **words)
    else:
        status = f"尚餘{left}個上班日"
        subject = message_of(
            N_("【期限提醒】{institution}：{deadline}{date}，尚餘{days}個上班日"), days=left, **words
        )
    lines = [
        f"申請案：{app.institution.name}（{app.cycle.title}，{app.program_version.title}）",
        f"{item.label}：{when}，{status}。",
        "請於申請案頁面辦理；已辦理者請忽略本通知。",
        f"依據：{in_words(item.rule)}",
    ]
    if item.explanation:
        lines.append(f"計算：{item.explanation}")
    lines.append(f"上班日依政府行政機關辦公日曆表及{county_name(app.institution.county)}停止上班公告計算。")
    return subject, "\n".join(lines)


@dataclass(frozen=True)
class Sent:
    reminder: DeadlineReminder
    subject: str
    recipients: int


def send_reminders(today: dt.date, *, days: int = DEFAULT_DAYS) -> list[Sent]:
    """Remind everyone responsible for a deadline due within DAYS working days or overdue, once."""
    due_now: list[tuple[OpenDeadline, str, int | None]] = []
    for item in open_deadlines(today):
        stage, left = stage_of(item, today, days)
        if stage is not None:
            due_now.append((item, stage, left))
    DeadlineReminder.objects.bulk_create(
        [
            DeadlineReminder(application=item.application, kind=item.kind, due=item.due, stage=stage)
            for item, stage, _ in due_now
        ],
        ignore_conflicts=True,
    )
    sent: list[Sent] = []
    for item, stage, left in due_now:
        with transaction.atomic():
            row = DeadlineReminder.objects.get(
                application=item.application, kind=item.kind, due=item.due, stage=stage
            )
            claimed = DeadlineReminder.objects.filter(pk=row.pk, sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
            if claimed != 1:
                continue  # reminded already (by an earlier run, or by a run at the same time)
            subject, body = message(item, stage, today, left)
            url = reverse("applications:detail", args=[item.application.pk])
            rows = notify(_people(item, stage), subject=subject, body=body, url=url)
            DeadlineReminder.objects.filter(pk=row.pk).update(recipients=len(rows))
            sent.append(Sent(row, subject.stored(), len(rows)))
    return sent
