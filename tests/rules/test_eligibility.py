"""Eligibility for postpartum-111: seed 002 §五 clauses (一)–(四), the owner-change note, and bad input."""

from __future__ import annotations

import pytest

from pingjian.rules.eligibility import EligibilityInputError, check_all, years_completed_on
from pingjian.rules.programs import load_program


@pytest.fixture(scope="module")
def program():
    return load_program("postpartum-111")


def home(
    ident="H", opened_on="2010-03-01", reopened_on=None, evaluations=(), revoked=False, owner_changes=()
):
    return {
        "id": ident,
        "opened_on": opened_on,
        "reopened_on": reopened_on,
        "evaluations": list(evaluations),
        "revoked": revoked,
        "owner_changes": list(owner_changes),
    }


def one(program, **kwargs):
    [finding] = check_all(program, [home(**kwargs)])
    return finding


def test_the_clauses_are_data_in_the_program_file(program):
    """seed 002 §五: four clauses, tried in the seed's order."""
    assert [c.id for c in program.eligibility] == ["5.1", "5.2", "5.3", "5.4"]
    assert program.eligibility[1].params["by"].isoformat() == "2022-05-31"


def test_seed_002_s5_1_pass_valid_until_111_12_31(program):
    """seed 002 §五(一): 評鑑合格有效期間至 111 年 12 月 31 日止者."""
    f = one(program, evaluations=[{"year": 2018, "result": "pass", "valid_until": "2022-12-31"}])
    assert (f.eligible, f.clause) == (True, "5.1")
    assert "111/12/31" in f.reason


def test_a_validity_beyond_the_year_is_not_a_target(program):
    f = one(program, evaluations=[{"year": 2020, "result": "pass", "valid_until": "2024-12-31"}])
    assert (f.eligible, f.clause) == (False, None)
    assert f.reason == "評鑑合格效期至 113/12/31，本年度非評鑑對象"


@pytest.mark.parametrize(
    ("opened_on", "eligible"),
    [
        ("2021-05-31", True),
        ("2021-06-01", True),
        ("2021-06-02", False),
        ("2022-01-10", False),
    ],
)
def test_seed_002_s5_2_one_year_counts_the_opening_day(program, opened_on, eligible):
    """seed 002 §五(二): 自開業之日起至 111 年 5 月 31 日止滿 1 年 — 即日起算: 2021-06-01 is a target."""
    f = one(program, opened_on=opened_on)
    assert f.eligible is eligible
    assert f.clause == ("5.2" if eligible else None)
    if not eligible:
        assert "未滿 1 年" in f.reason


def test_seed_002_s5_2_reopening_restarts_the_year(program):
    """seed 002 §五(二): 停業後復業 — counted from the reopening day."""
    evaluations = [{"year": 2017, "result": "pass", "valid_until": "2021-12-31"}]
    assert one(program, reopened_on="2021-06-01", evaluations=evaluations).clause == "5.2"
    f = one(program, reopened_on="2021-06-02", evaluations=evaluations)
    assert (f.eligible, f.clause) == (False, None)
    assert "復業日 110/06/02" in f.reason


def test_seed_002_s5_2_already_evaluated_since_opening_is_not_new(program):
    """seed 002 §五(二) 尚未接受評鑑: an evaluation since the (re)opening rules 5.2 out."""
    f = one(
        program,
        opened_on="2019-01-10",
        evaluations=[{"year": 2020, "result": "pass", "valid_until": "2024-12-31"}],
    )
    assert f.eligible is False


def test_one_year_from_29_february_ends_on_28_february():
    assert years_completed_on(__import__("datetime").date(2020, 2, 29), 1).isoformat() == "2021-02-28"


@pytest.mark.parametrize("year", [2019, 2020, 2021])
def test_seed_002_s5_3_a_fail_in_108_to_110_without_validity(program, year):
    """seed 002 §五(三): 108 年至 110 年間評鑑不合格，且 111 年不在評鑑合格效期."""
    f = one(
        program,
        evaluations=[
            {"year": 2016, "result": "pass", "valid_until": "2018-12-31"},
            {"year": year, "result": "fail", "valid_until": None},
        ],
    )
    assert (f.eligible, f.clause) == (True, "5.3")


