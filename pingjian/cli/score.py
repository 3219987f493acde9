"""`pingjian score PROGRAM_ID ASSESSMENT.json [--json]` — score one institution's assessment.

The input and output are the contract's (evaluation-programs.md, "Scoring"). JSON numbers are read
as ``Decimal`` (never binary floats). ``-`` reads the assessment from stdin.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from pingjian.cli.errors import emit_json, reports_input_errors
from pingjian.cli.format import roc
from pingjian.cli.usage import OneLineCommand
from pingjian.rules.errors import AssessmentError, ParameterError, PingjianError
from pingjian.rules.programs import load_program


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def read_json(path: str, error: type[PingjianError] = AssessmentError) -> Any:
    """Parse a JSON file (``-`` = stdin) with numbers as Decimal; errors name the file."""
    if path == "-":
        text = sys.stdin.read()
    else:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except ValueError as exc:  # JSONDecodeError is a ValueError, and so is NaN/Infinity
        raise error(f"{path}: not valid JSON: {exc}") from exc


@click.command(cls=OneLineCommand)
@click.argument("program_id")
@click.argument("assessment_path", metavar="ASSESSMENT.json")
@click.option("--json", "as_json", is_flag=True, help="machine output (the contract's)")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="what-if: score with a changed parameter (pass_threshold, grade_fractions.B, …)",
)
@reports_input_errors
def score(program_id: str, assessment_path: str, as_json: bool, params: tuple[str, ...]) -> None:
    """評分 score ASSESSMENT.json under PROGRAM_ID: total, result, reasons, trace."""
    from pingjian.rules.program_params import parse_assignments, with_parameters
    from pingjian.rules.scoring import score as score_assessment

    program = load_program(program_id)
    try:
        program = with_parameters(program, parse_assignments(params))
    except ParameterError as exc:
        raise ParameterError(f"--param {exc}") from exc
    assessment = read_json(assessment_path)
    try:
        result = score_assessment(program, assessment)
    except AssessmentError as exc:
        raise AssessmentError(f"{assessment_path}: {exc}") from exc
    if as_json:
        emit_json(result.to_json())
        return
    console = Console()
    who = ""
    if result.institution:
        who = f"  {result.institution.get('name', '')}（{result.institution.get('id', '')}）"
    console.print(f"[bold]{program.title}[/bold]（{program.id}）{who}  評核日 {roc(result.assessed_on)}")
    table = Table(title="各項得分")
    for header in ("代碼", "名稱", "得分", "配分"):
        table.add_column(header)
    for item in program.items:
        points = result.item_points(item.id)
        table.add_row(
            item.id,
            item.title,
            points if points is not None else "—",
            result.to_json()["items"][item.id]["max"],
        )
    console.print(table)
    groups = "；".join(f"{g} {v}" for g, v in result.to_json()["groups"].items())
    console.print(f"面向小計：{groups}")
    verdict = "合格" if result.result == "pass" else "不合格"
    console.print(f"總分 {result.total} / {result.max_total}：[bold]{verdict}[/bold]")
    for reason in result.reasons:
        code, _, text = reason.partition(": ")
        console.print(f"  不合格原因（{code}）：{text}")
    console.print("計算說明：")
    for line in result.trace:
        console.print(f"  {line}", markup=False)
