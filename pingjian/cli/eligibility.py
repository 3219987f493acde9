"""`pingjian eligibility PROGRAM_ID INSTITUTIONS.json [--json]` — who must be evaluated this year.

Input and output per the contract (evaluation-programs.md, "Eligibility"). ``--json`` prints a
list, one object per institution in input order: ``{id, eligible, clause, reason}``.
"""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from pingjian.cli.errors import emit_json, reports_input_errors
from pingjian.cli.score import read_json
from pingjian.cli.usage import OneLineCommand
from pingjian.rules.eligibility import EligibilityInputError, check_all
from pingjian.rules.programs import load_program


@click.command(cls=OneLineCommand)
@click.argument("program_id")
@click.argument("institutions_path", metavar="INSTITUTIONS.json")
@click.option("--json", "as_json", is_flag=True, help="machine output (the contract's)")
@reports_input_errors
def eligibility(program_id: str, institutions_path: str, as_json: bool) -> None:
    """評鑑對象 which institutions of INSTITUTIONS.json must be evaluated under PROGRAM_ID."""
    program = load_program(program_id)
    data = read_json(institutions_path, EligibilityInputError)
    try:
        findings = check_all(program, data)
    except EligibilityInputError as exc:
        raise EligibilityInputError(f"{institutions_path}: {exc}") from exc
    if as_json:
        emit_json([f.to_json() for f in findings])
        return
    table = Table(title=f"{program.title} 評鑑對象")
    for header in ("機構", "評鑑對象", "款次"):
        table.add_column(header, no_wrap=True)
    table.add_column("理由", overflow="fold")
    for f in findings:
        table.add_row(f.id, "是" if f.eligible else "否", f.clause or "—", f.reason)
    Console().print(table)
