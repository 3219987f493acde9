"""`pingjian programs list|show` — the program definitions (評鑑/認證計畫).

    pingjian programs list [--json]
    pingjian programs show ID [--json]

``show --json`` prints the whole definition. Each entry of ``items`` has the contract's keys with
the contract's meaning — ``id, title, group, max_points`` (a decimal string), ``forms``,
``requirements`` (how many numbered requirements, or null), ``exemptable``, ``key`` — and the
rest of the item's definition beside them (the requirements themselves under ``requirement_list``).
For the dental program the items are its indicators (``max_points`` null, ``forms`` [],
``requirements`` null, ``key`` true for 重點指標).
"""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.table import Table

from pingjian.cli.errors import emit_json, reports_input_errors
from pingjian.cli.format import roc
from pingjian.cli.usage import OneLineGroup
from pingjian.rules.program_schema import Item, Program
from pingjian.rules.programs import list_programs, load_program

KIND_LABELS = {"evaluation": "評鑑", "certification": "認證", "dental": "牙醫輔導"}
FORM_LABELS = {"score": "分數", "met": "符合項", "grade": "評等", "result": "符合與否", "exempt": "免評"}
METHOD_LABELS = {"points": "配分加總", "percent": "得分百分比", "all_met": "全部符合"}


def _plain(value: Any) -> str:
    from decimal import Decimal

    return format(Decimal(value).normalize(), "f")


def item_json(item: Item) -> dict[str, Any]:
    """An item with the contract's keys first, then the rest of its definition."""
    rest = item.model_dump(mode="json")
    requirement_list = rest.pop("requirements")
    head = {
        "id": item.id,
        "title": item.title,
        "group": item.group,
        "max_points": _plain(item.max_points),
        "forms": item.accepted_forms,
        "requirements": len(item.requirements) or None,
        "exemptable": item.exemptable,
        "key": item.key,
    }
    for name in head:
        rest.pop(name, None)
    return {**head, **rest, "requirement_list": requirement_list}


def indicator_json(indicator: Any) -> dict[str, Any]:
    rest = indicator.model_dump(mode="json")
    head = {
        "id": indicator.id,
        "title": indicator.title,
        "group": indicator.group,
        "max_points": None,
        "forms": [],
        "requirements": None,
        "exemptable": False,
        "key": indicator.group == "key",
    }
    for name in head:
        rest.pop(name, None)
    return {**head, **rest}


def program_json(program: Any) -> dict[str, Any]:
    """The whole definition, JSON-ready, with ``items`` in the contract's shape."""
    data: dict[str, Any] = program.model_dump(mode="json")
    if isinstance(program, Program):
        data["items"] = [item_json(item) for item in program.items]
        data["max_total"] = _plain(program.max_total)
    else:
        data.setdefault("status", "published")
        data["items"] = [indicator_json(ind) for ind in program.indicators]
    data["criteria"] = program.criteria_count
    return data


@click.group(cls=OneLineGroup)
def programs() -> None:
    """評鑑計畫 the program definitions: list them, show one."""


@programs.command("list")
@click.option("--json", "as_json", is_flag=True, help="machine output")
@reports_input_errors
def list_command(as_json: bool) -> None:
    """列出所有計畫 list every program with its version and number of criteria."""
    summaries = list_programs()
    if as_json:
        emit_json(
            [
                {
                    "id": s.id,
                    "title": s.title,
                    "title_en": s.title_en,
                    "kind": s.kind,
                    "version": s.version,
                    "status": s.status,
                    "criteria": s.criteria,
                }
                for s in summaries
            ]
        )
        return
    table = Table(title="評鑑計畫 Programs")
    table.add_column("代碼", no_wrap=True)  # ids are copied into other commands: never cut
    table.add_column("名稱", overflow="fold")
    for header in ("類別", "年度", "狀態", "項目數"):
        table.add_column(header, no_wrap=True)
    for s in summaries:
        table.add_row(
            s.id,
            s.title,
            KIND_LABELS.get(s.kind, s.kind),
            str(s.version),
            "已發布" if s.status == "published" else "草稿",
            str(s.criteria),
        )
    Console().print(table)


