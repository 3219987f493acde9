"""Demo applications in every state of the workflow, replayed through the real actions at
plausible dates (each action's `today=`), so deadlines, messages, audit events and notifications
are the ones the application would have produced. Idempotent: skipped when the cycles have any."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from pypdf import PdfWriter

from pingjian.web.applications import actions
from pingjian.web.applications.models import Application
from pingjian.web.applications.workflow import State
from pingjian.web.bureau.actions import (
    do_record_preliminary_review,
    do_return_survey_reply,
    do_send_survey_reply,
)
from pingjian.web.core.clock import local_today
from pingjian.web.cycles.models import Cycle
from pingjian.web.dashboard.demo import scored
from pingjian.web.dashboard.demo.cycles import CURRENT_JCT_TITLE, CURRENT_TITLE
from pingjian.web.evidence.actions import do_comment_evidence, do_upload_evidence
from pingjian.web.evidence.slots import slots_for
from pingjian.web.institutions.models import InstitutionType

POSTPARTUM_PATH = [
    State.SUPPLEMENT_REQUESTED,  # the demo institution's own: a live supplement deadline
    State.DRAFT,
    State.SUBMITTED,
    State.QUALIFICATION_REVIEW,
    State.RESUBMITTED,
    State.ACCEPTED,
    State.EVIDENCE_DUE,
    State.SCHEDULED,
    State.VISITED,
    State.SCORED,
]
JCT_PATH = [State.DECIDED, State.APPEAL, State.FINAL, State.WITHDRAWN, State.REJECTED, State.FINAL]


def _drive(
    app: Application, goal: str, *, office: Any, member: Any, start: dt.date, visit: dt.date
) -> Application:
    """Fire the transitions that take a fresh draft to `goal`, dated from `start`."""
    day = start

    def step(name: str, actor: Any, days: int = 1, **kw: Any) -> None:
        nonlocal app, day
        app = actions.fire(app, name, actor=actor, today=day, **kw)
        day += dt.timedelta(days=days)

    if goal == State.DRAFT:
        return app
    if goal == State.WITHDRAWN:
        step("submit", member)
        step("withdraw", member, message="本年度暫停美容醫學服務，撤回申請。")
        return app
    step("submit", member, 3)
    if goal == State.SUBMITTED:
        return app
    step("start_review", office)
    if goal == State.QUALIFICATION_REVIEW:
        return app
    step("request_supplement", office, 3, message="請補正最近一次消防安全設備檢查紀錄表之地方政府證明文件。")
    if goal == State.SUPPLEMENT_REQUESTED:
        return app
    if goal == State.REJECTED:
        step("reject", office, message="逾補件期限仍未補正，不予受理。")
        return app
    step("resubmit", member, message="已上傳消防安全設備檢查紀錄表。")
    if goal == State.RESUBMITTED:
        return app
    step("start_review", office)
    if app.cycle.fee_amount:
        app = actions.do_record_fee(
            app,
            actor=office,
            amount=app.cycle.fee_amount,
            paid_on=day,
            receipt_no=f"R{day:%y%m%d}-{app.pk:04d}",
        )
    step("accept", office, 2)
    if goal == State.ACCEPTED:
        return app
    step("request_evidence", office, visit_date=visit)
    if goal == State.EVIDENCE_DUE:
        return app
    step("schedule_visit", office, visit_date=visit)
    if goal == State.SCHEDULED:
        return app
    day = visit
    step("record_visit", office, 3)
    if goal == State.VISITED:
        return app
    maximum = app.program_version.program().max_total
    fails = goal == State.APPEAL
    total = (maximum - 2 if fails else maximum) if maximum <= 30 else Decimal("64.25" if fails else "82.50")
    step("record_score", office, 7, total=total)
    if goal == State.SCORED:
        return app
    result = "fail" if goal == State.APPEAL else "pass"
    step("decide", office, 5, result=result)
    if goal != State.DECIDED or app.pk % 2:  # the institution confirms receipt 2 days later
        received = day - dt.timedelta(days=3)
        app = actions.do_record_notice_receipt(app, actor=member, received_on=received, today=received)
    if goal == State.DECIDED:
        return app  # (an even one stays "receipt pending": its appeal deadline is not known yet)
    if goal == State.APPEAL or app.pk % 2:
        step("appeal", member, 10, message="對 C1 之評核結果不服，檢附平面圖提出申復。")
        if goal == State.APPEAL:
            return app
    else:  # closed before the appeal period ends only because the institution waived it in writing
        app = actions.do_waive_appeal(
            app, actor=office, waived_on=day, reason="依機構書面聲明放棄申復（示範）", today=day
        )
    step("finalize", office)
    return app


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def seed(data: Any) -> None:

    office, member = data.users["office"], data.users["institution"]
    today = local_today()
    current = Cycle.objects.get(title=CURRENT_TITLE)
    jct = Cycle.objects.get(title="112年度診所美容醫學品質認證")
    _supplement_requested_clinic(data)
    if Application.objects.filter(cycle__in=[current, jct]).exists():
        return
    homes = [i for i in data.institutions if i.type == InstitutionType.POSTPARTUM_HOME]
    homes.sort(key=lambda i: i.name != "安心產後護理之家")
    for index, (home, goal) in enumerate(zip(homes, POSTPARTUM_PATH, strict=False)):
        app = actions.do_open_application(current, home, actor=office)
        far = index in (6, 7)  # evidence_due / scheduled: the visit is still ahead
        visit = today + dt.timedelta(days=45 + index) if far else today - dt.timedelta(days=20 - index)
        start = today - dt.timedelta(days=8 if goal == State.SUPPLEMENT_REQUESTED else 90 - index)
        actor = member if home.name == "安心產後護理之家" else None
        if goal == State.SCORED:  # scored on site by the team: held in 申報資料 for demo/scored.py
            goal, visit = State.EVIDENCE_DUE, scored.visit_day(app, today)
        _drive(app, goal, office=office, member=actor, start=start, visit=visit)
    clinics = [i for i in data.institutions if i.type == InstitutionType.CLINIC]
    for index, (clinic, goal) in enumerate(zip(clinics, JCT_PATH, strict=False)):
        app = actions.do_open_application(jct, clinic, actor=office)
        _drive(
            app,
            goal,
            office=office,
            member=None,
            start=dt.date(2023, 5, 22) + dt.timedelta(days=index),
            visit=dt.date(2023, 9, 12) + dt.timedelta(days=7 * index),
        )
    _extras(data, current, jct)


def _extras(data: Any, current: Any, jct: Any) -> None:
    """Evidence, a preliminary review and a survey reply, so those screens have content."""

    member, bureau = data.users["institution"], data.users["bureau"]
    own = Application.objects.get(cycle=current, institution__name="安心產後護理之家")
    for slot in ("A1.1-1", "A1.1-3", "C1-1"):
        do_upload_evidence(own, slot_key=slot, upload=io.BytesIO(_pdf()), name=f"{slot}.pdf", actor=member)
    taipei = Application.objects.filter(cycle=current, institution__county="TPE").exclude(pk=own.pk).first()
    if taipei is not None:
        do_record_preliminary_review(
            taipei,
            actor=bureau,
            rows={1: "compliant", 2: "remediation_pending", 3: "met", 4: "met", 5: "met"},
        )
    reply_app = Application.objects.filter(cycle=jct, state=State.FINAL).first()
    if reply_app is not None:
        do_send_survey_reply(reply_app, actor=None, statement="本診所最近3年無違反醫療法之紀錄。")
        do_return_survey_reply(reply_app, actor=None, verified=True, findings="經查本局管理資料，內容相符。")


def _supplement_requested_clinic(data: Any) -> None:
    """A cell-therapy clinic in the current JCT cycle, asked for supplements four days ago after
    review comments on two items: its 補件通知函 (linked from the application page, and attached
    to the clinic's e-mail) lists the message and the comments under 醫策會's letterhead, with a
    live 5-working-day deadline."""

    cycle = Cycle.objects.get(title=CURRENT_JCT_TITLE)
    if Application.objects.filter(cycle=cycle).exists():
        return
    clinic = next(i for i in data.institutions if i.type == InstitutionType.CLINIC and "細胞治療" in i.name)
    office = data.users["office"]
    requested = local_today() - dt.timedelta(days=4)
    app = actions.do_open_application(cycle, clinic, actor=office)
    slots = slots_for(app.program_version.program())
    do_upload_evidence(app, slot_key=slots[0].key, upload=io.BytesIO(_pdf()), name="醫師證書.pdf", actor=None)
    app = actions.fire(app, "submit", actor=None, today=requested - dt.timedelta(days=2))
    app = actions.fire(app, "start_review", actor=office, today=requested - dt.timedelta(days=1))
    do_comment_evidence(app, slot_key=slots[0].key, text="醫師證書影本缺背面，請補正。", actor=office)
    do_comment_evidence(app, slot_key=slots[1].key, text="請補附最近一年急救訓練之簽到表。", actor=office)
    actions.fire(
        app,
        "request_supplement",
        actor=office,
        today=requested,
        message="1. 細胞治療技術施行計畫核准函影本\n2. 細胞製備場所之合作契約書",
    )
