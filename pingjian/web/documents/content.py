"""What the documents say, gathered from the application (no rendering here; see render.py).

- `supplement_letter(application, transition=None)`: the 補件通知函 of the latest supplement
  request (or of TRANSITION, one of them: the letter attached to that request's e-mail), laid out
  like the official letters (函) of seed 001: 發文日期, 發文字號, 受文者, 主旨, 說明 一、二、…,
  正本/副本, all dates in ROC, under the letterhead of the program owner's office (ProgramOffice:
  地址, 承辦單位, 電話, 傳真, 電子信箱; left out when the office has not entered it). The deadline
  of the open request is the application's current `supplement_due` with the rules core's
  explanation recomputed on the county's calendar (so a typhoon closure that moved it is
  reflected, as `applications.actions._recomputed` does); an answered one shows the deadline it set.
- `application_summary(application)`: the 申請資料摘要 — institution, program and version, cycle
  windows, state history with actors, fees, and every evidence slot with its latest upload.

The 發文字號 is stable: `評鑑字第{ROC year of the request}{application id, 5 digits}{n, 2 digits}號`
where n counts this application's supplement requests, so the same request always prints the same
number and a second request gets the next one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from pingjian.rules import deadlines
from pingjian.rules.roc import roc_date_long, to_roc_year, weekday_name
from pingjian.web.applications.models import Application, ApplicationTransition, Result
from pingjian.web.applications.workflow import State
from pingjian.web.assessments.selectors import opinions_document
from pingjian.web.closures.calendar import county_calendar, county_name
from pingjian.web.core.templatetags.roc import roc_datetime
from pingjian.web.evidence.models import EvidenceComment, EvidenceFile
from pingjian.web.evidence.slots import slots_for
from pingjian.web.programs.models import ProgramOffice

LETTER_NUMBER_PREFIX = getattr(settings, "PINGJIAN_LETTER_NUMBER_PREFIX", "評鑑")
OFFICE_UNIT = "評鑑辦公室"

_DIGITS = "〇一二三四五六七八九"
_LEADING_NUMBER = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十\d]+[)）、.．]|[-•‧・*])\s*")
_TRAILING_PARENS = re.compile(r"\s*\([^()]*\)\s*$")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1–99, as 說明 paragraphs are numbered)."""
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    text = ("" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")) + (
        "" if ones == 0 else _DIGITS[ones]
    )
    return text


def roc_full(day: dt.date) -> str:
    """中華民國112年6月8日, as 發文日期 is written."""
    return f"中華民國{roc_date_long(day)}"


def roc_with_weekday(day: dt.date) -> str:
    return f"{roc_date_long(day)}（{weekday_name(day)}）"


def issuer_of(program: Any) -> str:
    """The program's office as a letterhead names it: the program file's `owner` without the
    trailing ASCII abbreviation (財團法人醫院評鑑暨醫療品質策進會 (JCT) → …策進會)."""
    return _TRAILING_PARENS.sub("", program.owner).strip()


def self_reference(issuer: str) -> str:
    """How a letter names its own issuer: 本會 (…策進會), 本部 (衛生福利部), 本局, else 本單位."""
    for suffix in ("會", "部", "局", "署"):
        if issuer.endswith(suffix):
            return f"本{suffix}"
    return "本單位"


def printed_footer(by: str, at: dt.datetime) -> str:
    """Who printed a document and when, for its page footer (a CSS string)."""
    return css_text(f"{by} 列印 {roc_datetime(at)}")


def css_text(text: str) -> str:
    """TEXT safe inside a CSS string of a margin box (no quote, backslash or line break)."""
    return re.sub(r'["\\\r\n<>]', " ", text)


def _person(user: Any) -> str:
    return str(user) if user is not None else "系統"


@dataclass
class Paragraph:
    text: str
    items: list[str] = field(default_factory=list)


@dataclass
class SupplementLetter:
    application: Application
    issuer: str
    program_title: str
    program_title_en: str
    number: str
    issued_on: dt.date
    issued_on_text: str
    office: ProgramOffice | None
    contact_name: str
    contact_email: str
    recipient: str
    recipient_address: str
    subject: str
    paragraphs: list[Paragraph]
    due: dt.date
    due_text: str
    deadline_sentence: str
    explanation: str
    original: list[str]
    copies: list[str]
    generated_at: dt.datetime

    @property
    def footer(self) -> str:
        return css_text(f"系統產製 {roc_datetime(self.generated_at)}")

    @property
    def filename(self) -> str:
        return f"補件通知函-{self.application.institution.code}-{self.number}.pdf"


def supplement_requests(application: Application) -> list[ApplicationTransition]:
    return list(
        application.transitions.filter(name="request_supplement").select_related("actor").order_by("at", "pk")
    )


def letter_number(application: Application, request: ApplicationTransition, sequence: int) -> str:
    year = to_roc_year(request.effective_on.year)
    return f"{LETTER_NUMBER_PREFIX}字第{year}{application.pk:05d}{sequence:02d}號"


