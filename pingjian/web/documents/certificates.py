"""What a certificate (認證證書 / 評鑑合格證明) and an early-end letter (撤銷、廢止、中止、終止、自願退出
之函) print: built from the registry (registry.selectors), the program file and the program
office's letterhead, with ROC and Gregorian dates.

The JCT's certifications (aesthetic-clinic, cell-therapy-clinic) give Chinese and English
certificates (seed 001: 「提供中、英文紙本認證證書及標章電子檔」); the ministry's programs
(postpartum, psych-rehab) give the 評鑑合格證明 in Chinese, and an English one too. The QR code
(segno) carries the public verification URL; badge and QR code are inline SVG (nothing is fetched).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import segno
from django.utils import timezone

from pingjian.rules.errors import ProgramFileError
from pingjian.rules.programs import load_program
from pingjian.rules.roc import roc_date_long
from pingjian.web.programs.models import ProgramOffice
from pingjian.web.registry.badges import badge_svg
from pingjian.web.registry.models import Certificate, EntryStatus, StatusAction, is_jct_program

from .content import css_text, issuer_of, printed_footer, roc_full, self_reference

JCT_EN = "Joint Commission of Taiwan (JCT)"
MINISTRY_EN = "Ministry of Health and Welfare, Taiwan"


def _program(program_id: str) -> Any | None:
    try:
        return load_program(program_id)
    except ProgramFileError:
        return None


def gregorian_long(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


@dataclass(frozen=True)
class CertificateDoc:
    language: str  # zh, en
    certificate: Certificate
    issuer: str
    issuer_en: str
    heading: str
    heading_en: str
    institution: str
    institution_code: str
    institution_address: str
    program_title: str
    program_title_en: str
    result: str
    valid_from_roc: str
    valid_until_roc: str
    valid_from_iso: str
    valid_until_iso: str
    valid_from_en: str
    valid_until_en: str
    issued_on_roc: str
    issued_on_en: str
    verify_url: str
    qr_svg: str
    badge_svg: str
    status_note: str  # 已撤銷 … when the result ended early (the PDF says so)
    printed: str

    @property
    def filename(self) -> str:
        return f"{self.certificate.number}-{'en' if self.language == 'en' else 'zh'}.pdf"


def certificate_doc(certificate: Certificate, *, language: str, verify_url: str, user: Any) -> CertificateDoc:
    entry = certificate.entry
    program = _program(entry.program_id)
    jct = is_jct_program(entry.program_id)
    issuer = issuer_of(program) if program else "評鑑辦公室"
    qr = segno.make(verify_url, error="m")
    status_note = ""
    if entry.status != EntryStatus.VALID:
        when = roc_date_long(entry.status_changed_on) if entry.status_changed_on else ""
        status_note = f"本證書所載評鑑結果已於{when}{entry.get_status_display()}，已失效。"
    until = entry.valid_until
    return CertificateDoc(
        language=language,
        certificate=certificate,
        issuer=issuer,
        issuer_en=JCT_EN if jct else MINISTRY_EN,
        heading="認證證書" if jct else "評鑑合格證明",
        heading_en="Certificate of Accreditation" if jct else "Certificate of Evaluation",
        institution=entry.institution.name,
        institution_code=entry.institution.code,
        institution_address=entry.institution.address,
        program_title=entry.program_title,
        program_title_en=(program.title_en if program else "") or entry.program_id,
        result=entry.result,
        valid_from_roc=roc_full(entry.valid_from),
        valid_until_roc=roc_full(until) if until else "（未定）",
        valid_from_iso=entry.valid_from.isoformat(),
        valid_until_iso=until.isoformat() if until else "",
        valid_from_en=gregorian_long(entry.valid_from),
        valid_until_en=gregorian_long(until) if until else "(open)",
        issued_on_roc=roc_full(certificate.issued_on),
        issued_on_en=gregorian_long(certificate.issued_on),
        verify_url=verify_url,
        qr_svg=qr.svg_inline(scale=3, border=2),
        badge_svg=badge_svg(entry.program_id, number=certificate.number, size_mm=34),
        status_note=status_note,
        printed=printed_footer(str(user), timezone.now()),
    )


@dataclass(frozen=True)
class StatusLetter:
    action: StatusAction
    issuer: str
    office: ProgramOffice | None
    recipient: str
    recipient_address: str
    issued_on_text: str
    subject: str
    paragraphs: list[str]
    copies: str
    footer: str

    @property
    def filename(self) -> str:
        return f"{css_text(self.action.letter_number)}.pdf"


VERBS = {
    EntryStatus.REVOKED: "撤銷",
    EntryStatus.ABOLISHED: "廢止",
    EntryStatus.SUSPENDED: "中止",
    EntryStatus.TERMINATED: "終止",
    EntryStatus.WITHDRAWN: "註銷（自願退出）",
}


def status_letter(action: StatusAction, *, user: Any) -> StatusLetter:
    entry = action.entry
    program = _program(entry.program_id)
    issuer = issuer_of(program) if program else "評鑑辦公室"
    jct = is_jct_program(entry.program_id)
    we = self_reference(issuer)
    verb = VERBS[EntryStatus(action.status)]
    kind = "認證" if jct else "評鑑合格"
    certificate = getattr(entry, "certificate", None)
    effective = roc_full(action.effective_on)
    paragraphs = [
        f"依據：{action.legal_basis}。",
        f"理由：{action.reason}",
        f"貴機構「{entry.program_title}」{kind}（效期{roc_date_long(entry.valid_from)}至"
        f"{roc_date_long(entry.valid_until) if entry.valid_until else '未定'}）自{effective}起{verb}"
        + (f"，原證書（字號{certificate.number}）自同日起失效，標章不得再使用" if certificate else "")
        + f"；{we}公開查詢系統已同步更新。",
    ]
    if action.status == EntryStatus.SUSPENDED:
        paragraphs.append(f"中止期間改善完成者，得檢具改善資料向{we}申請恢復；逾期未改善者，{we}得終止認證。")
    if action.status != EntryStatus.WITHDRAWN:
        paragraphs.append(
            f"如有異議，得自收受本函之次日起14日內，以書面敘明理由向{we}提出申復。"
            if jct
            else "如不服本處分，得依訴願法第14條及第58條規定，自本函送達之次日起30日內，"
            f"繕具訴願書經由{we}向行政院提起訴願。"
        )
    copies = f"正本：{entry.institution.name}　副本：{entry.institution.get_county_display()}政府衛生局"
    return StatusLetter(
        action=action,
        issuer=issuer,
        office=ProgramOffice.objects.for_program(program) if program else None,
        recipient=entry.institution.name,
        recipient_address=entry.institution.address,
        issued_on_text=roc_full(timezone.localtime(action.recorded_at).date()),
        subject=f"貴機構「{entry.program_title}」{kind}，自{effective}起{verb}，請查照。",
        paragraphs=paragraphs,
        copies=copies,
        footer=printed_footer(str(user), timezone.now()),
    )
