"""The 評鑑結果通知函 (result letter) of a decided application (issue 14 item 2), printed with the
supplement letter's template (函: 發文日期, 發文字號, 受文者, 主旨, 說明, 正本/副本, ROC dates) under
the program owner's letterhead (ProgramOffice): the result as decided (decisions: the meeting's decision
approved by the owning body), the validity the rules core gave on the pinned program version, the
team's opinions per criterion (assessments, approved ones), and the appeal instructions — the
last day once the receipt is recorded (`Application.appeal_due`, counted by the rules core under
行政程序法 §48 on the county's calendar), before that the rule: 自收受通知之次日起N日內.

It is attached to the decision's e-mail (attachments.RENDERERS, the `decide` transition's id as
reference) as the supplement letter is to its request's, and its receipt is recorded by the same
action (`applications.actions.do_record_notice_receipt`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils import timezone

from pingjian.rules.roc import roc_date_long, to_roc_year
from pingjian.web.applications.appeals import appeal_period
from pingjian.web.applications.models import Application, Result
from pingjian.web.assessments.selectors import opinion_of, opinions_document
from pingjian.web.core.templatetags.roc import roc_datetime
from pingjian.web.decisions.approval import approving_body, validity_of
from pingjian.web.decisions.selectors import decision_of
from pingjian.web.programs.models import ProgramOffice

from .content import (
    LETTER_NUMBER_PREFIX,
    OFFICE_UNIT,
    Paragraph,
    css_text,
    issuer_of,
    roc_full,
    roc_with_weekday,
    self_reference,
)


@dataclass
class ResultLetter:
    application: Application
    issuer: str
    office: ProgramOffice | None
    contact_name: str
    contact_email: str
    number: str
    issued_on_text: str
    recipient: str
    recipient_address: str
    subject: str
    paragraphs: list[Paragraph]
    result_label: str
    validity_text: str
    appeal_text: str
    original: list[str]
    copies: list[str]
    generated_at: dt.datetime

    @property
    def footer(self) -> str:
        return css_text(f"系統產製 {roc_datetime(self.generated_at)}")

    @property
    def filename(self) -> str:
        return f"評鑑結果通知函-{self.application.institution.code}-{self.number}.pdf"


def validity_text(start: dt.date | None, end: dt.date | None) -> str:
    if start is None:
        return "無（不合格者無效期）"
    if end is None:
        return f"自{roc_date_long(start)}起（本計畫未定效期）"
    return f"自{roc_date_long(start)}至{roc_date_long(end)}止"


def appeal_text(application: Application, program: Any, issuer: str) -> str:
    period = appeal_period(program)
    rule = f"自收受通知之次日起{period.days}日內"
    if application.appeal_due is not None:
        when = f"{rule}（即{roc_with_weekday(application.appeal_due)}前）"
    else:
        when = f"{rule}（末日於收受本通知後依行政程序法第48條計算並通知）"
    return (
        f"貴機構如對評鑑結果不服，應{when}，檢具理由以書面或於本系統向{self_reference(issuer)}提出申復，"
        f"逾期不受理（{period.reference}）。"
    )


def _criteria(application: Application) -> list[str]:
    visit = getattr(application, "visit", None)
    opinion = opinion_of(visit) if visit is not None else None
    if opinion is None or opinion.state != "approved":
        return []
    doc = opinions_document(opinion)
    lines = []
    for row in doc["criteria"]:
        said = "；".join(
            part
            for part in (
                row["strengths"] and f"優點：{row['strengths']}",
                row["recommendations"] and f"建議：{row['recommendations']}",
            )
            if part
        )
        lines.append(f"{row['id']} {row['title']}：{said}")
    return lines


def _opinions(criteria: list[str]) -> tuple[str, list[str]]:
    return ("各評鑑基準之評鑑意見如下：", criteria) if criteria else ("評鑑意見詳如評鑑意見書。", [])


def result_letter(application: Application) -> ResultLetter:
    """The letter of APPLICATION's decision; Http404 before a result is decided."""
    if not application.result or application.decided_on is None:
        raise Http404("no decided result")
    program = application.program_version.program()
    institution = application.institution
    issuer = issuer_of(program)
    decision = decision_of(application)
    decided_on = application.decided_on
    if decision is not None and decision.approved_at is not None:
        start, end = decision.valid_from, decision.valid_until
    else:
        start, end = validity_of(application, application.result, decided_on)
    result_label = str(Result(application.result).label)
    validity = validity_text(start, end)
    total = f"（總分{application.total}）" if application.total is not None else ""
    basis = f"依據「{application.cycle.title}」實地評鑑結果"
    if decision is not None and decision.approved_at is not None:
        meeting = decision.item.meeting
        basis += f"，經{roc_date_long(meeting.held_on)}{meeting.title}決議，並經{approving_body(program)}核定"
    criteria = _criteria(application)
    paragraphs = [
        Paragraph(basis + "。"),
        Paragraph(f"評鑑結果：{result_label}{total}；效期：{validity}。"),
        Paragraph("各評鑑基準之評鑑意見如下：", criteria)
        if criteria
        else Paragraph("評鑑意見詳如評鑑意見書。"),
        Paragraph(appeal_text(application, program, issuer)),
    ]
    office = ProgramOffice.objects.for_program(program)
    return ResultLetter(
        application=application,
        issuer=issuer,
        office=office,
        contact_name=str(decision.recorded_by) if decision is not None else OFFICE_UNIT,
        contact_email=office.email if office else "",
        number=f"{LETTER_NUMBER_PREFIX}字第{to_roc_year(decided_on.year)}{application.pk:05d}90號",
        issued_on_text=roc_full(decided_on),
        recipient=institution.name,
        recipient_address=institution.address,
        subject=f"貴機構參加「{application.cycle.title}」之評鑑結果為「{result_label}」，請查照。",
        paragraphs=paragraphs,
        result_label=result_label,
        validity_text=validity,
        appeal_text=appeal_text(application, program, issuer),
        original=[institution.name],
        copies=[f"{self_reference(issuer)}{office.unit if office else OFFICE_UNIT}"],
        generated_at=timezone.now(),
    )
