"""`pingjian eligibility postpartum-111 INSTITUTIONS.json --json` per the contract (seed 002 §五)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pingjian.cli import main

INSTITUTIONS = [
    {
        "id": "A",
        "opened_on": "2021-06-01",
        "reopened_on": None,
        "evaluations": [],
        "revoked": False,
        "owner_changes": [],
    },
    {
        "id": "B",
        "opened_on": "2021-06-02",
        "reopened_on": None,
        "evaluations": [],
        "revoked": False,
        "owner_changes": [],
    },
    {
        "id": "C",
        "opened_on": "2012-01-01",
        "reopened_on": None,
        "revoked": False,
        "owner_changes": ["2021-01-05"],
        "evaluations": [{"year": 2020, "result": "fail", "valid_until": None}],
    },
    {
        "id": "D",
        "opened_on": "2012-01-01",
        "reopened_on": None,
        "revoked": False,
        "owner_changes": [],
        "evaluations": [{"year": 2018, "result": "pass", "valid_until": "2022-12-31"}],
    },
    {
        "id": "E",
        "opened_on": "2012-01-01",
        "reopened_on": None,
        "revoked": True,
        "owner_changes": [],
        "evaluations": [{"year": 2020, "result": "pass", "valid_until": "2024-12-31"}],
    },
    {
        "id": "F",
        "opened_on": "2012-01-01",
        "reopened_on": None,
        "revoked": False,
        "owner_changes": [],
        "evaluations": [{"year": 2020, "result": "pass", "valid_until": "2024-12-31"}],
    },
]


def run(tmp_path, data, *extra):
    path = tmp_path / "institutions.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return CliRunner().invoke(main, ["eligibility", "postpartum-111", str(path), *extra])


def test_json_is_one_object_per_institution_in_input_order(tmp_path):
    result = run(tmp_path, INSTITUTIONS, "--json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert [(o["id"], o["eligible"], o["clause"]) for o in out] == [
        ("A", True, "5.2"),
        ("B", False, None),
        ("C", True, "5.3"),
        ("D", True, "5.1"),
        ("E", True, "5.4"),
        ("F", False, None),
    ]
    assert out[5]["reason"] == "評鑑合格效期至 113/12/31，本年度非評鑑對象"
    assert all(set(o) == {"id", "eligible", "clause", "reason"} for o in out)


def test_readable_output_is_a_chinese_table(tmp_path):
    result = run(tmp_path, INSTITUTIONS)
    assert result.exit_code == 0 and "評鑑對象" in result.stdout


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ([{"id": "X", "opened_on": "2021-13-01", "evaluations": []}], "institutions[0] (id X): opened_on"),
        ([{"id": "X", "evaluations": []}], "opened_on"),
        (
            [{"id": "X", "opened_on": "2010-01-01", "evaluations": [{"year": 2020, "result": "maybe"}]}],
            "result",
        ),
        ({"id": "X"}, "list"),
    ],
)
def test_bad_input_is_one_line_naming_the_institution_and_field(tmp_path, data, needle):
    result = run(tmp_path, data, "--json")
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]


def test_a_program_without_eligibility_clauses_is_refused(tmp_path):
    path = tmp_path / "i.json"
    path.write_text("[]", encoding="utf-8")
    result = CliRunner().invoke(main, ["eligibility", "dental-south-113", str(path), "--json"])
    assert result.exit_code == 2 and result.stdout == ""