@programs.command("show")
@click.argument("program_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="machine output: the whole definition")
@reports_input_errors
def show_command(program_id: str, as_json: bool) -> None:
    """顯示計畫 show one program's definition."""
    program = load_program(program_id)
    if as_json:
        emit_json(program_json(program))
        return
    console = Console()
    if isinstance(program, Program):
        _show_program(console, program)
    else:
        _show_dental(console, program)


def _show_program(console: Console, program: Program) -> None:
    console.print(f"[bold]{program.title}[/bold]（{program.id}）  {program.title_en}")
    console.print(
        f"主辦 {program.owner}；{KIND_LABELS.get(program.kind, program.kind)}；年度 {program.version}；"
        f"生效日 {roc(program.effective_from)}；{'已發布' if program.status == 'published' else '草稿'}"
    )
    for label, window in (
        ("報名期限", program.application_window),
        ("衛生局提報評鑑對象名單期間", program.target_list_window),
        ("機構上傳資料期限", program.documents_upload_window),
        ("實地訪查期間", program.visit_window),
        ("初審期限", program.preliminary_review_window),
    ):
        if window is not None:
            span = (
                f"{roc(window.opens)} 至 {roc(window.closes)}"
                if window.opens
                else f"{roc(window.closes)} 以前"
            )
            console.print(f"{label}：{span}（{window.reference}）")
    s = program.scoring
    threshold = f"，合格標準 {_plain(s.pass_threshold)}" if s.pass_threshold is not None else ""
    console.print(
        f"評分方式：{METHOD_LABELS[s.method]}{threshold}，四捨五入至小數點以下 {s.decimal_places} 位"
        f"（{s.reference}）"
    )
    if program.validity:
        console.print(f"合格效期：{program.validity.rule}（{program.validity.reference}）")
        for step in program.validity.steps:
            basis = f"假設，待管理者確認：{step.assumption}" if step.assumed else step.reference
            console.print(
                f"  連續 {step.after_consecutive_failures} 次不合格後合格：{step.years} 年（{basis}）"
            )
    groups = Table(title="面向 Groups")
    for header in ("代碼", "名稱", "配分"):
        groups.add_column(header)
    for g in program.groups:
        groups.add_row(g.id, g.title, "—" if g.max_points is None else _plain(g.max_points))
    console.print(groups)
    items = Table(title=f"評鑑項目 Items（{len(program.items)} 項）")
    for header in ("代碼", "名稱", "面向", "配分", "評核方式", "基準說明", "可免評", "重點"):
        items.add_column(header)
    for item in program.items:
        items.add_row(
            item.id,
            item.title,
            item.group,
            _plain(item.max_points),
            "、".join(FORM_LABELS.get(f, f) for f in item.accepted_forms),
            str(len(item.requirements)) if item.requirements else "—",
            "可" if item.exemptable else "",
            "重" if item.key else "",
        )
    console.print(items)
    if program.preconditions:
        for p in program.preconditions:
            deadline = f"，限期改善期限 {roc(p.remediation_deadline)}" if p.remediation_deadline else ""
            console.print(f"前提條件 {p.title}{deadline}（{p.reference}）")
    if program.preliminary_review:
        review = Table(title="地方政府初審 Preliminary review")
        for header in ("序號", "審核項目", "資料來源", "效果"):
            review.add_column(header)
        for c in program.preliminary_review:
            review.add_row(str(c.number), c.text, c.source, c.effect)
        console.print(review)
    if program.eligibility:
        console.print("評鑑對象：")
        for clause in program.eligibility:
            console.print(f"  {clause.id} {clause.text}")


def _show_dental(console: Console, program: Any) -> None:
    console.print(f"[bold]{program.title}[/bold]（{program.id}）  {program.title_en}")
    console.print(
        f"年度 {program.version}；生效日 {roc(program.effective_from)}；指標 {len(program.indicators)} 項"
    )
    table = Table(title="指標 Indicators")
    for header in ("代碼", "名稱", "類別"):
        table.add_column(header)
    labels = {"general": "一般", "key": "重點", "monitoring": "監測"}
    for ind in program.indicators:
        table.add_row(ind.id, ind.title, labels.get(ind.group, ind.group))
    console.print(table)
