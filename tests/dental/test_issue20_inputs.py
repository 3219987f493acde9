"""The optional inputs of seed 004 十四 (`--applications`) and 十五 (`--refusals`): bad input is
refused naming file, row and column, and nothing is written; the program's 十三 parameters."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pingjian.cli.dental import dental
from pingjian.dental import pipeline
from pingjian.rules.dental_program import load_dental_program
from pingjian.rules.errors import DataFileError, ProgramFileError
from tests.dental.builders import Data


def data(tmp_path):
    d = Data()
    d.clinic("A")
    d.doctor("X", home_region="north", specialist=None)
    d.line("A", "2024-10-01", "92001C", 500, doctor="X")
    return d.write(tmp_path / "data", "csv")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "clinic_id,doctor_id,month,specialty\nA,X,2024-10,ortho\n",
            "row 1, column specialty: unknown specialty",
        ),
        (
            "clinic_id,doctor_id,month,specialty\nA,X,2024-10,os\nA,Q,2024-10,os\n",
            "row 2, column doctor_id: doctor not in doctors",
        ),
        (
            "clinic_id,doctor_id,month,specialty\nA,X,2024/10,os\n",
            "row 1, column month: expected a month YYYY-MM",
        ),
        (
            "clinic_id,doctor_id,month,specialty\nA,X,2024-10,os\nA,X,2024-10,endo\n",
            "row 2, column month: a second application",
        ),
        (
            "clinic_id,doctor_id,month,specialty,declared_percent\nA,X,2024-10,os,170\n",
            "row 1, column declared_percent",
        ),
        ("clinic_id,doctor_id,specialty\nA,X,os\n", "applications.csv: missing column month"),
    ],
)
def test_a_bad_application_is_refused_naming_row_and_column_seed_14(tmp_path, text, message):
    path = data(tmp_path)
    apps = tmp_path / "applications.csv"
    apps.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    r = CliRunner().invoke(
        dental,
        ["score", "--data", str(path), "--quarter", "2024Q4", "--applications", str(apps), "--out", str(out)],
    )
    assert r.exit_code == 2 and message in r.output
    assert not out.exists()


def test_a_bad_refusal_is_refused_naming_row_and_column_seed_15(tmp_path):
    apps = tmp_path / "refusals.csv"
    apps.write_text("clinic_id,quarter,refused\nA,2024Q4,lunch\n", encoding="utf-8")
    with pytest.raises(
        DataFileError, match="row 1, column refused: expected one of interview, repayment, agreement"
    ):
        pipeline.score(data(tmp_path), "2024Q4", refusals=apps)


def test_specialist_parameters_of_seed_13_and_7():
    p = load_dental_program()
    assert p.int_param("specialist_share_min") == 70
    assert p.int_param("specialist_pedo_age_max") == 14
    assert p.int_param("auto_repayment_points") == 200_000 and p.str_param("auto_repayment_from") == "2025-01"
    assert [sp.id for sp in p.specialties] == ["os", "peri", "endo", "pedo", "disabled"]
    for name in (
        "specialist_os_codes",
        "specialist_peri_codes",
        "specialist_pedo_codes",
        "specialist_disabled_codes",
    ):
        assert "OUR READING" in p.parameters[name].reference
    with pytest.raises(ProgramFileError, match="bad pattern"):
        p.with_params({"specialist_os_codes": "92(C"})
    with pytest.raises(ProgramFileError, match="expected a month YYYY-MM"):
        p.with_params({"auto_repayment_from": "114/01"})


def test_an_empty_specialist_without_an_application_is_a_general_supporting_doctor_seed_14(tmp_path):
    d = Data()
    d.clinic("A")
    d.doctor("X", home_region="north", specialist=None)
    for i in range(3):
        d.line("A", f"2024-10-0{i + 1}", "92001C", 40_000, patient=f"P{i}", claim=f"C{i}", doctor="X")
    path = d.write(tmp_path / "data", "parquet")
    res = pipeline.score(path, "2024Q4", use_cache=False)
    a = res.by_clinic()["A"]
    assert a.rule_points["r5_5"] == 3  # T 120,000: counted, no application (十四)
    assert [x["reason"] for x in a.actions.specialist_decisions] == ["十四：院所未申請，視為一般支援醫師"]
