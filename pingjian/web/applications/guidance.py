"""What to do next (下一步), shown first on the application page: for the institution's members
and for office staff, what the state asks of them now, by when, and what happens after.

Data, like the workflow table: one entry per (side, state). `next_step` adds what only the
application knows (the office's supplement items, the deadline and the working days left)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from pingjian.rules.errors import CalendarError
from pingjian.web.closures.calendar import county_calendar, county_name

from .workflow import INSTITUTION, OFFICE, State

S = State


@dataclass(frozen=True)
class Guide:
    now: Any  # what to do now (a lazy string)
    after: Any  # what happens next
    primary: str = ""  # the transition that is the main step, if any
    due_field: str = ""  # the application's date field that bounds the step


GUIDES: dict[tuple[str, str], Guide] = {
    (INSTITUTION, S.DRAFT): Guide(
        _("請於下方上傳佐證資料，完成後按「送出申請」。"),
        _("送出後由評鑑辦公室進行資格審查；資料不完整者，須於5個工作天內完成補件。"),
        "submit",
    ),
    (INSTITUTION, S.SUBMITTED): Guide(
        _("已送件，目前無須動作。"), _("評鑑辦公室將開始資格審查；如須補件，會另行通知。")
    ),
    (INSTITUTION, S.QUALIFICATION_REVIEW): Guide(
        _("資格審查中，目前無須動作。"),
        _("審查通過後，評鑑辦公室將通知繳交申報資料；資料不完整者將通知補件。"),
    ),
    (INSTITUTION, S.SUPPLEMENT_REQUESTED): Guide(
        _("請依評鑑辦公室通知補件：於下方上傳資料後，按「完成補件」。"),
        _("完成補件後，評鑑辦公室將再次進行資格審查；逾期未補正者，得不予受理。"),
        "resubmit",
        "supplement_due",
    ),
    (INSTITUTION, S.RESUBMITTED): Guide(_("已完成補件，目前無須動作。"), _("評鑑辦公室將再次進行資格審查。")),
    (INSTITUTION, S.ACCEPTED): Guide(
        _("資格審查已通過，目前無須動作。"),
        _("評鑑辦公室將通知實地訪查日期及申報資料繳交期限（訪查日前1個月）。"),
    ),
    (INSTITUTION, S.EVIDENCE_DUE): Guide(
        _("請於期限前於下方上傳申報資料。"), _("評鑑辦公室將排定實地訪查。"), "", "evidence_due"
    ),
    (INSTITUTION, S.SCHEDULED): Guide(
        _("請準備實地訪查；個案照護紀錄等資料於訪查當日提供。"), _("訪查後由評鑑委員評分。"), "", "visit_date"
    ),
    (INSTITUTION, S.VISITED): Guide(
        _("實地訪查已完成，目前無須動作。"), _("評鑑委員評分後，將評定結果並通知。")
    ),
    (INSTITUTION, S.SCORED): Guide(_("已評分，目前無須動作。"), _("評鑑辦公室將評定結果並寄送評定通知。")),
    (INSTITUTION, S.DECIDED): Guide(
        _("請確認收受評定通知；對結果不服者，得於申復期限內提出申復。"),
        _("申復期間屆滿或放棄申復後，評鑑辦公室確定結果。"),
        "",
        "appeal_due",
    ),
    (INSTITUTION, S.APPEAL): Guide(_("申復審理中，目前無須動作。"), _("評鑑辦公室審理申復後確定結果。")),
    (INSTITUTION, S.FINAL): Guide(_("評鑑結果已確定。"), _("結果於效期內公告於評鑑結果查詢。")),
    (INSTITUTION, S.WITHDRAWN): Guide(
        _("本申請案已撤回，無須再動作。"), _("如欲再受評，請於下次申請期間提出申請。")
    ),
    (INSTITUTION, S.REJECTED): Guide(_("本申請案不受理。"), _("如欲再受評，請於下次申請期間提出申請。")),
    (OFFICE, S.DRAFT): Guide(_("機構尚未送出申請。"), _("機構送出後，開始資格審查。")),
    (OFFICE, S.SUBMITTED): Guide(
        _("請開始資格審查。"), _("審查後：資格審查通過，或通知補件（5個工作天內）。"), "start_review"
    ),
    (OFFICE, S.QUALIFICATION_REVIEW): Guide(
        _("請審查資料：通過，或列出應補件項目通知補件。"),
        _("通過後通知繳交申報資料並排定實地訪查。"),
        "accept",
    ),
    (OFFICE, S.SUPPLEMENT_REQUESTED): Guide(
        _("等候機構補件。"),
        _("機構完成補件後，再次資格審查；逾期未補正者，得不予受理。"),
        "",
        "supplement_due",
    ),
    (OFFICE, S.RESUBMITTED): Guide(
        _("機構已補件，請再次資格審查。"), _("審查後：通過，或再通知補件。"), "start_review"
    ),
    (OFFICE, S.ACCEPTED): Guide(
        _("請通知繳交申報資料，並定實地訪查日期。"),
        _("機構於訪查日前1個月內繳交申報資料。"),
        "request_evidence",
    ),
    (OFFICE, S.EVIDENCE_DUE): Guide(
        _("機構繳交申報資料中；請排定實地訪查。"), _("訪查後登錄成績。"), "schedule_visit", "evidence_due"
    ),
    (OFFICE, S.SCHEDULED): Guide(
        _("訪查當日後，請登錄完成實地訪查。"), _("訪查後登錄成績。"), "record_visit", "visit_date"
    ),
    (OFFICE, S.VISITED): Guide(_("請登錄成績。"), _("登錄後評定結果。"), "record_score"),
    (OFFICE, S.SCORED): Guide(
        _("請將本案列入評定會議；決議經核定後即為評定結果。"),
        _("評定後寄送評鑑結果通知函，機構得於申復期限內申復。"),
        "decide",
    ),
    (OFFICE, S.DECIDED): Guide(
        _("申復期間屆滿或機構放棄申復後，確定結果。"), _("結果確定後公告。"), "finalize", "appeal_due"
    ),
    (OFFICE, S.APPEAL): Guide(_("請審理申復，並確定結果。"), _("結果確定後公告。"), "finalize"),
    (OFFICE, S.FINAL): Guide(_("評鑑結果已確定。"), _("結果於效期內公告。")),
    (OFFICE, S.WITHDRAWN): Guide(_("本申請案已撤回。"), _("無。")),
    (OFFICE, S.REJECTED): Guide(_("本申請案不受理。"), _("無。")),
}

DUE_LABELS = {
    "supplement_due": _("補件期限"),
    "evidence_due": _("申報資料繳交期限"),
    "visit_date": _("實地訪查日"),
    "appeal_due": _("申復期限"),
}


@dataclass
class NextStep:
    now: Any
    after: Any
    primary: str
    items: list[str] = field(default_factory=list)  # the office's supplement items, one a line
    due_label: Any = ""
    due: dt.date | None = None
    workdays_left: int | None = None
    overdue: bool = False
    link_url: str = ""  # where the step is done when another app does it (the scoring page …)
    link_label: Any = ""


def next_step(application: Any, roles: set[str], today: dt.date) -> NextStep | None:
    """The step for the institution's side when the user is one of its members, else the office's."""
    side = INSTITUTION if INSTITUTION in roles else OFFICE if OFFICE in roles else ""
    guide = GUIDES.get((side, application.state))
    if guide is None:
        return None
    step = NextStep(guide.now, guide.after, guide.primary)
    if application.state == S.SUPPLEMENT_REQUESTED:
        request = application.transitions.filter(name="request_supplement").order_by("-at", "-pk").first()
        if request is not None:
            step.items = [line.strip() for line in request.message.splitlines() if line.strip()]
    due = getattr(application, guide.due_field, None) if guide.due_field else None
    if due is not None:
        step.due, step.due_label = due, DUE_LABELS[guide.due_field]
        if due >= today:
            calendar = county_calendar(application.institution.county)
            county = county_name(application.institution.county)
            try:
                step.workdays_left = calendar.workdays_between(today, due, county)
            except CalendarError:  # a year the calendar does not list: the date alone is shown
                step.workdays_left = None
        else:
            step.overdue = True
    return step