def test_seed_002_s5_3_a_fail_before_108_does_not_count(program):
    f = one(program, evaluations=[{"year": 2018, "result": "fail", "valid_until": None}])
    assert (f.eligible, f.clause) == (False, None)


def test_seed_002_s5_3_a_later_pass_valid_in_111_rules_it_out(program):
    f = one(
        program,
        evaluations=[
            {"year": 2019, "result": "fail", "valid_until": None},
            {"year": 2020, "result": "pass", "valid_until": "2023-12-31"},
        ],
    )
    assert (f.eligible, f.reason) == (False, "評鑑合格效期至 112/12/31，本年度非評鑑對象")


def test_seed_002_s5_note_an_owner_change_carries_the_failure_over(program):
    """seed 002 §五 註: 更換負責人並於同一場所連續經營，仍屬第（三）款前次評鑑結果為不合格之情形."""
    f = one(
        program,
        evaluations=[{"year": 2020, "result": "fail", "valid_until": None}],
        owner_changes=["2021-02-01"],
    )
    assert (f.eligible, f.clause) == (True, "5.3")
    assert "負責人變更" in f.reason


def test_seed_002_s5_note_an_owner_change_carries_the_validity_over(program):
    f = one(
        program,
        evaluations=[{"year": 2020, "result": "pass", "valid_until": "2024-12-31"}],
        owner_changes=["2021-02-01"],
    )
    assert f.eligible is False


def test_seed_002_s5_4_a_revoked_or_abolished_pass(program):
    """seed 002 §五(四): 原評鑑合格受撤銷或廢止處分者 — and a revoked pass gives no validity."""
    f = one(
        program, evaluations=[{"year": 2020, "result": "pass", "valid_until": "2024-12-31"}], revoked=True
    )
    assert (f.eligible, f.clause) == (True, "5.4")


def test_a_revoked_pass_does_not_count_as_validity_for_5_1(program):
    f = one(
        program, evaluations=[{"year": 2018, "result": "pass", "valid_until": "2022-12-31"}], revoked=True
    )
    assert f.clause == "5.4"


def test_output_keeps_the_input_order(program):
    findings = check_all(program, [home("B", opened_on="2022-01-01"), home("A", opened_on="2021-01-01")])
    assert [(f.id, f.eligible) for f in findings] == [("B", False), ("A", True)]
    assert findings[0].to_json().keys() == {"id", "eligible", "clause", "reason"}


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ({"opened_on": "2020-01-01", "evaluations": []}, "institutions[0]: id"),
        ({"id": "X", "evaluations": []}, "(id X): opened_on: missing"),
        ({"id": "X", "opened_on": "2020-01-01"}, "(id X): evaluations: missing"),
        ({"id": "X", "opened_on": "2020/01/01", "evaluations": []}, "(id X): opened_on"),
        ({"id": "X", "opened_on": "2020-02-30", "evaluations": []}, "(id X): opened_on"),
        (
            {"id": "X", "opened_on": "2020-01-01", "reopened_on": "2019-01-01", "evaluations": []},
            "reopened_on",
        ),
        (
            {"id": "X", "opened_on": "2010-01-01", "evaluations": [{"year": 2020, "result": "ok"}]},
            "evaluations[0].result",
        ),
        (
            {"id": "X", "opened_on": "2010-01-01", "evaluations": [{"year": 110, "result": "fail"}]},
            "evaluations[0].year",
        ),
        ({"id": "X", "opened_on": "2010-01-01", "evaluations": [{"result": "fail"}]}, "evaluations[0].year"),
        (
            {"id": "X", "opened_on": "2010-01-01", "evaluations": [{"year": 2020, "result": "pass"}]},
            "evaluations[0].valid_until",
        ),
        ({"id": "X", "opened_on": "2010-01-01", "evaluations": [], "revoked": "no"}, "revoked"),
        (
            {"id": "X", "opened_on": "2010-01-01", "evaluations": [], "owner_changes": ["soon"]},
            "owner_changes[0]",
        ),
    ],
)
def test_bad_input_names_the_institution_and_field(program, raw, needle):
    with pytest.raises(EligibilityInputError) as info:
        check_all(program, [home("OK"), raw])
    message = str(info.value)
    assert needle.replace("institutions[0]", "institutions[1]") in message
    assert "institutions[1]" in message


def test_the_input_must_be_a_list(program):
    with pytest.raises(EligibilityInputError):
        check_all(program, {"id": "X"})