def _message_items(message: str) -> list[str]:
    """The office's message, one item per non-empty line, its own numbering removed."""
    items = []
    for line in (message or "").splitlines():
        text = _LEADING_NUMBER.sub("", line).strip()
        if text:
            items.append(text)
    return items


def _comment_items(
    application: Application, request: ApplicationTransition, previous: ApplicationTransition | None
) -> list[str]:
    """The office's review comments on evidence slots written for this request (after the
    previous request, up to this one)."""
    comments = EvidenceComment.objects.filter(application=application, created_at__lte=request.at)
    if previous is not None:
        comments = comments.filter(created_at__gt=previous.at)
    slots = {slot.key: slot for slot in slots_for(application.program_version.program())}
    items = []
    for comment in comments.order_by("slot_key", "created_at", "pk"):
        slot = slots.get(comment.slot_key)
        where = comment.slot_key
        if slot is not None:
            where += f" {slot.item_title}"
            if slot.requirement is not None:
                where += f"（基準說明{slot.requirement}）"
        items.append(f"{where}：{comment.text}")
    return items


def _unrepeated(explanation: str, sentence: str) -> str:
    """The core's explanation without its lead when the sentence already says it
    (「書面資料不完整者須於5個工作天內完成補件：自通知…」 → 「自通知…」)."""
    lead, sep, rest = explanation.partition("：")
    return rest if sep and lead in sentence else explanation


def supplement_letter(
    application: Application, transition: ApplicationTransition | None = None
) -> SupplementLetter:
    """The letter of the latest supplement request, or of TRANSITION (one of the application's
    supplement requests); Http404 when the office never asked for one."""
    requests = supplement_requests(application)
    if not requests:
        raise Http404("no supplement request")
    index = len(requests) - 1
    if transition is not None:
        index = next((i for i, r in enumerate(requests) if r.pk == transition.pk), -1)
        if index < 0:
            raise Http404("not a supplement request of this application")
    request = requests[index]
    previous = requests[index - 1] if index > 0 else None
    latest = index == len(requests) - 1
    program = application.program_version.program()
    institution = application.institution
    issuer = issuer_of(program)
    due_rule = deadlines.supplement_due(
        request.effective_on, county_calendar(institution.county), county_name(institution.county)
    )
    # The stored deadline is the source of truth; it equals the recomputed one unless the request
    # has since been answered (then the letter shows the deadline the request set).
    due = application.supplement_due if latest and application.state == State.SUPPLEMENT_REQUESTED else None
    due = due or request.due or due_rule.due
    explanation = due_rule.explanation if due_rule.due == due else request.explanation
    days = deadlines.SUPPLEMENT_WORKING_DAYS
    kind = "認證" if program.kind == "certification" else "評鑑"
    items = _message_items(request.message) + _comment_items(application, request, previous)
    deadline_sentence = (
        f"依本{kind}申請流程「資格審查」規定，書面資料不完整者須於{days}個工作天內完成補件，"
        f"期限為{roc_with_weekday(due)}。"
    )
    paragraphs = [
        Paragraph(
            f"依據貴機構申請{self_reference(issuer)}辦理之「{application.cycle.title}」，"
            f"經{roc_date_long(request.effective_on)}資格審查，書面資料尚有不完整。"
        ),
        Paragraph("請補正事項如下：", items or ["（詳如審查意見）"]),
        Paragraph(
            deadline_sentence,
            [f"期限計算：{_unrepeated(explanation, deadline_sentence)}"] if explanation else [],
        ),
        Paragraph("請於期限內登入本系統上傳補件資料，並點選「完成補件」送出；如有疑問，請洽承辦人。"),
    ]
    office = ProgramOffice.objects.for_program(program)
    return SupplementLetter(
        application=application,
        issuer=issuer,
        program_title=program.title,
        program_title_en=program.title_en,
        number=letter_number(application, request, index + 1),
        issued_on=request.effective_on,
        issued_on_text=roc_full(request.effective_on),
        office=office,
        contact_name=_person(request.actor),
        contact_email=getattr(request.actor, "email", "") or (office.email if office else ""),
        recipient=institution.name,
        recipient_address=institution.address,
        subject=(
            f"有關貴機構申請「{application.cycle.title}」之書面資料尚有不完整，請於{roc_date_long(due)}前"
            "完成補件，請查照。"
        ),
        paragraphs=paragraphs,
        due=due,
        due_text=roc_with_weekday(due),
        deadline_sentence=deadline_sentence,
        explanation=explanation,
        original=[institution.name],
        copies=[f"{self_reference(issuer)}{office.unit if office else OFFICE_UNIT}"],
        generated_at=timezone.now(),
    )


# --------------------------------------------------------------------------- summary


@dataclass
class SlotRow:
    key: str
    item_title: str
    text: str
    latest: EvidenceFile | None
    versions: int


