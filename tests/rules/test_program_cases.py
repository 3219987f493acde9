"""Every case of every `pingjian/programs/cases/*.yaml`, through the scoring engine and through
`pingjian score … --json` (the shared case format: `expect` is a subset of the contract's output,
`error` a text the error message must contain)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from pingjian.cli import main
from pingjian.rules.errors import AssessmentError
from pingjian.rules.programs import PROGRAMS_DIR, load_program
from pingjian.rules.scoring import score

CASES_DIR = PROGRAMS_DIR / "cases"


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict) and "program" in data and "cases" in data, path
        assert path.stem == data["program"], f"{path}: file name must be the program id"
        for index, case in enumerate(data["cases"]):
            params.append(
                pytest.param(data["program"], case, id=f"{data['program']}[{index}] {case['name']}")
            )
    return params


CASES = _cases()


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value))


def check_expectations(output: dict[str, Any], expect: dict[str, Any], label: str) -> None:
    for key in ("total", "max_total", "result"):
        if key in expect:
            assert output[key] == str(expect[key]), f"{label}: {key}"
    if "reason_codes" in expect:
        codes = [reason.split(":", 1)[0] for reason in output["reasons"]]
        assert codes == expect["reason_codes"], f"{label}: reason codes {output['reasons']}"
    for group, value in (expect.get("groups") or {}).items():
        assert output["groups"][str(group)] == str(value), f"{label}: group {group}"
    for item, value in (expect.get("items") or {}).items():
        expected = None if value is None else str(value)
        assert output["items"][str(item)]["points"] == expected, f"{label}: item {item}"
    unknown = set(expect) - {"total", "max_total", "result", "reason_codes", "groups", "items"}
    assert not unknown, f"{label}: unknown expectation keys {unknown}"


def test_there_is_a_case_file_for_postpartum():
    assert (CASES_DIR / "postpartum-111.yaml").is_file()


@pytest.mark.parametrize(("program_id", "case"), CASES)
def test_case_through_the_engine(program_id: str, case: dict[str, Any]):
    program = load_program(program_id)
    assert case.get("reference"), "every case names the seed and section it comes from"
    assert ("expect" in case) != ("error" in case), "a case has either expect or error"
    if "error" in case:
        with pytest.raises(AssessmentError) as info:
            score(program, case["assessment"], today=dt.date(2022, 8, 15))
        assert str(case["error"]) in str(info.value)
        return
    result = score(program, case["assessment"], today=dt.date(2022, 8, 15))
    check_expectations(result.to_json(), case["expect"], case["name"])


@pytest.mark.parametrize(("program_id", "case"), CASES)
def test_case_through_the_cli(program_id: str, case: dict[str, Any], tmp_path: Path):
    assessment = dict(case["assessment"])
    assessment.setdefault("assessed_on", "2022-08-15")
    path = tmp_path / "assessment.json"
    path.write_text(json.dumps(assessment, default=_json_default, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["score", program_id, str(path), "--json"])
    if "error" in case:
        assert result.exit_code != 0
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and str(case["error"]) in lines[0]
        return
    assert result.exit_code == 0, result.stderr
    check_expectations(json.loads(result.stdout), case["expect"], case["name"])
