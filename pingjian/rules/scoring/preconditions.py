"""Preconditions (前提條件, seed 002 §六): checked outside the score, they can fail the result.

A precondition fails when ``non_compliant``, or when ``remediation_pending`` after its remediation
deadline; the deadline is met on the day itself (於 111 年 12 月 10 日前 = by the end of
2022-12-10), so ``remediation_pending`` fails from 2022-12-11 on. A preliminary review row that
decides a precondition (seed 002 §八(三)) gives its status and may not be contradicted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pingjian.rules.errors import AssessmentError
from pingjian.rules.program_schema import Program
from pingjian.rules.roc import roc_date
from pingjian.rules.scoring.inputs import PRECONDITION_STATUSES

PRECONDITION_LABELS = {
    "compliant": "符合規定",
    "non_compliant": "不符合規定",
    "remediation_pending": "須限期改善或須再複評",
}


def check_preconditions(
    program: Program,
    raw: Any,
    review: dict[int, str],
    assessed_on: dt.date,
    trace: list[str],
    steps: list[dict[str, Any]],
) -> list[str]:
    """Check the preconditions (seed 002 §六); return the `precondition_not_met` reasons."""
    given: dict[str, Any] = {}
    if raw is not None:
        if not isinstance(raw, dict):
            raise AssessmentError("preconditions: expected an object of precondition → status")
        given = dict(raw)
    known = {p.id: p for p in program.preconditions}
    for key in given:
        if key not in known:
            names = ", ".join(known) or "none"
            raise AssessmentError(
                f"preconditions.{key}: unknown precondition of {program.id} (it has: {names})"
            )
    for check in program.preliminary_review:
        if check.precondition and check.number in review:
            from_review = review[check.number]
            if check.precondition in given and given[check.precondition] != from_review:
                raise AssessmentError(
                    f"preconditions.{check.precondition}: {given[check.precondition]!r} contradicts "
                    f"preliminary review row {check.number} ({from_review!r})"
                )
            given[check.precondition] = from_review
    reasons = []
    for precondition in program.preconditions:
        if precondition.id not in given:
            raise AssessmentError(
                f"preconditions.{precondition.id}: missing ({', '.join(PRECONDITION_STATUSES)})"
            )
        status = given[precondition.id]
        if status not in PRECONDITION_STATUSES:
            raise AssessmentError(
                f"preconditions.{precondition.id}: {status!r} is not one of "
                f"{', '.join(PRECONDITION_STATUSES)}"
            )
        deadline = precondition.remediation_deadline
        failed = status == "non_compliant"
        line = f"前提條件 {precondition.title}：{PRECONDITION_LABELS[status]}"
        if status == "remediation_pending":
            if deadline is None:
                line += "（未定改善期限）"
            elif assessed_on > deadline:
                failed = True
                line += f"，改善期限 {roc_date(deadline)} 已屆（評核日 {roc_date(assessed_on)}）仍未完成"
            else:
                line += (
                    f"，改善期限 {roc_date(deadline)} 尚未屆至（評核日 {roc_date(assessed_on)}），"
                    "屆期仍未完成者不合格"
                )
        line += f"；{'評鑑結果不合格' if failed else '不影響評鑑結果'}（{precondition.reference}）"
        trace.append(line)
        steps.append(
            {
                "step": "precondition",
                "precondition": precondition.id,
                "status": status,
                "deadline": deadline.isoformat() if deadline else None,
                "passed": not failed,
            }
        )
        if failed:
            why = (
                "不符合規定"
                if status == "non_compliant"
                else f"須限期改善或複評，屆 {roc_date(deadline) if deadline else ''} 仍未完成"
            )
            reasons.append(
                f"precondition_not_met: {precondition.title}：{why}，"
                f"公告為評鑑結果不合格（{precondition.reference}）"
            )
    return reasons
