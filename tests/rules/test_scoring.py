"""The scoring engine on the contract's rules: rounding, methods, preconditions, errors, trace."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction

import pytest

from pingjian.rules.errors import AssessmentError
from pingjian.rules.programs import load_program, parse_program
from pingjian.rules.scoring import round_half_up, score

OK = {"fire_safety": "compliant", "building_safety": "compliant"}


@pytest.fixture(scope="module")
def postpartum():
    return load_program("postpartum-111")


def full_items(program):
    return {i.id: {"met": list(range(1, len(i.requirements) + 1))} for i in program.items}


def assess(program, on="2022-08-15", pre=OK, **changes):
    items = full_items(program)
    items.update(changes)
    return {"assessed_on": on, "preconditions": dict(pre), "items": items}


def test_round_half_up_rounds_a_half_away_from_zero():
    assert round_half_up(Fraction("69.995"), 2) == Decimal("70.00")
    assert round_half_up(Fraction("69.9949999"), 2) == Decimal("69.99")
    assert round_half_up(Fraction(2, 3), 2) == Decimal("0.67")
    assert str(round_half_up(Fraction(0), 2)) == "0.00"


def test_seed_002_annex2_rounds_the_sum_not_the_items(postpartum):
    """seed 002 附件2 三(二): 各項分數有小數時，先行加總，再將總分四捨五入至小數點以下2位."""
    result = score(
        postpartum,
        assess(
            postpartum,
            **{
                "A1.1": {"score": "3.335"},
                "A1.2": {"score": "3.335"},
                "A2.1": {"score": "3.335"},
                "C1": {"score": 0},
                "C2": {"score": 0},
            },
        ),
    )
    assert result.exact_total == Fraction("68.005")
    assert result.to_json()["total"] == "68.01"  # items rounded first would give 68.02


@pytest.mark.parametrize(
    ("a11", "total", "outcome"),
    [
        ("3.995", "70.00", "pass"),
        ("3.994", "69.99", "fail"),
        ("3.9949", "69.99", "fail"),
        ("4", "70.00", "pass"),
    ],
)
def test_seed_002_annex2_threshold_is_on_the_rounded_total(postpartum, a11, total, outcome):
    """seed 002 附件2 三(一): 總分70分以上者合格 — after 三(二)'s rounding."""
    result = score(
        postpartum, assess(postpartum, **{"A1.1": {"score": a11}, "C1": {"score": 0}, "C2": {"score": 0}})
    )
    assert (str(result.total), result.result) == (total, outcome)


def test_met_scores_max_times_met_over_applicable(postpartum):
    """contract Rules per program: with `met`, max × met / applicable requirements."""
    result = score(
        postpartum,
        assess(
            postpartum, **{"A1.2": {"met": [1, 2, 3, 4, 5, 6]}, "B2.3": {"met": [1], "not_applicable": [2]}}
        ),
    )
    assert result.items["A1.2"].points == Fraction(24, 7)
    assert result.items["B2.3"].points == Fraction(3)
    assert result.to_json()["items"]["A1.2"] == {"points": "3.43", "max": "4"}


def test_floats_are_read_as_the_decimal_they_were_written_as(postpartum):
    result = score(
        postpartum, assess(postpartum, **{"A1.1": {"score": 3.995}, "C1": {"score": 0}, "C2": {"score": 0}})
    )
    assert result.exact_total == Fraction("69.995")


@pytest.mark.parametrize(("on", "outcome"), [("2022-12-10", "pass"), ("2022-12-11", "fail")])
def test_seed_002_s6_remediation_deadline_is_111_12_10(postpartum, on, outcome):
    """seed 002 §六(三): 須於 111 年 12 月 10 日前完成限期改善或複評；屆期仍未完成者不合格."""
    result = score(
        postpartum,
        assess(postpartum, on=on, pre={"fire_safety": "remediation_pending", "building_safety": "compliant"}),
    )
    assert result.result == outcome
    assert result.reason_codes == ([] if outcome == "pass" else ["precondition_not_met"])


def test_seed_002_s6_non_compliant_fails_whatever_the_score(postpartum):
    """seed 002 §六(二): 未符合規定者，公告為評鑑結果不合格."""
    result = score(
        postpartum, assess(postpartum, pre={"fire_safety": "compliant", "building_safety": "non_compliant"})
    )
    assert (str(result.total), result.result, result.reason_codes) == (
        "100.00",
        "fail",
        ["precondition_not_met"],
    )


def test_seed_002_s8_3_rows_3_and_4_feed_a1_1(postpartum):
    """seed 002 §八(三) 序號3、4: 計入評鑑基準 A1.1 成績 (requirements 2 and 4)."""
    result = score(
        postpartum,
        {
            **assess(postpartum, **{"A1.1": {"met": [1, 3]}}),
            "preliminary_review": {"3": "met", "4": "not_met"},
        },
    )
    assert result.items["A1.1"].detail["met"] == [1, 2, 3]
    assert result.items["A1.1"].points == 3
    assert any("初審序號 3" in line for line in result.trace)


