"""Explanations (說明): every rule that fired for a clinic, for people and for machines."""

from __future__ import annotations

from typing import Any

from pingjian.dental.points import ClinicScore, fmt


def explanation(result: Any, s: ClinicScore) -> dict[str, Any]:
    """Structured: the clinic's outcome, each firing with its details, every value and PR."""
    prog = result.program
    return {
        "program": prog.id,
        "clinic_id": s.clinic_id,
        "quarter": s.quarter,
        "excluded": s.excluded,
        "exclusion_reason": s.exclusion_reason,
        "points": None if s.points is None else fmt(s.points),
        "gross": s.gross,
        "level": s.level,
        "level_action": None
        if s.level is None
        else next(lv.action for lv in prog.levels if lv.level == s.level),
        "flags": s.flags,
        "actions": {
            "level_action": None
            if s.level is None
            else next(lv.action for lv in prog.levels if lv.level == s.level),
            "cross_region_specialists": s.actions.specialist_decisions,
            "auto_repayment": s.actions.repayment_status,
            "auto_repayment_doctor_months": s.actions.repayments,
            "abnormal_group": s.actions.abnormal_group,
            "abnormal_group_reasons": s.actions.abnormal_group_reasons,
        },
        "rule_points": s.rule_points,
        "fired": [
            {
                "rule": f.rule,
                "reference": f.reference,
                "label": f.label,
                "points": f.points,
                "details": f.details,
            }
            for f in s.firings
        ],
        "indicators": [
            {
                "id": ind.id,
                "title": ind.title,
                "group": ind.group,
                "value": fmt(s.values.get(ind.id)) if s.values.get(ind.id) is not None else None,
                "pr": s.ranks.get(ind.id),
            }
            for ind in prog.indicators
        ],
        "percentile_method": prog.str_param("pr_method"),
        "warnings": s.warnings,
    }


def explanation_text(result: Any, s: ClinicScore) -> str:
    e = explanation(result, s)
    lines = [f"院所 {s.clinic_id}　{s.quarter}　({result.program.title})"]
    if s.excluded:
        lines.append(f"排除 excluded：{s.exclusion_reason}（不計積分與級別）")
    else:
        lines.append(
            f"總積分 points：{e['points']}（加分 {s.gross}）　級別 level：{s.level} {e['level_action']}"
        )
    if s.flags:
        lines.append(f"標記 flags：{'、'.join(s.flags)}")
    a = s.actions
    if a.repayment_status == "flagged":
        lines.append(
            "七 自動繳回 auto repayment："
            + "；".join(f"{r['doctor_id']} {r['month']} {r['T']} 點" for r in a.repayments if r["applies"])
        )
    elif a.repayment_status == "not_applicable":
        lines.append(
            f"七 不適用 not applicable（{result.program.str_param('auto_repayment_from')} 起適用）："
            + "；".join(f"{r['doctor_id']} {r['month']} {r['T']} 點" for r in a.repayments)
        )
    if a.abnormal_group:
        lines.append(f"移交異常組 referred to the abnormal-case group：{'；'.join(a.abnormal_group_reasons)}")
    lines.append("觸發規則 rules fired:")
    if not s.firings:
        lines.append("  （無 none）")
    for f in s.firings:
        sign = f"{f.points:+d}" if f.points else " 0"
        detail = "，".join(f"{k}={_short(v)}" for k, v in f.details.items())
        lines.append(f"  [{sign}] {f.rule} {f.label}（{f.reference}）　{detail}")
    lines.append("指標 indicators (值 value / 百分位 PR):")
    for ind in e["indicators"]:
        pr = "—" if ind["pr"] is None else ind["pr"]
        lines.append(f"  {ind['id']:<16} {ind['value'] or '—':>14}  PR {pr:>3}  {ind['title']}")
    return "\n".join(lines)


def _short(v: Any) -> str:
    if isinstance(v, list) and v and isinstance(v[0], dict):
        return "; ".join(",".join(f"{k}:{x}" for k, x in item.items()) for item in v)
    return str(v)
