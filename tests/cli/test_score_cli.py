"""`pingjian score PROGRAM_ID ASSESSMENT.json --json` per the contract (the golden cases run in
tests/rules/test_program_cases.py; here the command's own behaviour)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pingjian.cli import main
from pingjian.rules.programs import load_program


def assessment(**changes):
    program = load_program("postpartum-111")
    items = {i.id: {"met": list(range(1, len(i.requirements) + 1))} for i in program.items}
    items.update(changes)
    return {
        "institution": {"id": "PP-1", "name": "測試之家"},
        "assessed_on": "2022-08-15",
        "preconditions": {"fire_safety": "compliant", "building_safety": "compliant"},
        "items": items,
    }


def run(tmp_path, text, *extra):
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["score", "postpartum-111", str(path), *extra])


def test_json_output_has_the_contracts_shape(tmp_path):
    result = run(tmp_path, json.dumps(assessment()), "--json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert {"program", "total", "max_total", "result", "reasons", "groups", "items", "trace"} <= set(out)
    assert (out["total"], out["max_total"], out["result"], out["reasons"]) == ("100.00", "100.00", "pass", [])
    assert out["items"]["A1.1"] == {"points": "4.00", "max": "4"}
    assert out["groups"] == {"A": "20.00", "B": "50.00", "C": "30.00"}


def test_json_numbers_are_read_as_decimals_not_floats(tmp_path):
    # 3.995 + 66 = 69.995 exactly → 70.00; a binary float sum could land on 69.99499…
    text = json.dumps(assessment(**{"A1.1": {"score": 3.995}, "C1": {"score": 0}, "C2": {"score": 0}}))
    out = json.loads(run(tmp_path, text, "--json").stdout)
    assert (out["total"], out["result"]) == ("70.00", "pass")


def test_readable_output_names_the_result_in_chinese(tmp_path):
    result = run(tmp_path, json.dumps(assessment()))
    assert result.exit_code == 0
    assert "合格" in result.stdout and "111/08/15" in result.stdout


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("{not json", "not valid JSON"),
        ('{"items": {}, "score": NaN}', "not valid JSON"),
        (json.dumps(assessment(**{"A1.1": {"score": 9}})), "A1.1"),
        (json.dumps(assessment(**{"Q1": {"score": 1}})), "Q1"),
        (json.dumps({**assessment(), "assessed_on": "tomorrow"}), "assessed_on"),
        (json.dumps({**assessment(), "preconditions": {"fire_safety": "compliant"}}), "building_safety"),
        (json.dumps([1, 2]), "assessment"),
    ],
)
def test_bad_input_is_one_line_on_stderr_exit_2_nothing_on_stdout(tmp_path, text, needle):
    result = run(tmp_path, text, "--json")
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]


def test_missing_file_and_unknown_program(tmp_path):
    for args in (
        ["score", "postpartum-111", str(tmp_path / "none.json"), "--json"],
        ["score", "nope-111", str(tmp_path / "none.json")],
        ["score", "postpartum-111"],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2 and result.stdout == "" and len(result.stderr.strip().splitlines()) == 1


def test_param_scores_the_same_assessment_under_a_changed_threshold_without_touching_the_file(tmp_path):
    """Issue 15, item 4: the what-if of a finished cycle from the CLI, as the office's what-if page
    does it (rules core `with_parameters`). Seed 002 附件2: 70 分以上合格; C1, C2 (15 each) and B2.1
    (6) unmet leave 64."""
    low = assessment(**{"C1": {"met": []}, "C2": {"met": []}, "B2.1": {"met": []}})
    default = json.loads(run(tmp_path, json.dumps(low), "--json").stdout)
    assert (default["total"], default["result"]) == ("64.00", "fail")
    changed = run(tmp_path, json.dumps(low), "--json", "--param", "pass_threshold=64")
    assert changed.exit_code == 0, changed.stderr
    out = json.loads(changed.stdout)
    assert (out["total"], out["result"], out["reasons"]) == ("64.00", "pass", [])
    assert load_program("postpartum-111").scoring.pass_threshold == 70  # the program file is unchanged


@pytest.mark.parametrize(
    ("param", "named"),
    [
        ("pass_threshold=101", "pass_threshold: 101 is outside the possible totals"),
        ("pass_threshold=many", "pass_threshold: 'many' is not a number"),
        ("grade_fractions.B=0.5", "grade_fractions.B: not a parameter of postpartum-111"),
        ("pass_threshold", "expected NAME=VALUE"),
    ],
)
def test_a_bad_param_is_refused_naming_it(tmp_path, param, named):
    result = run(tmp_path, json.dumps(assessment()), "--json", "--param", param)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("錯誤 error: --param") and named in result.stderr


def test_param_changes_a_psychiatric_grade_fraction(tmp_path):
    """Seed 003 各條文配分-日間型 (66 points) with the contract's fractions (A 1.0, B 0.8): the 50
    points of items that may be graded B at B, the other 16 at A, earn 40 + 16 = 56 → 84.85 %;
    with B at 0.7, 35 + 16 = 51 → 77.27 %. B below C (0.6) is refused."""
    program = load_program("psych-rehab-day-107")
    grades = {item.id: {"grade": "B" if "B" in item.grades else "A"} for item in program.items}
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"items": grades}), encoding="utf-8")

    def total(*extra):
        result = CliRunner().invoke(main, ["score", program.id, str(path), "--json", *extra])
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)["total"]

    assert total() == "84.85"
    assert total("--param", "grade_fractions.B=0.7") == "77.27"
    refused = CliRunner().invoke(main, ["score", program.id, str(path), "--param", "grade_fractions.B=0.5"])
    assert refused.exit_code == 2 and "a lower grade may not earn more than a higher one" in refused.stderr
