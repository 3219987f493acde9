"""`pingjian dental …` commands (contract: Commands, Output)."""

import csv
import json

from click.testing import CliRunner

from pingjian.cli.dental import dental
from tests.dental.builders import Data


def data(tmp_path):
    d = Data()
    d.clinic("A", sessions=50)  # excluded by 九
    d.clinic("B", outreach=3)
    d.clinic("C")
    d.line("A", "2024-10-01", "01271C", 1000)
    d.line("B", "2024-10-01", "89001C", 500, tooth="11", surfaces=2)
    d.line("B", "2023-10-01", "89001C", 500, tooth="11", surfaces=2)
    d.line("C", "2024-10-01", "01271C", 2500)
    return d.write(tmp_path / "data")


def test_score_writes_the_contract_columns_and_run_record(tmp_path):
    out = tmp_path / "score.csv"
    r = CliRunner().invoke(
        dental,
        [
            "score",
            "--data",
            str(data(tmp_path)),
            "--quarter",
            "113Q4",
            "--out",
            str(out),
            "--param",
            "new_clinic_cap=400000",
        ],
    )
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0])[:7] == [
        "clinic_id",
        "quarter",
        "excluded",
        "exclusion_reason",
        "points",
        "level",
        "flags",
    ]
    assert "r3_1" in rows[0] and "s1_pr" in rows[0] and "od_teeth_pr" in rows[0]
    by = {r["clinic_id"]: r for r in rows}
    assert by["A"]["excluded"] == "true" and by["A"]["points"] == "" and by["A"]["r3_1"] == ""  # reading 5
    assert by["A"]["s1"] == "1000" and by["A"]["s1_pr"] != ""
    assert by["B"]["r11"] == "-1"
    assert by["C"]["flags"] == "reference"
    run = json.loads((tmp_path / "score.csv.run.json").read_text(encoding="utf-8"))
    assert run["parameters"]["new_clinic_cap"] == 400000 and run["percentile_method"] == "cume_dist_floor"


def test_indicators_then_score_from_the_indicator_table_gives_the_same_scores(tmp_path):
    d = data(tmp_path)
    runner = CliRunner()
    ind = tmp_path / "ind.csv"
    assert (
        runner.invoke(
            dental, ["indicators", "--data", str(d), "--quarter", "2024Q4", "--out", str(ind)]
        ).exit_code
        == 0
    )
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    runner.invoke(dental, ["score", "--data", str(d), "--quarter", "2024Q4", "--out", str(a)])
    r = runner.invoke(dental, ["score", "--indicators", str(ind), "--quarter", "2024Q4", "--out", str(b)])
    assert r.exit_code == 0, r.output
    assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")


def test_explain_prints_rules_with_values_and_json(tmp_path):
    d = data(tmp_path)
    r = CliRunner().invoke(dental, ["explain", "B", "--data", str(d), "--quarter", "2024Q4"])
    assert r.exit_code == 0, r.output
    assert "r11" in r.output and "outreach_sessions_year=3" in r.output and "級別" in r.output
    r = CliRunner().invoke(dental, ["explain", "A", "--data", str(d), "--quarter", "2024Q4", "--json"])
    payload = json.loads(r.output)
    assert payload["excluded"] is True and payload["fired"][0]["rule"] == "rule_9"
    assert {i["id"] for i in payload["indicators"]} >= {"s1", "s29", "oral_exam"}


def test_explain_unknown_clinic_is_a_one_line_error(tmp_path):
    r = CliRunner().invoke(dental, ["explain", "ZZ", "--data", str(data(tmp_path)), "--quarter", "2024Q4"])
    assert r.exit_code == 2 and r.output.startswith("錯誤 error: clinic ZZ: not scored")


def test_half_year_period_divides_by_two(tmp_path):
    out = tmp_path / "h.csv"
    d = Data()
    d.clinic("A", quarter=None)
    d.clinic("B", quarter=None)
    for q in ("2024Q3", "2024Q4"):
        d.clinic_quarter += [
            {
                "clinic_id": c,
                "quarter": q,
                "sessions_per_month": 10,
                "outreach_sessions_year": 0,
                "unimproved_after_agreement": c == "A",
            }
            for c in "AB"
        ]
    d.line("A", "2024-08-01", "01271C", 100)
    d.line("A", "2024-11-01", "01271C", 100)
    d.line("B", "2024-08-01", "01271C", 100)
    d.line("B", "2024-11-01", "01271C", 100)
    r = CliRunner().invoke(
        dental,
        [
            "score",
            "--data",
            str(d.write(tmp_path / "data")),
            "--quarter",
            "2024Q4",
            "--period",
            "half",
            "--out",
            str(out),
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    rows = {x["clinic_id"]: x for x in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["A"]["quarter"] == "2024H2"
    from fractions import Fraction

    from pingjian.dental import pipeline

    q3 = pipeline.score(tmp_path / "data", "2024Q3").by_clinic()
    q4 = pipeline.score(tmp_path / "data", "2024Q4").by_clinic()
    for c in "AB":
        half = (q3[c].points + q4[c].points) / 2
        assert Fraction(rows[c]["points"]) == half
    assert q4["A"].rule_points["r6_4"] == 4 and q4["A"].points - q4["B"].points == 4
