"""The program-file schema: valid files load, bad ones fail naming the file and the path inside."""

import copy
import subprocess
import sys

import pytest

from pingjian.rules.errors import ProgramFileError
from pingjian.rules.programs import parse_program

MINIMAL = {
    "id": "example-111",
    "kind": "evaluation",
    "title": "範例評鑑",
    "title_en": "Example evaluation",
    "version": 111,
    "effective_from": "2022-01-01",
    "owner": "衛生福利部",
    "institution_types": ["postpartum_care_home"],
    "reference": "test",
    "scoring": {"method": "points", "pass_threshold": "70", "reference": "test"},
    "groups": [{"id": "A", "title": "甲", "max_points": 10}],
    "items": [
        {
            "id": "A1",
            "title": "甲一",
            "group": "A",
            "max_points": 4,
            "forms": ["score", "met"],
            "requirements": [{"number": 1, "text": "一"}, {"number": 2, "text": "二"}],
            "reference": "test",
        },
        {"id": "A2", "title": "甲二", "group": "A", "max_points": "6", "forms": ["score"], "reference": "t"},
    ],
}


def test_a_valid_program_loads():
    program = parse_program(MINIMAL, "example.yaml")
    assert program.item("A1").max_points == 4
    assert program.max_total == 10


def _broken(change):
    data = copy.deepcopy(MINIMAL)
    change(data)
    with pytest.raises(ProgramFileError) as info:
        parse_program(data, "example.yaml")
    return str(info.value)


def test_an_error_names_the_file_the_item_and_the_field():
    message = _broken(lambda d: d["items"][1].update(max_points="many"))
    assert message.startswith("example.yaml: ")
    assert "items[A2].max_points" in message


def test_group_points_must_equal_the_sum_of_its_items():
    message = _broken(lambda d: d["groups"][0].update(max_points=11))
    assert "sum to 10" in message


def test_requirements_must_be_numbered_in_order():
    message = _broken(lambda d: d["items"][0]["requirements"][1].update(number=3))
    assert "numbered 1…n" in message


def test_unknown_fields_are_refused():
    message = _broken(lambda d: d["items"][0].update(maximum=4))
    assert "items[A1].maximum" in message


def test_a_grade_item_needs_fractions_for_its_grades():
    def change(d):
        d["items"][1].update(forms=["grade"], grades=["A", "C", "E"])

    assert "no grade fraction" in _broken(change)


def test_an_on_site_only_requirement_cannot_be_uploaded():
    """seed 002 §三: personal care records are never uploaded."""

    def change(d):
        d["items"][0]["requirements"][0].update(methods=["onsite", "upload"], on_site_only=True)

    assert "on_site_only" in _broken(change)


def test_a_preliminary_review_row_and_its_requirement_name_each_other():
    """seed 002 §八(三): a row feeding an item names the requirement, which names the row back."""

    def row_only(d):
        d["preliminary_review"] = [
            {
                "number": 3,
                "text": "t",
                "source": "s",
                "effect": "e",
                "item": "A1",
                "requirement": 2,
                "reference": "t",
            }
        ]

    assert "does not name it" in _broken(row_only)

    def both(d):
        row_only(d)
        d["items"][0]["requirements"][1]["preliminary_review"] = 3

    data = copy.deepcopy(MINIMAL)
    both(data)
    assert parse_program(data, "x.yaml").item("A1").requirements[1].preliminary_review == 3


def test_an_eligibility_clause_names_a_known_rule_with_its_params():
    def unknown(d):
        d["eligibility"] = [{"id": "5.1", "text": "t", "rule": "magic", "reference": "t"}]

    assert "unknown rule 'magic'" in _broken(unknown)

    def missing(d):
        d["eligibility"] = [{"id": "5.1", "text": "t", "rule": "pass_valid_until", "reference": "t"}]

    assert "needs params" in _broken(missing)


def test_an_all_met_program_counts_items_of_one_point_judged_by_result():
    def change(d):
        d["scoring"] = {"method": "all_met", "reference": "t"}
        d["groups"][0]["max_points"] = None

    assert "max_points must be 1" in _broken(change)


def test_the_schemas_do_not_import_the_registry_that_loads_them():
    """The arrows go one way: programs (the registry) → program_schema, dental_program; neither
    schema imports the registry back."""
    code = (
        "import sys, pingjian.rules.program_schema, pingjian.rules.dental_program; "
        "print('pingjian.rules.programs' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_program_file_nested_too_deeply_is_a_program_file_error_naming_the_file(tmp_path):
    """Issue 16 item 4: PyYAML's recursion error was not a ProgramFileError."""
    from pingjian.rules.programs import read_yaml

    path = tmp_path / "deep.yaml"
    path.write_text("id: " + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8")
    with pytest.raises(ProgramFileError, match=r"deep\.yaml: not valid YAML"):
        read_yaml(path)