def test_seed_002_s8_3_row_5_feeds_a2_1(postpartum):
    """seed 002 §八(三) 序號5: 計入評鑑基準 A2.1 成績 (requirement 1)."""
    result = score(
        postpartum,
        {**assess(postpartum, **{"A2.1": {"met": [2, 3, 4, 5, 6]}}), "preliminary_review": {"5": "not_met"}},
    )
    assert result.items["A2.1"].points == Fraction(10, 3)
    with pytest.raises(AssessmentError, match=r"A2\.1.*row 5"):
        score(postpartum, {**assess(postpartum), "preliminary_review": {"5": "not_met"}})


def test_seed_002_s8_3_rows_1_and_2_decide_the_preconditions(postpartum):
    """seed 002 §八(三) 序號1、2: 消防／建築物安全檢查結果 decide the preconditions."""
    data = assess(postpartum, pre={})
    data["preliminary_review"] = {"1": "compliant", "2": "non_compliant"}
    assert score(postpartum, data).reason_codes == ["precondition_not_met"]
    data["preconditions"] = {"building_safety": "compliant"}
    with pytest.raises(AssessmentError, match=r"building_safety.*row 2"):
        score(postpartum, data)


def test_assessed_on_defaults_to_today(postpartum):
    data = assess(postpartum, pre={"fire_safety": "remediation_pending", "building_safety": "compliant"})
    del data["assessed_on"]
    assert score(postpartum, data, today=dt.date(2022, 12, 11)).result == "fail"
    assert score(postpartum, data, today=dt.date(2022, 12, 1)).result == "pass"


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (lambda d: d["items"].update({"Z9": {"score": 1}}), "items.Z9"),
        (lambda d: d["items"].pop("B1.3"), "items.B1.3"),
        (lambda d: d["items"].update({"A1.1": {"score": "4.5"}}), "items.A1.1.score"),
        (lambda d: d["items"].update({"A1.1": {"score": "four"}}), "items.A1.1.score"),
        (lambda d: d["items"].update({"A1.1": {"score": True}}), "items.A1.1.score"),
        (lambda d: d["items"].update({"A1.1": {"met": [0]}}), "items.A1.1.met"),
        (lambda d: d["items"].update({"A1.1": {"met": [5]}}), "items.A1.1.met"),
        (lambda d: d["items"].update({"A1.1": {"met": [1, 1]}}), "items.A1.1.met"),
        (lambda d: d["items"].update({"A1.1": {"met": ["1"]}}), "items.A1.1.met"),
        (lambda d: d["items"].update({"A1.1": {"met": [1], "not_applicable": [1]}}), "items.A1.1"),
        (
            lambda d: d["items"].update({"A1.1": {"met": [], "not_applicable": [1, 2, 3, 4]}}),
            "items.A1.1.not_applicable",
        ),
        (
            lambda d: d["items"].update({"A1.1": {"score": 1, "not_applicable": [1]}}),
            "items.A1.1.not_applicable",
        ),
        (lambda d: d["items"].update({"A1.1": {"grade": "A"}}), "items.A1.1.grade"),
        (lambda d: d["items"].update({"A1.1": {"result": "met"}}), "items.A1.1.result"),
        (lambda d: d["items"].update({"A1.1": {"exempt": True}}), "items.A1.1.exempt"),
        (lambda d: d["items"].update({"A1.1": {}}), "items.A1.1"),
        (lambda d: d["items"].update({"A1.1": {"score": 1, "met": [1]}}), "items.A1.1"),
        (lambda d: d["items"].update({"A1.1": 3}), "items.A1.1"),
        (lambda d: d["preconditions"].pop("fire_safety"), "preconditions.fire_safety"),
        (lambda d: d["preconditions"].update({"fire_safety": "fine"}), "preconditions.fire_safety"),
        (lambda d: d["preconditions"].update({"gas": "compliant"}), "preconditions.gas"),
        (lambda d: d.update({"assessed_on": "2022-13-01"}), "assessed_on"),
        (lambda d: d.update({"assessed_on": "111/08/15"}), "assessed_on"),
        (lambda d: d.update({"preliminary_review": {"9": "met"}}), "preliminary_review.9"),
        (lambda d: d.update({"preliminary_review": {"3": "yes"}}), "preliminary_review.3"),
        (lambda d: d.update({"itemz": {}}), "itemz"),
        (lambda d: d.pop("items"), "items"),
    ],
)
def test_bad_input_names_the_item_and_field(postpartum, change, needle):
    data = copy.deepcopy(assess(postpartum))
    change(data)
    with pytest.raises(AssessmentError) as info:
        score(postpartum, data)
    assert needle in str(info.value)


# ---- percent and all_met on small programs (the psychiatric and JCT files may not be here yet)

BASE = {
    "kind": "evaluation",
    "title": "測試",
    "title_en": "Test",
    "version": 107,
    "effective_from": "2018-01-01",
    "owner": "衛生福利部",
    "institution_types": ["x"],
    "reference": "test",
}


