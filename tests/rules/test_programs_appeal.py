"""The appeal period (申復期間) as program data: seed 002 §十二(一) states 14 days from the day after
receipt of the notice; the other seeds state none, so their programs carry no `appeal`."""

import pytest

from pingjian.rules.errors import ProgramFileError
from pingjian.rules.programs import load_program


def test_postpartum_states_14_days_seed_002_section_12_1():
    appeal = load_program("postpartum-111").appeal
    assert appeal is not None and appeal.days == 14
    assert appeal.reference.startswith("seed 002 §十二(一)")


@pytest.mark.parametrize(
    "program_id",
    ["aesthetic-clinic-112", "cell-therapy-clinic-112", "psych-rehab-day-107", "psych-rehab-residential-107"],
)
def test_programs_whose_seeds_state_no_appeal_period_carry_none(program_id):
    assert load_program(program_id).appeal is None


def test_an_appeal_period_below_one_day_is_refused_naming_the_field():
    from pingjian.rules.programs import parse_program, program_paths, read_yaml

    path = next(p for p in program_paths() if p.name == "postpartum-111.yaml")
    data = read_yaml(path)
    data["appeal"]["days"] = 0
    with pytest.raises(ProgramFileError, match=r"x\.yaml: appeal\.days"):
        parse_program(data, "x.yaml")
