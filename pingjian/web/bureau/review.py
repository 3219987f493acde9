"""What the preliminary review decides, read from the program file's `preliminary_review` rows:
a row with `precondition` decides that precondition (seed 002 §六: non-compliant, or remediation not
completed by the deadline, fails the evaluation whatever the score); a row with `item` and
`requirement` decides that requirement of the criterion (rows 3–4 → A1.1, row 5 → A2.1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pingjian.rules.roc import roc_date_long

from .models import CheckOutcome, SafetyStatus

SURVEY_REPLY_CONDITION = "health_bureau_survey_reply"


def uses_survey_reply(program: Any) -> bool:
    """Whether the program asks the health bureau for a survey reply (調查表回復)."""
    return any(c.id == SURVEY_REPLY_CONDITION for c in getattr(program, "application_conditions", []))


@dataclass(frozen=True)
class RowEffect:
    number: int
    text: str
    source: str
    effect: str  # the program file's words
    target: str  # 「消防安全設備檢查結果」 or 「A1.1 基準說明 2」
    value: str | None  # compliant / non_compliant / remediation_pending / met / not_met
    value_label: str
    consequence: str  # what it means today
    fails_evaluation: bool
    remediation_due: dt.date | None
    is_precondition: bool


def review_rows(application: Any) -> dict[int, str]:
    """The recorded rows as the scoring engine's `preliminary_review` input (row → value)."""
    program = application.program_version.program()
    certificates = {c.kind: c.status for c in application.safety_certificates.all()}
    checks = {c.number: c.outcome for c in application.preliminary_checks.all()}
    rows: dict[int, str] = {}
    for row in getattr(program, "preliminary_review", []):
        value = certificates.get(row.precondition) if row.precondition else checks.get(row.number)
        if value is not None:
            rows[row.number] = value
    return rows


def review_effects(application: Any, today: dt.date) -> list[RowEffect]:
    program = application.program_version.program()
    preconditions = {p.id: p for p in getattr(program, "preconditions", [])}
    certificates = {c.kind: c for c in application.safety_certificates.all()}
    checks = {c.number: c for c in application.preliminary_checks.all()}
    effects = []
    for row in getattr(program, "preliminary_review", []):
        fails = False
        due = None
        if row.precondition:
            pre = preconditions[row.precondition]
            target = pre.title
            cert = certificates.get(row.precondition)
            value = cert.status if cert else None
            label = SafetyStatus(value).label if value else "尚未登錄"
            due = (cert.remediation_due if cert else None) or pre.remediation_deadline
            if value == SafetyStatus.COMPLIANT:
                consequence = "符合規定，不影響評鑑結果。"
            elif value == SafetyStatus.NON_COMPLIANT:
                consequence, fails = (
                    "不符合規定：公告為評鑑結果不合格機構並敘明原因（111年度產後護理之家評鑑作業程序第六點(二)）。",
                    True,
                )
            elif value == SafetyStatus.REMEDIATION_PENDING:
                if due and today > due:
                    consequence = (
                        f"限期改善期限 {roc_date_long(due)} 已屆仍未完成："
                        "公告為評鑑結果不合格（111年度產後護理之家評鑑作業程序第六點(三)）。"
                    )
                    fails = True
                else:
                    by = roc_date_long(due) if due else "期限"
                    consequence = f"須於 {by} 前完成限期改善或複評，屆期未完成者不合格。"
            else:
                consequence = "待衛生局登錄。"
        else:
            target = f"{row.item} 基準說明 {row.requirement}"
            check = checks.get(row.number)
            value = check.outcome if check else None
            label = CheckOutcome(value).label if value else "尚未登錄"
            if value == CheckOutcome.MET:
                consequence = f"計入 {row.item} 成績：基準說明 {row.requirement} 符合。"
            elif value == CheckOutcome.NOT_MET:
                consequence = f"計入 {row.item} 成績：基準說明 {row.requirement} 不符合。"
            else:
                consequence = "待衛生局登錄。"
        effects.append(
            RowEffect(
                row.number,
                row.text,
                row.source,
                row.effect,
                target,
                value,
                label,
                consequence,
                fails,
                due,
                bool(row.precondition),
            )
        )
    return effects