def percent_program():
    return parse_program(
        {
            **BASE,
            "id": "percent-107",
            "scoring": {
                "method": "percent",
                "pass_threshold": "60",
                "reference": "contract",
                "grade_fractions": {"A": "1.0", "B": "0.8", "C": "0.6", "D": "0.4", "E": "0"},
            },
            "groups": [
                {"id": "2", "title": "復健服務", "max_points": 5},
                {"id": "3", "title": "服務品質", "max_points": 4},
            ],
            "items": [
                {
                    "id": "2.1",
                    "title": "甲",
                    "group": "2",
                    "max_points": 3,
                    "forms": ["grade"],
                    "grades": list("ABCDE"),
                    "reference": "t",
                },
                {
                    "id": "2.2",
                    "title": "乙",
                    "group": "2",
                    "max_points": 2,
                    "forms": ["grade"],
                    "grades": ["A", "C", "E"],
                    "exemptable": True,
                    "reference": "t",
                },
                {
                    "id": "3.1",
                    "title": "丙",
                    "group": "3",
                    "max_points": 4,
                    "forms": ["grade"],
                    "grades": list("ABCDE"),
                    "key": True,
                    "key_min_grade": "C",
                    "reference": "t",
                },
            ],
        },
        "percent.yaml",
    )


def test_percent_is_earned_over_applicable_maximum():
    program = percent_program()
    result = score(program, {"items": {"2.1": {"grade": "B"}, "2.2": {"grade": "C"}, "3.1": {"grade": "A"}}})
    # (3×0.8 + 2×0.6 + 4) / 9 × 100 = 7.6 / 9 × 100 = 84.444…
    assert (str(result.total), str(result.max_total), result.result) == ("84.44", "100.00", "pass")
    assert result.to_json()["groups"] == {"2": "3.60", "3": "4.00"}


def test_an_exemption_leaves_numerator_and_denominator():
    program = percent_program()
    result = score(
        program, {"items": {"2.1": {"grade": "A"}, "2.2": {"exempt": True}, "3.1": {"grade": "C"}}}
    )
    # (3 + 2.4) / 7 × 100 = 77.142…
    assert str(result.total) == "77.14"
    assert result.to_json()["items"]["2.2"] == {"points": None, "max": "2"}


def test_a_key_item_below_its_minimum_fails_the_evaluation():
    program = percent_program()
    result = score(program, {"items": {"2.1": {"grade": "A"}, "2.2": {"grade": "A"}, "3.1": {"grade": "D"}}})
    # (3 + 2 + 4×0.4) / 9 × 100 = 73.33, a passing percent, but 3.1 is below C
    assert str(result.total) == "73.33" and result.reason_codes == ["key_item_below_minimum"]


def test_a_grade_the_item_does_not_have_is_an_error():
    with pytest.raises(AssessmentError, match=r"items\.2\.2\.grade"):
        score(
            percent_program(),
            {"items": {"2.1": {"grade": "A"}, "2.2": {"grade": "B"}, "3.1": {"grade": "A"}}},
        )


def all_met_program(required=False):
    return parse_program(
        {
            **BASE,
            "id": "allmet-112",
            "kind": "certification",
            "scoring": {"method": "all_met", "reference": "contract"},
            "groups": [{"id": "壹", "title": "機構運作與管理"}, {"id": "貳", "title": "醫療作業"}],
            "items": [
                {
                    "id": f"I-0{n}",
                    "title": f"項目{n}",
                    "group": "壹" if n < 3 else "貳",
                    "max_points": 1,
                    "forms": ["result"],
                    "required": required and n == 1,
                    "reference": "t",
                }
                for n in range(1, 5)
            ],
        },
        "allmet.yaml",
    )


def test_all_met_passes_when_no_applicable_item_is_not_met():
    items = {
        "I-01": {"result": "met"},
        "I-02": {"result": "not_applicable"},
        "I-03": {"result": "met"},
        "I-04": {"result": "met"},
    }
    result = score(all_met_program(), {"items": items})
    assert (str(result.total), str(result.max_total), result.result) == ("3.00", "3.00", "pass")
    items["I-03"] = {"result": "not_met"}
    result = score(all_met_program(), {"items": items})
    assert (str(result.total), result.result, result.reason_codes) == ("2.00", "fail", ["item_not_met"])


def test_a_required_item_not_met_fails():
    items = {f"I-0{n}": {"result": "met"} for n in range(1, 5)}
    items["I-01"] = {"result": "not_met"}
    assert score(all_met_program(required=True), {"items": items}).reason_codes == ["required_item_not_met"]


def test_the_trace_explains_each_item_the_sum_the_rounding_and_the_threshold(postpartum):
    result = score(postpartum, assess(postpartum, **{"A1.2": {"met": [1, 2, 3]}}))
    trace = "\n".join(result.trace)
    for text in ("A1.2", "4 × 3/7", "先行加總", "四捨五入", "合格標準 70", "前提條件", "評鑑結果"):
        assert text in trace
    kinds = [step["step"] for step in result.steps]
    assert kinds[0] == "program" and kinds[-1] == "result"
    assert {"precondition", "item", "group", "total", "threshold"} <= set(kinds)
    json.dumps(result.to_json(), ensure_ascii=False)  # JSON-ready