@dataclass
class ApplicationSummary:
    application: Application
    program: Any
    issuer: str
    owner_name: str
    windows: list[tuple[str, str]]
    key_dates: list[tuple[str, str]]
    history: list[ApplicationTransition]
    slots: list[SlotRow]
    uploaded: int
    generated_at: dt.datetime
    generated_by: str

    @property
    def footer(self) -> str:
        return printed_footer(self.generated_by, self.generated_at)

    @property
    def filename(self) -> str:
        return f"申請資料摘要-{self.application.institution.code}-{self.application.pk}.pdf"


def _span(opens: dt.date | None, closes: dt.date | None) -> str:
    if opens and closes:
        return f"{roc_date_long(opens)}至{roc_date_long(closes)}"
    if closes:
        return f"至{roc_date_long(closes)}止"
    return "—"


def application_summary(application: Application, *, user: Any = None) -> ApplicationSummary:
    program = application.program_version.program()
    cycle = application.cycle
    windows = [
        ("申請期間", _span(cycle.application_opens, cycle.application_closes)),
        ("實地訪查期間", _span(cycle.visit_opens, cycle.visit_closes)),
    ]
    if cycle.preliminary_review_due:
        windows.append(("衛生局初審期限", roc_date_long(cycle.preliminary_review_due)))
    if cycle.remediation_due:
        windows.append(("消防及建築物安全限期改善期限", roc_date_long(cycle.remediation_due)))
    key_dates = [
        (str(Application._meta.get_field(name).verbose_name), roc_date_long(value))
        for name in (
            "submitted_on",
            "supplement_due",
            "visit_date",
            "evidence_due",
            "decided_on",
            "notice_received_on",
            "appeal_due",
        )
        if (value := getattr(application, name))
    ]
    files: dict[str, list[EvidenceFile]] = {}
    for row in application.evidence_files.select_related("uploaded_by").order_by("slot_key", "-number"):
        files.setdefault(row.slot_key, []).append(row)
    slots = []
    for slot in slots_for(program):
        versions = files.get(slot.key, [])
        current = next((f for f in versions if f.superseded_at is None), versions[0] if versions else None)
        slots.append(SlotRow(slot.key, slot.item_title, slot.text, current, len(versions)))
    owner = application.institution.current_owner
    return ApplicationSummary(
        application=application,
        program=program,
        issuer=issuer_of(program),
        owner_name=owner.owner_name if owner else "",
        windows=windows,
        key_dates=key_dates,
        history=list(application.transitions.select_related("actor").order_by("at", "pk")),
        slots=slots,
        uploaded=sum(1 for s in slots if s.latest is not None),
        generated_at=timezone.now(),
        generated_by=_person(user),
    )


# --------------------------------------------------------------------------- opinions


@dataclass
class OpinionCriterion:
    id: str
    title: str
    strengths: str
    recommendations: str


@dataclass
class OpinionLetter:
    """評鑑意見書 of one visit: the team's strengths and recommendations, overall and per criterion,
    under the program office's letterhead, with ROC dates."""

    application: Application
    issuer: str
    program_title: str
    program_title_en: str
    office: ProgramOffice | None
    institution_name: str
    institution_code: str
    visit_day_text: str
    approved: bool
    approved_on_text: str
    total: str
    max_total: str
    result_label: str
    overall_strengths: str
    overall_recommendations: str
    criteria: list[OpinionCriterion]
    generated_at: dt.datetime
    generated_by: str

    @property
    def footer(self) -> str:
        return printed_footer(self.generated_by, self.generated_at)

    @property
    def filename(self) -> str:
        return f"評鑑意見書-{self.institution_code}-{self.application.pk}.pdf"


def opinion_letter(application: Application, opinion: Any, *, user: Any = None) -> OpinionLetter:
    """The 評鑑意見書 of APPLICATION's visit from OPINION (read through assessments.selectors)."""
    doc = opinions_document(opinion)
    program = doc["program"]
    assessment = doc["assessment"]
    overall = doc["overall"]
    approved_at = opinion.approved_at
    return OpinionLetter(
        application=application,
        issuer=issuer_of(program),
        program_title=program.title,
        program_title_en=program.title_en,
        office=ProgramOffice.objects.for_program(program),
        institution_name=application.institution.name,
        institution_code=application.institution.code,
        visit_day_text=roc_with_weekday(opinion.visit.day),
        approved=opinion.state == "approved",
        approved_on_text=roc_full(timezone.localdate(approved_at)) if approved_at else "",
        total="" if assessment is None else str(assessment.total),
        max_total="" if assessment is None else str(assessment.max_total),
        result_label="" if assessment is None else str(dict(Result.choices).get(assessment.result, "")),
        overall_strengths=overall.strengths if overall else "",
        overall_recommendations=overall.recommendations if overall else "",
        criteria=[OpinionCriterion(**row) for row in doc["criteria"]],
        generated_at=timezone.now(),
        generated_by=_person(user),
    )
