"""`pingjian programs list|show` per the contract."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pingjian.cli import main

CONTRACT_KEYS = {"id", "title", "group", "max_points", "forms", "requirements", "exemptable", "key"}


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_list_json_gives_each_program_with_its_criteria():
    result = run("programs", "list", "--json")
    assert result.exit_code == 0, result.stderr
    listed = {p["id"]: p for p in json.loads(result.stdout)}
    assert listed["postpartum-111"]["criteria"] == 16
    assert listed["dental-south-113"]["criteria"] == 29  # seed 004 numbers s1 … s29 (its heading says 28)
    for entry in listed.values():
        assert set(entry) == {"id", "title", "title_en", "kind", "version", "status", "criteria"}


def test_show_json_items_have_the_contracts_keys():
    result = run("programs", "show", "postpartum-111", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["id"], data["version"], len(data["items"])) == ("postpartum-111", 111, 16)
    first = data["items"][0]
    assert set(first) >= CONTRACT_KEYS
    assert (first["id"], first["max_points"], first["forms"], first["requirements"]) == (
        "A1.1",
        "4",
        ["score", "met"],
        4,
    )
    assert first["requirement_list"][1]["preliminary_review"] == 3
    assert data["scoring"]["pass_threshold"] == "70"


def test_show_json_for_dental_gives_its_indicators_as_items():
    data = json.loads(run("programs", "show", "dental-south-113", "--json").stdout)
    assert data["items"] and all(set(i) >= CONTRACT_KEYS for i in data["items"])
    assert all(
        i["max_points"] is None and i["forms"] == [] and i["requirements"] is None for i in data["items"]
    )
    assert any(i["key"] for i in data["items"])
    assert data["criteria"] == 29  # as `programs list`: the indicators seed 004 numbers s1 … s29


def test_readable_output_is_in_traditional_chinese_with_roc_dates():
    result = run("programs", "show", "postpartum-111")
    assert result.exit_code == 0
    assert "評鑑項目" in result.stdout and "111/07/01" in result.stdout
    assert "評鑑計畫" in run("programs", "list").stdout


def test_an_unknown_program_is_one_line_on_stderr_and_nothing_on_stdout():
    for args in (("programs", "show", "nope-111", "--json"), ("programs", "nope"), ("programs", "show")):
        result = run(*args)
        assert result.exit_code == 2 and result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
